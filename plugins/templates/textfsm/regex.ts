/**
 * Python `re` pattern syntax → JavaScript RegExp.
 *
 * Every pattern is translated into two JavaScript sources with identical group numbering:
 *
 * - `exact`: reproduces Python semantics for any subject string (Unicode `\d`, `\w`, `\s`, `\b`,
 *   `.` that only stops at `\n`, `$` that also matches before a final `\n`).
 * - `fast`: uses the native JavaScript escapes. It gives the same answers as `exact` for subjects
 *   that {@link isFastSubject} accepts (ASCII, no line terminators, no `\x1c`-`\x1f`), which is
 *   what almost all device output is, and it runs noticeably faster in V8.
 *
 * Capturing-group names are removed from the JavaScript source: names are resolved to group
 * numbers here, so the engine reads `match[n]` and V8 never builds a `groups` object.
 */

export class PythonRegexError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PythonRegexError';
  }
}

export interface TranslatedRegex {
  /** JavaScript source exact for any subject. */
  exact: string;
  /** JavaScript source valid for subjects accepted by {@link isFastSubject}. */
  fast: string;
  /** JavaScript flags (always `u`, plus `i` when case-insensitivity is native). */
  flags: string;
  /** Number of capturing groups (Python `pattern.groups`). */
  groupCount: number;
  /** Named groups in definition order (Python `groupindex`, whose order `groupdict()` follows). */
  groupNames: string[];
  /** Group number of each named group. */
  groupIndex: Map<string, number>;
  /** Present when captures sit inside a repetition (where JavaScript and Python disagree). */
  instrumented: { source: string; repeats: RepeatInfo[] } | null;
}

/** A repetition (`*`, `+`, `{m,n}` with n > 1) whose atom contains capturing groups. */
export interface RepeatInfo {
  /** Name of the capture wrapping the whole repetition in the instrumented source. */
  name: string;
  /** Source of the repeated atom (one iteration), instrumented. */
  body: string;
  /** Python group numbers inside the atom. */
  captures: number[];
}

interface Flags {
  i: boolean;
  m: boolean;
  s: boolean;
  x: boolean;
  a: boolean;
}

// Python's str.isspace() set, which is what `\s` matches in a str pattern.
const PY_SPACE_BODY = '\\t-\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const ASCII_SPACE_BODY = '\\t-\\r\\x1c-\\x20';
// Python's \w is str.isalnum() plus '_': letters (L*) and numerics (N*).
const PY_WORD_BODY = '\\p{L}\\p{N}_';
const ASCII_WORD_BODY = 'A-Za-z0-9_';

const SYNTAX_CHARS = new Set('^$\\.*+?()[]{}|/'.split(''));
const CLASS_SPECIAL = new Set('\\]^-['.split(''));
const OCT = /^[0-7]$/;
const DIGIT = /^[0-9]$/;
const HEX = /^[0-9a-fA-F]$/;
const ASCII_LETTER = /^[A-Za-z]$/;
const FLAG_CHARS = 'aiLmsux';

function hexEscape(cp: number): string {
  return `\\u{${cp.toString(16)}}`;
}

function literalOutside(cp: number): string {
  const ch = String.fromCodePoint(cp);
  if (SYNTAX_CHARS.has(ch)) return '\\' + ch;
  if (cp < 0x20 || cp === 0x7f || (cp >= 0xd800 && cp <= 0xdfff)) return hexEscape(cp);
  return ch;
}

function literalInClass(cp: number): string {
  const ch = String.fromCodePoint(cp);
  if (CLASS_SPECIAL.has(ch)) return '\\' + ch;
  if (cp < 0x20 || cp === 0x7f || (cp >= 0xd800 && cp <= 0xdfff)) return hexEscape(cp);
  return ch;
}

/** Simple case variants of one code point (what a case-insensitive match of it accepts). */
function caseVariants(cp: number): number[] {
  const ch = String.fromCodePoint(cp);
  const out = new Set<number>([cp]);
  for (const v of [ch.toLowerCase(), ch.toUpperCase()]) {
    if ([...v].length === 1) out.add(v.codePointAt(0)!);
  }
  return [...out];
}

type ShorthandKind = 'd' | 'D' | 'w' | 'W' | 's' | 'S';

/** One member of a character class. */
type ClassItem = { kind: 'range'; lo: number; hi: number } | { kind: 'shorthand'; which: ShorthandKind };

class Translator {
  private pos = 0;
  private exact = '';
  private fast = '';
  /**
   * `exact` with every capture named `g<N>` and every repetition that contains captures wrapped
   * in a capture `r<K>`, used to recover Python's capture values (see {@link RepeatedCaptures}).
   */
  private inst = '';
  private readonly repeats: RepeatInfo[] = [];
  /** Where the latest atom of the current sequence starts in `inst`, and the group count before it. */
  private atomStart = 0;
  private atomGroupsBefore = 0;
  private groupCount = 0;
  private readonly groupNames: string[] = [];
  private readonly groupIndex = new Map<string, number>();
  private readonly openGroups = new Set<number>();
  private nativeIgnoreCase = false;
  private emulateIgnoreCase = false;
  /** Whether the last emitted item can take a quantifier, and whether it already has one. */
  private lastItem: 'none' | 'atom' | 'anchor' | 'repeat' = 'none';

  constructor(private readonly src: string) {}

  run(): TranslatedRegex {
    const flags = this.leadingFlags();
    // Scoped (?i:…) / (?-i:…) cannot use the JavaScript flag, so case-insensitivity is then
    // expanded into the pattern for the whole expression instead.
    const scopedI =
      /\(\?[a-zA-Z]*-?[a-zA-Z]*i[a-zA-Z]*:/.test(this.src.slice(this.pos)) ||
      /\(\?-[a-zA-Z]*i/.test(this.src.slice(this.pos));
    if (flags.i && !scopedI) this.nativeIgnoreCase = true;
    else this.emulateIgnoreCase = true;
    this.parseAlternation(flags, 0);
    if (this.pos < this.src.length) {
      throw this.error('unbalanced parenthesis');
    }
    return {
      exact: this.exact,
      fast: this.fast,
      flags: this.nativeIgnoreCase ? 'iu' : 'u',
      groupCount: this.groupCount,
      groupNames: this.groupNames,
      groupIndex: this.groupIndex,
      instrumented: this.repeats.length > 0 ? { source: this.inst, repeats: this.repeats } : null,
    };
  }

  private error(msg: string, at = this.pos): PythonRegexError {
    return new PythonRegexError(`${msg} at position ${at}`);
  }

  private emit(both: string): void {
    this.exact += both;
    this.fast += both;
    this.inst += both;
  }

  private emit2(exact: string, fast: string): void {
    this.exact += exact;
    this.fast += fast;
    this.inst += exact;
  }

  /** Python 3.11 only accepts global flag groups at the very start of the pattern. */
  private leadingFlags(): Flags {
    const flags: Flags = { i: false, m: false, s: false, x: false, a: false };
    for (;;) {
      const m = /^\(\?([aiLmsux]+)\)/.exec(this.src.slice(this.pos));
      if (!m) break;
      for (const f of m[1]) this.applyFlag(flags, f, true);
      this.pos += m[0].length;
    }
    return flags;
  }

  private applyFlag(flags: Flags, f: string, on: boolean): void {
    switch (f) {
      case 'i':
        flags.i = on;
        break;
      case 'm':
        flags.m = on;
        break;
      case 's':
        flags.s = on;
        break;
      case 'x':
        flags.x = on;
        break;
      case 'a':
        flags.a = on;
        break;
      case 'u':
        break;
      case 'L':
        throw this.error("bad inline flags: cannot use 'L' flag with a str pattern");
      default:
        throw this.error('unknown flag');
    }
  }

  private peek(off = 0): string {
    return this.src[this.pos + off] ?? '';
  }

  private parseAlternation(flags: Flags, depth: number): void {
    for (;;) {
      this.lastItem = 'none';
      this.parseSequence(flags, depth);
      if (this.peek() === '|') {
        this.pos++;
        this.emit('|');
        continue;
      }
      return;
    }
  }

  private parseSequence(flags: Flags, depth: number): void {
    while (this.pos < this.src.length) {
      const ch = this.peek();
      if (ch === '|') return;
      if (ch === ')') {
        if (depth === 0) throw this.error('unbalanced parenthesis');
        return;
      }
      if (flags.x) {
        if (/\s/.test(ch)) {
          this.pos++;
          continue;
        }
        if (ch === '#') {
          while (this.pos < this.src.length && this.peek() !== '\n') this.pos++;
          continue;
        }
      }
      if (this.tryQuantifier()) continue;
      const atomStart = this.inst.length;
      const groupsBefore = this.groupCount;
      this.parseAtom(flags, depth);
      this.atomStart = atomStart;
      this.atomGroupsBefore = groupsBefore;
    }
  }

  /** Consumes a quantifier at the cursor. Returns false when the text there is not one. */
  private tryQuantifier(): boolean {
    const start = this.pos;
    const ch = this.peek();
    let quant: string;
    let max = ch === '?' ? 1 : Infinity;
    if (ch === '*' || ch === '+' || ch === '?') {
      quant = ch;
      this.pos++;
    } else if (ch === '{') {
      const m = /^\{(\d*)(?:(,)(\d*))?\}/.exec(this.src.slice(this.pos));
      if (!m || (m[1] === '' && m[2] === undefined)) return false;
      const lo = m[1] === '' ? 0 : Number(m[1]);
      const hi = m[2] === undefined ? lo : m[3] === '' ? Infinity : Number(m[3]);
      if (hi < lo) throw this.error('min repeat greater than max repeat', start + 1);
      if (lo > 0xffffffff || (hi !== Infinity && hi > 0xffffffff))
        throw this.error('the repetition number is too large', start + 1);
      max = hi;
      quant = m[2] === undefined ? `{${lo}}` : hi === Infinity ? `{${lo},}` : `{${lo},${hi}}`;
      this.pos += m[0].length;
    } else {
      return false;
    }
    if (this.lastItem === 'none' || this.lastItem === 'anchor') throw this.error('nothing to repeat', start);
    if (this.lastItem === 'repeat') throw this.error('multiple repeat', start);
    if (this.peek() === '?') {
      quant += '?';
      this.pos++;
    } else if (this.peek() === '+') {
      throw this.error('possessive quantifiers are not supported by the JavaScript engine');
    }
    if (max > 1 && this.groupCount > this.atomGroupsBefore) {
      const body = this.inst.slice(this.atomStart);
      const name = `r${this.repeats.length}`;
      this.inst = this.inst.slice(0, this.atomStart) + `(?<${name}>` + body;
      this.emit(quant);
      this.inst += ')';
      const captures: number[] = [];
      for (let g = this.atomGroupsBefore + 1; g <= this.groupCount; g++) captures.push(g);
      this.repeats.push({ name, body, captures });
    } else {
      this.emit(quant);
    }
    this.lastItem = 'repeat';
    return true;
  }

  private parseAtom(flags: Flags, depth: number): void {
    const ch = this.peek();
    switch (ch) {
      case '(':
        this.parseGroup(flags, depth);
        return;
      case '[':
        this.pos++;
        this.parseClass(flags);
        this.lastItem = 'atom';
        return;
      case '\\':
        this.parseEscape(flags);
        return;
      case '.':
        this.pos++;
        this.emit2(flags.s ? '[^]' : '[^\\n]', flags.s ? '[^]' : '.');
        this.lastItem = 'atom';
        return;
      case '^':
        this.pos++;
        this.emit2(flags.m ? '(?:(?<![^])|(?<=\\n))' : '^', '^');
        this.lastItem = 'anchor';
        return;
      case '$':
        this.pos++;
        this.emit2(flags.m ? '(?=\\n|(?![^]))' : '(?=\\n?(?![^]))', '$');
        this.lastItem = 'anchor';
        return;
      default: {
        const cp = this.src.codePointAt(this.pos)!;
        this.pos += cp > 0xffff ? 2 : 1;
        this.emitLiteral(cp, flags);
        return;
      }
    }
  }

  private emitLiteral(cp: number, flags: Flags): void {
    if (flags.i && this.emulateIgnoreCase) {
      const variants = caseVariants(cp);
      if (variants.length > 1) {
        this.emit('[' + variants.map(literalInClass).join('') + ']');
        this.lastItem = 'atom';
        return;
      }
    }
    this.emit(literalOutside(cp));
    this.lastItem = 'atom';
  }

  private parseGroup(flags: Flags, depth: number): void {
    const start = this.pos;
    this.pos++; // (
    if (this.peek() !== '?') {
      this.openCapture(null, flags, depth);
      return;
    }
    this.pos++; // ?
    const kind = this.peek();
    if (kind === ':') {
      this.pos++;
      this.emit('(?:');
      this.parseGroupBody(flags, depth);
      this.lastItem = 'atom';
      return;
    }
    if (kind === 'P') {
      this.pos++;
      if (this.peek() === '<') {
        this.pos++;
        const name = this.readName('>');
        this.openCapture(name, flags, depth);
        return;
      }
      if (this.peek() === '=') {
        this.pos++;
        const name = this.readName(')');
        const index = this.groupIndex.get(name);
        if (index === undefined) throw this.error(`unknown group name '${name}'`, start + 4);
        if (this.openGroups.has(index)) throw this.error('cannot refer to an open group', start);
        this.emitBackref(index);
        return;
      }
      throw this.error('unknown extension ?P' + this.peek(), start + 1);
    }
    if (kind === '=' || kind === '!') {
      this.pos++;
      this.openLookaround(`(?${kind}`, flags, depth);
      return;
    }
    if (kind === '<' && (this.peek(1) === '=' || this.peek(1) === '!')) {
      const op = this.peek(1);
      this.pos += 2;
      this.openLookaround(`(?<${op}`, flags, depth);
      return;
    }
    if (kind === '#') {
      while (this.pos < this.src.length && this.peek() !== ')') this.pos++;
      if (this.pos >= this.src.length) throw this.error('missing ), unterminated comment', start);
      this.pos++;
      return;
    }
    if (kind === '>') throw this.error('atomic groups are not supported by the JavaScript engine', start);
    if (kind === '(') throw this.error('conditional groups are not supported by the JavaScript engine', start);
    if (FLAG_CHARS.includes(kind) || kind === '-') {
      const m = /^([aiLmsux]*)(?:-([imsx]*))?([:)])/.exec(this.src.slice(this.pos));
      if (!m) throw this.error('unknown flag', this.pos);
      if (m[3] === ')') throw this.error('global flags not at the start of the expression', start);
      this.pos += m[0].length;
      const scoped: Flags = { ...flags };
      for (const f of m[1]) this.applyFlag(scoped, f, true);
      for (const f of m[2] ?? '') this.applyFlag(scoped, f, false);
      this.emit('(?:');
      this.parseGroupBody(scoped, depth);
      this.lastItem = 'atom';
      return;
    }
    throw this.error('unknown extension ?' + kind, start + 1);
  }

  private readName(terminator: string): string {
    const start = this.pos;
    const end = this.src.indexOf(terminator, this.pos);
    if (end < 0) throw this.error('missing ' + terminator + ', unterminated name', start);
    const name = this.src.slice(start, end);
    if (name === '') throw this.error('missing group name', start);
    if (!/^[\p{L}\p{Nl}_][\p{L}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Pc}]*$/u.test(name)) {
      throw this.error(`bad character in group name '${name}'`, start);
    }
    this.pos = end + 1;
    return name;
  }

  private openCapture(name: string | null, flags: Flags, depth: number): void {
    const index = ++this.groupCount;
    if (name !== null) {
      if (this.groupIndex.has(name)) {
        throw this.error(
          `redefinition of group name '${name}' as group ${index}; was group ${this.groupIndex.get(name)}`,
        );
      }
      this.groupIndex.set(name, index);
      this.groupNames.push(name);
    }
    this.openGroups.add(index);
    this.exact += '(';
    this.fast += '(';
    this.inst += `(?<g${index}>`;
    this.parseGroupBody(flags, depth);
    this.openGroups.delete(index);
    this.lastItem = 'atom';
  }

  /** Lookarounds are wrapped so that a quantifier after them (legal in Python) stays legal. */
  private openLookaround(open: string, flags: Flags, depth: number): void {
    this.emit('(?:' + open);
    this.parseGroupBody(flags, depth);
    this.emit(')');
    this.lastItem = 'atom';
  }

  private emitBackref(index: number): void {
    this.exact += `(?:\\${index})`;
    this.fast += `(?:\\${index})`;
    this.inst += `(?:\\k<g${index}>)`;
    this.lastItem = 'atom';
  }

  private parseGroupBody(flags: Flags, depth: number): void {
    const start = this.pos;
    this.parseAlternation(flags, depth + 1);
    if (this.peek() !== ')') throw this.error('missing ), unterminated subpattern', start - 1);
    this.pos++;
    this.emit(')');
  }

  private parseEscape(flags: Flags): void {
    const start = this.pos;
    this.pos++; // backslash
    const c = this.peek();
    if (c === '') throw this.error('bad escape (end of pattern)', start);
    this.pos++;
    switch (c) {
      case 'A':
        this.emit2('(?<![^])', '^');
        this.lastItem = 'anchor';
        return;
      case 'Z':
        this.emit2('(?![^])', '$');
        this.lastItem = 'anchor';
        return;
      case 'b':
      case 'B': {
        const w = flags.a ? ASCII_WORD_BODY : PY_WORD_BODY;
        const boundary = `(?<=[${w}])(?![${w}])|(?<![${w}])(?=[${w}])`;
        const exact = c === 'b' ? `(?:${boundary})` : `(?!${boundary})`;
        this.emit2(exact, '\\' + c);
        this.lastItem = 'anchor';
        return;
      }
      case 'd':
      case 'D':
      case 'w':
      case 'W':
      case 's':
      case 'S': {
        this.emit2(shorthandStandalone(c, flags.a), '\\' + c);
        this.lastItem = 'atom';
        return;
      }
    }
    if (c >= '1' && c <= '9') {
      let digits = c;
      if (DIGIT.test(this.peek())) {
        if (OCT.test(c) && OCT.test(this.peek()) && OCT.test(this.peek(1))) {
          const octal = c + this.peek() + this.peek(1);
          this.pos += 2;
          const value = parseInt(octal, 8);
          if (value > 0o377) throw this.error(`octal escape value \\${octal} outside of range 0-0o377`, start);
          this.emitLiteral(value, flags);
          return;
        }
        digits += this.peek();
        this.pos++;
      }
      const index = Number(digits);
      if (index > this.groupCount) throw this.error('invalid group reference ' + index, start + 1);
      if (this.openGroups.has(index)) throw this.error('cannot refer to an open group', start);
      this.emitBackref(index);
      return;
    }
    const cp = this.escapeCodePoint(c, start, false);
    this.emitLiteral(cp, flags);
  }

  /** Escapes that denote a single character, shared by classes and the pattern body. */
  private escapeCodePoint(c: string, start: number, inClass: boolean): number {
    switch (c) {
      case 'a':
        return 7;
      case 'f':
        return 12;
      case 'n':
        return 10;
      case 'r':
        return 13;
      case 't':
        return 9;
      case 'v':
        return 11;
      case '\\':
        return 92;
      case 'x':
        return this.hexDigits(2, start, '\\x');
      case 'u':
        return this.hexDigits(4, start, '\\u');
      case 'U': {
        const cp = this.hexDigits(8, start, '\\U');
        if (cp > 0x10ffff) throw this.error(`bad escape \\U${cp.toString(16).padStart(8, '0')}`, start);
        return cp;
      }
      case '0': {
        let octal = '0';
        while (octal.length < 3 && OCT.test(this.peek())) octal += this.src[this.pos++];
        return parseInt(octal, 8);
      }
    }
    if (inClass && OCT.test(c)) {
      let octal = c;
      while (octal.length < 3 && OCT.test(this.peek())) octal += this.src[this.pos++];
      const value = parseInt(octal, 8);
      if (value > 0o377) throw this.error(`octal escape value \\${octal} outside of range 0-0o377`, start);
      return value;
    }
    if (ASCII_LETTER.test(c) || DIGIT.test(c)) throw this.error('bad escape \\' + c, start);
    // Non-BMP characters take two UTF-16 units; the first was consumed already.
    const cp = this.src.codePointAt(this.pos - 1)!;
    if (cp > 0xffff) this.pos++;
    return cp;
  }

  private hexDigits(count: number, start: number, prefix: string): number {
    const digits = this.src.slice(this.pos, this.pos + count);
    if (digits.length < count || ![...digits].every((d) => HEX.test(d))) {
      throw this.error(`incomplete escape ${prefix}${digits.replace(/[^0-9a-fA-F].*$/, '')}`, start);
    }
    this.pos += count;
    return parseInt(digits, 16);
  }

  private parseClass(flags: Flags): void {
    const start = this.pos - 1;
    let negated = false;
    if (this.peek() === '^') {
      negated = true;
      this.pos++;
    }
    const bodyStart = this.pos;
    const items: ClassItem[] = [];
    for (;;) {
      if (this.pos >= this.src.length) throw this.error('unterminated character set', start);
      if (this.peek() === ']' && this.pos !== bodyStart) {
        this.pos++;
        break;
      }
      const first = this.classAtom();
      if (this.peek() === '-') {
        this.pos++;
        if (this.pos >= this.src.length) throw this.error('unterminated character set', start);
        if (this.peek() === ']') {
          items.push(first, { kind: 'range', lo: 45, hi: 45 });
          continue;
        }
        const rangeStart = this.pos;
        const second = this.classAtom();
        if (first.kind !== 'range' || second.kind !== 'range') {
          throw this.error('bad character range', rangeStart - 2);
        }
        if (second.lo < first.lo) throw this.error('bad character range', rangeStart - 2);
        items.push({ kind: 'range', lo: first.lo, hi: second.lo });
        continue;
      }
      items.push(first);
    }
    const emulateCase = flags.i && this.emulateIgnoreCase;
    const exact = renderClass(items, negated, flags.a, false, emulateCase);
    this.exact += exact;
    this.inst += exact;
    this.fast += renderClass(items, negated, flags.a, true, emulateCase);
  }

  private classAtom(): ClassItem {
    const start = this.pos;
    if (this.peek() === '\\') {
      this.pos++;
      const c = this.peek();
      if (c === '') throw this.error('bad escape (end of pattern)', start);
      this.pos++;
      if ('dDwWsS'.includes(c)) return { kind: 'shorthand', which: c as ShorthandKind };
      if (c === 'b') return { kind: 'range', lo: 8, hi: 8 };
      const cp = this.escapeCodePoint(c, start, true);
      return { kind: 'range', lo: cp, hi: cp };
    }
    const cp = this.src.codePointAt(this.pos)!;
    this.pos += cp > 0xffff ? 2 : 1;
    return { kind: 'range', lo: cp, hi: cp };
  }
}

function shorthandStandalone(c: string, ascii: boolean): string {
  switch (c) {
    case 'd':
      return ascii ? '[0-9]' : '\\p{Nd}';
    case 'D':
      return ascii ? '[^0-9]' : '\\P{Nd}';
    case 'w':
      return `[${ascii ? ASCII_WORD_BODY : PY_WORD_BODY}]`;
    case 'W':
      return `[^${ascii ? ASCII_WORD_BODY : PY_WORD_BODY}]`;
    case 's':
      return `[${ascii ? ASCII_SPACE_BODY : PY_SPACE_BODY}]`;
    default:
      return `[^${ascii ? ASCII_SPACE_BODY : PY_SPACE_BODY}]`;
  }
}

function renderRange(lo: number, hi: number): string {
  return lo === hi ? literalInClass(lo) : `${literalInClass(lo)}-${literalInClass(hi)}`;
}

/** Case variants of a range: exact for ASCII letters, per code point elsewhere when small. */
function caseRanges(lo: number, hi: number): string {
  let out = '';
  const a = Math.max(lo, 0x41);
  const b = Math.min(hi, 0x5a);
  if (a <= b) out += renderRange(a + 32, b + 32);
  const c = Math.max(lo, 0x61);
  const d = Math.min(hi, 0x7a);
  if (c <= d) out += renderRange(c - 32, d - 32);
  if (hi > 0x7f && hi - lo < 512) {
    for (let cp = Math.max(lo, 0x80); cp <= hi; cp++) {
      for (const v of caseVariants(cp)) if (v !== cp && (v < lo || v > hi)) out += literalInClass(v);
    }
  }
  return out;
}

function renderClass(
  items: ClassItem[],
  negated: boolean,
  ascii: boolean,
  fast: boolean,
  emulateCase: boolean,
): string {
  let body = '';
  const complements = new Set<string>();
  for (const item of items) {
    if (item.kind === 'range') {
      body += renderRange(item.lo, item.hi);
      if (emulateCase) body += caseRanges(item.lo, item.hi);
      continue;
    }
    if (fast) {
      body += '\\' + item.which;
      continue;
    }
    switch (item.which) {
      case 'd':
        body += ascii ? '0-9' : '\\p{Nd}';
        break;
      case 'D':
        if (ascii) complements.add('[0-9]');
        else body += '\\P{Nd}';
        break;
      case 'w':
        body += ascii ? ASCII_WORD_BODY : PY_WORD_BODY;
        break;
      case 'W':
        complements.add(`[${ascii ? ASCII_WORD_BODY : PY_WORD_BODY}]`);
        break;
      case 's':
        body += ascii ? ASCII_SPACE_BODY : PY_SPACE_BODY;
        break;
      case 'S':
        complements.add(`[${ascii ? ASCII_SPACE_BODY : PY_SPACE_BODY}]`);
        break;
    }
  }
  if (complements.size === 0) return `[${negated ? '^' : ''}${body}]`;
  // A negated shorthand (\W, \S) cannot go into a class body. A class [b\W\S] matches c unless
  // c is outside b and inside every complemented set; that is written with look-aheads on one
  // character rather than an alternation, which would backtrack exponentially under `+`.
  const inAll = [...complements].map((set) => `(?=${set})`).join('');
  const outsideBody = body ? `[^${body}]` : '[^]';
  return negated ? `(?:${inAll}${outsideBody})` : `(?:(?!${inAll}${outsideBody})[^])`;
}

/** Translates a Python `re` pattern. Throws {@link PythonRegexError} where Python's `re.compile` would fail. */
export function translatePythonRegex(pattern: string): TranslatedRegex {
  return new Translator(pattern).run();
}

/**
 * A compiled Python pattern with `re.match` semantics (anchored at the start, not at the end).
 * `exec` picks the fast variant when the caller vouches for the subject with `fastSubject`.
 */
export class PyRegex {
  readonly pattern: string;
  readonly groupCount: number;
  readonly groupNames: readonly string[];
  readonly groupIndex: ReadonlyMap<string, number>;
  /** Sticky RegExp exact for every subject. */
  readonly exactRe: RegExp;
  /** Sticky RegExp for subjects accepted by {@link isFastSubject}. */
  readonly fastRe: RegExp;

  /** Group numbers that sit inside a repetition; null when there are none. */
  readonly repeatedCaptures: Int32Array | null;
  private readonly recovery: CaptureRecovery | null;

  constructor(pattern: string) {
    const t = translatePythonRegex(pattern);
    this.pattern = pattern;
    this.groupCount = t.groupCount;
    this.groupNames = t.groupNames;
    this.groupIndex = t.groupIndex;
    try {
      this.exactRe = new RegExp(t.exact, t.flags + 'y');
      this.fastRe = new RegExp(t.fast, t.flags + 'y');
    } catch (err) {
      throw new PythonRegexError((err as Error).message);
    }
    this.recovery = t.instrumented
      ? CaptureRecovery.create(t.instrumented.source, t.instrumented.repeats, t.flags)
      : null;
    this.repeatedCaptures = this.recovery ? Int32Array.from(this.recovery.captures) : null;
  }

  /**
   * Python keeps the value a group captured in an earlier iteration of a repetition when the
   * group does not take part in a later one (`((\w+)?\s)+` on "BR  " gives "BR"); JavaScript resets
   * it to undefined. Call this after a successful match when a repeated capture is undefined: it
   * re-walks the iterations and fills in Python's values.
   */
  recoverCaptures(subject: string, m: RegExpExecArray): RegExpExecArray {
    return this.recovery ? this.recovery.recover(subject, m) : m;
  }

  /** Python `pattern.match(subject)`; null when it does not match. */
  match(subject: string, fastSubject: boolean = isFastSubject(subject)): RegExpExecArray | null {
    const re = fastSubject ? this.fastRe : this.exactRe;
    re.lastIndex = 0;
    return re.exec(subject);
  }
}

const NOT_FAST = /[^\x00-\x09\x0b\x0c\x0e-\x1b\x20-\x7f]/;

/**
 * True when the fast translation behaves exactly like Python on `subject`: ASCII only, without
 * `\n`, `\r` (where JavaScript's `.` and `$` differ) and without `\x1c`-`\x1f` (which Python's
 * `\s` matches and JavaScript's does not).
 */
export function isFastSubject(subject: string): boolean {
  return !NOT_FAST.test(subject);
}

/**
 * True when every line of `text` split by {@link splitLines} is a fast subject. Line separators
 * (`\n`, `\r`, `\x0b`, `\x0c`, `\x1c`-`\x1e`) never end up inside a line, so only the rest is checked.
 */
export function isFastText(text: string): boolean {
  return !/[^\x00-\x1e\x20-\x7f]/.test(text);
}

/** Recomputes captures inside repetitions the way Python's `re` reports them. */
class CaptureRecovery {
  private constructor(
    private readonly full: RegExp,
    private readonly repeats: { name: string; iteration: RegExp; captures: number[] }[],
    readonly captures: number[],
  ) {}

  static create(source: string, repeats: RepeatInfo[], flags: string): CaptureRecovery | null {
    try {
      const full = new RegExp(source, flags + 'yd');
      const compiled: { name: string; iteration: RegExp; captures: number[] }[] = [];
      for (const r of repeats) {
        compiled.push({ name: r.name, iteration: new RegExp(r.body, flags + 'y'), captures: r.captures });
      }
      const captures = [...new Set(repeats.flatMap((r) => r.captures))];
      return new CaptureRecovery(full, compiled, captures);
    } catch {
      return null;
    }
  }

  recover(subject: string, m: RegExpExecArray): RegExpExecArray {
    this.full.lastIndex = 0;
    const fm = this.full.exec(subject);
    const spans = fm?.indices?.groups;
    if (!fm || !spans) return m;
    const out = m.slice() as RegExpExecArray;
    for (const r of this.repeats) {
      const span = spans[r.name];
      if (!span || span[0] === span[1]) continue;
      const text = subject.slice(span[0], span[1]);
      const last = new Map<number, string>();
      let pos = 0;
      while (pos < text.length) {
        r.iteration.lastIndex = pos;
        const im = r.iteration.exec(text);
        if (!im || im[0].length === 0) break;
        for (const g of r.captures) {
          const v = im.groups?.[`g${g}`];
          if (v !== undefined) last.set(g, v);
        }
        pos = r.iteration.lastIndex;
      }
      // Iterations are re-walked greedily inside the span the full match gave the repetition. A
      // look-ahead forcing the split to cover the span would be exact but can backtrack
      // exponentially (`(\s+(.*))*`), so a walk that does not end at the span's end is not trusted.
      if (pos !== text.length) continue;
      for (const g of r.captures) if (out[g] === undefined && last.has(g)) out[g] = last.get(g)!;
    }
    return out;
  }
}
