/**
 * Keyword matcher with the abbreviation rules network CLIs share: every word
 * may be shortened to a unique prefix; a prefix shared by two keywords is
 * ambiguous; a line that stops early is incomplete; the first word that fits
 * nothing is invalid and is pointed at by column (for the `^` caret line).
 */
import type { CommandSpec } from './types.ts';

export interface Token {
  text: string;
  /** Zero-based column of the token's first character in the typed line. */
  column: number;
}

type Element = { type: 'keyword'; word: string } | { type: 'word' } | { type: 'rest' } | { type: 'any' };

export type MatchResult =
  | { ok: true; spec: CommandSpec; tokens: Token[] /** tokens taken by placeholders */; args: string[] }
  | { ok: false; error: 'invalid'; column: number; tokenIndex: number }
  | { ok: false; error: 'incomplete'; column: number }
  | { ok: false; error: 'ambiguous'; column: number; word: string }
  | { ok: false; error: 'empty' };

export function tokenize(line: string): Token[] {
  const tokens: Token[] = [];
  const wordPattern = /\S+/g;
  for (let found = wordPattern.exec(line); found !== null; found = wordPattern.exec(line)) {
    tokens.push({ text: found[0], column: found.index });
  }
  return tokens;
}

const parsedSyntax = new WeakMap<CommandSpec, Element[]>();

function elementsOf(spec: CommandSpec): Element[] {
  let elements = parsedSyntax.get(spec);
  if (elements === undefined) {
    elements = spec.syntax
      .split(/\s+/)
      .filter(Boolean)
      .map((part): Element => {
        if (part === '<word>') return { type: 'word' };
        if (part === '<rest>') return { type: 'rest' };
        if (part === '<any>') return { type: 'any' };
        return { type: 'keyword', word: part.toLowerCase() };
      });
    parsedSyntax.set(spec, elements);
  }
  return elements;
}

interface Candidate {
  spec: CommandSpec;
  elements: Element[];
  /** Set once a <rest>/<any> swallowed the remaining tokens. */
  absorbing: boolean;
  args: string[];
}

export function matchCommand(line: string, specs: readonly CommandSpec[]): MatchResult {
  const tokens = tokenize(line);
  if (tokens.length === 0) return { ok: false, error: 'empty' };
  let candidates: Candidate[] = specs.map((spec) => ({ spec, elements: elementsOf(spec), absorbing: false, args: [] }));

  for (let index = 0; index < tokens.length; index++) {
    const token = tokens[index];
    const typed = token.text.toLowerCase();
    const absorbing = candidates.filter((c) => c.absorbing);
    const live = candidates.filter((c) => !c.absorbing && index < c.elements.length);
    const exact = live.filter((c) => {
      const e = c.elements[index];
      return e.type === 'keyword' && e.word === typed;
    });
    const prefixed = live.filter((c) => {
      const e = c.elements[index];
      return e.type === 'keyword' && e.word.startsWith(typed);
    });
    const placeholders = live.filter((c) => c.elements[index].type !== 'keyword');
    let next: Candidate[];
    if (exact.length > 0) {
      next = exact;
    } else if (prefixed.length > 0) {
      const distinctWords = new Set(prefixed.map((c) => (c.elements[index] as { word: string }).word));
      if (distinctWords.size > 1) return { ok: false, error: 'ambiguous', column: token.column, word: token.text };
      next = prefixed;
    } else {
      next = placeholders;
    }
    next = next.map((c) => {
      const element = c.elements[index];
      const takesRest = element.type === 'rest' || element.type === 'any';
      return { ...c, absorbing: takesRest, args: element.type === 'keyword' ? c.args : [...c.args, token.text] };
    });
    if (next.length === 0) {
      if (absorbing.length === 0) return { ok: false, error: 'invalid', column: token.column, tokenIndex: index };
      candidates = absorbing.map((c) => ({ ...c, args: [...c.args, token.text] }));
    } else {
      candidates = next;
    }
  }

  const complete = candidates.find((c) => {
    if (c.absorbing) return true;
    return c.elements.slice(tokens.length).every((e) => e.type === 'any');
  });
  if (complete === undefined) {
    const last = tokens[tokens.length - 1];
    return { ok: false, error: 'incomplete', column: last.column + last.text.length };
  }
  return { ok: true, spec: complete.spec, tokens, args: complete.args };
}
