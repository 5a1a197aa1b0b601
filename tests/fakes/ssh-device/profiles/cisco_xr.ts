/**
 * IOS-XR 7.3 router (ASR9K-class): no user exec mode, prompt carries the node
 * (`RP/0/RSP0/CPU0:R1#`), configuration is a per-session candidate applied by
 * `commit`; leaving with uncommitted changes asks yes/no/cancel. Show outputs
 * open with the timestamp line XR prints.
 */
import type { CommandSpec, PlatformProfile } from '../types.ts';
import { ciscoPaging, configFlags, configStatements, deepFreeze, iosErrors, outputs, repeatLines } from './shared.ts';

const xrShowVersion = `{now:xr}

Cisco IOS XR Software, Version 7.3.2
Copyright (c) 2013-2021 by Cisco Systems, Inc.

Build Information:
 Built By     : ingunawa
 Built On     : Wed Oct 13 20:00:00 PDT 2021
 Built Host   : iox-ucs-017
 Workspace    : /auto/srcarchive17/prod/7.3.2/asr9k-x64/ws
 Version      : 7.3.2
 Location     : /opt/cisco/XR/packages/
 Label        : 7.3.2

cisco ASR9K () processor
System uptime is 2 weeks 4 days 7 hours 30 minutes

Packages active on node 0/RSP0/CPU0:
 asr9k-xr-7.3.2
 asr9k-mpls-7.3.2
 asr9k-mcast-7.3.2
 asr9k-k9sec-7.3.2
 asr9k-mgbl-7.3.2
 asr9k-li-7.3.2

Configuration register on node 0/RSP0/CPU0 is 0x1922
Boot device on node 0/RSP0/CPU0 is disk0:
Processor board ID 9NPSIMXR001
4 GigabitEthernet interfaces
1 Management Ethernet interface
32768K bytes of non-volatile configuration memory.`;

const xrInterfaces =
  `{now:xr}\n` +
  repeatLines(
    `GigabitEthernet0/0/0/{n} is up, line protocol is up
  Interface state transitions: 1
  Hardware is GigabitEthernet, address is 5254.00d{n}.40f{n} (bia 5254.00d{n}.40f{n})
  Internet address is 192.0.2.{n}/24
  MTU 1514 bytes, BW 1000000 Kbit (Max: 1000000 Kbit)
     reliability 255/255, txload 0/255, rxload 0/255
  Encapsulation ARPA,
  Full-duplex, 1000Mb/s, link type is force-up
  output flow control is off, input flow control is off
  Carrier delay (up) is 10 msec
  loopback not set,
  Last link flapped 4d07h
  ARP type ARPA, ARP timeout 04:00:00
  Last input 00:00:00, output 00:00:00
  Last clearing of "show interface" counters never
  5 minute input rate 0 bits/sec, 0 packets/sec
  5 minute output rate 0 bits/sec, 0 packets/sec
     7731{n} packets input, 901344{n} bytes, 0 total input drops
     0 drops for unrecognized upper-level protocol
     Received 2 broadcast packets, 11020 multicast packets
     0 runts, 0 giants, 0 throttles, 0 parity
     0 input errors, 0 CRC, 0 frame, 0 overrun, 0 ignored, 0 abort
     6610{n} packets output, 774102{n} bytes, 0 total output drops
     Output 1 broadcast packets, 9921 multicast packets
     0 output errors, 0 underruns, 0 applique, 0 resets
     0 output buffer failures, 0 output buffers swapped out
     1 carrier transitions`,
    ['0', '1', '2', '3'],
  );

const execCommands: CommandSpec[] = [
  { syntax: 'terminal length <word>', action: { kind: 'pagingLength' } },
  { syntax: 'terminal width <word>', action: { kind: 'accept' } },
  { syntax: 'terminal exec prompt no-timestamp', action: { kind: 'accept' } },
  { syntax: 'configure terminal', action: { kind: 'enterMode', mode: 'config' } },
  { syntax: 'configure exclusive', action: { kind: 'enterMode', mode: 'config' } },
  { syntax: 'configure', action: { kind: 'enterMode', mode: 'config' } },
  { syntax: 'show running-config <any>', action: { kind: 'showRunning' } },
  { syntax: 'show configuration commit list <any>', action: { kind: 'commitHistory', style: 'xr' } },
  {
    syntax: 'rollback configuration last <word>',
    action: {
      kind: 'rollbackCommits',
      text: 'Loading Rollback Changes.\nLoaded Rollback Changes in 1 sec\nCommitting.\n1 items committed in 1 sec\nUpdating.\nUpdated Commit database in 1 sec\nConfiguration successfully rolled back {n} commits.',
    },
  },
  { syntax: 'exit', action: { kind: 'logout' } },
  ...outputs({
    'show version': xrShowVersion,
    'show interfaces <any>': xrInterfaces,
    'show ipv4 interface brief': `{now:xr}

Interface                      IP-Address      Status          Protocol Vrf-Name
Loopback0                      203.0.113.21    Up              Up       default
MgmtEth0/RSP0/CPU0/0           unassigned      Shutdown        Down     default
GigabitEthernet0/0/0/0         192.0.2.1       Up              Up       default
GigabitEthernet0/0/0/1         198.51.100.1    Up              Up       default
GigabitEthernet0/0/0/2         unassigned      Shutdown        Down     default`,
    'show arp': `{now:xr}

-------------------------------------------------------------------------------
0/RSP0/CPU0
-------------------------------------------------------------------------------
Address         Age        Hardware Addr   State      Type  Interface
192.0.2.1       -          5254.00d1.40f1  Interface  ARPA  GigabitEthernet0/0/0/0
192.0.2.254     00:03:12   5254.00ff.0201  Dynamic    ARPA  GigabitEthernet0/0/0/0`,
    'show lldp neighbors': `{now:xr}
Capability codes:
        (R) Router, (B) Bridge, (T) Telephone, (C) DOCSIS Cable Device
        (W) WLAN Access Point, (P) Repeater, (S) Station, (O) Other

Device ID       Local Intf               Hold-time  Capability     Port ID
core-sw1.lab    GigabitEthernet0/0/0/0   120        B,R            Ethernet1/50

Total entries displayed: 1`,
    'show clock': '{now:xr}',
  }),
];

const commitAction = {
  kind: 'commit',
  text: '',
  options: { unit: 'seconds', defaultConfirm: 600, confirmedText: '' },
} as const;

const sharedConfig: CommandSpec[] = [
  { syntax: 'commit <any>', action: commitAction },
  { syntax: 'show configuration <any>', action: { kind: 'showPending' } },
  { syntax: 'show running-config <any>', action: { kind: 'showRunning' } },
  { syntax: 'clear', action: { kind: 'discard' } },
  { syntax: 'abort', action: { kind: 'discard', andQuit: true } },
  { syntax: 'show configuration merge', action: { kind: 'showCandidate' } },
  { syntax: 'show configuration running-merge', action: { kind: 'showCandidate' } },
  { syntax: 'no <rest>', action: { kind: 'negate' } },
  { syntax: 'exit', action: { kind: 'exitMode' } },
  { syntax: 'end', action: { kind: 'endConfig' } },
  { syntax: 'do <rest>', action: { kind: 'do' } },
];

const configCommands: CommandSpec[] = [
  { syntax: 'hostname <word>', action: { kind: 'hostname' } },
  { syntax: 'interface <rest>', action: { kind: 'configSection', mode: 'config-if' } },
  { syntax: 'router <rest>', action: { kind: 'configSection', mode: 'config-router' } },
  { syntax: 'username <rest>', action: { kind: 'configSection', mode: 'config-un' } },
  ...configStatements([
    'logging',
    'ntp',
    'snmp-server',
    'banner',
    'domain',
    'ssh',
    'vrf',
    'telnet',
    'line',
    'clock',
    'cdp',
    'lldp',
    'ipv4',
    'ipv6',
    'prefix-set',
    'route-policy',
  ]),
  ...sharedConfig,
];

const interfaceCommands: CommandSpec[] = [
  ...configStatements([
    'description',
    'ipv4',
    'ipv6',
    'mtu',
    'speed',
    'duplex',
    'bundle',
    'vrf',
    'load-interval',
    'encapsulation',
  ]),
  ...configFlags(['shutdown']),
  ...sharedConfig,
];

const routerCommands: CommandSpec[] = [
  ...configStatements([
    'router-id',
    'neighbor',
    'address-family',
    'area',
    'bgp',
    'redistribute',
    'remote-as',
    'interface',
  ]),
  ...sharedConfig,
];

const usernameCommands: CommandSpec[] = [...configStatements(['group', 'secret', 'password']), ...sharedConfig];

const node = 'RP/0/RSP0/CPU0:';

export const ciscoXr: PlatformProfile = deepFreeze({
  platform: 'cisco_xr',
  description: 'Cisco IOS-XR 7.3 (ASR9K): candidate configuration with commit, uncommitted-changes dialog',
  defaultHostname: 'R1',
  banner: '\nIMPORTANT:  READ CAREFULLY\nNetPulse lab device - authorised access only\n',
  loginMode: 'privileged',
  execMode: 'privileged',
  sshIdent: 'Cisco-2.0',
  newline: '\r\n',
  modes: {
    privileged: { prompt: `${node}{hostname}#`, commands: execCommands, privileged: true },
    config: {
      prompt: `${node}{hostname}(config)#`,
      commands: configCommands,
      parent: 'privileged',
      config: true,
      privileged: true,
    },
    'config-if': {
      prompt: `${node}{hostname}(config-if)#`,
      commands: interfaceCommands,
      parent: 'config',
      config: true,
      privileged: true,
    },
    'config-router': {
      prompt: `${node}{hostname}(config-router)#`,
      commands: routerCommands,
      parent: 'config',
      config: true,
      privileged: true,
    },
    'config-un': {
      prompt: `${node}{hostname}(config-un)#`,
      commands: usernameCommands,
      parent: 'config',
      config: true,
      privileged: true,
    },
  },
  paging: ciscoPaging,
  errors: iosErrors,
  config: {
    model: 'block',
    initial: `hostname {hostname}
clock timezone UTC 0
logging console informational
domain name lab.netpulse.test
username admin
 group root-lr
 group cisco-support
 secret 10 $6$npsimulated$000000000000000000000000000000000000000000000
interface Loopback0
 ipv4 address 203.0.113.21 255.255.255.255
interface MgmtEth0/RSP0/CPU0/0
 shutdown
interface GigabitEthernet0/0/0/0
 description uplink-core-sw1
 ipv4 address 192.0.2.1 255.255.255.0
interface GigabitEthernet0/0/0/1
 description link-edge-r2
 ipv4 address 198.51.100.1 255.255.255.0
interface GigabitEthernet0/0/0/2
 shutdown
router static
 address-family ipv4 unicast
  0.0.0.0/0 192.0.2.254
ssh server v2`,
    header: [
      '{now:xr}',
      'Building configuration...',
      '!! IOS XR Configuration 7.3.2',
      '!! Last configuration change at {now:xr} by {username}',
      '!',
    ],
    footer: ['end'],
    separator: '!',
    negation: 'no',
    singleValued: [
      'hostname',
      'description',
      'ipv4 address',
      'mtu',
      'speed',
      'domain name',
      'clock timezone',
      'router-id',
    ],
    candidate: true,
    uncommittedDialog: {
      prompt: 'Uncommitted changes found, commit them before exiting(yes/no/cancel)? [cancel]:',
      answers: [
        { match: '^y(es)?$', text: '', effect: 'commit' },
        { match: '^no?$', text: '', effect: 'discard' },
      ],
      otherwise: { text: '', effect: 'abort' },
    },
    indent: ' ',
  },
  prompts: {
    privileged: String.raw`^[\w.\-@/:]{1,63}#\s?$`,
    config: String.raw`^[\w.\-@/:]{1,63}\(config[\w.\-@/:]{0,32}\)#\s?$`,
    samples: {
      match: [
        'RP/0/RSP0/CPU0:R1#',
        'RP/0/RSP0/CPU0:R1(config)#',
        'RP/0/RSP0/CPU0:R1(config-if)#',
        'RP/0/RP0/CPU0:pe-01#',
      ],
      noMatch: [
        'Uncommitted changes found, commit them before exiting(yes/no/cancel)? [cancel]:',
        '!! IOS XR Configuration 7.3.2',
        'R1>',
        '<R1>',
      ],
    },
  },
} satisfies PlatformProfile);
