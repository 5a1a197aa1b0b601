import { styleText } from 'node:util';
import { stringify as toYaml } from 'yaml';
import { toCsv } from './csv.ts';
import { UsageError } from './exit.ts';

export const FORMATS = ['table', 'json', 'jsonl', 'csv', 'yaml'] as const;
export type Format = (typeof FORMATS)[number];

/**
 * Where a command writes: data on stdout in the chosen format; progress, per-device lines and
 * summaries on stderr (silenced by --quiet). Colours only when that stream is a terminal and
 * NO_COLOR is unset.
 */
export class Output {
  readonly format: Format;
  readonly quiet: boolean;
  private readonly colorOut: boolean;
  private readonly colorErr: boolean;

  constructor(
    opts: { output?: string; quiet?: boolean; color?: boolean },
    readonly stdout = process.stdout,
    readonly stderr = process.stderr,
  ) {
    const f = (opts.output ?? 'table') as Format;
    if (!FORMATS.includes(f))
      throw new UsageError(`--output must be one of ${FORMATS.join(', ')} (got ${opts.output})`);
    this.format = f;
    this.quiet = !!opts.quiet;
    const allowed = opts.color !== false && !process.env.NO_COLOR;
    this.colorOut = allowed && !!stdout.isTTY;
    this.colorErr = allowed && !!stderr.isTTY;
  }

  get interactive(): boolean {
    return !this.quiet && !!this.stderr.isTTY;
  }

  /** Colours `text` for stdout (`err` for stderr) when that stream is a terminal. */
  paint(style: Parameters<typeof styleText>[0], text: string, err = false): string {
    return (err ? this.colorErr : this.colorOut) ? styleText(style, text) : text;
  }

  /** A status word coloured by outcome. */
  status(s: string, err = false): string {
    const style =
      s === 'finished' || s === 'ok'
        ? 'green'
        : s === 'failed' || s === 'not queued'
          ? 'red'
          : s === 'canceled'
            ? 'yellow'
            : 'cyan';
    return this.paint(style, s, err);
  }

  /** A human line on stderr (progress, outcome, summary). */
  info(line: string): void {
    if (!this.quiet) this.stderr.write(`${line}\n`);
  }

  /** Plain text data on stdout (rendered templates, raw output). */
  text(s: string): void {
    this.stdout.write(s.endsWith('\n') ? s : `${s}\n`);
  }

  /**
   * Records in the chosen format: json/jsonl/yaml print `full` (whole objects); table/csv print
   * `columns` of `rows` (one flat row per record).
   */
  records(rows: Record<string, unknown>[], columns: string[], full: unknown[] = rows): void {
    switch (this.format) {
      case 'json':
        this.stdout.write(`${JSON.stringify(full, null, 2)}\n`);
        return;
      case 'jsonl':
        for (const r of full) this.stdout.write(`${JSON.stringify(r)}\n`);
        return;
      case 'yaml':
        this.stdout.write(toYaml(full));
        return;
      case 'csv':
        this.stdout.write(toCsv([columns, ...rows.map((r) => columns.map((c) => r[c]))]));
        return;
      case 'table':
        this.stdout.write(this.table(rows, columns));
    }
  }

  /** A single object (json/yaml as is; table/csv as key/value rows). */
  record(obj: Record<string, unknown>): void {
    if (this.format === 'json') return void this.stdout.write(`${JSON.stringify(obj, null, 2)}\n`);
    if (this.format === 'yaml') return void this.stdout.write(toYaml(obj));
    if (this.format === 'jsonl') return void this.stdout.write(`${JSON.stringify(obj)}\n`);
    const rows = Object.entries(obj).map(([field, value]) => ({ field, value }));
    this.records(rows, ['field', 'value']);
  }

  private table(rows: Record<string, unknown>[], columns: string[]): string {
    const cell = (v: unknown) => {
      const s = v === null || v === undefined ? '' : typeof v === 'string' ? v : JSON.stringify(v);
      const one = s.replace(/\s*\n\s*/g, ' ⏎ ');
      return one.length > 80 ? `${one.slice(0, 77)}…` : one;
    };
    const grid = rows.map((r) => columns.map((c) => cell(r[c])));
    const widths = columns.map((c, i) => Math.max(c.length, ...grid.map((g) => g[i].length)));
    const line = (cells: string[], style?: (s: string, i: number) => string) =>
      cells
        .map((s, i) => (style ? style(s.padEnd(widths[i]), i) : s.padEnd(widths[i])))
        .join('  ')
        .trimEnd();
    const head = line(
      columns.map((c) => c.toUpperCase()),
      (s) => this.paint('bold', s),
    );
    const statusCol = columns.indexOf('status');
    const body = grid.map((g) =>
      line(g, (s, i) => (i === statusCol ? this.status(s.trim()) + s.slice(s.trim().length) : s)),
    );
    return [head, ...body].join('\n') + '\n';
  }
}
