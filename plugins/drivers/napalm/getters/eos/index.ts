import type { EapiGetter, GetterName } from '../index.ts';

/** NAPALM's EOS getters over eAPI (JSON and text output). */
export const EOS_GETTERS: Partial<Record<GetterName, EapiGetter>> = {};
