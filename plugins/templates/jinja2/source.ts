/**
 * Source preprocessing for what Jinja2's lexer does and nunjucks' does not: newline
 * normalisation, dropping the single trailing newline (`keep_trailing_newline=False`) and line
 * statements/comments (`line_statement_prefix`, `line_comment_prefix`).
 */
import type { Jinja2Options } from './args.ts';

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function preprocessSource(source: string, opts: Jinja2Options): string {
  // Jinja2 splits on any newline style and re-joins with "\n" before lexing; template data is
  // later written with `newline_sequence` (done by the compiler).
  const lines = source.split(/\r\n|\r|\n/);
  if (!opts.keepTrailingNewline && lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  if (opts.lineStatementPrefix === null && opts.lineCommentPrefix === null) return lines.join('\n');

  const comment = opts.lineCommentPrefix === null
    ? null
    : new RegExp(`(^|(?<=\\S))[^\\S\\r\\n]*${escapeRegExp(opts.lineCommentPrefix)}.*$`);
  const statement = opts.lineStatementPrefix === null
    ? null
    : new RegExp(`^[ \\t\\v]*${escapeRegExp(opts.lineStatementPrefix)}(.*)$`);
  // Jinja2 tries the longer prefix first, so `##` comments win over `#` statements.
  const commentFirst = opts.lineCommentPrefix !== null
    && (opts.lineStatementPrefix === null || opts.lineCommentPrefix.length >= opts.lineStatementPrefix.length);
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
