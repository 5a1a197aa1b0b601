import { NetPulseError } from '../errors.ts';

/** Device output caps from configuration (`drivers.output.*`), for driver plugins. */
export interface DriverOutputCaps {
  /** Largest output of one command, in characters. */
  command: number;
  /** Largest output of one job (all its commands), in characters. */
  job: number;
}

const DEFAULTS: DriverOutputCaps = { command: 16 * 1024 * 1024, job: 64 * 1024 * 1024 };

export function outputCaps(config: Readonly<Record<string, unknown>> | undefined): DriverOutputCaps {
  const drivers = config?.drivers as { output?: Record<string, unknown> } | undefined;
  const o = drivers?.output ?? {};
  const pick = (v: unknown, d: number): number => (typeof v === 'number' && v > 0 ? v : d);
  return { command: pick(o.max_command_bytes, DEFAULTS.command), job: pick(o.max_job_bytes, DEFAULTS.job) };
}

/**
 * An output-cap failure that keeps what fit: `partial` is the job's output so far, shaped like its
 * result (per command), and ends up in the failed job's `result.error.partial_output`. Any other
 * error passes through unchanged.
 */
export function withPartialOutput(e: unknown, partial: unknown): unknown {
  if (!isOutputLimit(e)) return e;
  const data = e.data && typeof e.data === 'object' ? (e.data as Record<string, unknown>) : {};
  return new NetPulseError(e.code, e.message, { data: { ...data, partial_output: partial }, type: e.type });
}

/** The output that fit before an output cap failed the job (see {@link withPartialOutput}), if any. */
export function partialOutputOf(e: unknown): unknown {
  if (!isOutputLimit(e)) return undefined;
  return (e.data as { partial_output?: unknown } | null)?.partial_output;
}

/** Whether `e` is an output-cap failure (`NP_ERR_OUTPUT_LIMIT`). */
export function isOutputLimit(e: unknown): e is NetPulseError {
  return e instanceof NetPulseError && e.code === 'NP_ERR_OUTPUT_LIMIT';
}
