/**
 * `args` of a jinja2 render request: the Jinja2 `Template`/`Environment` options. Any subset may
 * be given (the reference server passed nulls for omitted options and failed); a
 * `null` value means "Jinja2's default". Unknown keys are rejected by name.
 */
import { NetPulseError } from '../../../core/errors.ts';

export interface Jinja2Options {
  trimBlocks: boolean;
  lstripBlocks: boolean;
  keepTrailingNewline: boolean;
  newlineSequence: '\n' | '\r\n' | '\r';
  blockStart: string;
  blockEnd: string;
  variableStart: string;
  variableEnd: string;
  commentStart: string;
  commentEnd: string;
  lineStatementPrefix: string | null;
  lineCommentPrefix: string | null;
}

export const JINJA2_DEFAULTS: Readonly<Jinja2Options> = Object.freeze({
  trimBlocks: false,
  lstripBlocks: false,
  keepTrailingNewline: false,
  newlineSequence: '\n',
  blockStart: '{%',
  blockEnd: '%}',
  variableStart: '{{',
  variableEnd: '}}',
  commentStart: '{#',
  commentEnd: '#}',
  lineStatementPrefix: null,
  lineCommentPrefix: null,
});

const BOOLEAN_ARGS = {
  trim_blocks: 'trimBlocks',
  lstrip_blocks: 'lstripBlocks',
  keep_trailing_newline: 'keepTrailingNewline',
} as const;
const DELIMITER_ARGS = {
  block_start_string: 'blockStart',
  block_end_string: 'blockEnd',
  variable_start_string: 'variableStart',
  variable_end_string: 'variableEnd',
  comment_start_string: 'commentStart',
  comment_end_string: 'commentEnd',
} as const;
const PREFIX_ARGS = { line_statement_prefix: 'lineStatementPrefix', line_comment_prefix: 'lineCommentPrefix' } as const;
const NEWLINES = ['\n', '\r\n', '\r'];

export const JINJA2_ARG_NAMES: readonly string[] = [
  ...Object.keys(BOOLEAN_ARGS),
  ...Object.keys(DELIMITER_ARGS),
  ...Object.keys(PREFIX_ARGS),
  'newline_sequence',
];

function bad(message: string): NetPulseError {
  return new NetPulseError('NP_ERR_TEMPLATE', `jinja2 args: ${message}`);
}

export function parseJinja2Args(args: Record<string, unknown> | null | undefined): Jinja2Options {
  const opts: Jinja2Options = { ...JINJA2_DEFAULTS };
  for (const [key, value] of Object.entries(args ?? {})) {
    if (!JINJA2_ARG_NAMES.includes(key)) {
      throw bad(`unknown option '${key}' (allowed: ${JINJA2_ARG_NAMES.join(', ')})`);
    }
    if (value === null || value === undefined) continue;
    if (key in BOOLEAN_ARGS) {
      if (typeof value !== 'boolean') throw bad(`'${key}' must be a boolean`);
      opts[BOOLEAN_ARGS[key as keyof typeof BOOLEAN_ARGS]] = value;
    } else if (key in DELIMITER_ARGS) {
      if (typeof value !== 'string' || value.length === 0 || /\s/.test(value))
        throw bad(`'${key}' must be a non-empty string without whitespace`);
      opts[DELIMITER_ARGS[key as keyof typeof DELIMITER_ARGS]] = value;
    } else if (key in PREFIX_ARGS) {
      if (typeof value !== 'string' || value.trim().length === 0 || /[\r\n]/.test(value))
        throw bad(`'${key}' must be a non-empty single-line string`);
      opts[PREFIX_ARGS[key as keyof typeof PREFIX_ARGS]] = value;
    } else {
      if (typeof value !== 'string' || !NEWLINES.includes(value))
        throw bad(`'newline_sequence' must be one of "\\n", "\\r\\n", "\\r"`);
      opts.newlineSequence = value as Jinja2Options['newlineSequence'];
    }
  }
  const delimiters = [opts.blockStart, opts.variableStart, opts.commentStart];
  if (new Set(delimiters).size !== delimiters.length)
    throw bad('block, variable and comment start strings must differ');
  return opts;
}

/** A stable key for caches: equal options give equal keys. */
export function optionsKey(opts: Jinja2Options): string {
  return JSON.stringify(opts);
}
