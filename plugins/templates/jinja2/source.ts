/**
 * Source preprocessing for what Jinja2's lexer does and nunjucks' does not: newline
 * normalisation, dropping the single trailing newline (`keep_trailing_newline=False`) and line
 * statements/comments (`line_statement_prefix`, `line_comment_prefix`).
 */
import type { Jinja2Options } from './args.ts';

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Jinja2 applies `trim_blocks` and `lstrip_blocks` to comments as to block tags; nunjucks does
 * not. Each comment becomes an empty `if false` block, which nunjucks trims like any block tag
 * (keeping `-` whitespace control). Text inside `raw` blocks and inside tags is left alone.
 */
export function replaceComments(source: string, opts: Jinja2Options): string {
  const { blockStart, blockEnd, variableStart, variableEnd, commentStart, commentEnd } = opts;
  const rawStart = new RegExp(`^${escapeRegExp(blockStart)}-?\\s*raw\\s*-?${escapeRegExp(blockEnd)}`);
  const rawEnd = new RegExp(`${escapeRegExp(blockStart)}-?\\s*endraw\\s*-?${escapeRegExp(blockEnd)}`);
  let out = '';
  let pos = 0;
  while (pos < source.length) {
    const next = [blockStart, variableStart, commentStart]
      .map((d) => ({ d, at: source.indexOf(d, pos) }))
      .filter((c) => c.at >= 0)
      .sort((a, b) => a.at - b.at || b.d.length - a.d.length)[0];
    if (!next) break;
    out += source.slice(pos, next.at);
    const rest = source.slice(next.at);
    if (next.d === commentStart) {
      const end = source.indexOf(commentEnd, next.at + commentStart.length);
      // An unterminated comment is left for the parser to report.
      if (end < 0) return out + rest;
      const body = source.slice(next.at + commentStart.length, end);
      const left = body.startsWith('-') ? '-' : '';
      const right = body.endsWith('-') && body.length > 1 ? '-' : '';
      out += `${blockStart}${left} if false ${blockEnd}${blockStart} endif ${right}${blockEnd}`;
      pos = end + commentEnd.length;
      continue;
    }
    if (next.d === blockStart && rawStart.test(rest)) {
      const m = rawEnd.exec(rest);
      const stop = m ? m.index + m[0].length : rest.length;
      out += rest.slice(0, stop);
      pos = next.at + stop;
      continue;
    }
    const closer = next.d === blockStart ? blockEnd : variableEnd;
    const end = source.indexOf(closer, next.at + next.d.length);
    const stop = end < 0 ? source.length : end + closer.length;
    out += source.slice(next.at, stop);
    pos = stop;
  }
  return out + source.slice(pos);
}

export function preprocessSource(source: string, opts: Jinja2Options): string {
  return replaceComments(normalizeLines(source, opts), opts);
}

function normalizeLines(source: string, opts: Jinja2Options): string {
  // Jinja2 splits on any newline style and re-joins with "\n" before lexing; template data is
  // later written with `newline_sequence` (done by the compiler).
  const lines = source.split(/\r\n|\r|\n/);
  if (!opts.keepTrailingNewline && lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  if (opts.lineStatementPrefix === null && opts.lineCommentPrefix === null) return lines.join('\n');

  const comment =
    opts.lineCommentPrefix === null
      ? null
      : new RegExp(`(^|(?<=\\S))[^\\S\\r\\n]*${escapeRegExp(opts.lineCommentPrefix)}.*$`);
  const statement =
    opts.lineStatementPrefix === null ? null : new RegExp(`^[ \\t\\v]*${escapeRegExp(opts.lineStatementPrefix)}(.*)$`);
  // Jinja2 tries the longer prefix first, so `##` comments win over `#` statements.
  const commentFirst =
    opts.lineCommentPrefix !== null &&
    (opts.lineStatementPrefix === null || opts.lineCommentPrefix.length >= opts.lineStatementPrefix.length);
  let out = '';
  lines.forEach((raw, i) => {
    const last = i === lines.length - 1;
    const line = comment && commentFirst ? raw.replace(comment, '') : raw;
    const m = statement?.exec(line);
    if (m) {
      // A line statement swallows its own line end, like Jinja2's `linestatement_end` rule.
      const body = comment && !commentFirst ? m[1].replace(comment, '') : m[1];
      out += `${opts.blockStart} ${body.trim()} ${opts.blockEnd}`;
      return;
    }
    out += (comment && !commentFirst ? line.replace(comment, '') : line) + (last ? '' : '\n');
  });
  return out;
}
