import type { NapalmCli } from '../../device.ts';
import { parseError } from '../helpers.ts';

/** NX-OS `<command> | json` answers: NX-API's `TABLE_x`/`ROW_x` structures printed on the CLI. */

// Device JSON has no static schema; the getters read it field by field, as NAPALM does.
// biome-ignore lint/suspicious/noExplicitAny: see above
export type Json = Record<string, any>;

export async function showJson(cli: NapalmCli, command: string): Promise<Json> {
  const text = await cli.run(`${command} | json`);
  try {
    return JSON.parse(text) as Json;
  } catch {
    throw parseError(`${command} | json: ${text.trim().slice(0, 200)}`);
  }
}

/** NAPALM `_get_table_rows`: a table may hold one row (an object) or many (a list). */
export function tableRows(parent: Json | null | undefined, table: string, row: string): Json[] {
  if (!parent) return [];
  const t = parent[table];
  let rows: unknown = [];
  if (Array.isArray(t)) rows = t.map((x: Json) => x?.[row]);
  else if (t && typeof t === 'object') rows = (t as Json)[row];
  return (Array.isArray(rows) ? rows : [rows]).filter((r) => r !== undefined && r !== null) as Json[];
}

export async function commandTable(cli: NapalmCli, command: string, table: string, row: string): Promise<Json[]> {
  return tableRows(await showJson(cli, command), table, row);
}
