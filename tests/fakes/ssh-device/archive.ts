/**
 * IOS flash files and the configuration archive: what `dir`, TCL file writes, `copy`, `more`,
 * `show archive config differences|incremental-diffs` and `configure replace` work on.
 * Pure functions over BlockConfig and a file map; device.ts wires them to commands.
 */
import { BlockConfig } from './config-store.ts';
import type { ConfigStyle } from './types.ts';

const MAX_FILES = 64;
const MAX_FILE_BYTES = 1 << 20;

/** `flash:name`, `flash:/name` → `name`; anything else (other file systems, paths) → null. */
export function flashName(path: string): string | null {
  const m = /^flash:\/?([\w.-]{1,64})$/i.exec(path.trim().replace(/^"(.*)"$/, '$1'));
  return m ? m[1] : null;
}

export function writeFlash(files: Map<string, string>, name: string, text: string): string | null {
  if (!files.has(name) && files.size >= MAX_FILES) return '%Error opening flash:' + name + ' (No space left on device)';
  if (Buffer.byteLength(text) > MAX_FILE_BYTES) return '%Error writing flash:' + name + ' (No space left on device)';
  files.set(name, text);
  return null;
}

export function dirListing(files: ReadonlyMap<string, string>): string[] {
  const lines = ['Directory of flash:/', ''];
  let index = 1;
  let used = 0;
  for (const [name, text] of files) {
    const size = Buffer.byteLength(text);
    used += size;
    const when = 'Jan 20 2024 12:00:00 +00:00';
    lines.push(`${String(index++).padStart(5)}  -rw-  ${String(size).padStart(10)}  ${when}  ${name}`);
  }
  const total = 2142715904;
  lines.push('', `${total} bytes total (${total - used} bytes free)`);
  return lines;
}

const NOISE = [
  /^Building configuration/,
  /^Current configuration/,
  /^! (Last configuration change|NVRAM config last updated)/,
  /^end$/,
];

/** A configuration file as IOS reads it: `!` comments, the show-run header and `end` ignored. */
export function parseConfigFile(text: string, style: ConfigStyle): BlockConfig {
  const body = text
    .replace(/\r/g, '')
    .split('\n')
    .filter((l) => !NOISE.some((re) => re.test(l.trim())) && !/^\s*!/.test(l))
    .join('\n');
  const config = BlockConfig.parse(body, style);
  // Mode-opening lines are sections even with nothing under them, as when they were typed.
  for (const entry of config.entries()) if (SECTION.test(entry.line)) config.openSection(entry.line);
  return config;
}

const SECTION = /^(interface|router|line|vlan|archive|controller|policy-map|class-map|route-map)\s*/;

const same = (a: string, b: string) => a.trim().replace(/\s+/g, ' ') === b.trim().replace(/\s+/g, ' ');

interface Entry {
  line: string;
  children: readonly string[];
  isSection?: boolean;
}

function sided(from: readonly Entry[], other: readonly Entry[], sign: '+' | '-'): string[] {
  const out: string[] = [];
  for (const entry of from) {
    const block = entry.children.length > 0 || entry.isSection === true;
    const match = other.find((o) => same(o.line, entry.line));
    if (!match) {
      out.push(sign + entry.line, ...entry.children.map((c) => ` ${sign}${c}`));
      continue;
    }
    if (!block) continue;
    const missing = entry.children.filter((c) => !match.children.some((m) => same(m, c)));
    if (missing.length > 0) out.push(entry.line, ...missing.map((c) => ` ${sign}${c}`));
  }
  return out;
}

/** `show archive config differences A B`: lines only in B with `+`, then lines only in A with `-`. */
export function contextualDiff(base: BlockConfig, target: BlockConfig): string[] {
  const changes = [...sided(target.entries(), base.entries(), '+'), ...sided(base.entries(), target.entries(), '-')];
  return ['!Contextual Config Diffs:', ...(changes.length > 0 ? changes : ['!No changes were found'])];
}

/** `show archive config incremental-diffs FILE`: the file's commands that would change the running config. */
export function incrementalDiff(running: BlockConfig, file: string, style: ConfigStyle): string[] {
  const lines = file.replace(/\r/g, '').split('\n');
  if (!lines.some((l) => l.trim() === 'end')) {
    return ['%Error: incremental-diffs returned error code 5 (file must end with "end")'];
  }
  const changes: string[] = [];
  for (const entry of parseConfigFile(file, style).entries()) {
    const current = running.entries().find((e) => same(e.line, entry.line));
    const negated = /^no\s+(.*)$/i.exec(entry.line.trim());
    if (negated) {
      if (running.entries().some((e) => same(e.line.slice(0, negated[1].length), negated[1]))) changes.push(entry.line);
      continue;
    }
    if (!current) {
      changes.push(entry.line, ...entry.children.map((c) => ` ${c}`));
      continue;
    }
    const missing = entry.children.filter((c) => !current.children.some((m) => same(m, c)));
    if (missing.length > 0) changes.push(entry.line, ...missing.map((c) => ` ${c}`));
  }
  if (changes.length === 0) return ['!List of Commands:', 'end', '!No changes were found'];
  return ['!List of Commands:', ...changes, 'end'];
}

/** The archive feature is on when the running config has `archive` with a `path`. */
export function archiveEnabled(running: BlockConfig): boolean {
  const archive = running.entries().find((e) => same(e.line, 'archive'));
  return archive?.children.some((c) => /^path\s+\S+/.test(c.trim())) === true;
}

/** Decodes a TCL word as `puts` receives it: `{text}` verbatim, `"te\"xt"` with backslash escapes. */
export function tclWord(raw: string): string | null {
  const text = raw.trim();
  if (text.startsWith('{') && text.endsWith('}')) return text.slice(1, -1);
  if (text.startsWith('"') && text.endsWith('"') && text.length >= 2) {
    return text.slice(1, -1).replace(/\\(.)/g, (_all, ch: string) => (ch === 'n' ? '\n' : ch === 't' ? '\t' : ch));
  }
  return /^\S+$/.test(text) ? text : null;
}
