/**
 * Arista EOS 4.30 switch: `SW1>` -> `enable` (secret) -> `SW1#`, interface
 * prompts with short names (`(config-if-Et1)`), `Pagination disabled.` ack,
 * `% Invalid input` without a caret.
 */
import type { CommandSpec, PlatformProfile } from '../types.ts';
import { ciscoPaging, configFlags, configStatements, deepFreeze, outputs, repeatLines } from './shared.ts';

const eosShowVersion = `Arista vEOS-lab
Hardware version:
Serial number: 9NPSIMEOS001
Hardware MAC address: 5254.00e1.0001
System MAC address: 5254.00e1.0001

Software image version: 4.30.1F
Architecture: x86_64
Internal build version: 4.30.1F-32308478.4301F
Internal build ID: 0e5c0a4e-6c53-4b30-9f5e-npsimulated
Image format version: 1.0
Image optimization: None

Uptime: 1 week, 3 days, 5 hours and 12 minutes
Total memory: 3983712 kB
Free memory: 2710044 kB

Modules:
  Module  Type                  Serial
  1       vEOS-lab chassis      9NPSIMEOS001

Installed extensions:
  none

Boot image: flash:/vEOS-lab.swi
Last boot reason: reload
Configuration source: startup-config
Management VRF: default`;

const eosInterfaces = repeatLines(
  `Ethernet{n} is up, line protocol is up (connected)
  Hardware is Ethernet, address is 5254.00e1.000{n} (bia 5254.00e1.000{n})
  Description: lab-link-{n}
  Internet address is 192.0.2.{n}/24
  Broadcast address is 255.255.255.255
  IP MTU 1500 bytes, BW 1000000 kbit
  Full-duplex, 1Gb/s, auto negotiation: off, uni-link: n/a
  Up 4 days, 2 hours, 7 minutes, 31 seconds
  Loopback Mode : None
  3 link status changes since last clear
  Last clearing of "show interface" counters never
  5 minutes input rate 312 bps (0.0% with framing overhead), 0 packets/sec
  5 minutes output rate 298 bps (0.0% with framing overhead), 0 packets/sec
     3301{n} packets input, 4120{n}55 bytes
     Received 3 broadcasts, 1020 multicast
     0 runts, 0 giants
     0 input errors, 0 CRC, 0 alignment, 0 symbol, 0 input discards
     0 PAUSE input
     2901{n} packets output, 3770{n}12 bytes
     Sent 1 broadcasts, 2210 multicast
     0 output errors, 0 collisions
     0 late collision, 0 deferred, 0 output discards
     0 PAUSE output`,
  ['1', '2', '3', '4'],
);

const eosOutputs = outputs({
  'show version': eosShowVersion,
  'show interfaces <any>': eosInterfaces,
  'show ip interface brief': `                                                                            Address
Interface         IP Address           Status       Protocol         MTU    Owner
----------------- -------------------- ------------ -------------- -------- -------
Ethernet1         192.0.2.1/24         up           up               1500
Ethernet2         198.51.100.1/24      up           up               1500
Loopback0         203.0.113.31/32      up           up              65535
Management1       unassigned           up           up               1500`,
  'show arp': `Address         Age (sec)  Hardware Addr   Interface
192.0.2.254       0:02:41  5254.00ff.0301  Ethernet1
198.51.100.7      0:00:13  5254.00ff.0307  Ethernet2`,
  'show lldp neighbors': `Last table change time   : 4 days, 2:07:12 ago
Number of table inserts  : 2
Number of table deletes  : 0
Number of table drops    : 0
Number of table age-outs : 0

Port          Neighbor Device ID       Neighbor Port ID    TTL
---------- ------------------------ ---------------------- ---
Et1           core-sw1.lab             Ethernet49/1        120
Et2           edge-r2.lab              Gi0/0/1             120`,
  'show clock': '{now:eos}\nTimezone: UTC\nClock source: local',
  'show hostname': 'Hostname: {hostname}\nFQDN:     {hostname}.lab.netpulse.test',
});

const terminal: CommandSpec[] = [
  { syntax: 'terminal length <word>', action: { kind: 'pagingLength', text: 'Pagination disabled.' } },
  { syntax: 'terminal width <word>', action: { kind: 'accept', text: 'Width set to {arg1} columns.' } },
  { syntax: 'exit', action: { kind: 'logout' } },
  { syntax: 'logout', action: { kind: 'logout' } },
];

const userCommands: CommandSpec[] = [{ syntax: 'enable', action: { kind: 'enable' } }, ...terminal, ...eosOutputs];

const privilegedCommands: CommandSpec[] = [
  { syntax: 'enable', action: { kind: 'enable' } },
  { syntax: 'disable', action: { kind: 'resetMode', mode: 'user' } },
  { syntax: 'configure terminal', action: { kind: 'enterMode', mode: 'config' } },
  { syntax: 'configure', action: { kind: 'enterMode', mode: 'config' } },
  { syntax: 'show running-config <any>', action: { kind: 'showRunning' } },
  { syntax: 'show startup-config', action: { kind: 'showStartup' } },
  { syntax: 'copy running-config startup-config', action: { kind: 'save', text: 'Copy completed successfully.' } },
  { syntax: 'write memory', action: { kind: 'save', text: 'Copy completed successfully.' } },
  ...terminal,
  ...eosOutputs,
];

const sub: CommandSpec[] = [
  ...configStatements([
    'description',
    'ip',
    'ipv6',
    'mtu',
    'speed',
    'switchport',
    'channel-group',
    'vrf',
    'name',
    'router-id',
    'neighbor',
    'network',
    'redistribute',
    'maximum-paths',
  ]),
  ...configFlags(['shutdown', 'no switchport']),
  { syntax: 'no <rest>', action: { kind: 'negate' } },
  { syntax: 'exit', action: { kind: 'exitMode' } },
  { syntax: 'end', action: { kind: 'endConfig' } },
  { syntax: 'show running-config <any>', action: { kind: 'showRunning' } },
];

const configCommands: CommandSpec[] = [
  { syntax: 'hostname <word>', action: { kind: 'hostname' } },
  { syntax: 'interface <rest>', action: { kind: 'configSection', mode: 'config-if' } },
  { syntax: 'router <rest>', action: { kind: 'configSection', mode: 'config-router' } },
  { syntax: 'vlan <rest>', action: { kind: 'configSection', mode: 'config-vlan' } },
  ...configStatements([
    'ip',
    'ipv6',
    'logging',
    'ntp',
    'snmp-server',
    'username',
    'banner',
    'spanning-tree',
    'vrf',
    'lldp',
    'service',
    'aaa',
    'management',
    'transceiver',
    'clock',
    'dns',
    'daemon',
  ]),
  { syntax: 'no <rest>', action: { kind: 'negate' } },
  { syntax: 'exit', action: { kind: 'exitMode' } },
  { syntax: 'end', action: { kind: 'endConfig' } },
  { syntax: 'show running-config <any>', action: { kind: 'showRunning' } },
];

export const aristaEos: PlatformProfile = deepFreeze({
  platform: 'arista_eos',
  description: 'Arista EOS 4.30 (vEOS-lab): enable secret, configure terminal, copy run start',
  defaultHostname: 'SW1',
  banner: '\nNetPulse lab device - authorised access only\n',
  loginMode: 'user',
  execMode: 'privileged',
  sshIdent: 'OpenSSH_8.7',
  newline: '\r\n',
  contextAbbreviations: { Ethernet: 'Et', Management: 'Ma', Loopback: 'Lo', 'Port-Channel': 'Po', Vlan: 'Vl' },
  modes: {
    user: { prompt: '{hostname}>', commands: userCommands },
    privileged: { prompt: '{hostname}#', commands: privilegedCommands, privileged: true },
    config: {
      prompt: '{hostname}(config)#',
      commands: configCommands,
      parent: 'privileged',
      config: true,
      privileged: true,
    },
    'config-if': {
      prompt: '{hostname}(config-if-{context})#',
      commands: sub,
      parent: 'config',
      config: true,
      privileged: true,
    },
    'config-router': {
      prompt: '{hostname}(config-router-bgp)#',
      commands: sub,
      parent: 'config',
      config: true,
      privileged: true,
    },
    'config-vlan': {
      prompt: '{hostname}(config-vlan-{context})#',
      commands: sub,
      parent: 'config',
      config: true,
      privileged: true,
    },
  },
  enable: { passwordPrompt: 'Password: ', attempts: 1, failure: '% Access denied', mode: 'privileged' },
  paging: ciscoPaging,
  errors: {
    invalid: { lines: ['% Invalid input'], caret: false },
    incomplete: { lines: ['% Incomplete command'], caret: false },
    ambiguous: { lines: ['% Ambiguous command'], caret: false },
  },
  config: {
    model: 'block',
    initial: `hostname {hostname}
ip domain-name lab.netpulse.test
username admin privilege 15 role network-admin secret sha512 $6$npsimulated$0000000000000000000000000000
spanning-tree mode mstp
vlan 10
   name servers
interface Ethernet1
   description uplink-core-sw1
   no switchport
   ip address 192.0.2.1/24
interface Ethernet2
   description link-edge-r2
   no switchport
   ip address 198.51.100.1/24
interface Loopback0
   ip address 203.0.113.31/32
interface Management1
ip routing
ip route 0.0.0.0/0 192.0.2.254
management api http-commands
   no shutdown`,
    header: [
      '! Command: show running-config',
      '! device: {hostname} (vEOS-lab, EOS-4.30.1F)',
      '!',
      '! boot system flash:/vEOS-lab.swi',
      '!',
      'no aaa root',
      '!',
    ],
    footer: ['end'],
    separator: '!',
    negation: 'no',
    singleValued: [
      'hostname',
      'description',
      'ip address',
      'mtu',
      'speed',
      'name',
      'ip domain-name',
      'router-id',
      'spanning-tree mode',
    ],
    candidate: false,
    indent: '   ',
  },
  prompts: {
    user: String.raw`^[\w.\-@()/: ]{1,63}>\s?$`,
    privileged: String.raw`^[\w.\-@/: ]{1,63}#\s?$`,
    config: String.raw`^[\w.\-@()/: ]{1,63}\(config[\w.\-@/:+]{0,63}\)#\s?$`,
    samples: {
      match: ['SW1>', 'SW1#', 'SW1(config)#', 'SW1(config-if-Et1)#', 'SW1(config-s-np1)#', 'leaf-01.lab#'],
      noMatch: ['% Invalid input', 'Pagination disabled.', 'Copy completed successfully.', '[SW1]', ' --More-- '],
    },
  },
} satisfies PlatformProfile);
