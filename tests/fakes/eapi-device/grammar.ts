/**
 * Keyword resolution shared by exec and config commands: exact keywords
 * always match; with `autoComplete` a unique prefix expands (`sh ver`), as on
 * EOS, where eAPI rejects abbreviations unless the request asks for it.
 */

export class CliError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    readonly detail: string,
  ) {
    super(detail);
  }
}

export const invalidAt = (i: number, tok: string): CliError =>
  new CliError(1002, 'invalid command', `Invalid input (at token ${i}: '${tok}')`);
export const incompleteAt = (i: number, tok: string): CliError =>
  new CliError(1002, 'invalid command', `incomplete token (at token ${i}: '${tok}')`);
export const ambiguousAt = (i: number, tok: string): CliError =>
  new CliError(1002, 'invalid command', `Ambiguous command (at token ${i}: '${tok}')`);

export function tokenize(cmd: string): string[] {
  return cmd
    .trim()
    .split(/\s+/)
    .filter((t) => t !== '');
}

/** Matches one token against candidate keywords; undefined when none fits. */
export function matchKeyword(
  tok: string,
  candidates: readonly string[],
  autoComplete: boolean,
  index: number,
): string | undefined {
  const t = tok.toLowerCase();
  const exact = candidates.find((c) => c === t);
  if (exact) return exact;
  if (!autoComplete) return undefined;
  const pre = [...new Set(candidates.filter((c) => c.startsWith(t)))];
  if (pre.length === 1) return pre[0];
  if (pre.length > 1) throw ambiguousAt(index, tok);
  return undefined;
}

export interface Resolved {
  /** the keyword path matched, lowercase and expanded */
  words: string[];
  /** the remaining tokens (arguments) */
  rest: string[];
  /** index of rest[0] in the whole command */
  restIndex: number;
}

/** Walks `tokens` down `grammar` (keyword paths); stops at the longest complete path. */
export function resolve(tokens: string[], grammar: readonly string[][], autoComplete: boolean, offset = 0): Resolved {
  let matched = grammar;
  const words: string[] = [];
  for (let i = 0; ; i++) {
    const complete = matched.some((p) => p.length === i);
    const cands = matched.filter((p) => p.length > i).map((p) => p[i]);
    if (i >= tokens.length) {
      if (complete) return { words, rest: [], restIndex: offset + i };
      throw incompleteAt(offset + Math.max(0, i - 1), tokens[i - 1] ?? '');
    }
    const kw = cands.length ? matchKeyword(tokens[i], cands, autoComplete, offset + i) : undefined;
    if (kw === undefined) {
      if (complete) return { words, rest: tokens.slice(i), restIndex: offset + i };
      throw invalidAt(offset + i, tokens[i]);
    }
    words.push(kw);
    matched = matched.filter((p) => p[i] === kw);
  }
}

const IF_TYPES = ['Ethernet', 'Management', 'Loopback', 'Port-Channel', 'Vlan', 'Vxlan'];

/** `et1`, `Eth1`, `ethernet1`, `Ma1`, `lo0`, `po10` → canonical name; undefined if not an interface name. */
export function normalizeInterface(tok: string): string | undefined {
  const m = /^([A-Za-z-]+)\s*(\d+(?:\/\d+)*)$/.exec(tok);
  if (!m) return undefined;
  const t = m[1].toLowerCase();
  if (t.length < 2 && t !== 'e') return undefined;
  const type = IF_TYPES.find((x) => x.toLowerCase().startsWith(t));
  return type ? type + m[2] : undefined;
}
