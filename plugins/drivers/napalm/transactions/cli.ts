/** Small helpers shared by the CLI-driven transaction modules. */
import type { NapalmCli, NapalmDevice } from '../device.ts';
import { notSupported, transactionError } from './types.ts';

/** Longest wait for one transaction step (NAPALM reads replace/copy output for up to 90 s). */
export const STEP_TIMEOUT_MS = 90_000;
/** Candidate size limit: a configuration larger than this is not a plausible device config. */
export const MAX_CANDIDATE_BYTES = 1 << 20;
export const MAX_CANDIDATE_LINES = 20_000;

export function requireCli(device: NapalmDevice, platform: string): NapalmCli {
  if (device.transport !== 'ssh') {
    throw notSupported(`${platform} configuration transactions need the SSH CLI transport`);
  }
  return device;
}

/** The first output line matching one of `patterns`, trimmed, or null. */
export function failureLine(output: string, patterns: readonly RegExp[]): string | null {
  for (const line of output.split('\n')) if (patterns.some((p) => p.test(line))) return line.trim();
  return null;
}

/** Candidate text as lines without trailing blanks; `\r` dropped (files written on Windows). */
export function candidateLines(config: string): string[] {
  return config
    .replace(/\r/g, '')
    .split('\n')
    .map((l) => l.replace(/\s+$/, ''));
}

/** Reads an integer seconds value that must be a whole number of minutes within a range. */
export function wholeMinutes(seconds: number, min: number, max: number, platform: string): number {
  if (!Number.isInteger(seconds) || seconds % 60 !== 0 || seconds < min || seconds > max) {
    throw transactionError(
      'CommitError',
      `${platform} reverts in whole minutes: revert_in must be a multiple of 60 between ${min} and ${max} s`,
    );
  }
  return seconds / 60;
}

/** Device output shortened for an error message. */
export function brief(output: string): string {
  return output.trim().slice(0, 200);
}
