import type { ErrorCode } from '../errors.ts';

/** One item of a validation error: `loc` is the path to the field, `msg` what is wrong. */
export interface ValidationIssue {
  loc: (string | number)[];
  msg: string;
}

/**
 * An error answer of the API. `code` is the server's NP_ERR_* code (header `X-NetPulse-Error-Code`;
 * docs/errors.md lists them), `status` the HTTP status, `data` the envelope's data.
 */
export class NetPulseApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: ErrorCode | 'NP_ERR_UNKNOWN',
    readonly data: unknown,
    readonly requestId: string | null,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** 400: the request does not match its schema; `issues` lists what is wrong, field by field. */
export class NetPulseValidationError extends NetPulseApiError {
  get issues(): ValidationIssue[] {
    return Array.isArray(this.data) ? (this.data as ValidationIssue[]) : [];
  }
}
/** 403: the API key is missing or wrong. */
export class NetPulseAuthError extends NetPulseApiError {}
/** 404: no such job batch, worker, plugin or route. */
export class NetPulseNotFoundError extends NetPulseApiError {}
/** 503: the broker is down or no worker node can take the job. */
export class NetPulseUnavailableError extends NetPulseApiError {}

/** The server could not be reached at all (refused, DNS, TLS, timeout before an answer). */
export class NetPulseConnectionError extends Error {
  constructor(
    message: string,
    readonly url: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'NetPulseConnectionError';
  }
}

/** Builds the typed exception for an error answer. */
export function apiError(
  status: number,
  code: string | null,
  body: unknown,
  requestId: string | null,
): NetPulseApiError {
  const env = (body && typeof body === 'object' ? body : {}) as { message?: unknown; data?: unknown };
  const message = typeof env.message === 'string' && env.message ? env.message : `HTTP ${status}`;
  const c = (code ?? 'NP_ERR_UNKNOWN') as ErrorCode | 'NP_ERR_UNKNOWN';
  const Cls =
    status === 400
      ? NetPulseValidationError
      : status === 403 || status === 401
        ? NetPulseAuthError
        : status === 404
          ? NetPulseNotFoundError
          : status === 503
            ? NetPulseUnavailableError
            : NetPulseApiError;
  return new Cls(message, status, c, env.data ?? null, requestId);
}
