/**
 * The console's HTTP client. The API key travels in the HttpOnly session cookie set by
 * POST /ui/session, so no script ever holds it; every call is same-origin with that cookie.
 */

export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly data: unknown,
  ) {
    super(message);
  }
}

/** Fired on window when the server answers 403: the session cookie is gone or the key changed. */
export const SIGNED_OUT = 'netpulse:signed-out';

export async function api<T = unknown>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
  const res = await fetch(path, {
    method,
    signal,
    credentials: 'same-origin',
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  let env: { code?: number; message?: string; data?: unknown } = {};
  try {
    env = await res.json();
  } catch {
    env = { message: `${res.status} ${res.statusText}` };
  }
  if (!res.ok) {
    if (res.status === 403 && !path.startsWith('/ui/session')) window.dispatchEvent(new Event(SIGNED_OUT));
    throw new ApiError(describe(env), res.status, env.data);
  }
  return env.data as T;
}

/** The server's message, with the failing fields of a validation error. */
export function describe(env: { message?: string; data?: unknown }): string {
  const msg = env.message ?? 'Request failed';
  if (Array.isArray(env.data) && env.data.length && typeof env.data[0] === 'object') {
    const items = (env.data as { loc?: unknown[]; msg?: string }[])
      .slice(0, 5)
      .map((d) => `${(d.loc ?? []).join('.')}: ${d.msg ?? ''}`);
    return `${msg} — ${items.join('; ')}`;
  }
  return msg;
}

/**
 * Jobs and batches are typed by the SDK (core/client), whose types are generated from the server's
 * OpenAPI schemas. Only its types are used here: its client sends the key in a header, while the
 * console's key lives in an HttpOnly cookie no script can read.
 */
export type { Batch, Job } from '../../core/client/types.ts';

export type Worker = {
  name: string;
  status: string;
  node: string;
  hostname: string;
  pid: number;
  queues: string[];
  last_heartbeat: string | null;
  birth_at: string | null;
  successful_job_count: number;
  failed_job_count: number;
  sessions: number;
  reconnects?: number;
  count?: number;
  capacity?: number;
};

export type Catalog = {
  api_key_name: string;
  drivers: {
    name: string;
    default_queue_strategy: string;
    device_types: string[] | null;
    request_fields: { name: string; type: string | null; description: string | null }[];
  }[];
  renderers: string[];
  parsers: string[];
};

export type RequestSummary = Record<string, unknown>;

export const ENDED = new Set(['finished', 'failed', 'canceled']);
