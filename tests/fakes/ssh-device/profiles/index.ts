/** Registry of platform profiles, keyed by netmiko device_type. */
import type { PlatformProfile } from '../types.ts';
import { aristaEos } from './arista_eos.ts';
import { ciscoIos } from './cisco_ios.ts';
import { ciscoNxos } from './cisco_nxos.ts';
import { ciscoXe } from './cisco_xe.ts';
import { ciscoXr } from './cisco_xr.ts';
import { hpComware } from './hp_comware.ts';
import { huawei } from './huawei.ts';
import { juniperJunos } from './juniper_junos.ts';

export const PROFILE_TABLE: Readonly<Record<string, PlatformProfile>> = Object.freeze({
  cisco_ios: ciscoIos,
  cisco_xe: ciscoXe,
  cisco_nxos: ciscoNxos,
  cisco_xr: ciscoXr,
  arista_eos: aristaEos,
  juniper_junos: juniperJunos,
  huawei,
  hp_comware: hpComware,
});
