/**
 * Python `str()` of the values a TextFSM row can hold. CliTable stores rows in a TextTable, whose
 * rows apply `str()` to every cell and every List item, so `None` list items become `'None'` and
 * dict items (List values with named groups) become their Python repr.
 */

function reprString(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (ch === quote || ch === '\\') out += '\\' + ch;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (cp < 0x20 || cp === 0x7f) out += '\\x' + cp.toString(16).padStart(2, '0');
    else if (cp >= 0x80 && cp <= 0xa0) out += '\\x' + cp.toString(16);
    else out += ch;
  }
  return out + quote;
}

/** Python `repr()` for str, None and dict/list of those. */
export function pyRepr(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'string') return reprString(value);
  if (Array.isArray(value)) return '[' + value.map(pyRepr).join(', ') + ']';
  if (typeof value === 'object') {
    return (
      '{' +
      Object.entries(value as Record<string, unknown>)
        .map(([k, v]) => `${reprString(k)}: ${pyRepr(v)}`)
        .join(', ') +
      '}'
    );
  }
  return String(value);
}

/** Python `str()` for str, None and dict/list of those. */
export function pyStr(value: unknown): string {
  return typeof value === 'string' ? value : pyRepr(value);
}
