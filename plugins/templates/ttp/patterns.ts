/**
 * TTP's built-in regex formatters, usable as `{{ x | PHRASE }}` or `re("PHRASE")`.
 * Written in the JavaScript regex dialect; they are identical to TTP's Python patterns.
 */
export const PATTERNS: Readonly<Record<string, string>> = {
  PHRASE: String.raw`(\S+ {1})+?\S+`,
  ROW: String.raw`(\S+ +)+?\S+`,
  ORPHRASE: String.raw`\S+|(\S+ {1})+?\S+`,
  DIGIT: String.raw`\d+`,
  IP: String.raw`(?:[0-9]{1,3}\.){3}[0-9]{1,3}`,
  PREFIX: String.raw`(?:[0-9]{1,3}\.){3}[0-9]{1,3}/[0-9]{1,2}`,
  IPV6: '(?:[a-fA-F0-9]{1,4}:|:){1,7}(?:[a-fA-F0-9]{1,4}|:?)',
  PREFIXV6: '(?:[a-fA-F0-9]{1,4}:|:){1,7}(?:[a-fA-F0-9]{1,4}|:?)/[0-9]{1,3}',
  _line_: '.+',
  WORD: String.raw`\S+`,
  MAC: String.raw`(?:[0-9a-fA-F]{2}(:|\.|\-)){5}([0-9a-fA-F]{2})|(?:[0-9a-fA-F]{4}(:|\.|\-)){2}([0-9a-fA-F]{4})`,
};

export function getPattern(name: string): string | undefined {
  return Object.hasOwn(PATTERNS, name) ? PATTERNS[name] : undefined;
}

/**
 * Converts Python `re` syntax that templates use into JavaScript syntax: named groups
 * `(?P<n>…)`, back-references `(?P=n)` and the `\Z` anchor.
 */
export function pyRegexToJs(source: string): string {
  return source
    .replace(/\(\?P</g, '(?<')
    .replace(/\(\?P=(\w+)\)/g, '\\k<$1>')
    .replace(/\\Z/g, '$(?![\\s\\S])')
    .replace(/\\A/g, '^');
}

/** Python's `re.escape` (3.7+): escapes only regex-special characters and whitespace. */
export function pyEscape(text: string): string {
  return text.replace(/[()[\]{}?*+\-|^$\\.&~# \t\n\r\v\f]/g, (c) => {
    if (c === '\t') return '\\t';
    if (c === '\n') return '\\n';
    if (c === '\r') return '\\r';
    if (c === '\v') return '\\v';
    if (c === '\f') return '\\f';
    return '\\' + c;
  });
}

/** Compiles a Python-dialect pattern for JavaScript; `g` for finditer-like scans. */
export function compilePy(source: string, flags = ''): RegExp {
  return new RegExp(pyRegexToJs(source), flags);
}
