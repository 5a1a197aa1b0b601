/**
 * NX-OS 9.3 switch: logs in at `N9K1#` (network-admin role, no enable),
 * `configure terminal`, `copy running-config startup-config` with a progress bar.
 */
import type { CommandSpec, PlatformProfile } from '../types.ts';
import { configFlags, configStatements, deepFreeze, outputs, repeatLines } from './shared.ts';

const nxosShowVersion = `Cisco Nexus Operating System (NX-OS) Software
TAC support: http://www.cisco.com/tac
Documents: http://www.cisco.com/en/US/products/ps9372/tsd_products_support_series_home.html
Copyright (c) 2002-2022, Cisco Systems, Inc. All rights reserved.
The copyrights to certain works contained herein are owned by
other third parties and are used and distributed under license.

Software
  BIOS: version 05.45
 NXOS: version 9.3(8)
  BIOS compile time:  05/17/2021
  NXOS image file is: bootflash:///nxos.9.3.8.bin
  NXOS compile time:  11/9/2021 12:00:00 [11/10/2021 04:02:52]


Hardware
  cisco Nexus9000 C9300v Chassis
  Intel(R) Xeon(R) CPU E5-2680 with 16409064 kB of memory.
  Processor Board ID 9NPSIMNX001

  Device name: {hostname}
  bootflash: 4287040 kB
Kernel uptime is 12 day(s), 3 hour(s), 8 minute(s), 51 second(s)

Last reset
  Reason: Unknown
  System version: 9.3(8)
  Service:

plugin
  Core Plugin, Ethernet Plugin

Active Package(s):
`;

const nxosInterfaces = repeatLines(
  `Ethernet1/{n} is up
admin state is up, Dedicated Interface
  Hardware: 100/1000/10000 Ethernet, address: 5254.00c{n}.30e{n} (bia 5254.00c{n}.30e{n})
  Internet Address is 192.0.2.{n}/24
  MTU 1500 bytes, BW 1000000 Kbit, DLY 10 usec
  reliability 255/255, txload 1/255, rxload 1/255
  Encapsulation ARPA, medium is broadcast
  full-duplex, 1000 Mb/s
  Auto-Negotiation is turned on
  Auto-mdix is turned off
  EtherType is 0x8100
  Last link flapped 3d02h
  Last clearing of "show interface" counters never
  1 interface resets
  30 seconds input rate 104 bits/sec, 0 packets/sec
  30 seconds output rate 232 bits/sec, 0 packets/sec
  RX
    1208{n} unicast packets  3320 multicast packets  12 broadcast packets
    15412 input packets  2014433 bytes
    0 input error  0 short frame  0 overrun   0 underrun  0 ignored
  TX
    9021{n} unicast packets  4410 multicast packets  3 broadcast packets
    13434 output packets  1660432 bytes
    0 output error  0 collision  0 deferred  0 late collision`,
  ['1', '2', '3', '4'],
);

const execOutputs = outputs({
  'show version': nxosShowVersion,
  'show interface <any>': nxosInterfaces,
  'show ip interface brief <any>': `IP Interface Status for VRF "default"(1)
Interface            IP Address      Interface Status
Lo0                  203.0.113.11    protocol-up/link-up/admin-up
Eth1/1               192.0.2.1       protocol-up/link-up/admin-up
Eth1/2               198.51.100.1    protocol-up/link-up/admin-up`,
  'show ip arp <any>': `Flags: * - Adjacencies learnt on non-active FHRP router
IP ARP Table for context default
Total number of entries: 2
Address         Age       MAC Address     Interface       Flags
192.0.2.254     00:04:12  5254.00ff.0101  Ethernet1/1
198.51.100.7    00:00:41  5254.00ff.0107  Ethernet1/2`,
  'show lldp neighbors': `Capability codes:
  (R) Router, (B) Bridge, (T) Telephone, (C) DOCSIS Cable Device
  (W) WLAN Access Point, (P) Repeater, (S) Station, (O) Other
Device ID            Local Intf      Hold-time  Capability  Port ID
core-sw1.lab         Eth1/1          120        BR          Ethernet1/49
edge-r2.lab          Eth1/2          120        R           Gi0/0/1

Total entries displayed: 2`,
  'show clock': '{now:nxos}',
  'show hostname': '{hostname}',
});

const execCommands: CommandSpec[] = [
  { syntax: 'enable', action: { kind: 'enable' } },
  { syntax: 'terminal length <word>', action: { kind: 'pagingLength' } },
  { syntax: 'terminal width <word>', action: { kind: 'accept' } },
  { syntax: 'terminal dont-ask', action: { kind: 'accept' } },
  {
    syntax: 'configure terminal',
    action: { kind: 'enterMode', mode: 'config', text: 'Enter configuration commands, one per line. End with CNTL/Z.' },
  },
  { syntax: 'show running-config <any>', action: { kind: 'showRunning' } },
  { syntax: 'show startup-config', action: { kind: 'showStartup' } },
  {
    syntax: 'copy running-config startup-config',
    action: {
      kind: 'save',
      text: '[########################################] 100%\nCopy complete, now saving to disk (please wait)...\nCopy complete.',
    },
  },
  { syntax: 'exit', action: { kind: 'logout' } },
  ...execOutputs,
];

const subCommands: CommandSpec[] = [
  ...configStatements([
    'description',
    'ip',
    'ipv6',
    'mtu',
    'speed',
    'duplex',
    'switchport',
    'channel-group',
    'vrf',
    'router-id',
    'neighbor',
    'address-family',
    'name',
    'log-adjacency-changes',
    'remote-as',
    'update-source',
  ]),
  ...configFlags(['shutdown']),
  { syntax: 'no <rest>', action: { kind: 'negate' } },
  { syntax: 'exit', action: { kind: 'exitMode' } },
  { syntax: 'end', action: { kind: 'endConfig' } },
];

const configCommands: CommandSpec[] = [
  { syntax: 'hostname <word>', action: { kind: 'hostname' } },
  { syntax: 'interface <rest>', action: { kind: 'configSection', mode: 'config-if' } },
  { syntax: 'router <rest>', action: { kind: 'configSection', mode: 'config-router' } },
  { syntax: 'vlan <rest>', action: { kind: 'configSection', mode: 'config-vlan' } },
  ...configStatements([
    'feature',
    'ip',
    'ipv6',
    'logging',
    'ntp',
    'snmp-server',
    'username',
    'banner',
    'spanning-tree',
    'vrf',
    'cdp',
    'lldp',
    'boot',
    'clock',
    'ssh',
    'system',
  ]),
  { syntax: 'no <rest>', action: { kind: 'negate' } },
  { syntax: 'exit', action: { kind: 'exitMode' } },
  { syntax: 'end', action: { kind: 'endConfig' } },
];

const caretError = (lines: string[]) => ({ lines, caret: true });

export const ciscoNxos: PlatformProfile = deepFreeze({
  platform: 'cisco_nxos',
  description: 'Cisco NX-OS 9.3 (Nexus 9300v): privileged at login, configure terminal, copy run start',
  defaultHostname: 'N9K1',
  banner:
    '\nCisco NX-OS Software\nCopyright (c) 2002-2022, Cisco Systems, Inc. All rights reserved.\nNetPulse lab device - authorised access only\n',
  loginMode: 'privileged',
  execMode: 'privileged',
  sshIdent: 'OpenSSH_8.3',
  newline: '\r\n',
  modes: {
    privileged: { prompt: '{hostname}# ', commands: execCommands, privileged: true },
    config: {
      prompt: '{hostname}(config)# ',
      commands: configCommands,
      parent: 'privileged',
      config: true,
      privileged: true,
    },
    'config-if': {
      prompt: '{hostname}(config-if)# ',
      commands: subCommands,
      parent: 'config',
      config: true,
      privileged: true,
    },
    'config-router': {
      prompt: '{hostname}(config-router)# ',
      commands: subCommands,
      parent: 'config',
      config: true,
      privileged: true,
    },
    'config-vlan': {
      prompt: '{hostname}(config-vlan)# ',
      commands: subCommands,
      parent: 'config',
      config: true,
      privileged: true,
    },
  },
  paging: { more: '--More--', erase: '\r        \r', pageLength: 24 },
  errors: {
    invalid: caretError(["% Invalid command at '^' marker."]),
    incomplete: caretError(["% Incomplete command at '^' marker."]),
    ambiguous: caretError(["% Ambiguous command at '^' marker."]),
  },
  config: {
    model: 'block',
    initial: `version 9.3(8) Bios:version 05.45
hostname {hostname}
vdc {hostname} id 1
  limit-resource vlan minimum 16 maximum 4094
feature interface-vlan
feature lldp
username admin password 5 $5$NPSIM$00000000000000000000000000000000000000  role network-admin
ip domain-lookup
vlan 1,10,20
vlan 10
  name servers
vlan 20
  name storage
vrf context management
interface Ethernet1/1
  description uplink-core-sw1
  no switchport
  ip address 192.0.2.1/24
  no shutdown
interface Ethernet1/2
  description link-edge-r2
  no switchport
  ip address 198.51.100.1/24
  no shutdown
interface loopback0
  ip address 203.0.113.11/32
line console
line vty`,
    header: [
      '',
      '!Command: show running-config',
      '!Running configuration last done at: {now:nxos}',
      '!Time: {now:nxos}',
      '',
    ],
    footer: [''],
    separator: '',
    negation: 'no',
    singleValued: ['hostname', 'description', 'ip address', 'mtu', 'speed', 'name', 'switchport mode', 'router-id'],
    candidate: false,
    indent: '  ',
  },
  prompts: {
    user: String.raw`^[\w.\-]{1,63}(\(maint\-mode\))?>\s?$`,
    privileged: String.raw`^[\w.\-]{1,63}(\(maint\-mode\))?#\s?$`,
    config: String.raw`^[\w.\-]{1,63}(\(maint\-mode\))?\(conf[\w.\-@/:\+]{0,32}\)#\s?$`,
    samples: {
      match: ['N9K1# ', 'N9K1(config)# ', 'N9K1(config-if)# ', 'leaf-01.lab#', 'N9K1(maint-mode)# '],
      noMatch: ["% Invalid command at '^' marker.", 'Copy complete.', 'RP/0/RSP0/CPU0:R1 #x', '[N9K1]', '--More--'],
    },
  },
} satisfies PlatformProfile);
