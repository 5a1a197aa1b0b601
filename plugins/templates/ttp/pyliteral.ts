/**
 * A small reader for the Python expressions that appear in TTP templates.
 *
 * TTP evaluates function arguments (`exclude("x")`, `set(True)`, `lookup(name, add_field="y")`)
 * with Python `eval`, turning undefined names into their own text, and loads `<vars>` / `<lookup>`
 * bodies with `exec`. Templates only ever use literals there, so a literal parser with
 * Python's quoting rules (raw strings, escapes, tuples, dicts) reproduces the results.
 */
export type PyValue = string | number | boolean | null | PyValue[] | { [key: string]: PyValue };

export class PySyntaxError extends Error {}

type Token =
  | { kind: 'str'; value: string }
  | { kind: 'num'; value: number }
  | { kind: 'name'; value: string }
  | { kind: 'op'; value: string }
  | { kind: 'nl' };

const SIMPLE_ESCAPES: Record<string, string> = {
  n: '\n',
  t: '\t',
  r: '\r',
  '\\': '\\',
  "'": "'",
  '"': '"',
  a: '\x07',
  b: '\b',
  f: '\f',
  v: '\v',
  '0': '\0',
  '\n': '',
};

function unescapePython(body: string): string {
  return body.replace(
    /\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[0-7]{1,3}|[\s\S])/g,
    (whole, seq: string) => {
      if (seq[0] === 'x' || seq[0] === 'u' || seq[0] === 'U') return String.fromCodePoint(parseInt(seq.slice(1), 16));
      if (/^[0-7]+$/.test(seq)) return String.fromCodePoint(parseInt(seq, 8));
      return SIMPLE_ESCAPES[seq] ?? whole;
    },
  );
}

function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let depth = 0;
  while (i < src.length) {
    const ch = src[i];
    if (ch === '#') {
      while (i < src.length && src[i] !== '\n') i++;
      continue;
    }
    if (ch === '\n') {
      if (depth === 0) tokens.push({ kind: 'nl' });
      i++;
      continue;
    }
    if (ch === '\\' && src[i + 1] === '\n') {
      i += 2;
      continue;
    }
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    const strStart = /^([rRbBuUfF]{0,2})('''|"""|'|")/.exec(src.slice(i, i + 5));
    if (strStart && (strStart[1] === '' || /^[rRbBuUfF]+$/.test(strStart[1]))) {
      const raw = /r/i.test(strStart[1]);
      const quote = strStart[2];
      let j = i + strStart[0].length;
      let body = '';
      while (j < src.length && !src.startsWith(quote, j)) {
        if (src[j] === '\\' && j + 1 < src.length) {
          body += src[j] + src[j + 1];
          j += 2;
        } else {
          body += src[j];
          j++;
        }
      }
      if (j >= src.length) throw new PySyntaxError('unterminated string');
      tokens.push({ kind: 'str', value: raw ? body : unescapePython(body) });
      i = j + quote.length;
      continue;
    }
    const num = /^(0[xX][0-9a-fA-F_]+|(?:\d[\d_]*\.?[\d_]*|\.\d[\d_]*)(?:[eE][+-]?\d+)?)/.exec(src.slice(i));
    if (num && /\d/.test(num[1])) {
      const text = num[1].replace(/_/g, '');
      tokens.push({
        kind: 'num',
        value: text.startsWith('0x') || text.startsWith('0X') ? parseInt(text, 16) : Number(text),
      });
      i += num[1].length;
      continue;
    }
    const name = /^[A-Za-z_\u00C0-\uFFFF][\w\u00C0-\uFFFF]*/.exec(src.slice(i));
    if (name) {
      tokens.push({ kind: 'name', value: name[0] });
      i += name[0].length;
      continue;
    }
    if ('([{'.includes(ch)) depth++;
    if (')]}'.includes(ch)) depth = Math.max(0, depth - 1);
    const two = src.slice(i, i + 2);
    if (['==', '**', '!=', '<=', '>='].includes(two)) {
      tokens.push({ kind: 'op', value: two });
      i += 2;
      continue;
    }
    tokens.push({ kind: 'op', value: ch });
    i++;
  }
  return tokens;
}

/** How bare names evaluate: TTP's argument eval turns unknown names into strings. */
export type NameResolver = (name: string) => PyValue;

export const lenientNames: NameResolver = (name) => {
  const lower = name.toLowerCase();
  if (lower === 'true') return true;
  if (lower === 'false') return false;
  if (lower === 'none') return null;
  return name;
};

class Reader {
  pos = 0;
  constructor(
    private readonly tokens: Token[],
    private readonly resolve: NameResolver,
  ) {}

  peek(offset = 0): Token | undefined {
    return this.tokens[this.pos + offset];
  }
  isOp(value: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t !== undefined && t.kind === 'op' && t.value === value;
  }
  expectOp(value: string): void {
    if (!this.isOp(value)) throw new PySyntaxError(`expected '${value}'`);
    this.pos++;
  }
  skipNewlines(): void {
    while (this.peek()?.kind === 'nl') this.pos++;
  }

  expression(): PyValue {
    let left = this.unary();
    while (this.isOp('+')) {
      this.pos++;
      const right = this.unary();
      if (typeof left === 'string' && typeof right === 'string') left = left + right;
      else if (typeof left === 'number' && typeof right === 'number') left = left + right;
      else if (Array.isArray(left) && Array.isArray(right)) left = [...left, ...right];
      else throw new PySyntaxError('unsupported operand');
    }
    return left;
  }

  unary(): PyValue {
    if (this.isOp('-')) {
      this.pos++;
      const v = this.unary();
      if (typeof v !== 'number') throw new PySyntaxError('bad operand for unary -');
      return -v;
    }
    if (this.isOp('+')) {
      this.pos++;
      return this.unary();
    }
    return this.atom();
  }

  atom(): PyValue {
    const t = this.peek();
    if (!t) throw new PySyntaxError('unexpected end');
    if (t.kind === 'str') {
      let s = '';
      while (this.peek()?.kind === 'str') s += (this.tokens[this.pos++] as { value: string }).value;
      return s;
    }
    if (t.kind === 'num') {
      this.pos++;
      return t.value;
    }
    if (t.kind === 'name') {
      this.pos++;
      return this.resolve(t.value);
    }
    if (t.kind === 'op' && t.value === '(') {
      this.pos++;
      const items: PyValue[] = [];
      let sawComma = false;
      while (!this.isOp(')')) {
        items.push(this.expression());
        if (this.isOp(',')) {
          this.pos++;
          sawComma = true;
        } else break;
      }
      this.expectOp(')');
      return items.length === 1 && !sawComma ? items[0] : items;
    }
    if (t.kind === 'op' && t.value === '[') {
      this.pos++;
      const items: PyValue[] = [];
      while (!this.isOp(']')) {
        items.push(this.expression());
        if (this.isOp(',')) this.pos++;
        else break;
      }
      this.expectOp(']');
      return items;
    }
    if (t.kind === 'op' && t.value === '{') {
      this.pos++;
      const dict: { [key: string]: PyValue } = {};
      const set: PyValue[] = [];
      while (!this.isOp('}')) {
        const key = this.expression();
        if (this.isOp(':')) {
          this.pos++;
          dict[String(pyKey(key))] = this.expression();
        } else {
          set.push(key);
        }
        if (this.isOp(',')) this.pos++;
        else break;
      }
      this.expectOp('}');
      return set.length > 0 ? set : dict;
    }
    throw new PySyntaxError(`unexpected token ${JSON.stringify(t)}`);
  }
}

function pyKey(value: PyValue): string {
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (value === null) return 'None';
  return String(value);
}

export interface CallArgs {
  args: PyValue[];
  kwargs: Record<string, PyValue>;
}

/** Evaluates the inside of a call's parentheses: `"a", 1, key=value`. */
export function parseCallArgs(source: string, resolve: NameResolver = lenientNames): CallArgs {
  const reader = new Reader(
    tokenize(source).filter((t) => t.kind !== 'nl'),
    resolve,
  );
  const result: CallArgs = { args: [], kwargs: {} };
  while (reader.peek()) {
    const t = reader.peek();
    if (t?.kind === 'name' && reader.isOp('=', 1)) {
      reader.pos += 2;
      result.kwargs[t.value] = reader.expression();
    } else {
      result.args.push(reader.expression());
    }
    if (reader.isOp(',')) reader.pos++;
    else if (reader.peek()) throw new PySyntaxError('expected ,');
  }
  return result;
}

/**
 * Runs a block of `name = literal` statements the way TTP's python loader uses `exec`,
 * returning the assigned names. A block that is one bare expression returns that value.
 */
export function execAssignments(source: string): Record<string, PyValue> | PyValue {
  const result: Record<string, PyValue> = {};
  const resolve: NameResolver = (name) => {
    if (name === 'True') return true;
    if (name === 'False') return false;
    if (name === 'None') return null;
    if (name in result) return result[name];
    throw new PySyntaxError(`name '${name}' is not defined`);
  };
  const reader = new Reader(tokenize(dedentBlock(source)), resolve);
  let assigned = false;
  reader.skipNewlines();
  while (reader.peek()) {
    const targets: string[] = [];
    while (reader.peek()?.kind === 'name' && reader.isOp('=', 1)) {
      targets.push((reader.peek() as { value: string }).value);
      reader.pos += 2;
    }
    const value = reader.expression();
    for (const t of targets) result[t] = value;
    if (reader.isOp(';')) reader.pos++;
    reader.skipNewlines();
    if (targets.length) assigned = true;
    else if (!assigned && !reader.peek()) return value;
  }
  return result;
}

function dedentBlock(source: string): string {
  const lines = source.split('\n');
  const indents = lines.filter((l) => l.trim()).map((l) => /^[ \t]*/.exec(l)![0].length);
  const min = indents.length ? Math.min(...indents) : 0;
  return lines.map((l) => l.slice(Math.min(min, /^[ \t]*/.exec(l)![0].length))).join('\n');
}
