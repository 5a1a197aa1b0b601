/**
 * Building blocks several profiles share. Profiles stay data: these helpers
 * only assemble command tables and freeze the result.
 */
import type { CommandSpec, Dialog, ErrorFormats, PagingSpec } from '../types.ts';

export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Object.keys(value as object)) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}

/** Spacebar pager used by IOS, XE, XR and EOS: ` --More-- ` erased with backspaces. */
export const ciscoPaging: PagingSpec = {
  more: ' --More-- ',
  erase: '\b'.repeat(10) + ' '.repeat(10) + '\b'.repeat(10),
  pageLength: 24,
};

export const iosErrors: ErrorFormats = {
  invalid: { lines: ["% Invalid input detected at '^' marker.", ''], caret: true },
  incomplete: { lines: ['% Incomplete command.', ''], caret: false },
  ambiguous: { lines: ['% Ambiguous command:  "{input}"'], caret: false },
};

/** IOS-family `copy running-config startup-config` question. */
export const ciscoCopyDialog: Dialog = {
  prompt: 'Destination filename [startup-config]? ',
  answers: [{ match: '^(startup-config)?$', text: 'Building configuration...\n[OK]', effect: 'proceed' }],
  otherwise: { text: '%Error opening nvram:/unknown (Permission denied)', effect: 'abort' },
};

export function outputs(table: Record<string, string>): CommandSpec[] {
  return Object.entries(table).map(([syntax, text]) => ({ syntax, action: { kind: 'output', text } }));
}

/** Configuration statements recorded verbatim, one `<keyword> <rest>` entry each. */
export function configStatements(keywords: string[]): CommandSpec[] {
  return keywords.map((keyword) => ({ syntax: `${keyword} <rest>`, action: { kind: 'configLine' } }));
}

/** Flags recorded verbatim with no arguments (`shutdown`). */
export function configFlags(keywords: string[]): CommandSpec[] {
  return keywords.map((keyword) => ({ syntax: keyword, action: { kind: 'configLine' } }));
}

/** A block of `count` interface sections rendered the IOS `show interfaces` way, for long pageable output. */
export function repeatLines(template: string, names: string[]): string {
  return names.map((name, index) => template.replaceAll('{if}', name).replaceAll('{n}', String(index + 1))).join('\n');
}
