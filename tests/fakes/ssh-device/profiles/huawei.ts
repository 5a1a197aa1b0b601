/**
 * Huawei VRP 5 router (AR-class): user view `<R1>`, `system-view` to `[R1]`,
 * interface views `[R1-GigabitEthernet0/0/1]`, `undo` negation, `save` with a
 * Y/N question, `  ---- More ----` pager whose erase uses ANSI cursor-left
 * sequences (`ESC[42D`), as VRP terminals show.
 */
import type { CommandSpec, PlatformProfile } from '../types.ts';
import { configFlags, configStatements, deepFreeze, outputs, repeatLines } from './shared.ts';

const vrpVersion = `Huawei Versatile Routing Platform Software
VRP (R) software, Version 5.170 (AR2200 V200R010C10SPC700)
Copyright (C) 2011-2021 HUAWEI TECH CO., LTD
Huawei AR2220 Router uptime is 0 week, 5 days, 3 hours, 21 minutes
BKP 0 version information:
1. PCB      Version  : AR01BAK2A VER.NC
2. If Supporting PoE : No
3. Board    Type     : AR2220
4. MPU Slot Quantity : 1
5. LPU Slot Quantity : 6

MPU 0(Master) : uptime is 0 week, 5 days, 3 hours, 20 minutes
SDRAM Memory Size    : 2048    M bytes
Flash 0 Memory Size  : 1024    M bytes
NVRAM Memory Size    : 512     K bytes
MPU version information :
1. PCB      Version  : AR01SRU2A VER.A
2. MAB      Version  : 0
3. Board    Type     : AR2220
4. CPLD0    Version  : 100
5. BootROM  Version  : 0

SIC 1 : uptime is 0 week, 5 days, 3 hours, 18 minutes
SIC card information :
1. PCB      Version  : AR01SIC1A VER.B
2. Board    Type     : 1GEC`;

const vrpInterfaces = repeatLines(
  `GigabitEthernet0/0/{n} current state : UP
Line protocol current state : UP
Last line protocol up time : 2024-01-08 09:15:0{n}
Description:lab-link-{n}
Route Port,The Maximum Transmit Unit is 1500
Internet Address is 192.0.2.{n}/24
IP Sending Frames' Format is PKTFMT_ETHNT_2, Hardware address is 5254-00a{n}-60c{n}
Last physical up time   : 2024-01-08 09:15:0{n}
Last physical down time : 2024-01-08 09:14:5{n}
Current system time: 2024-01-13 12:36:41
Port Mode: COMMON COPPER
Speed : 1000,  Loopback: NONE
Duplex: FULL,  Negotiation: ENABLE
Mdi   : AUTO
Last 300 seconds input rate 1024 bits/sec, 1 packets/sec
Last 300 seconds output rate 880 bits/sec, 0 packets/sec
Input peak rate 20480 bits/sec,Record time: 2024-01-09 10:00:00
Output peak rate 18120 bits/sec,Record time: 2024-01-09 10:00:00

Input:  1220{n} packets, 1642203{n} bytes
  Unicast:                 11020,  Multicast:                  1180
  Broadcast:                   3,  Jumbo:                         0
  CRC:                         0,  Giants:                        0
Output:  991{n} packets, 1204410{n} bytes
  Unicast:                  9101,  Multicast:                   810
  Broadcast:                   2,  Jumbo:                         0
    Input bandwidth utilization  :    0%
    Output bandwidth utilization :    0%`,
  ['0', '1', '2', '3'],
);

const displayCommands: CommandSpec[] = [
  { syntax: 'display current-configuration <any>', action: { kind: 'showRunning' } },
  { syntax: 'display saved-configuration', action: { kind: 'showStartup' } },
  ...outputs({
    'display version': vrpVersion,
    'display interface brief': `PHY: Physical
*down: administratively down
(l): loopback
(s): spoofing
InUti/OutUti: input utility/output utility
Interface                   PHY   Protocol InUti OutUti   inErrors  outErrors
GigabitEthernet0/0/0        up    up          0%     0%          0          0
GigabitEthernet0/0/1        up    up          0%     0%          0          0
GigabitEthernet0/0/2        *down down        0%     0%          0          0
LoopBack0                   up    up(s)       0%     0%          0          0
NULL0                       up    up(s)       0%     0%          0          0`,
    'display interface <any>': vrpInterfaces,
    'display ip interface brief': `*down: administratively down
^down: standby
(l): loopback
(s): spoofing
The number of interface that is UP in Physical is 3
The number of interface that is DOWN in Physical is 1
Interface                         IP Address/Mask      Physical   Protocol
GigabitEthernet0/0/0              192.0.2.1/24         up         up
GigabitEthernet0/0/1              198.51.100.1/24      up         up
GigabitEthernet0/0/2              unassigned           *down      down
LoopBack0                         203.0.113.51/32      up         up(s)`,
    'display arp <any>': `IP ADDRESS      MAC ADDRESS     EXPIRE(M) TYPE        INTERFACE   VPN-INSTANCE
                                          VLAN/CEVLAN PVC
------------------------------------------------------------------------------
192.0.2.1       5254-00a1-60c1            I -         GE0/0/0
192.0.2.254     5254-00ff-0501  17        D-0         GE0/0/0
------------------------------------------------------------------------------
Total:2         Dynamic:1       Static:0     Interface:1`,
    'display lldp neighbor brief': `Local Intf       Neighbor Dev             Neighbor Intf             Exptime(s)
GE0/0/0          core-sw1.lab             Ethernet1/47              104
GE0/0/1          edge-r2.lab              GE0/0/1                   98`,
    'display clock': '{now:vrp}\nSaturday\nTime Zone(DefaultZoneName) : UTC',
  }),
];

const saveCommand: CommandSpec = {
  syntax: 'save <any>',
  action: {
    kind: 'save',
    text: '',
    dialog: {
      prompt: 'The current configuration will be written to the device.\nAre you sure to continue?[Y/N]',
      answers: [
        {
          match: '^y(es)?$',
          text: 'Now saving the current configuration to the slot 0.\nInfo: Save the configuration successfully.',
          effect: 'proceed',
        },
      ],
      otherwise: { text: 'Info: The operation is canceled.', effect: 'abort' },
    },
  },
};

const userCommands: CommandSpec[] = [
  {
    syntax: 'system-view',
    action: { kind: 'enterMode', mode: 'system', text: 'Enter system view, return user view with Ctrl+Z.' },
  },
  {
    syntax: 'screen-length <word> temporary',
    action: {
      kind: 'pagingLength',
      text: 'Info: The configuration takes effect on the current user terminal interface only.',
    },
  },
  { syntax: 'screen-width <word>', action: { kind: 'accept' } },
  { syntax: 'quit', action: { kind: 'logout' } },
  saveCommand,
  ...displayCommands,
];

const common: CommandSpec[] = [
  { syntax: 'undo <rest>', action: { kind: 'negate' } },
  { syntax: 'quit', action: { kind: 'exitMode' } },
  { syntax: 'return', action: { kind: 'endConfig' } },
  saveCommand,
  ...displayCommands,
];

const systemCommands: CommandSpec[] = [
  { syntax: 'sysname <word>', action: { kind: 'hostname' } },
  { syntax: 'interface <rest>', action: { kind: 'configSection', mode: 'interface' } },
  { syntax: 'aaa', action: { kind: 'configSection', mode: 'aaa' } },
  { syntax: 'user-interface <rest>', action: { kind: 'configSection', mode: 'user-interface' } },
  { syntax: 'vlan <rest>', action: { kind: 'configSection', mode: 'vlan' } },
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
    'stelnet',
    'header',
    'acl',
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
    'negotiation',
    'local-user',
    'authentication-mode',
    'protocol',
    'user',
    'idle-timeout',
    'name',
    'ospf',
    'isis',
  ]),
  ...configFlags(['shutdown']),
  ...common,
];

export const huawei: PlatformProfile = deepFreeze({
  platform: 'huawei',
  description: 'Huawei VRP 5.170 (AR2220): user/system/interface views, undo, save with Y/N, ANSI pager',
  defaultHostname: 'R1',
  banner:
    '\nInfo: The max number of VTY users is 5, and the number\n      of current VTY users on line is 1.\n      The current login time is {now:vrp}.\n',
  loginMode: 'user',
  execMode: 'user',
  sshIdent: 'HUAWEI-1.5',
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
    aaa: { prompt: '[{hostname}-aaa]', commands: viewCommands, parent: 'system', config: true, privileged: true },
    'user-interface': {
      prompt: '[{hostname}-ui-{context}]',
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
  },
  paging: { more: '  ---- More ----', erase: '\x1b[42D' + ' '.repeat(42) + '\x1b[42D', pageLength: 24 },
  errors: {
    invalid: { lines: ["Error: Unrecognized command found at '^' position."], caret: true },
    incomplete: { lines: ["Error:Incomplete command found at '^' position."], caret: true },
    ambiguous: { lines: ["Error:Ambiguous command found at '^' position."], caret: true },
  },
  config: {
    model: 'block',
    initial: `sysname {hostname}
clock timezone UTC add 00:00:00
aaa
 authentication-scheme default
 local-user admin password irreversible-cipher $1c$npsimulated$000000000000$
 local-user admin privilege level 15
 local-user admin service-type ssh
interface GigabitEthernet0/0/0
 description uplink-core-sw1
 ip address 192.0.2.1 255.255.255.0
interface GigabitEthernet0/0/1
 description link-edge-r2
 ip address 198.51.100.1 255.255.255.0
interface GigabitEthernet0/0/2
 shutdown
interface LoopBack0
 ip address 203.0.113.51 255.255.255.255
ip route-static 0.0.0.0 0.0.0.0 192.0.2.254
stelnet server enable
user-interface vty 0 4
 authentication-mode aaa
 protocol inbound ssh`,
    header: ['!Software Version V200R010C10SPC700', '#'],
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
    ],
    candidate: false,
    indent: ' ',
  },
  prompts: {
    user: String.raw`^(?:hrp_[a|m|s])?<[a-zA-Z0-9.\-_@()/:]{1,48}>\s*$`,
    privileged: String.raw`^(?:hrp_[a|m|s])?<[a-zA-Z0-9.\-_@()/:]{1,48}>\s*$`,
    config: String.raw`^(?!\[V\d{3}R\d{3}C\d{2,3}.*\])(?=(?:hrp_[a|m|s])?\[\~{0,1}\*{0,1}[a-zA-Z0-9.\-_@/:]{1,64}\]$).*$`,
    samples: {
      match: ['<R1>', '[R1]', '[R1-GigabitEthernet0/0/1]', '[~R1]', '[*R1-aaa]', '<core-ar.lab>'],
      noMatch: [
        '[V200R010C10SPC700]',
        "Error: Unrecognized command found at '^' position.",
        'R1#',
        '  ---- More ----',
        'Are you sure to continue?[Y/N]',
      ],
    },
  },
} satisfies PlatformProfile);
