import type { Logger } from '../contracts/common.ts';
import type { Driver, DriverContext, DriverRequest, DriverSession } from '../contracts/driver.ts';
import { NetPulseError, npError } from '../errors.ts';
import type { TemplateService } from '../templates/service.ts';
import { traced } from '../observability/tracing.ts';
import { type JobRequest, type ParsingSpec, toDriverRequest } from './request.ts';

/** Where a job gets its device session: the pinned actor's persistent one, or a fresh one. */
export interface SessionLease {
  session: DriverSession;
  /** Called when the job is done; `broken` when the session must not be reused. */
  release(broken: boolean): Promise<void>;
}
export type SessionProvider = (driver: Driver, req: JobRequest, ctx: DriverContext) => Promise<SessionLease>;

/**
 * Executes one job (unlike the reference, `rendering.context` is kept): render → session →
 * send/config → parse each command's output. `rendering.context` is merged under the payload (payload keys win); rendered text is
 * split into lines; parsing handles every result shape.
 */
export async function executeJob(
  req: JobRequest,
  deps: { driver: Driver; templates: TemplateService; sessions: SessionProvider; log: Logger },
  signal: AbortSignal,
): Promise<unknown> {
  let lines: string[];
  if (Array.isArray(req.payload)) {
    lines = req.payload;
  } else {
    const r = req.rendering!;
    const text = await deps.templates.render(
      r.name,
      { template: r.template, context: { ...(r.context ?? {}), ...req.payload }, args: r.args },
      signal,
    );
    lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  }
  const ctx: DriverContext = { log: deps.log, signal };
  const dreq: DriverRequest = toDriverRequest(deps.driver, req);
  const lease = await traced('driver.session', { 'netpulse.driver': deps.driver.name }, () =>
    deps.sessions(deps.driver, req, ctx),
  );
  let result: unknown;
  try {
    result = await traced(
      `driver.${req.operation === 'command' ? 'send' : 'config'}`,
      { 'netpulse.lines': lines.length },
      () =>
        req.operation === 'command' ? lease.session.send(lines, dreq, ctx) : lease.session.config(lines, dreq, ctx),
    );
  } catch (e) {
    await lease.release(isSessionFatal(e) || signal.aborted);
    throw e;
  }
  await lease.release(signal.aborted);
  const platform = parserPlatformOf(deps.driver, req.connection_args.device_type);
  if (req.operation === 'command') result = await structuredOutput(result, req, platform, deps.templates, signal);
  const parsing = req.parsing;
  if (parsing) {
    const raw = result;
    const raise = req.driver_args.raise_parsing_error === true;
    result = await traced('job.parse', { 'netpulse.parser': parsing.name }, () =>
      parseResult(raw, parsing, platform, deps.templates, raise, signal),
    );
  }
  return result;
}

/** The parsers' platform name for a device_type: the driver's mapping (aliases resolved), else as sent. */
function parserPlatformOf(driver: Driver, deviceType: unknown): string | undefined {
  if (typeof deviceType !== 'string') return undefined;
  return driver.parserPlatform?.(deviceType) ?? deviceType;
}

/**
 * netmiko-style `driver_args` that ask for structured output (`use_textfsm` with the ntc index or
 * `textfsm_template`, `use_ttp` with `ttp_template`). Drivers return text; parsing happens here so
 * driver plugins need no parser. As in netmiko, a parse failure keeps the text unless
 * `raise_parsing_error` is set.
 */
async function structuredOutput(
  result: unknown,
  req: JobRequest,
  platform: string | undefined,
  templates: TemplateService,
  signal?: AbortSignal,
): Promise<unknown> {
  const a = req.driver_args;
  const engine = a.use_textfsm === true ? 'textfsm' : a.use_ttp === true ? 'ttp' : null;
  if (!engine || !result || typeof result !== 'object' || Array.isArray(result)) return result;
  const out: Record<string, unknown> = {};
  for (const [cmd, text] of Object.entries(result as Record<string, unknown>)) {
    if (typeof text !== 'string') {
      out[cmd] = text;
      continue;
    }
    const request: Record<string, unknown> =
      engine === 'textfsm'
        ? typeof a.textfsm_template === 'string'
          ? { template: a.textfsm_template }
          : { template: '', use_ntc_template: true }
        : {
            template: typeof a.ttp_template === 'string' ? a.ttp_template : '',
            ...(typeof a.ttp_template === 'string' ? {} : { use_ttp_template: true }),
          };
    try {
      out[cmd] = await templates.parse(engine, request, text, { platform, command: cmd }, signal);
    } catch (e) {
      if (a.raise_parsing_error === true) throw e;
      out[cmd] = text;
    }
  }
  return out;
}

/** Errors after which the session cannot be trusted (the channel state is unknown). */
function isSessionFatal(e: unknown): boolean {
  if (!(e instanceof NetPulseError)) return true;
  return e.code !== 'NP_ERR_DEVICE_COMMAND';
}

/**
 * Applies `parsing` to each command's output. A parse failure does not lose the device output: the
 * command's entry keeps the raw text and gains `parse_error` (`{output, parse_error}` where the
 * entry was plain text), and the job still finishes. A sandbox limit breach (`NP_ERR_TEMPLATE_LIMIT`)
 * always fails the job. `parsing.raise_parsing_error: true` (or the
 * netmiko-style `driver_args.raise_parsing_error`, passed as `raiseFromDriverArgs`) fails the job instead.
 */
async function parseResult(
  result: unknown,
  parsing: ParsingSpec,
  platform: string | undefined,
  templates: TemplateService,
  raiseFromDriverArgs: boolean,
  signal?: AbortSignal,
): Promise<unknown> {
  const { raise_parsing_error: raiseOnParse, ...p } = parsing;
  const strict = raiseOnParse === true || raiseFromDriverArgs;
  const name = parsing.name;
  type Parsed = { ok: true; value: unknown } | { ok: false; error: string };
  const parseOne = async (text: unknown, command?: string): Promise<Parsed> => {
    if (typeof text !== 'string') return { ok: true, value: text };
    try {
      return { ok: true, value: await templates.parse(name, p, text, { platform, command }, signal) };
    } catch (e) {
      // A template that breaches the sandbox limits is hostile or broken, not a mismatch with this
      // output: it fails the job with its coded error, as the same template would over HTTP.
      if (strict || (e instanceof NetPulseError && e.code === 'NP_ERR_TEMPLATE_LIMIT')) throw e;
      return { ok: false, error: errorOf(e).message };
    }
  };
  if (result && typeof result === 'object' && !Array.isArray(result)) {
    const out: Record<string, unknown> = {};
    for (const [cmd, value] of Object.entries(result as Record<string, unknown>)) {
      // Drivers that return {output, error, exit_status} per command have the text in `output`.
      if (value && typeof value === 'object' && typeof (value as { output?: unknown }).output === 'string') {
        const r = await parseOne((value as { output: string }).output, cmd);
        out[cmd] = r.ok ? { ...(value as object), output: r.value } : { ...(value as object), parse_error: r.error };
      } else {
        const r = await parseOne(value, cmd);
        out[cmd] = r.ok ? r.value : { output: value, parse_error: r.error };
      }
    }
    return out;
  }
  if (Array.isArray(result)) {
    return Promise.all(
      result.map(async (v) => {
        // eAPI-style entries `{command, result, encoding}`: parse the text output, or the JSON result
        // as JSON text (for jsonata).
        if (v && typeof v === 'object' && 'command' in v && 'result' in v) {
          const entry = v as { command: unknown; result: unknown };
          const r = entry.result as { output?: unknown } | null;
          const text =
            r && typeof r === 'object' && typeof r.output === 'string' ? r.output : JSON.stringify(entry.result);
          const parsed = await parseOne(text, String(entry.command));
          return parsed.ok ? { ...entry, result: parsed.value } : { ...entry, parse_error: parsed.error };
        }
        const parsed = await parseOne(v);
        return parsed.ok ? parsed.value : { output: v, parse_error: parsed.error };
      }),
    );
  }
  const parsed = await parseOne(result);
  return parsed.ok ? parsed.value : { output: result, parse_error: parsed.error };
}

/**
 * Runs `fn` under a hard deadline: the signal aborts and the promise rejects at the deadline even if
 * `fn` ignores the signal. `parent` (the node's stop signal) aborts it too.
 */
export async function withDeadline<T>(
  seconds: number,
  fn: (signal: AbortSignal) => Promise<T>,
  parent?: AbortSignal,
): Promise<T> {
  const ac = new AbortController();
  const unlink = parent ? linkToParent(parent, ac) : null;
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const err = npError('NP_ERR_JOB_TIMEOUT', seconds);
      ac.abort(err);
      reject(err);
    }, seconds * 1000);
  });
  try {
    return await Promise.race([fn(ac.signal), deadline]);
  } finally {
    clearTimeout(timer);
    unlink?.();
  }
}

/**
 * The jobs running under each parent signal. One listener per parent aborts them all, instead of
 * an `addEventListener`/`removeEventListener` pair per job (EventTarget bookkeeping was a visible
 * share of a node's CPU per job).
 */
const children = new WeakMap<AbortSignal, Set<AbortController>>();

function linkToParent(parent: AbortSignal, child: AbortController): () => void {
  if (parent.aborted) {
    child.abort(parent.reason);
    return () => undefined;
  }
  let set = children.get(parent);
  if (!set) {
    const running = new Set<AbortController>();
    set = running;
    children.set(parent, running);
    parent.addEventListener(
      'abort',
      () => {
        for (const c of running) c.abort(parent.reason);
        running.clear();
      },
      { once: true },
    );
  }
  const mine = set;
  mine.add(child);
  return () => void mine.delete(child);
}

/** The `{type, message}` stored in `result.error`. Never includes stacks. */
export function errorOf(e: unknown): { type: string; message: string } {
  if (e instanceof NetPulseError) return { type: e.type, message: e.message };
  if (e instanceof Error) return { type: e.name || 'Error', message: e.message };
  return { type: 'Error', message: String(e) };
}
