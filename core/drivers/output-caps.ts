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
