import { escapeRegExp } from './channel.ts';

// Text helpers shared by the connection (modes, prompts) and the operations (errors from
// device output).

/** Text of the device for an error message: the interesting lines, without echo and prompt, capped. */
export function deviceWords(text: string, maxChars = 500): string {
  const lines = text
    .split('\n')
    .map((l) => l.trimEnd())
    .filter((l) => l.trim().length > 0);
  const joined = lines.join(' | ');
  return joined.length > maxChars ? joined.slice(0, maxChars) + '…' : joined;
}

export function matchesIndicator(text: string, indicators: readonly (string | RegExp)[]): string | null {
  for (const ind of indicators) {
    if (typeof ind === 'string' ? text.includes(ind) : ind.test(text))
      return typeof ind === 'string' ? ind : ind.source;
  }
  return null;
}

/** The lines of `text` that carry the failure (from the first line with the indicator to the end). */
export function failureLines(
  text: string,
  indicator: (line: string) => boolean,
  contextLines: readonly RegExp[] = [],
): string {
  const lines = text.split('\n').filter((l) => !contextLines.some((re) => re.test(l)));
  const first = lines.findIndex(indicator);
  return deviceWords(first >= 0 ? lines.slice(first).join('\n') : text);
}

/** The echo of a command: its text with any whitespace run matching any whitespace (Junos adds a space, wraps repaint). */
export function echoPattern(command: string): RegExp {
  return new RegExp(command.trim().split(/\s+/).map(escapeRegExp).join('\\s+'));
}
