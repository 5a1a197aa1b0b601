import type { Logger } from '../contracts/common.ts';
import type { NetPulseConfig } from '../config/types.ts';
import type { PluginRegistry } from '../plugin/registry.ts';
import { NetPulseError } from '../errors.ts';
import { SandboxPool } from '../sandbox/pool.ts';
import { loadTemplateSource } from './source.ts';

/**
 * Renders and parses through the template plugins; used by /template/* and inside jobs. Source
 * loading (file://, remote) happens here; the evaluation itself runs in the template sandbox
 * (core/sandbox) under `templates.sandbox` time, memory and result-size limits, so a hostile
 * template fails only its own request or job.
 */
export class TemplateService {
  private readonly pool: SandboxPool;

  constructor(
    private readonly registry: PluginRegistry,
    private readonly config: NetPulseConfig,
    private readonly root: string,
    log: Logger,
  ) {
    const s = config.templates.sandbox;
    this.pool = new SandboxPool(
      {
        root,
        config: config as unknown as Record<string, unknown>,
        sources: registry
          .list()
          .filter((p) => p.kind === 'renderer' || p.kind === 'parser')
          .map((p) => p.source),
      },
      {
        timeoutMs: s.timeout_ms,
        memoryMb: s.memory_mb,
        processes: s.processes,
        queue: s.queue,
        maxResultBytes: s.max_result_bytes,
      },
      log,
    );
  }

  async render(
    name: string,
    req: { template: string; context?: Record<string, unknown> | null; args?: Record<string, unknown> | null },
    signal?: AbortSignal,
  ): Promise<string> {
    if (!name)
      throw new NetPulseError('NP_ERR_VALIDATION', 'Validation Error', {
        data: [{ loc: ['body', 'name'], msg: 'Renderer name is required' }],
      });
    this.registry.get('renderer', name);
    const template = await loadTemplateSource(req.template, this.config.templates, this.root);
    const context = req.context ?? {};
    try {
      return (await this.pool.run('render', name, { template, context, args: req.args ?? {} }, signal)) as string;
    } catch (e) {
      throw withoutContextValues(e, context);
    }
  }

  async parse(
    name: string,
    req: Record<string, unknown>,
    text: string,
    defaults?: { platform?: string; command?: string },
    signal?: AbortSignal,
  ): Promise<unknown> {
    if (!name)
      throw new NetPulseError('NP_ERR_VALIDATION', 'Validation Error', {
        data: [{ loc: ['body', 'name'], msg: 'Parser name is required' }],
      });
    this.registry.get('parser', name);
    const { name: _n, template: src, context: _c, ...options } = req;
    const template =
      typeof src === 'string' && src !== '' ? await loadTemplateSource(src, this.config.templates, this.root) : '';
    return this.pool.run('parse', name, { template, text, options, ...(defaults ? { defaults } : {}) }, signal);
  }

  /** Stops the sandbox processes. */
  close(): Promise<void> {
    return this.pool.close();
  }
}

/**
 * Template errors may quote a value (e.g. "invalid literal for int(): 'hunter2'"); context values
 * are often credentials or customer data, so every string value of the context is masked in the
 * message before it reaches a job result, an HTTP answer or a log.
 */
function withoutContextValues(e: unknown, context: Record<string, unknown>): unknown {
  if (!(e instanceof NetPulseError)) return e;
  const values = new Set<string>();
  const walk = (v: unknown, depth: number): void => {
    if (values.size >= 2000 || depth > 32) return;
    if (typeof v === 'string') {
      if (v.length >= 3) values.add(v);
    } else if (typeof v === 'number' && Math.abs(v) >= 1000) values.add(String(v));
    else if (v && typeof v === 'object') for (const x of Object.values(v)) walk(x, depth + 1);
  };
  walk(context, 0);
  let message = e.message;
  // Longest first, so a value containing another is masked whole.
  for (const v of [...values].sort((a, b) => b.length - a.length))
    if (message.includes(v)) message = message.split(v).join('***');
  return message === e.message ? e : new NetPulseError(e.code, message, { data: e.data, type: e.type });
}
