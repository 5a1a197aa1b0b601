/**
 * Classic IOS router (ISR-class, IOS 15.x): user `R1>` -> `enable` with a
 * secret -> `R1#`, `configure terminal`, `write memory`. All show outputs are
 * written for this project; serial numbers and addresses are documentation values.
 */
import type { CommandSpec, PlatformProfile } from '../types.ts';
import {
  ciscoCopyDialog,
  ciscoPaging,
  configFlags,
  configStatements,
  deepFreeze,
  iosErrors,
  outputs,
  repeatLines,
} from './shared.ts';

const interfaceNames = ['GigabitEthernet0/0', 'GigabitEthernet0/1', 'GigabitEthernet0/2', 'GigabitEthernet0/3'];

export const iosShowInterfaces = repeatLines(
  `{if} is up, line protocol is up
  Hardware is iGbE, address is 5254.00a{n}.10c{n} (bia 5254.00a{n}.10c{n})
  Internet address is 192.0.2.{n}/24
  MTU 1500 bytes, BW 1000000 Kbit/sec, DLY 10 usec,
     reliability 255/255, txload 1/255, rxload 1/255
  Encapsulation ARPA, loopback not set
  Keepalive set (10 sec)
  Full Duplex, 1Gbps, media type is RJ45
  output flow-control is unsupported, input flow-control is unsupported
  ARP type: ARPA, ARP Timeout 04:00:00
  Last input 00:00:0{n}, output 00:00:01, output hang never
  Last clearing of "show interface" counters never
  Input queue: 0/75/0/0 (size/max/drops/flushes); Total output drops: 0
  Queueing strategy: fifo
  Output queue: 0/40 (size/max)
  5 minute input rate 2000 bits/sec, 3 packets/sec
  5 minute output rate 1000 bits/sec, 1 packets/sec
     18342{n} packets input, 2230119{n} bytes, 0 no buffer
     Received 1200{n} broadcasts (0 IP multicasts)
     0 runts, 0 giants, 0 throttles
     0 input errors, 0 CRC, 0 frame, 0 overrun, 0 ignored
     0 watchdog, 0 multicast, 0 pause input
     9120{n} packets output, 1120044{n} bytes, 0 underruns
     0 output errors, 0 collisions, 1 interface resets
     0 unknown protocol drops
     0 babbles, 0 late collision, 0 deferred
     0 lost carrier, 0 no carrier, 0 pause output
     0 output buffer failures, 0 output buffers swapped out`,
  interfaceNames,
);

export const iosShowVersion = `Cisco IOS Software, IOSv Software (VIOS-ADVENTERPRISEK9-M), Version 15.9(3)M4, RELEASE SOFTWARE (fc3)
Technical Support: http://www.cisco.com/techsupport
Copyright (c) 1986-2021 by Cisco Systems, Inc.
Compiled Thu 21-Oct-21 10:11 by prod_rel_team


ROM: Bootstrap program is IOSv

{hostname} uptime is 3 weeks, 2 days, 4 hours, 17 minutes
System returned to ROM by reload
System image file is "flash0:/vios-adventerprisek9-m"
Last reload reason: Unknown reason



This product contains cryptographic features and is subject to United
States and local country laws governing import, export, transfer and
use. Delivery of Cisco cryptographic products does not imply
third-party authority to import, export, distribute or use encryption.
Importers, exporters, distributors and users are responsible for
compliance with U.S. and local country laws.

Cisco IOSv (revision 1.0) with  with 460137K/62464K bytes of memory.
Processor board ID 9NPSIM0001
4 Gigabit Ethernet interfaces
DRAM configuration is 72 bits wide with parity disabled.
256K bytes of non-volatile configuration memory.
2097152K bytes of ATA System CompactFlash 0 (Read/Write)
0K bytes of ATA CompactFlash 1 (Read/Write)
0K bytes of ATA CompactFlash 2 (Read/Write)
10080K bytes of ATA CompactFlash 3 (Read/Write)

Configuration register is 0x0`;

export const iosExecOutputs: Record<string, string> = {
  'show version': iosShowVersion,
  'show interfaces <any>': iosShowInterfaces,
  'show ip interface brief': `Interface                  IP-Address      OK? Method Status                Protocol
GigabitEthernet0/0         192.0.2.1       YES NVRAM  up                    up
GigabitEthernet0/1         198.51.100.1    YES NVRAM  up                    up
GigabitEthernet0/2         unassigned      YES NVRAM  administratively down down
GigabitEthernet0/3         unassigned      YES NVRAM  administratively down down
Loopback0                  203.0.113.1     YES NVRAM  up                    up`,
  'show arp': `Protocol  Address          Age (min)  Hardware Addr   Type   Interface
Internet  192.0.2.1               -   5254.00a1.10c1  ARPA   GigabitEthernet0/0
Internet  192.0.2.254            12   5254.00ff.0001  ARPA   GigabitEthernet0/0
Internet  198.51.100.1            -   5254.00a2.10c2  ARPA   GigabitEthernet0/1
Internet  198.51.100.7            3   5254.00ff.0007  ARPA   GigabitEthernet0/1`,
  'show ip arp': `Protocol  Address          Age (min)  Hardware Addr   Type   Interface
Internet  192.0.2.1               -   5254.00a1.10c1  ARPA   GigabitEthernet0/0
Internet  192.0.2.254            12   5254.00ff.0001  ARPA   GigabitEthernet0/0`,
  'show lldp neighbors': `Capability codes:
    (R) Router, (B) Bridge, (T) Telephone, (C) DOCSIS Cable Device
    (W) WLAN Access Point, (P) Repeater, (S) Station, (O) Other

Device ID           Local Intf     Hold-time  Capability      Port ID
core-sw1.lab        Gi0/0          120        B,R             Gi1/0/24
edge-r2.lab         Gi0/1          120        R               Gi0/1

Total entries displayed: 2`,
  'show clock': '{now:ios}',
  'show inventory': `NAME: "IOSv", DESCR: "IOSv chassis, Hw Serial#: 9NPSIM0001, Hw Revision: 1.0"
PID: IOSv              , VID: 1.0, SN: 9NPSIM0001`,
  'show users': `    Line       User       Host(s)              Idle       Location
*  0 vty 0     {username}      idle                 00:00:00 127.0.0.1

  Interface    User               Mode         Idle     Peer Address`,
  'show ip route': `Codes: L - local, C - connected, S - static, R - RIP, M - mobile, B - BGP
       O - OSPF, IA - OSPF inter area, * - candidate default

Gateway of last resort is 192.0.2.254 to network 0.0.0.0

S*    0.0.0.0/0 [1/0] via 192.0.2.254
      192.0.2.0/24 is variably subnetted, 2 subnets, 2 masks
C        192.0.2.0/24 is directly connected, GigabitEthernet0/0
L        192.0.2.1/32 is directly connected, GigabitEthernet0/0`,
  'show privilege': 'Current privilege level is 15',
};

const terminalCommands: CommandSpec[] = [
  { syntax: 'terminal length <word>', action: { kind: 'pagingLength' } },
  { syntax: 'terminal width <word>', action: { kind: 'accept' } },
  { syntax: 'terminal no monitor', action: { kind: 'accept' } },
  { syntax: 'terminal monitor', action: { kind: 'accept' } },
  { syntax: 'exit', action: { kind: 'logout' } },
  { syntax: 'logout', action: { kind: 'logout' } },
  { syntax: 'quit', action: { kind: 'logout' } },
];

export const iosUserCommands: CommandSpec[] = [
  { syntax: 'enable', action: { kind: 'enable' } },
  ...terminalCommands,
  ...outputs({
    'show version': iosShowVersion,
    'show clock': '{now:ios}',
    'show ip interface brief': iosExecOutputs['show ip interface brief'],
    'show privilege': 'Current privilege level is 1',
  }),
];

/** Flash files and the configuration archive (configure replace, revert timer), as NAPALM's ios driver uses them. */
export const iosArchiveCommands: CommandSpec[] = [
  { syntax: 'dir <any>', action: { kind: 'archive', op: 'dir' } },
  { syntax: 'more <word>', action: { kind: 'archive', op: 'more' } },
  { syntax: 'copy <word> <word>', action: { kind: 'archive', op: 'copy' } },
  { syntax: 'copy running-config <word>', action: { kind: 'archive', op: 'copy' } },
  { syntax: 'tclsh', action: { kind: 'enterMode', mode: 'tcl' } },
  { syntax: 'show archive config differences <word> <word>', action: { kind: 'archive', op: 'differences' } },
  { syntax: 'show archive config incremental-diffs <word> <any>', action: { kind: 'archive', op: 'incrementalDiffs' } },
  { syntax: 'show archive config rollback timer', action: { kind: 'archive', op: 'rollbackTimer' } },
  { syntax: 'configure replace <word> <any>', action: { kind: 'archive', op: 'replace' } },
  { syntax: 'configure confirm', action: { kind: 'archive', op: 'confirm' } },
  { syntax: 'configure revert now', action: { kind: 'archive', op: 'revertNow' } },
  { syntax: 'configure terminal revert timer <word>', action: { kind: 'archive', op: 'revertTimer' } },
];

const iosTclCommands: CommandSpec[] = [
  { syntax: 'set <rest>', action: { kind: 'archive', op: 'tcl' } },
  { syntax: 'puts <rest>', action: { kind: 'archive', op: 'tcl' } },
  { syntax: 'close <rest>', action: { kind: 'archive', op: 'tcl' } },
  { syntax: 'tclquit', action: { kind: 'exitMode' } },
];

export const iosPrivilegedCommands: CommandSpec[] = [
  { syntax: 'enable', action: { kind: 'enable' } },
  { syntax: 'disable', action: { kind: 'resetMode', mode: 'user' } },
  {
    syntax: 'configure terminal',
    action: {
      kind: 'enterMode',
      mode: 'config',
      text: 'Enter configuration commands, one per line.  End with CNTL/Z.',
    },
  },
  { syntax: 'show running-config <any>', action: { kind: 'showRunning' } },
  { syntax: 'show startup-config', action: { kind: 'showStartup' } },
  { syntax: 'write memory', action: { kind: 'save', text: 'Building configuration...\n[OK]' } },
  { syntax: 'write', action: { kind: 'save', text: 'Building configuration...\n[OK]' } },
  { syntax: 'copy running-config startup-config', action: { kind: 'save', dialog: ciscoCopyDialog, text: '' } },
  ...iosArchiveCommands,
  ...terminalCommands,
  ...outputs(iosExecOutputs),
];

const iosInterfaceCommands: CommandSpec[] = [
  ...configStatements([
    'description',
    'ip',
    'ipv6',
    'mtu',
    'speed',
    'duplex',
    'bandwidth',
    'switchport',
    'standby',
    'vrf',
    'encapsulation',
    'channel-group',
    'load-interval',
    'cdp',
    'lldp',
  ]),
  ...configFlags(['shutdown', 'negotiation auto']),
  { syntax: 'no <rest>', action: { kind: 'negate' } },
  { syntax: 'exit', action: { kind: 'exitMode' } },
  { syntax: 'end', action: { kind: 'endConfig' } },
  { syntax: 'do <rest>', action: { kind: 'do' } },
];

const iosSubmodeCommands: CommandSpec[] = [
  ...configStatements([
    'path',
    'maximum',
    'time-period',
    'network',
    'neighbor',
    'router-id',
    'redistribute',
    'passive-interface',
    'address-family',
    'transport',
    'login',
    'exec-timeout',
    'password',
    'logging',
    'name',
    'maximum-paths',
    'timers',
    'bgp',
    'area',
    'default-information',
    'session-timeout',
    'access-class',
    'privilege',
    'stopbits',
  ]),
  ...configFlags(['login', 'shutdown', 'write-memory']),
  { syntax: 'no <rest>', action: { kind: 'negate' } },
  { syntax: 'exit', action: { kind: 'exitMode' } },
  { syntax: 'end', action: { kind: 'endConfig' } },
  { syntax: 'do <rest>', action: { kind: 'do' } },
];

export const iosConfigCommands: CommandSpec[] = [
  { syntax: 'hostname <word>', action: { kind: 'hostname' } },
  { syntax: 'interface <rest>', action: { kind: 'configSection', mode: 'config-if' } },
  { syntax: 'router <rest>', action: { kind: 'configSection', mode: 'config-router' } },
  { syntax: 'line <rest>', action: { kind: 'configSection', mode: 'config-line' } },
  { syntax: 'vlan <rest>', action: { kind: 'configSection', mode: 'config-vlan' } },
  { syntax: 'archive', action: { kind: 'configSection', mode: 'config-archive' } },
  ...configStatements([
    'ip',
    'ipv6',
    'logging',
    'ntp',
    'snmp-server',
    'username',
    'banner',
    'service',
    'aaa',
    'access-list',
    'spanning-tree',
    'clock',
    'enable',
    'cdp',
    'lldp',
    'crypto',
    'vtp',
    'boot',
    'errdisable',
    'tacacs-server',
    'radius-server',
    'alias',
    'mpls',
    'license',
    'file',
    'default',
  ]),
  { syntax: 'no <rest>', action: { kind: 'negate' } },
  { syntax: 'exit', action: { kind: 'exitMode' } },
  { syntax: 'end', action: { kind: 'endConfig' } },
  { syntax: 'do <rest>', action: { kind: 'do' } },
];

export const iosInitialConfig = `version 15.9
service timestamps debug datetime msec
service timestamps log datetime msec
no service password-encryption
hostname {hostname}
boot-start-marker
boot-end-marker
enable secret 9 $9$npsimulated$0000000000000000000000000000000000000000000
no aaa new-model
ip domain name lab.netpulse.test
ip cef
no ipv6 cef
username admin privilege 15 secret 9 $9$npsimulated$1111111111111111111111111111111111111111111
interface Loopback0
 ip address 203.0.113.1 255.255.255.255
interface GigabitEthernet0/0
 description uplink-core-sw1
 ip address 192.0.2.1 255.255.255.0
 duplex auto
 speed auto
interface GigabitEthernet0/1
 description link-edge-r2
 ip address 198.51.100.1 255.255.255.0
 duplex auto
 speed auto
interface GigabitEthernet0/2
 no ip address
 shutdown
interface GigabitEthernet0/3
 no ip address
 shutdown
ip route 0.0.0.0 0.0.0.0 192.0.2.254
ip ssh version 2
line con 0
line vty 0 4
 login local
 transport input ssh`;

export const iosSingleValued = [
  'hostname',
  'description',
  'ip address',
  'mtu',
  'speed',
  'duplex',
  'bandwidth',
  'ip domain name',
  'switchport mode',
  'switchport access vlan',
  'logging buffered',
  'clock timezone',
  'enable secret',
  'name',
  'router-id',
  'exec-timeout',
];

export const ciscoIosPrompts = {
  user: String.raw`^[\w.\-@/:]{1,63}>\s?$`,
  privileged: String.raw`^[\w.\-@/:]{1,63}#\s?$`,
  config: String.raw`^[\w.\-@/:]{1,63}\([\w.\-@/:+]{0,32}\)#\s?$`,
};

export const ciscoIos: PlatformProfile = deepFreeze({
  platform: 'cisco_ios',
  description: 'Cisco IOS 15.9 router: user/privileged exec with enable secret, configure terminal, write memory',
  defaultHostname: 'R1',
  banner:
    '\n**************************************************\n*  NetPulse lab device - authorised access only   *\n**************************************************\n',
  loginMode: 'user',
  execMode: 'privileged',
  sshIdent: 'Cisco-1.25',
  newline: '\r\n',
  modes: {
    user: { prompt: '{hostname}>', commands: iosUserCommands },
    privileged: { prompt: '{hostname}#', commands: iosPrivilegedCommands, privileged: true },
    config: {
      prompt: '{hostname}(config)#',
      commands: iosConfigCommands,
      parent: 'privileged',
      config: true,
      privileged: true,
    },
    'config-if': {
      prompt: '{hostname}(config-if)#',
      commands: iosInterfaceCommands,
      parent: 'config',
      config: true,
      privileged: true,
    },
    'config-router': {
      prompt: '{hostname}(config-router)#',
      commands: iosSubmodeCommands,
      parent: 'config',
      config: true,
      privileged: true,
    },
    'config-line': {
      prompt: '{hostname}(config-line)#',
      commands: iosSubmodeCommands,
      parent: 'config',
      config: true,
      privileged: true,
    },
    'config-vlan': {
      prompt: '{hostname}(config-vlan)#',
      commands: iosSubmodeCommands,
      parent: 'config',
      config: true,
      privileged: true,
    },
    'config-archive': {
      prompt: '{hostname}(config-archive)#',
      commands: iosSubmodeCommands,
      parent: 'config',
      config: true,
      privileged: true,
    },
    tcl: { prompt: '{hostname}(tcl)#', commands: iosTclCommands, parent: 'privileged', privileged: true },
  },
  enable: { passwordPrompt: 'Password: ', attempts: 3, failure: '% Bad secrets', mode: 'privileged' },
  paging: ciscoPaging,
  errors: iosErrors,
  config: {
    model: 'block',
    initial: iosInitialConfig,
    header: ['Building configuration...', '', 'Current configuration : 1642 bytes', '!'],
    footer: ['end'],
    separator: '!',
    negation: 'no',
    singleValued: iosSingleValued,
    candidate: false,
    indent: ' ',
  },
  prompts: {
    ...ciscoIosPrompts,
    samples: {
      match: ['R1>', 'R1#', 'R1(config)#', 'R1(config-if)#', 'core-rtr.lab#', 'R1(config-router)# '],
      noMatch: [
        'R1',
        "% Invalid input detected at '^' marker.",
        'Building configuration...',
        ' --More-- ',
        'R1 uptime is 3 weeks',
        '<R1>',
      ],
    },
  },
} satisfies PlatformProfile);
