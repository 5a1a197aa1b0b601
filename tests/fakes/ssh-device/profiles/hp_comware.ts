/**
 * HPE/H3C Comware 7 switch: `<H3C>`, `system-view` to `[H3C]`, interface
 * views, `undo`, `screen-length disable`, `save force`.
 */
import type { CommandSpec, PlatformProfile } from '../types.ts';
import { configFlags, configStatements, deepFreeze, outputs, repeatLines } from './shared.ts';

const comwareVersion = `H3C Comware Software, Version 7.1.064, Release 0821P16
Copyright (c) 2004-2021 New H3C Technologies Co., Ltd. All rights reserved.
H3C S6850-56HF uptime is 0 weeks, 4 days, 6 hours, 2 minutes
Last reboot reason : User reboot

Boot image: flash:/s6850-cmw710-boot-r0821p16.bin
Boot image version: 7.1.064, Release 0821P16
  Compiled Mar 11 2021 16:00:00
System image: flash:/s6850-cmw710-system-r0821p16.bin
System image version: 7.1.064, Release 0821P16
  Compiled Mar 11 2021 16:00:00


Slot 1:
Uptime is 0 weeks,4 days,6 hours,2 minutes
S6850-56HF with 4 Processors
BOARD TYPE:         S6850-56HF
DRAM:               4096M bytes
FLASH:              1024M bytes
PCB 1 Version:      VER.B
Bootrom Version:    133
CPLD 1 Version:     002
CPLD 2 Version:     002
Release Version:    H3C S6850-56HF-0821P16
Patch Version  :    None
Reboot Cause  :     UserReboot
[SubSlot 0] 48SFP Plus+8QSFP28`;

const comwareInterfaces = repeatLines(
  `GigabitEthernet1/0/{n}
Current state: UP
Line protocol state: UP
IP packet frame type: Ethernet II, hardware address: 5254-00b{n}-70d{n}
Description: lab-link-{n}
Bandwidth: 1000000 kbps
Loopback is not set
Media type is twisted pair, port hardware type is 1000_BASE_T
1000Mbps-speed mode, full-duplex mode
Link speed type is autonegotiation, link duplex type is autonegotiation
Flow-control is not enabled
Maximum frame length: 10000
Allow jumbo frames to pass
Broadcast max-ratio: 100%
Multicast max-ratio: 100%
Unicast max-ratio: 100%
PVID: 1
Port link-type: Access
 Tagged VLANs:   None
 Untagged VLANs: 1
Port priority: 0
Last clearing of counters: Never
 Peak input rate: 2104 bytes/sec, at 2024-01-09 10:00:00
 Peak output rate: 1880 bytes/sec, at 2024-01-09 10:00:00
 Last 300 second input: 1 packets/sec 120 bytes/sec 0%
 Last 300 second output: 0 packets/sec 98 bytes/sec 0%
 Input (total):  1520{n} packets, 1930440{n} bytes
 Output (total): 1280{n} packets, 1600321{n} bytes`,
  ['1', '2', '3', '4'],
);

const displayCommands: CommandSpec[] = [
  { syntax: 'display current-configuration <any>', action: { kind: 'showRunning' } },
  { syntax: 'display saved-configuration', action: { kind: 'showStartup' } },
  ...outputs({
    'display version': comwareVersion,
    'display interface brief': `Brief information on interfaces in route mode:
Link: ADM - administratively down; Stby - standby
Protocol: (s) - spoofing
Interface            Link Protocol Primary IP      Description
InLoop0              UP   UP(s)    --
Loop0                UP   UP(s)    203.0.113.61
NULL0                UP   UP(s)    --
Vlan1                UP   UP       192.0.2.1

Brief information on interfaces in bridge mode:
Link: ADM - administratively down; Stby - standby
Speed: (a) - auto
Duplex: (a)/A - auto; H - half; F - full
Type: A - access; T - trunk; H - hybrid
Interface            Link Speed   Duplex Type PVID Description
GE1/0/1              UP   1G(a)   F(a)   A    1    uplink-core-sw1
GE1/0/2              UP   1G(a)   F(a)   A    1
GE1/0/3              DOWN auto    A      A    1`,
    'display interface <any>': comwareInterfaces,
    'display ip interface brief': `*down: administratively down
(s): spoofing  (l): loopback
Interface                Physical Protocol IP address      VPN instance Description
Loop0                    up       up(s)    203.0.113.61    --           --
Vlan1                    up       up       192.0.2.1       --           --`,
    'display arp <any>': `  Type: S-Static   D-Dynamic   O-Openflow   R-Rule   M-Multiport  I-Invalid
IP address      MAC address    VLAN/VSI name Interface                Aging Type
192.0.2.254     5254-00ff-0601 1             GE1/0/1                  1185  D`,
    'display lldp neighbor-information list': `Chassis ID : * -- -- Nearest nontpmr bridge neighbor
             # -- -- Nearest customer bridge neighbor
             Default -- -- Nearest bridge neighbor
Local Interface Chassis ID      Port ID                    System Name
GE1/0/1         5254-00aa-0003  Ethernet1/46               core-sw1.lab`,
    'display clock': '{now:comware}\nTime Zone : UTC add 00:00:00',
  }),
];

const saveCommands: CommandSpec[] = [
  {
    syntax: 'save force',
    action: {
      kind: 'save',
      text: 'Validating file. Please wait...\nSaved the current configuration to mainboard device successfully.',
    },
  },
  {
    syntax: 'save',
    action: {
      kind: 'save',
      text: '',
      dialog: {
        prompt: 'The current configuration will be written to the device. Are you sure? [Y/N]:',
        answers: [
          {
            match: '^y(es)?$',
            text: 'Please input the file name(*.cfg)[flash:/startup.cfg]\n(To leave the existing filename unchanged, press the enter key):\nValidating file. Please wait...\nSaved the current configuration to mainboard device successfully.',
            effect: 'proceed',
          },
        ],
        otherwise: { text: '', effect: 'abort' },
      },
    },
  },
];

const userCommands: CommandSpec[] = [
  {
    syntax: 'system-view',
    action: { kind: 'enterMode', mode: 'system', text: 'System View: return to User View with Ctrl+Z.' },
  },
  { syntax: 'screen-length disable', action: { kind: 'pagingOff' } },
  { syntax: 'quit', action: { kind: 'logout' } },
  ...saveCommands,
  ...displayCommands,
];

const common: CommandSpec[] = [
  { syntax: 'undo <rest>', action: { kind: 'negate' } },
  { syntax: 'quit', action: { kind: 'exitMode' } },
  { syntax: 'return', action: { kind: 'endConfig' } },
  ...saveCommands,
  ...displayCommands,
];

const systemCommands: CommandSpec[] = [
  { syntax: 'sysname <word>', action: { kind: 'hostname' } },
  { syntax: 'interface <rest>', action: { kind: 'configSection', mode: 'interface' } },
  { syntax: 'vlan <rest>', action: { kind: 'configSection', mode: 'vlan' } },
  { syntax: 'line <rest>', action: { kind: 'configSection', mode: 'line' } },
  { syntax: 'local-user <rest>', action: { kind: 'configSection', mode: 'luser' } },
  ...configStatements([
    'ip',
    'ntp-service',
    'info-center',
    'snmp-agent',
    'stp',
    'lldp',
    'dns',
    'clock',
    'ssh',
    'header',
    'acl',
    'irf',
  ]),
  ...common,
];

const viewCommands: CommandSpec[] = [
  ...configStatements([
    'description',
    'ip',
    'ipv6',
    'mtu',
    'port',
    'speed',
    'duplex',
    'name',
    'authentication-mode',
    'user-role',
    'protocol',
    'password',
    'service-type',
    'idle-timeout',
  ]),
  ...configFlags(['shutdown']),
  ...common,
];

export const hpComware: PlatformProfile = deepFreeze({
  platform: 'hp_comware',
  description: 'HPE/H3C Comware 7.1 (S6850): user/system views, screen-length disable, save force',
  defaultHostname: 'H3C',
  banner:
    '\n******************************************************************************\n* Copyright (c) 2004-2021 New H3C Technologies Co., Ltd. All rights reserved.*\n* NetPulse lab device - authorised access only                               *\n******************************************************************************\n',
  loginMode: 'user',
  execMode: 'user',
  sshIdent: 'Comware-7.1.064',
  newline: '\r\n',
  modes: {
    user: { prompt: '<{hostname}>', commands: userCommands, privileged: true },
    system: { prompt: '[{hostname}]', commands: systemCommands, parent: 'user', config: true, privileged: true },
    interface: {
      prompt: '[{hostname}-{context}]',
      commands: viewCommands,
      parent: 'system',
      config: true,
      privileged: true,
    },
    vlan: {
      prompt: '[{hostname}-vlan{context}]',
      commands: viewCommands,
      parent: 'system',
      config: true,
      privileged: true,
    },
    line: {
      prompt: '[{hostname}-line-{context}]',
      commands: viewCommands,
      parent: 'system',
      config: true,
      privileged: true,
    },
    luser: {
      prompt: '[{hostname}-luser-manage-{context}]',
      commands: viewCommands,
      parent: 'system',
      config: true,
      privileged: true,
    },
  },
  paging: { more: '---- More ----', erase: '\x1b[16D' + ' '.repeat(16) + '\x1b[16D', pageLength: 24 },
  errors: {
    invalid: { lines: ["% Unrecognized command found at '^' position."], caret: true },
    incomplete: { lines: ["% Incomplete command found at '^' position."], caret: true },
    ambiguous: { lines: ["% Ambiguous command found at '^' position."], caret: true },
  },
  config: {
    model: 'block',
    initial: `sysname {hostname}
clock timezone UTC add 00:00:00
irf mac-address persistent timer
lldp global enable
vlan 1
interface NULL0
interface LoopBack0
 ip address 203.0.113.61 255.255.255.255
interface Vlan-interface1
 ip address 192.0.2.1 255.255.255.0
interface GigabitEthernet1/0/1
 port link-mode bridge
 description uplink-core-sw1
interface GigabitEthernet1/0/2
 port link-mode bridge
interface GigabitEthernet1/0/3
 port link-mode bridge
 shutdown
line vty 0 63
 authentication-mode scheme
 user-role network-operator
ssh server enable
local-user admin class manage
 password hash $h$6$npsimulated$0000000000000000
 service-type ssh
 authorization-attribute user-role network-admin`,
    header: ['#', ' version 7.1.064, Release 0821P16', '#'],
    footer: ['return'],
    separator: '#',
    negation: 'undo',
    singleValued: [
      'sysname',
      'description',
      'ip address',
      'mtu',
      'speed',
      'duplex',
      'clock timezone',
      'authentication-mode',
      'port link-mode',
    ],
    candidate: false,
    indent: ' ',
  },
  prompts: {
    user: String.raw`^<[a-zA-Z0-9.\-_@()/:]{1,48}>\s*$`,
    privileged: String.raw`^<[a-zA-Z0-9.\-_@()/:]{1,48}>\s*$`,
    config: String.raw`^(?=\[[a-zA-Z0-9.\-_@/:]{1,64}\]$).*$`,
    samples: {
      match: ['<H3C>', '[H3C]', '[H3C-GigabitEthernet1/0/1]', '[H3C-line-vty0-63]', '<sw-01.lab>'],
      noMatch: [
        "% Unrecognized command found at '^' position.",
        '---- More ----',
        'H3C#',
        'Saved the current configuration to mainboard device successfully.',
      ],
    },
  },
} satisfies PlatformProfile);
