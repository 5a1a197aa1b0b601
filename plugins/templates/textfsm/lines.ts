// Python str.splitlines() boundaries: \n, \r, \r\n, \v, \f, \x1c, \x1d, \x1e, \x85, \u2028, \u2029.
const LINE_BREAK = /\r\n|[\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]/;

/** Splits text into lines exactly like Python's `str.splitlines()`. */
export function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split(LINE_BREAK);
  // A trailing separator ends the last line; it does not start an empty one.
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** Splits a template file the way Python's text-mode file iteration does (universal newlines). */
export function splitFileLines(text: string): string[] {
  const lines = text.split(/\r\n|\r|\n/);
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

// Python's str.isspace() characters, which str.strip()/rstrip() remove.
const PY_WS = '\\t-\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const TRAILING_WS = new RegExp(`[${PY_WS}]+$`);
const LEADING_WS = new RegExp(`^[${PY_WS}]+`);

/** Python `str.rstrip()` without arguments. */
export function pyRstrip(s: string): string {
  return s.replace(TRAILING_WS, '');
}

/** Python `str.strip()` without arguments. */
export function pyStrip(s: string): string {
  return s.replace(LEADING_WS, '').replace(TRAILING_WS, '');
}
