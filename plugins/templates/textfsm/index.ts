/**
 * TextFSM for NetPulse: a TypeScript implementation of Google's TextFSM (Python textfsm 1.1.0
 * semantics) with the CliTable index used by ntc-templates, packaged as the `textfsm` parser.
 */
import { definePlugin } from '../../../core/plugin/define.ts';
import { TextFsmParser } from './parser.ts';

export { PyRegex, PythonRegexError, translatePythonRegex, isFastSubject, isFastText } from './regex.ts';
export type { TranslatedRegex } from './regex.ts';
export { compileTemplate } from './template.ts';
export type {
  CompiledTemplate,
  TemplateValue,
  TemplateRule,
  TemplateState,
  ValueOption,
  LineOp,
  RecordOp,
} from './template.ts';
export { parseText, parseTextToDicts, rowsToDicts } from './engine.ts';
export type { Cell, ListItem, Row, RecordDict, ParseOptions } from './engine.ts';
export { expandCompletion, parseIndex, findIndexRow, parseWithTemplates } from './clitable.ts';
export type { CliIndex, IndexRow, CliTableResult } from './clitable.ts';
export { TemplateLibrary } from './library.ts';
export { TemplateCache } from './cache.ts';
export { TextFsmError, TextFsmTemplateError, CliTableError } from './errors.ts';
export { splitLines } from './lines.ts';
export { TextFsmParser } from './parser.ts';

export default definePlugin({
  kind: 'parser',
  name: 'textfsm',
  version: '1.0.0',
  description: 'TextFSM templates and the ntc-templates CliTable index',
  register: () => new TextFsmParser(),
});
