/**
 * Regenerates the key table of docs/configuration.md from CONFIG_SCHEMA (core/config/schema.ts).
 * Only the text between the BEGIN/END markers is replaced; the introduction is hand-written.
 *   npx tsx scripts/gen-config-doc.ts
 * tests/unit/core/config-doc.test.ts fails when the table is out of date.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { CONFIG_SCHEMA } from '../core/config/schema.ts';
import type { JsonSchema } from '../core/contracts/common.ts';

export const CONFIG_DOC = resolve(fileURLToPath(new URL('..', import.meta.url)), 'docs/configuration.md');
export const BEGIN = '<!-- BEGIN GENERATED KEYS: scripts/gen-config-doc.ts -->';
export const END = '<!-- END GENERATED KEYS -->';

export interface KeyRow {
  key: string;
  type: string;
  default: unknown;
  env: string;
  secret: boolean;
  description: string;
}

/** Every leaf key of the schema, depth first, in schema order. */
export function configKeys(schema: JsonSchema = CONFIG_SCHEMA, prefix: string[] = []): KeyRow[] {
  const out: KeyRow[] = [];
  for (const [k, s] of Object.entries((schema.properties ?? {}) as Record<string, JsonSchema>)) {
    const path = [...prefix, k];
    if (s.type === 'object' && s.properties) {
      out.push(...configKeys(s, path));
      continue;
    }
    const types = ([] as unknown[]).concat(s.type ?? 'string') as string[];
    out.push({
      key: path.join('.'),
      type: types
        .map((t) => (t === 'array' ? `${String((s.items as JsonSchema | undefined)?.type ?? 'any')}[]` : t))
        .join(' \\| '),
      default: s.default,
      env: `NETPULSE_${path.map((p) => p.toUpperCase()).join('__')}`,
      secret: s.secret === true,
      description: String(s.description ?? ''),
    });
  }
  return out;
}

export const formatDefault = (v: unknown): string => (v === undefined ? '–' : `\`${JSON.stringify(v)}\``);
const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** The generated block, markers included. */
export function renderKeyTable(): string {
  const sections = new Map<string, KeyRow[]>();
  for (const r of configKeys()) {
    const sec = r.key.split('.')[0];
    sections.set(sec, [...(sections.get(sec) ?? []), r]);
  }
  const parts = [BEGIN, ''];
  for (const [sec, rows] of sections) {
    const desc = String((CONFIG_SCHEMA.properties as Record<string, JsonSchema>)[sec]?.description ?? '');
    parts.push(
      `### \`${sec}\` — ${desc}`,
      '',
      '| key | type | default | env variable | description |',
      '|---|---|---|---|---|',
    );
    for (const r of rows) {
      parts.push(
        `| \`${r.key}\` | ${r.type} | ${formatDefault(r.default)} | \`${r.env}\` | ${r.secret ? '**Secret** (masked by `config print`, never logged). ' : ''}${cell(r.description)} |`,
      );
    }
    parts.push('');
  }
  parts.push(END);
  return parts.join('\n');
}

/** The document with its generated block replaced. */
export function updateConfigDoc(text: string): string {
  const a = text.indexOf(BEGIN);
  const b = text.indexOf(END);
  if (a < 0 || b < a) throw new Error(`${CONFIG_DOC} has no ${BEGIN} … ${END} block`);
  return text.slice(0, a) + renderKeyTable() + text.slice(b + END.length);
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  writeFileSync(CONFIG_DOC, updateConfigDoc(readFileSync(CONFIG_DOC, 'utf8')));
  process.stdout.write(`wrote ${CONFIG_DOC} (${configKeys().length} keys)\n`);
}
