/**
 * IOS-XE router (Catalyst 8000V-class, 17.x). Same CLI grammar as IOS; the
 * show outputs identify XE (`Cisco IOS XE Software`), which is what
 * autodetection keys on, and interfaces are numbered GigabitEthernet1..4.
 */
import type { CommandSpec, PlatformProfile } from '../types.ts';
import { ciscoIos, iosConfigCommands, iosInitialConfig, iosPrivilegedCommands, iosUserCommands } from './cisco_ios.ts';
import { deepFreeze, outputs, repeatLines } from './shared.ts';

const xeShowVersion = `Cisco IOS XE Software, Version 17.09.04a
Cisco IOS Software [Cupertino], Virtual XE Software (X86_64_LINUX_IOSD-UNIVERSALK9-M), Version 17.9.4a, RELEASE SOFTWARE (fc3)
Technical Support: http://www.cisco.com/techsupport
Copyright (c) 1986-2023 by Cisco Systems, Inc.
Compiled Fri 20-Oct-23 10:44 by mcpre


Cisco IOS-XE software, Copyright (c) 2005-2023 by cisco Systems, Inc.
All rights reserved.  Certain components of Cisco IOS-XE software are
licensed under the GNU General Public License ("GPL") Version 2.0.


ROM: IOS-XE ROMMON

{hostname} uptime is 6 days, 1 hour, 42 minutes
Uptime for this control processor is 6 days, 1 hour, 44 minutes
System returned to ROM by reload
System image file is "bootflash:packages.conf"
Last reload reason: reload



This product contains cryptographic features and is subject to United
States and local country laws governing import, export, transfer and
use.

License Level: network-advantage
License Type: Perpetual
Next reload license Level: network-advantage

cisco C8000V (VXE) processor (revision VXE) with 1987654K/3075K bytes of memory.
Processor board ID 9NPSIMXE001
Router operating mode: Autonomous
4 Gigabit Ethernet interfaces
32768K bytes of non-volatile configuration memory.
3965124K bytes of physical memory.
11526144K bytes of virtual hard disk at bootflash:.

Configuration register is 0x2102`;

const xeInterfaces = repeatLines(
  `GigabitEthernet{n} is up, line protocol is up
  Hardware is vNIC, address is 5254.00b{n}.20d{n} (bia 5254.00b{n}.20d{n})
  Internet address is 192.0.2.{n}/24
  MTU 1500 bytes, BW 1000000 Kbit/sec, DLY 10 usec,
     reliability 255/255, txload 1/255, rxload 1/255
  Encapsulation ARPA, loopback not set
  Keepalive set (10 sec)
  Full Duplex, 1000Mbps, link type is auto, media type is Virtual
  output flow-control is unsupported, input flow-control is unsupported
  ARP type: ARPA, ARP Timeout 04:00:00
  Last input 00:00:00, output 00:00:0{n}, output hang never
  Last clearing of "show interface" counters never
  Input queue: 0/375/0/0 (size/max/drops/flushes); Total output drops: 0
  Queueing strategy: fifo
  Output queue: 0/40 (size/max)
  5 minute input rate 1000 bits/sec, 1 packets/sec
  5 minute output rate 1000 bits/sec, 1 packets/sec
     5520{n} packets input, 620330{n} bytes, 0 no buffer
     Received 0 broadcasts (0 IP multicasts)
     0 runts, 0 giants, 0 throttles
     0 input errors, 0 CRC, 0 frame, 0 overrun, 0 ignored
     0 watchdog, 0 multicast, 0 pause input
     4410{n} packets output, 510990{n} bytes, 0 underruns
     0 output errors, 0 collisions, 0 interface resets
     0 unknown protocol drops
     0 output buffer failures, 0 output buffers swapped out`,
  ['1', '2', '3', '4'],
);

const xeOverrides: Record<string, string> = {
  'show version': xeShowVersion,
  'show interfaces <any>': xeInterfaces,
  'show ip interface brief': `Interface              IP-Address      OK? Method Status                Protocol
GigabitEthernet1       192.0.2.1       YES NVRAM  up                    up
GigabitEthernet2       198.51.100.1    YES NVRAM  up                    up
GigabitEthernet3       unassigned      YES NVRAM  administratively down down
GigabitEthernet4       unassigned      YES NVRAM  administratively down down`,
  'show inventory': `NAME: "Chassis", DESCR: "Cisco C8000V Chassis"
PID: C8000V            , VID: V00  , SN: 9NPSIMXE001`,
};

const withOverrides = (commands: CommandSpec[]): CommandSpec[] => {
  const replaced = outputs(xeOverrides);
  return [...replaced, ...commands.filter((c) => !(c.syntax in xeOverrides))];
};

export const ciscoXe: PlatformProfile = deepFreeze({
  ...ciscoIos,
  platform: 'cisco_xe',
  description: 'Cisco IOS-XE 17.9 (C8000V): IOS grammar, XE version strings, GigabitEthernetN interfaces',
  modes: {
    ...ciscoIos.modes,
    user: { ...ciscoIos.modes.user, commands: withOverrides(iosUserCommands) },
    privileged: { ...ciscoIos.modes.privileged, commands: withOverrides(iosPrivilegedCommands) },
    config: { ...ciscoIos.modes.config, commands: iosConfigCommands },
  },
  config: {
    ...ciscoIos.config,
    initial: iosInitialConfig
      .replace('version 15.9', 'version 17.9')
      .replaceAll('GigabitEthernet0/0', 'GigabitEthernet1')
      .replaceAll('GigabitEthernet0/1', 'GigabitEthernet2')
      .replaceAll('GigabitEthernet0/2', 'GigabitEthernet3')
      .replaceAll('GigabitEthernet0/3', 'GigabitEthernet4'),
  },
  sshIdent: 'Cisco-1.25',
} satisfies PlatformProfile);
