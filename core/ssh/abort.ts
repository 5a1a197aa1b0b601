import { NetPulseError } from '../errors.ts';

/**
 * The rejection for an aborted wait: the signal's own {@link NetPulseError} when it carries one,
 * otherwise `NP_ERR_DEVICE_TIMEOUT` naming `what` was being waited for.
 */
export function abortError(signal: AbortSignal, what: string): NetPulseError {
  const reason: unknown = signal.reason;
  if (reason instanceof NetPulseError) return reason;
  const detail = reason instanceof Error ? reason.message : reason === undefined ? 'aborted' : String(reason);
  return new NetPulseError('NP_ERR_DEVICE_TIMEOUT', `Aborted while waiting for ${what}: ${detail}`);
}
