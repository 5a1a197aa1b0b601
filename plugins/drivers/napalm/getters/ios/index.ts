import type { CliGetter, GetterName } from '../index.ts';

/** NAPALM's IOS getters over the SSH CLI (text output). */
export const IOS_GETTERS: Partial<Record<GetterName, CliGetter>> = {};
