/** Registry of platform profiles, keyed by netmiko device_type. */
import type { PlatformProfile } from '../types.ts';
import { ciscoIos } from './cisco_ios.ts';

export const PROFILE_TABLE: Readonly<Record<string, PlatformProfile>> = Object.freeze({
  cisco_ios: ciscoIos,
});
