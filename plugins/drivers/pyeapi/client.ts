import http from 'node:http';
import https from 'node:https';
import type { Logger } from '../../../core/contracts/common.ts';
import { NetPulseError } from '../../../core/errors.ts';
import { TofuHttpsAgent } from '../../../core/drivers/tofu-agent.ts';
import type { HostKeyPolicy } from '../../../core/ssh/index.ts';

/**
 * eAPI JSON-RPC client: `runCmds` on `POST /command-api` over HTTP or HTTPS with Basic auth.
 *
 * Built on node:http/node:https with one keep-alive agent per client (= per session): the global
 * fetch cannot take per-request TLS material (CA, client certificate, verification switch) without
 * importing undici, which plugins may not. Every request is bounded by the client's timeout and
 * by the caller's signal; failures become device-coded NetPulseErrors.
 */

export type EapiCommand = string | { cmd: string; input?: string };
export type EapiFormat = 'json' | 'text';

export interface EapiEndpoint {
  /** Largest answer kept (config `drivers.output.max_job_bytes`); more fails with NP_ERR_OUTPUT_LIMIT. */
  maxAnswerBytes?: number;
  transport: 'http' | 'https';
  host: string;
  port: number;
  username: string;
  password: string;
  /** Whole-request bound (connect, TLS, send, full answer). */
  timeoutMs: number;
  /** TLS options for https (ignored for http). */
  tls?: { ca?: Buffer; cert?: Buffer; key?: Buffer; rejectUnauthorized: boolean; pin?: { policy: HostKeyPolicy } };
  /** Texts never to show in error messages (password, enable secret). */
  secrets?: (string | null | undefined)[];
}

export interface RunCmdsOptions {
  format: EapiFormat;
  autoComplete?: boolean;
  expandAliases?: boolean;
  /** Overrides the endpoint's timeout for this request (e.g. a short probe). */
  timeoutMs?: number;
}

/** A JSON-RPC `error` answer: eAPI's code, message and the results of the commands that ran. */
export class EapiCommandError extends NetPulseError {
  constructor(
    message: string,
    readonly eapiCode: number,
    /** `error.data`: results of commands 1..i, the failed one (with `errors`) last; null when absent. */
    readonly results: Record<string, unknown>[] | null,
  ) {
    super('NP_ERR_DEVICE_COMMAND', message, { data: { eapi_code: eapiCode } });
  }
}

const MAX_ANSWER_BYTES = 128 * 1024 * 1024;
const MAX_SNIPPET = 300;

const CONNECT_CODES: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  EHOSTDOWN: 'host down',
  ENOTFOUND: 'name not found',
  EAI_AGAIN: 'name resolution failed',
  EADDRNOTAVAIL: 'address not available',
  EADDRINUSE: 'no local port available',
};

const CLOSED_CODES = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'UND_ERR_SOCKET']);

/** Certificate-check failures (node / OpenSSL codes). */
function isCertError(code: string): boolean {
  return (
    code.startsWith('CERT_') ||
    code.includes('SELF_SIGNED') ||
    code.startsWith('UNABLE_TO_') ||
    code === 'ERR_TLS_CERT_ALTNAME_INVALID' ||
    code === 'HOSTNAME_MISMATCH' ||
    code === 'INVALID_CA' ||
    code === 'INVALID_PURPOSE'
  );
}

function snippet(text: string): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > MAX_SNIPPET ? one.slice(0, MAX_SNIPPET) + '…' : one;
}

/** pyeapi's `CommandError.command_error`: the failed entry's `errors`, joined. */
function commandErrorOf(data: unknown): string | null {
  if (!Array.isArray(data) || data.length === 0) return null;
  const last = data[data.length - 1] as { errors?: unknown } | null;
  if (!last || !Array.isArray(last.errors)) return null;
  const text = last.errors.filter((e) => typeof e === 'string' && e.trim() !== '').join(' ');
  return text || null;
}

interface RawAnswer {
  status: number;
  body: string;
}

export class EapiClient {
  private readonly agent: http.Agent;
  private readonly auth: string;
  private seq = 0;
  private closed = false;

  constructor(
    readonly endpoint: EapiEndpoint,
    private readonly log: Logger,
  ) {
    const common = { keepAlive: true, maxSockets: 1, keepAliveMsecs: 10_000 };
    const tlsOpts = {
      ...common,
      ...(endpoint.tls?.cert ? { cert: endpoint.tls.cert } : {}),
      ...(endpoint.tls?.key ? { key: endpoint.tls.key } : {}),
    };
    const pin = endpoint.tls?.pin;
    this.agent =
      endpoint.transport === 'https' && pin
        ? new TofuHttpsAgent(tlsOpts, { host: endpoint.host, port: endpoint.port, policy: pin.policy, log })
        : endpoint.transport === 'https'
          ? new https.Agent({
              ...common,
              rejectUnauthorized: endpoint.tls?.rejectUnauthorized ?? true,
              ...(endpoint.tls?.ca ? { ca: endpoint.tls.ca } : {}),
              ...(endpoint.tls?.cert ? { cert: endpoint.tls.cert } : {}),
              ...(endpoint.tls?.key ? { key: endpoint.tls.key } : {}),
            })
          : new http.Agent(common);
    this.auth = 'Basic ' + Buffer.from(`${endpoint.username}:${endpoint.password}`, 'utf8').toString('base64');
  }

  /** `https://host:port` (IPv6 literals bracketed), for messages. */
  get url(): string {
    const h = this.endpoint.host.includes(':') ? `[${this.endpoint.host}]` : this.endpoint.host;
    return `${this.endpoint.transport}://${h}:${this.endpoint.port}`;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Releases the keep-alive sockets. Idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.agent.destroy();
  }

  /**
   * One `runCmds` request. Resolves with `result` (one entry per command); rejects with
   * {@link EapiCommandError} for a JSON-RPC error and with device-coded errors otherwise.
   */
  async runCmds(cmds: EapiCommand[], opts: RunCmdsOptions, signal: AbortSignal): Promise<Record<string, unknown>[]> {
    if (this.closed) throw new NetPulseError('NP_ERR_DEVICE_CLOSED', `eAPI session to ${this.url} is closed`);
    const params: Record<string, unknown> = { version: 1, cmds, format: opts.format };
    if (opts.autoComplete !== undefined) params.autoComplete = opts.autoComplete;
    if (opts.expandAliases !== undefined) params.expandAliases = opts.expandAliases;
    const id = `netpulse-${++this.seq}`;
    const body = JSON.stringify({ jsonrpc: '2.0', method: 'runCmds', params, id });
    this.log.debug({ url: this.url, commands: cmds.length, format: opts.format }, 'eAPI runCmds');
    const answer = await this.post(body, opts.timeoutMs ?? this.endpoint.timeoutMs, signal);
    return this.decode(answer, cmds.length);
  }

  /** Replaces the password, the secret and `input=` values in text that may reach a job result. */
  redact(text: string): string {
    let out = text.replace(/(\binput\s*[=:]\s*)("[^"]*"|'[^']*'|\S+)/gi, '$1***');
    for (const s of this.endpoint.secrets ?? []) {
      if (s && s.length >= 3) out = out.split(s).join('***');
    }
    return out;
  }

  private decode(answer: RawAnswer, count: number): Record<string, unknown>[] {
    if (answer.status === 401) {
      throw new NetPulseError(
        'NP_ERR_DEVICE_AUTH',
        `eAPI at ${this.url} rejected the credentials of user '${this.endpoint.username}' (HTTP 401${answer.body.trim() ? `: ${this.redact(snippet(answer.body))}` : ''})`,
      );
    }
    let doc: unknown;
    try {
      doc = JSON.parse(answer.body);
    } catch {
      doc = undefined;
    }
    if (!doc || typeof doc !== 'object' || Array.isArray(doc)) {
      const hint =
        answer.status === 404 ? ' (is `management api http-commands` enabled, and is this the eAPI port?)' : '';
      const what = answer.status === 200 ? 'an answer that is not JSON-RPC' : `HTTP ${answer.status}`;
      throw new NetPulseError(
        'NP_ERR_DEVICE_CONNECT',
        `eAPI at ${this.url} answered ${what}${answer.body.trim() ? `: ${this.redact(snippet(answer.body))}` : ''}${hint}`,
      );
    }
    const rpc = doc as { result?: unknown; error?: { code?: unknown; message?: unknown; data?: unknown } };
    if (rpc.error && typeof rpc.error === 'object') {
      const code = typeof rpc.error.code === 'number' ? rpc.error.code : 0;
      const message = typeof rpc.error.message === 'string' ? rpc.error.message : 'eAPI error without a message';
      const detail = commandErrorOf(rpc.error.data);
      const text = this.redact(`Error [${code}]: ${message}${detail ? ` [${detail}]` : ''}`);
      const results = Array.isArray(rpc.error.data) ? (rpc.error.data as Record<string, unknown>[]) : null;
      throw new EapiCommandError(text, code, results);
    }
    if (!Array.isArray(rpc.result) || rpc.result.length !== count) {
      const got = Array.isArray(rpc.result) ? `${rpc.result.length} results` : 'no result list';
      throw new NetPulseError('NP_ERR_DEVICE_COMMAND', `eAPI at ${this.url} answered ${got} for ${count} commands`);
    }
    return rpc.result as Record<string, unknown>[];
  }

  /**
   * POSTs one body. A keep-alive socket the device closed while idle fails the next request with
   * a reset before any answer; that one case is sent once more on a fresh connection (node's
   * documented `reusedSocket` pattern). A reset on a fresh connection is never retried.
   */
  private async post(body: string, timeoutMs: number, signal: AbortSignal): Promise<RawAnswer> {
    try {
      return await this.postOnce(body, timeoutMs, signal);
    } catch (e) {
      if (e instanceof StaleSocketError) return this.postOnce(body, timeoutMs, signal, true);
      throw e;
    }
  }

  private postOnce(body: string, timeoutMs: number, signal: AbortSignal, retried = false): Promise<RawAnswer> {
    return new Promise<RawAnswer>((resolve, reject) => {
      let settled = false;
      let timedOut = false;
      let req: http.ClientRequest | undefined;
      const finish = (err: unknown, value?: RawAnswer): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        if (err === undefined) resolve(value as RawAnswer);
        else reject(err);
      };
      const onAbort = (): void => {
        finish(this.abortError(signal));
        req?.destroy();
      };
      const timer = setTimeout(() => {
        timedOut = true;
        finish(
          new NetPulseError(
            'NP_ERR_DEVICE_TIMEOUT',
            `eAPI at ${this.url} did not answer within ${timeoutMs / 1000} s (connection_args.timeout)`,
          ),
        );
        req?.destroy();
      }, timeoutMs);
      if (signal.aborted) return onAbort();
      signal.addEventListener('abort', onAbort, { once: true });

      const mod = this.endpoint.transport === 'https' ? https : http;
      req = mod.request({
        agent: this.agent,
        host: this.endpoint.host,
        port: this.endpoint.port,
        method: 'POST',
        path: '/command-api',
        headers: {
          'Content-Type': 'application/json-rpc',
          Accept: 'application/json',
          'Content-Length': Buffer.byteLength(body),
          Authorization: this.auth,
        },
      });
      const request = req;
      request.on('response', (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          const cap = this.endpoint.maxAnswerBytes ?? MAX_ANSWER_BYTES;
          if (size > cap) {
            finish(
              new NetPulseError(
                'NP_ERR_OUTPUT_LIMIT',
                `eAPI at ${this.url} answered more than ${cap} bytes (drivers.output.max_job_bytes)`,
              ),
            );
            request.destroy();
            return;
          }
          chunks.push(c);
        });
        res.on('end', () =>
          finish(undefined, { status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', (e) => finish(this.transportError(e, request, retried)));
        res.on('aborted', () =>
          finish(
            new NetPulseError(
              'NP_ERR_DEVICE_CLOSED',
              `eAPI at ${this.url} closed the connection in the middle of its answer`,
            ),
          ),
        );
      });
      request.on('error', (e) => {
        if (timedOut || settled) return;
        finish(this.transportError(e, request, retried));
      });
      request.end(body);
    });
  }

  private abortError(signal: AbortSignal): NetPulseError {
    const reason: unknown = signal.reason;
    if (reason instanceof NetPulseError) return reason;
    const detail = reason instanceof Error ? reason.message : reason === undefined ? 'aborted' : String(reason);
    return new NetPulseError('NP_ERR_DEVICE_TIMEOUT', `Aborted while waiting for eAPI at ${this.url}: ${detail}`);
  }

  private transportError(e: unknown, req: http.ClientRequest, retried: boolean): Error {
    // Certificate pinning failures are already coded and name the host and how to forget it.
    if (e instanceof NetPulseError) return e;
    const err = e as NodeJS.ErrnoException;
    const code = String(err.code ?? '');
    if (!retried && req.reusedSocket && (code === 'ECONNRESET' || code === 'EPIPE')) return new StaleSocketError();
    const cause = { cause: e };
    if (CONNECT_CODES[code]) {
      return new NetPulseError(
        'NP_ERR_DEVICE_CONNECT',
        `Cannot connect to eAPI at ${this.url}: ${CONNECT_CODES[code]} (${code})`,
        cause,
      );
    }
    if (isCertError(code)) {
      return new NetPulseError(
        'NP_ERR_DEVICE_CONNECT',
        `TLS certificate of eAPI at ${this.url} not trusted: ${err.message} (${code}). Set ca_file to the CA that signed the device certificate, leave verify unset (null) to pin it on first use, or verify: false to skip the check (lab devices only)`,
        cause,
      );
    }
    if (code.startsWith('ERR_SSL') || code.startsWith('ERR_TLS') || /ssl|tls/i.test(err.message)) {
      return new NetPulseError(
        'NP_ERR_DEVICE_CONNECT',
        `TLS handshake with eAPI at ${this.url} failed: ${err.message}${code ? ` (${code})` : ''}. Is the device serving ${this.endpoint.transport} on port ${this.endpoint.port}?`,
        cause,
      );
    }
    if (CLOSED_CODES.has(code) || /socket hang up/i.test(err.message)) {
      return new NetPulseError(
        'NP_ERR_DEVICE_CLOSED',
        `eAPI at ${this.url} closed the connection before answering (${code || err.message}). Is the device serving ${this.endpoint.transport} on port ${this.endpoint.port}?`,
        cause,
      );
    }
    return new NetPulseError(
      'NP_ERR_DEVICE_CONNECT',
      `eAPI request to ${this.url} failed: ${err.message}${code ? ` (${code})` : ''}`,
      cause,
    );
  }
}

/** Internal marker: a reused keep-alive socket was found dead before any answer. */
class StaleSocketError extends Error {
  constructor() {
    super('stale keep-alive socket');
  }
}
