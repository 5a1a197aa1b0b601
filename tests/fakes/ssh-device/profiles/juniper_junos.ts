/**
 * Junos 21.4 (vMX-class): operational `admin@R1> `, `configure` into a
 * candidate edited with set/delete/edit, `[edit ...]` banner above every
 * configuration prompt, `commit` / `commit check` / `commit confirmed` /
 * `commit and-quit`, `rollback 0`, `show | compare`, `| display set`.
 */
import type { CommandSpec, PlatformProfile } from '../types.ts';
import { deepFreeze, outputs, repeatLines } from './shared.ts';

const junosShowVersion = `Hostname: {hostname}
Model: vmx
Junos: 21.4R3-S3.4
JUNOS OS Kernel 64-bit  [20230310.6f0d3b4_builder_stable_12_214]
JUNOS OS libs [20230310.6f0d3b4_builder_stable_12_214]
JUNOS OS runtime [20230310.6f0d3b4_builder_stable_12_214]
JUNOS OS time zone information [20230310.6f0d3b4_builder_stable_12_214]
JUNOS network stack and utilities [20230412.071912_builder_junos_214_r3_s3]
JUNOS libs [20230412.071912_builder_junos_214_r3_s3]
JUNOS OS libs compat32 [20230310.6f0d3b4_builder_stable_12_214]
JUNOS OS 32-bit compatibility [20230310.6f0d3b4_builder_stable_12_214]
JUNOS libs compat32 [20230412.071912_builder_junos_214_r3_s3]
JUNOS runtime [20230412.071912_builder_junos_214_r3_s3]
JUNOS Packet Forwarding Engine Simulation Package [20230412.071912_builder_junos_214_r3_s3]
JUNOS sflow mx [20230412.071912_builder_junos_214_r3_s3]
JUNOS py extensions [20230412.071912_builder_junos_214_r3_s3]
JUNOS py base [20230412.071912_builder_junos_214_r3_s3]
JUNOS OS vmguest [20230310.6f0d3b4_builder_stable_12_214]
JUNOS OS crypto [20230310.6f0d3b4_builder_stable_12_214]
JUNOS na telemetry [21.4R3-S3.4]
JUNOS Security Intelligence [20230412.071912_builder_junos_214_r3_s3]
JUNOS mx libs compat32 [20230412.071912_builder_junos_214_r3_s3]
JUNOS mx runtime [20230412.071912_builder_junos_214_r3_s3]
JUNOS RPD Telemetry Application [21.4R3-S3.4]
JUNOS Routing mpls-oam-basic [20230412.071912_builder_junos_214_r3_s3]
JUNOS Routing Instances Core [20230412.071912_builder_junos_214_r3_s3]
JUNOS Kernel Software Suite [20230412.071912_builder_junos_214_r3_s3]
JUNOS Online Documentation [20230412.071912_builder_junos_214_r3_s3]`;

const junosInterfaces = repeatLines(
  `Physical interface: ge-0/0/{n}, Enabled, Physical link is Up
  Interface index: 14{n}, SNMP ifIndex: 52{n}
  Link-level type: Ethernet, MTU: 1514, LAN-PHY mode, Speed: 1000mbps, BPDU Error: None,
  Loop Detect PDU Error: None, Loopback: Disabled, Source filtering: Disabled,
  Flow control: Enabled
  Pad to minimum frame size: Disabled
  Device flags   : Present Running
  Interface flags: SNMP-Traps Internal: 0x4000
  Link flags     : None
  CoS queues     : 8 supported, 8 maximum usable queues
  Current address: 52:54:00:f{n}:50:0{n}, Hardware address: 52:54:00:f{n}:50:0{n}
  Last flapped   : 2024-01-08 09:14:22 UTC (3w2d 04:11 ago)
  Input rate     : 472 bps (0 pps)
  Output rate    : 296 bps (0 pps)
  Active alarms  : None
  Active defects : None
  Interface transmit statistics: Disabled

  Logical interface ge-0/0/{n}.0 (Index 33{n}) (SNMP ifIndex 53{n})
    Flags: Up SNMP-Traps 0x4004000 Encapsulation: ENET2
    Input packets : 44120{n}
    Output packets: 39901{n}
    Protocol inet, MTU: 1500
      Flags: Sendbcast-pkt-to-re
      Addresses, Flags: Is-Preferred Is-Primary
        Destination: 192.0.2/24, Local: 192.0.2.{n}, Broadcast: 192.0.2.255`,
  ['0', '1', '2', '3'],
);

const operationalCommands: CommandSpec[] = [
  { syntax: 'configure <any>', action: { kind: 'enterMode', mode: 'config', text: 'Entering configuration mode' } },
  { syntax: 'set cli screen-length <word>', action: { kind: 'pagingLength', text: 'Screen length set to {arg1}' } },
  { syntax: 'set cli screen-width <word>', action: { kind: 'accept', text: 'Screen width set to {arg1}' } },
  { syntax: 'set cli complete-on-space off', action: { kind: 'accept', text: 'Disabling complete-on-space' } },
  { syntax: 'set cli complete-on-space on', action: { kind: 'accept', text: 'Enabling complete-on-space' } },
  { syntax: 'show configuration <any>', action: { kind: 'showRunning' } },
  { syntax: 'show system commit', action: { kind: 'commitHistory', style: 'junos' } },
  { syntax: 'exit', action: { kind: 'logout' } },
  { syntax: 'quit', action: { kind: 'logout' } },
  ...outputs({
    'show version': junosShowVersion,
    'show interfaces terse': `Interface               Admin Link Proto    Local                 Remote
ge-0/0/0                up    up
ge-0/0/0.0              up    up   inet     192.0.2.1/24
ge-0/0/1                up    up
ge-0/0/1.0              up    up   inet     198.51.100.1/24
ge-0/0/2                up    down
lo0                     up    up
lo0.0                   up    up   inet     203.0.113.41        --> 0/0
fxp0                    up    up`,
    'show interfaces <any>': junosInterfaces,
    'show arp <any>': `MAC Address       Address         Name                      Interface               Flags
52:54:00:ff:04:01 192.0.2.254     192.0.2.254               ge-0/0/0.0              none
52:54:00:ff:04:07 198.51.100.7    198.51.100.7              ge-0/0/1.0              none
Total entries: 2`,
    'show lldp neighbors': `Local Interface    Parent Interface    Chassis Id          Port info          System Name
ge-0/0/0           -                   52:54:00:aa:00:01   Ethernet1/48       core-sw1.lab
ge-0/0/1           -                   52:54:00:aa:00:02   ge-0/0/1           edge-r2.lab`,
    'show system uptime': `Current time: {now:junos}
Time Source:  LOCAL CLOCK
System booted: 2024-01-08 09:12:01 UTC (3w2d 04:13 ago)
Protocols started: 2024-01-08 09:13:40 UTC (3w2d 04:12 ago)
Last configured: 2024-01-20 12:00:00 UTC (1w0d 01:25 ago) by admin
 1:25PM  up 23 days,  4:13, 1 user, load averages: 0.21, 0.18, 0.12`,
    'show route': `inet.0: 5 destinations, 5 routes (5 active, 0 holddown, 0 hidden)
+ = Active Route, - = Last Active, * = Both

0.0.0.0/0          *[Static/5] 3w2d 04:12:10
                    >  to 192.0.2.254 via ge-0/0/0.0
192.0.2.0/24       *[Direct/0] 3w2d 04:12:12
                    >  via ge-0/0/0.0`,
  }),
];

const configCommands: CommandSpec[] = [
  { syntax: 'set <rest>', action: { kind: 'setPath' } },
  { syntax: 'delete <rest>', action: { kind: 'deletePath' } },
  {
    syntax: 'delete',
    action: {
      kind: 'deleteAll',
      dialog: {
        prompt: 'Delete everything under this level? [yes,no] (no) ',
        answers: [{ match: '^y(es)?$', text: '', effect: 'proceed' }],
        otherwise: { text: '', effect: 'abort' },
      },
    },
  },
  { syntax: 'edit <rest>', action: { kind: 'editPath' } },
  { syntax: 'top', action: { kind: 'editTop' } },
  { syntax: 'up', action: { kind: 'editUp' } },
  { syntax: 'show <any>', action: { kind: 'showCandidate' } },
  {
    syntax: 'commit and-quit',
    action: { kind: 'commit', text: 'commit complete\nExiting configuration mode', andQuit: true },
  },
  { syntax: 'commit check', action: { kind: 'accept', text: 'configuration check succeeds' } },
  {
    syntax: 'commit <any>',
    action: {
      kind: 'commit',
      text: 'commit complete',
      options: {
        unit: 'minutes',
        defaultConfirm: 10,
        confirmedText:
          'configuration check succeeds\ncommit confirmed will be automatically rolled back in {n} minutes unless confirmed\ncommit complete',
      },
    },
  },
  { syntax: 'rollback', action: { kind: 'discard', text: 'load complete' } },
  { syntax: 'rollback <word>', action: { kind: 'rollbackLoad', text: 'load complete' } },
  { syntax: 'exit configuration-mode', action: { kind: 'endConfig' } },
  { syntax: 'exit', action: { kind: 'exitMode' } },
  { syntax: 'quit', action: { kind: 'exitMode' } },
  { syntax: 'run <rest>', action: { kind: 'do' } },
];

export const juniperJunos: PlatformProfile = deepFreeze({
  platform: 'juniper_junos',
  description: 'Juniper Junos 21.4 (vMX): operational/configuration modes, candidate + commit, set/delete/edit',
  defaultHostname: 'R1',
  banner:
    '--- JUNOS 21.4R3-S3.4 Kernel 64-bit  JNPR-12.1-20230310.6f0d3b4_buil\nNetPulse lab device - authorised access only\n',
  loginMode: 'operational',
  execMode: 'operational',
  sshIdent: 'OpenSSH_7.5',
  newline: '\r\n',
  modes: {
    operational: { prompt: '{username}@{hostname}> ', commands: operationalCommands, privileged: true },
    config: {
      prompt: '\n[edit{context}]\n{username}@{hostname}# ',
      commands: configCommands,
      parent: 'operational',
      config: true,
      privileged: true,
    },
  },
  paging: { more: '---(more)---', erase: '\r' + ' '.repeat(20) + '\r', pageLength: 24 },
  errors: {
    invalid: { lines: ['syntax error.'], caret: true },
    unknownCommand: { lines: ['unknown command.'], caret: true },
    incomplete: { lines: ['syntax error, expecting <command>.'], caret: true },
    ambiguous: { lines: ["'{word}' is ambiguous."], caret: true },
  },
  config: {
    model: 'set',
    initial: `set system host-name {hostname}
set system domain-name lab.netpulse.test
set system root-authentication encrypted-password "$6$npsimulated$000000000000"
set system login user admin class super-user
set system services ssh
set system syslog file messages any notice
set interfaces ge-0/0/0 description uplink-core-sw1
set interfaces ge-0/0/0 unit 0 family inet address 192.0.2.1/24
set interfaces ge-0/0/1 description link-edge-r2
set interfaces ge-0/0/1 unit 0 family inet address 198.51.100.1/24
set interfaces lo0 unit 0 family inet address 203.0.113.41/32
set routing-options static route 0.0.0.0/0 next-hop 192.0.2.254
set protocols lldp interface all`,
    header: ['## Last commit: {now:junos} by {username}', 'version 21.4R3-S3.4;'],
    footer: [],
    separator: '',
    negation: 'delete',
    singleValued: ['host-name', 'description', 'domain-name', 'mtu', 'encrypted-password'],
    candidate: true,
    pairedKeywords: ['unit', 'route', 'user', 'file', 'server'],
    flagLeaves: ['disable', 'ssh', 'netconf'],
    uncommittedDialog: {
      prompt: 'The configuration has been changed but not committed\nExit with uncommitted changes? [yes,no] (yes) ',
      answers: [
        { match: '^(y(es)?)?$', text: '\nExiting configuration mode', effect: 'keep' },
        { match: '^no?$', text: '', effect: 'abort' },
      ],
      otherwise: { text: '', effect: 'abort' },
    },
  },
  prompts: {
    privileged: String.raw`^({\w+(:(\w+){0,1}\d){0,1}}\n){0,1}[\w\-@()/:\.]{1,63}>\s?$`,
    config: String.raw`^({\w+(:(\w+){0,1}\d){0,1}}\[edit\]\n){0,1}[\w\-@()/:\.]{1,63}#\s?$`,
    samples: {
      match: ['admin@R1> ', 'admin@R1# ', 'netops@mx-01.lab> ', 'admin@R1>'],
      noMatch: ['[edit]', 'commit complete', '---(more)---', 'syntax error.', '<R1>'],
    },
  },
} satisfies PlatformProfile);
