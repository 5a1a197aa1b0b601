import {
  NetPulseApiError,
  NetPulseAuthError,
  NetPulseConnectionError,
  NetPulseValidationError,
} from '../../client/errors.ts';

/**
 * Exit codes of the client commands, for pipelines (docs/cli.md lists them):
 * 0 everything succeeded, 1 some job or device failed (or the server refused the work),
 * 2 usage error (bad flags, unreadable file, request the server rejected as invalid),
 * 3 server unreachable, 4 API key refused.
 */
export const EXIT = { OK: 0, FAILED: 1, USAGE: 2, UNREACHABLE: 3, AUTH: 4 } as const;

/** A usage problem found before talking to the server. */
export class UsageError extends Error {}

/** The exit code and the one line printed on stderr for an error that ends a command. */
export function describeFailure(e: unknown): { code: number; line: string } {
  if (e instanceof UsageError) return { code: EXIT.USAGE, line: e.message };
  if (e instanceof NetPulseConnectionError) return { code: EXIT.UNREACHABLE, line: e.message };
  if (e instanceof NetPulseAuthError) {
    return {
      code: EXIT.AUTH,
      line: `the server refused the API key (403 ${e.code}): check --api-key / NETPULSE_API_KEY`,
    };
  }
  if (e instanceof NetPulseValidationError) {
    const issues = e.issues.map((i) => `${i.loc.join('.')}: ${i.msg}`).join('; ');
    return { code: EXIT.USAGE, line: `invalid request (${e.code}): ${issues || e.message}` };
  }
  if (e instanceof NetPulseApiError) return { code: EXIT.FAILED, line: `${e.message} (HTTP ${e.status} ${e.code})` };
  const err = e as Error;
  if (err?.name === 'AbortError' || err?.name === 'TimeoutError')
    return { code: EXIT.FAILED, line: `gave up: ${err.message}` };
  return { code: EXIT.FAILED, line: err?.message ?? String(e) };
}
