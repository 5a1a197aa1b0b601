/**
 * Nesting depth of JSON text, measured before parsing: a 60,000-deep body must be a 400, not a
 * stack overflow somewhere between the parser, prototype-poisoning scan and schema validation.
 * One linear pass; strings (and their escapes) are skipped.
 */
export function exceedsJsonDepth(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > limit) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}

/** Deepest nesting a request body may have. */
export const MAX_JSON_DEPTH = 64;
