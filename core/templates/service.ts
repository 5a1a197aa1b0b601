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

  constructor(private readonly registry: PluginRegistry, private readonly config: NetPulseConfig, private readonly root: string, log: Logger) {
    const s = config.templates.sandbox;
    this.pool = new SandboxPool(
      { root, config: config as unknown as Record<string, unknown> },
      { timeoutMs: s.timeout_ms, memoryMb: s.memory_mb, processes: s.processes, queue: s.queue, maxResultBytes: s.max_result_bytes },
      log,
    );
  }

  async render(
    name: string,
    req: { template: string; context?: Record<string, unknown> | null; args?: Record<string, unknown> | null },
    signal?: AbortSignal,
  ): Promise<string> {
    if (!name) throw new NetPulseError('NP_ERR_VALIDATION', 'Validation Error', { data: [{ loc: ['body', 'name'], msg: 'Renderer name is required' }] });
    this.registry.get('renderer', name);
    const template = await loadTemplateSource(req.template, this.config.templates, this.root);
    return (await this.pool.run('render', name, { template, context: req.context ?? {}, args: req.args ?? {} }, signal)) as string;
  }

  async parse(
    name: string,
    req: Record<string, unknown>,
    text: string,
    defaults?: { platform?: string; command?: string },
    signal?: AbortSignal,
  ): Promise<unknown> {
    if (!name) throw new NetPulseError('NP_ERR_VALIDATION', 'Validation Error', { data: [{ loc: ['body', 'name'], msg: 'Parser name is required' }] });
    this.registry.get('parser', name);
    const { name: _n, template: src, context: _c, ...options } = req;
    const template = typeof src === 'string' && src !== '' ? await loadTemplateSource(src, this.config.templates, this.root) : '';
    return this.pool.run('parse', name, { template, text, options, ...(defaults ? { defaults } : {}) }, signal);
  }

  /** Stops the sandbox processes. */
  close(): Promise<void> {
    return this.pool.close();
  }
}
