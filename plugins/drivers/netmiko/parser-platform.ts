import { findPlatform } from './platforms/index.ts';

/** ntc-templates platform name for a device_type (aliases resolved), or undefined when unknown. */
export function parserPlatformFor(deviceType: string): string | undefined {
  return findPlatform(deviceType)?.parserPlatform;
}
