import aristaEos from './arista_eos.ts';
import ciscoIos from './cisco_ios.ts';
import ciscoNxos from './cisco_nxos.ts';
import ciscoXe from './cisco_xe.ts';
import ciscoXr from './cisco_xr.ts';
import dellOs10 from './dell_os10.ts';
import fortinet from './fortinet.ts';
import hpComware from './hp_comware.ts';
import huawei from './huawei.ts';
import huaweiVrpv8 from './huawei_vrpv8.ts';
import juniperJunos from './juniper_junos.ts';
import linux from './linux.ts';
import mikrotikRouteros from './mikrotik_routeros.ts';
import nokiaSros from './nokia_sros.ts';
import type { CliMode, PlatformDefinition } from './types.ts';

export type { CliMode, PlatformDefinition, PromptAnswer } from './types.ts';

/** Every built-in platform, canonical names first. */
export const PLATFORMS: readonly PlatformDefinition[] = Object.freeze([
  ciscoIos,
  ciscoXe,
  ciscoNxos,
  ciscoXr,
  aristaEos,
  juniperJunos,
  huawei,
  huaweiVrpv8,
  hpComware,
  linux,
  dellOs10,
  mikrotikRouteros,
  nokiaSros,
  fortinet,
]);

const BY_NAME: ReadonlyMap<string, PlatformDefinition> = (() => {
  const map = new Map<string, PlatformDefinition>();
  for (const p of PLATFORMS) {
    for (const n of [p.name, ...p.aliases]) {
      if (map.has(n)) throw new Error(`platform name ${n} is defined twice`);
      map.set(n, p);
    }
  }
  return map;
})();

/** All accepted `device_type` values (canonical names and aliases), sorted. */
export const DEVICE_TYPES: readonly string[] = Object.freeze([...BY_NAME.keys()].sort());

/** The definition for a `device_type` (or alias), or undefined. */
export function findPlatform(deviceType: string): PlatformDefinition | undefined {
  return BY_NAME.get(deviceType);
}

/**
 * The CLI mode whose prompt pattern matches the end of `tail`, or null when the tail is not a
 * prompt of this platform. Config is tested first: it is the most specific pattern.
 */
export function detectMode(platform: PlatformDefinition, tail: string): CliMode | null {
  const lastBreak = tail.lastIndexOf('\n');
  const lastLine = tail.slice(lastBreak + 1);
  const lastTwo = lastBreak > 0 ? tail.slice(tail.lastIndexOf('\n', lastBreak - 1) + 1) : tail;
  for (const mode of ['config', 'privileged', 'exec'] as const) {
    const re = platform.prompts[mode];
    if (!re) continue;
    if (re.test(platform.promptLines === 2 ? lastTwo : lastLine)) return mode;
  }
  return null;
}
