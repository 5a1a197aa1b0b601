import { parseText } from './engine.ts';
import type { Cell, ParseOptions, Row } from './engine.ts';
import { CliTableError } from './errors.ts';
import { pyStrip, splitFileLines } from './lines.ts';
import { pyStr } from './pystr.ts';
import { PyRegex, PythonRegexError } from './regex.ts';
import type { CompiledTemplate } from './template.ts';

/**
 * The CliTable index (ntc-templates `index` file) and CliTable's multi-template merge, following
 * Python textfsm 1.1.0 `clitable.py` / `texttable.py`.
 */

export interface IndexRow {
  /** 1-based row number, as CliTable reports it. */
  readonly row: number;
  /** Field values after completion expansion, keyed by column name. */
  readonly fields: Readonly<Record<string, string>>;
  /** Compiled regexes of the non-empty, non-Template fields. */
  readonly matchers: ReadonlyMap<string, PyRegex>;
}

export interface CliIndex {
  readonly header: readonly string[];
  readonly rows: readonly IndexRow[];
}

const COMPLETION = /\[\[.+?\]\]/g;

/** `sh[[ow]]` → `sh(o(w)?)?`: CliTable's command-completion shorthand. */
export function expandCompletion(command: string): string {
  return command.replace(COMPLETION, (found) => {
    const word = [...found.slice(2, -2)];
    return '(' + word.join('(') + ')?'.repeat(word.length);
  });
}

/** Parses index file text (Python `IndexTable` with CliTable's pre-parse and pre-compile hooks). */
export function parseIndex(text: string): CliIndex {
  const lines = splitFileLines(text);
  let cursor = 0;
  let headerText = '';
  while (!headerText) {
    if (cursor >= lines.length) throw new CliTableError('Index file has no header line.');
    headerText = pyStrip(lines[cursor++].split('#')[0]);
  }
  const header: string[] = [];
  for (const entry of headerText.split(',')) {
    const name = pyStrip(entry);
    if (header.includes(name)) throw new CliTableError(`Duplicate header entry '${name}'.`);
    header.push(name);
  }
  if (!header.includes('Template')) throw new CliTableError("Index file does not have 'Template' column.");
  const rows: IndexRow[] = [];
  for (; cursor < lines.length; cursor++) {
    const line = lines[cursor];
    if (line.startsWith('#')) continue;
    const cells = line.split(',').map(pyStrip);
    // Wrong field counts are dropped silently; that is also how blank lines disappear.
    if (cells.length !== header.length) continue;
    const fields: Record<string, string> = {};
    const matchers = new Map<string, PyRegex>();
    header.forEach((column, i) => {
      const value = column === 'Command' ? expandCompletion(cells[i]) : cells[i];
      fields[column] = value;
      if (column !== 'Template' && value) {
        try {
          matchers.set(column, new PyRegex(value));
        } catch (err) {
          if (!(err instanceof PythonRegexError)) throw err;
          throw new CliTableError(`Invalid regular expression '${value}' in index column ${column}: ${err.message}`);
        }
      }
    });
    rows.push({ row: rows.length + 1, fields, matchers });
  }
  return { header, rows };
}

/**
 * First row whose regexes all match (`re.match`: anchored at the start only). Attributes that are
 * not columns and empty fields are not checked.
 */
export function findIndexRow(index: CliIndex, attributes: Readonly<Record<string, string>>): IndexRow | null {
  const keys = Object.keys(attributes);
  for (const row of index.rows) {
    let ok = true;
    for (const key of keys) {
      const matcher = row.matchers.get(key);
      if (matcher && !matcher.match(attributes[key])) {
        ok = false;
        break;
      }
    }
    if (ok) return row;
  }
  return null;
}

/** A parsed table: column names and rows of cells. */
export interface CliTableResult {
  header: string[];
  rows: Row[];
}

function sameCell(a: Cell | undefined, b: Cell | undefined): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return JSON.stringify(a) === JSON.stringify(b);
  return false;
}

/** TextTable.extend: adds the columns of `other` that `table` lacks, joining rows on `keys`. */
function extendTable(table: CliTableResult, other: CliTableResult, keys: ReadonlySet<string>): void {
  for (const key of keys) {
    if (!table.header.includes(key)) throw new CliTableError(`Unknown key: '${key}'`);
  }
  const added = other.header.filter((column) => !table.header.includes(column));
  if (added.length === 0) return;
  const addedIdx = added.map((column) => other.header.indexOf(column));
  table.header.push(...added);
  for (const row of table.rows) for (let i = 0; i < added.length; i++) row.push('');
  const base = table.header.length - added.length;
  if (keys.size === 0) {
    const n = Math.min(table.rows.length, other.rows.length);
    for (let r = 0; r < n; r++) {
      for (let i = 0; i < added.length; i++) table.rows[r][base + i] = other.rows[r][addedIdx[i]];
    }
    return;
  }
  const keyPairs = [...keys].map((k) => [table.header.indexOf(k), other.header.indexOf(k)] as const);
  for (const row of table.rows) {
    for (const candidate of other.rows) {
      if (keyPairs.every(([a, b]) => sameCell(row[a], b < 0 ? undefined : candidate[b]))) {
        for (let i = 0; i < added.length; i++) row[base + i] = candidate[addedIdx[i]];
        break;
      }
    }
  }
}

/** TextTable rows hold `str()` of every cell and of every List item. */
function tableRows(rows: Row[]): Row[] {
  for (const row of rows) {
    for (let c = 0; c < row.length; c++) {
      const cell = row[c];
      row[c] = Array.isArray(cell) ? cell.map(pyStr) : pyStr(cell);
    }
  }
  return rows;
}

function keyNames(tpl: CompiledTemplate): string[] {
  return tpl.values.filter((v) => v.options.includes('Key')).map((v) => v.name);
}

/**
 * CliTable.ParseCmd with an already resolved template list: the first template's table, extended
 * with the columns of each further template that it lacks.
 */
export function parseWithTemplates(
  templates: readonly CompiledTemplate[],
  text: string,
  options: ParseOptions = {},
): CliTableResult {
  if (templates.length === 0) throw new CliTableError('No templates to parse with.');
  const [first, ...rest] = templates;
  const table: CliTableResult = { header: [...first.header], rows: tableRows(parseText(first, text, options)) };
  let keys = new Set(keyNames(first));
  for (const tpl of rest) {
    const other: CliTableResult = { header: [...tpl.header], rows: tableRows(parseText(tpl, text, options)) };
    if (keys.size === 0) keys = new Set(keyNames(tpl));
    extendTable(table, other, keys);
  }
  return table;
}
