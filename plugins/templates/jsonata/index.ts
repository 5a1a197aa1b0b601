/**
 * Built-in `jsonata` parser plugin: queries JSON command output (Arista eAPI, `| json`) with a
 * JSONata expression. `req.template` is the expression, `req.text` the JSON text.
 */
import jsonata from 'jsonata';
import type { ParseInput, TemplateContext, TemplateParser } from '../../../core/contracts/template.ts';
import { NetPulseError } from '../../../core/errors.ts';
import { definePlugin } from '../../../core/plugin/define.ts';

export interface JsonataParserOptions {
  /** Evaluation time limit in milliseconds (jsonata's own guard, error D1012). */
  timeoutMs?: number;
  /** Maximum evaluation depth (jsonata's stack guard, error D1011). */
  maxDepth?: number;
  /** Compiled expressions kept. */
  cacheSize?: number;
}

interface JsonataFailure {
  code?: string;
  position?: number;
  token?: string;
  message?: string;
}

function describe(err: unknown): string {
  const e = (err ?? {}) as JsonataFailure;
  const where = [
    e.code ? `code ${e.code}` : '',
    typeof e.position === 'number' ? `position ${e.position}` : '',
    e.token !== undefined ? `token '${e.token}'` : '',
  ]
    .filter(Boolean)
    .join(', ');
  const message = e.message ?? String(err);
  return where ? `${message} (${where})` : message;
}

export class JsonataParser implements TemplateParser {
  readonly name = 'jsonata';
  private readonly timeoutMs: number;
  private readonly maxDepth: number;
  private readonly cacheSize: number;
  private readonly compiled = new Map<string, jsonata.Expression>();

  constructor(opts: JsonataParserOptions = {}) {
    this.timeoutMs = opts.timeoutMs ?? 2000;
    this.maxDepth = opts.maxDepth ?? 500;
    this.cacheSize = opts.cacheSize ?? 500;
  }

  async parse(req: ParseInput, ctx: TemplateContext): Promise<unknown> {
    const expression = this.compile(req.template);
    const input = parseInput(req.text as unknown);
    let result: unknown;
    try {
      result = await expression.evaluate(input);
    } catch (err) {
      ctx.log.debug({ err: describe(err) }, 'jsonata evaluation failed');
      throw new NetPulseError('NP_ERR_TEMPLATE', `jsonata: ${describe(err)}`);
    }
    // Drop jsonata's sequence markers and functions: callers get plain JSON data.
    return result === undefined ? null : (JSON.parse(JSON.stringify(result)) as unknown);
  }

  private compile(source: string): jsonata.Expression {
    if (typeof source !== 'string' || source.trim() === '') {
      throw new NetPulseError('NP_ERR_TEMPLATE', 'jsonata: template must be a non-empty JSONata expression');
    }
    const hit = this.compiled.get(source);
    if (hit) {
      this.compiled.delete(source);
      this.compiled.set(source, hit);
      return hit;
    }
    let expression: jsonata.Expression;
    try {
      expression = jsonata(source, { timeout: this.timeoutMs, stack: this.maxDepth });
    } catch (err) {
      throw new NetPulseError('NP_ERR_TEMPLATE', `jsonata: ${describe(err)}`);
    }
    this.compiled.set(source, expression);
    if (this.compiled.size > this.cacheSize) this.compiled.delete(this.compiled.keys().next().value as string);
    return expression;
  }
}

/** Command output is JSON text; callers that already hold the parsed structure may pass it as is. */
function parseInput(text: unknown): unknown {
  if (typeof text !== 'string') {
    if (text === undefined) throw new NetPulseError('NP_ERR_TEMPLATE', 'jsonata: output is not JSON (no text given)');
    return text;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new NetPulseError('NP_ERR_TEMPLATE', `jsonata: output is not JSON (${(err as Error).message})`);
  }
}

export default definePlugin({
  kind: 'parser',
  name: 'jsonata',
  version: '1.0.0',
  description: 'JSONata queries over JSON command output',
  register: (ctx) => {
    const cfg = (ctx.config?.templates?.jsonata ?? {}) as Record<string, unknown>;
    return new JsonataParser({
      timeoutMs: typeof cfg.timeout_ms === 'number' ? cfg.timeout_ms : undefined,
      maxDepth: typeof cfg.max_depth === 'number' ? cfg.max_depth : undefined,
    });
  },
});
