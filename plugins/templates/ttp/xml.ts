/**
 * Lenient XML reader for TTP templates.
 *
 * TTP feeds templates to ElementTree, which keeps `text` (content before the first child) and
 * `tail` (content after a child, before the next sibling) separately; group regexes come from
 * both, so this reader keeps the same shape. TTP templates are often not well-formed documents
 * (bare text, several top-level tags), so instead of failing we return the top-level forest and
 * let the caller decide how to wrap it, as TTP does after its ParseError fallback.
 */
export interface XmlElement {
  tag: string;
  /** Attributes in document order (TTP applies group functions in attribute order). */
  attrib: [string, string][];
  text: string;
  tail: string;
  children: XmlElement[];
}

export interface XmlForest {
  /** Text before the first top-level element. */
  text: string;
  roots: XmlElement[];
  /** True when any non-whitespace text sits outside the top-level elements or tags are unbalanced. */
  hasStrayText: boolean;
}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);/g, (whole, name: string) => {
    if (name.startsWith('#x')) return String.fromCodePoint(parseInt(name.slice(2), 16));
    if (name.startsWith('#')) return String.fromCodePoint(parseInt(name.slice(1), 10));
    return ENTITIES[name] ?? whole;
  });
}

const OPEN_TAG = /^<([A-Za-z_][\w.\-:]*)((?:\s+[^\s=>/]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>/;
const CLOSE_TAG = /^<\/([A-Za-z_][\w.\-:]*)\s*>/;
const ATTRIBUTE = /([^\s=>/]+)\s*=\s*("([^"]*)"|'([^']*)')/g;

export function elementAttr(el: XmlElement, name: string): string | undefined {
  const found = el.attrib.find(([k]) => k === name);
  return found ? found[1] : undefined;
}

/** Parses `source` into a forest of top-level elements. */
export function parseXml(source: string): XmlForest {
  const top: XmlElement = { tag: '#document', attrib: [], text: '', tail: '', children: [] };
  const stack: XmlElement[] = [top];
  let unbalanced = false;
  let i = 0;
  let buffer = '';

  const flushText = (): void => {
    if (!buffer) return;
    const parent = stack[stack.length - 1];
    const text = decodeEntities(buffer);
    buffer = '';
    const last = parent.children[parent.children.length - 1];
    if (last) last.tail += text;
    else parent.text += text;
  };

  while (i < source.length) {
    const lt = source.indexOf('<', i);
    if (lt < 0) {
      buffer += source.slice(i);
      break;
    }
    buffer += source.slice(i, lt);
    const rest = source.slice(lt);
    if (rest.startsWith('<!--')) {
      const end = source.indexOf('-->', lt + 4);
      flushText();
      i = end < 0 ? source.length : end + 3;
      continue;
    }
    if (rest.startsWith('<![CDATA[')) {
      const end = source.indexOf(']]>', lt + 9);
      const raw = source.slice(lt + 9, end < 0 ? source.length : end);
      flushText();
      const parent = stack[stack.length - 1];
      const last = parent.children[parent.children.length - 1];
      if (last) last.tail += raw;
      else parent.text += raw;
      i = end < 0 ? source.length : end + 3;
      continue;
    }
    if (rest.startsWith('<?')) {
      const end = source.indexOf('?>', lt + 2);
      flushText();
      i = end < 0 ? source.length : end + 2;
      continue;
    }
    const close = CLOSE_TAG.exec(rest);
    if (close) {
      flushText();
      const name = close[1];
      let depth = stack.length - 1;
      while (depth > 0 && stack[depth].tag !== name) depth--;
      if (depth > 0) {
        if (depth !== stack.length - 1) unbalanced = true;
        stack.length = depth;
      } else {
        unbalanced = true;
      }
      i = lt + close[0].length;
      continue;
    }
    const open = OPEN_TAG.exec(rest);
    if (open) {
      flushText();
      const attrib: [string, string][] = [];
      for (const m of open[2].matchAll(ATTRIBUTE)) {
        attrib.push([m[1], decodeEntities(m[3] ?? m[4] ?? '')]);
      }
      const el: XmlElement = { tag: open[1], attrib, text: '', tail: '', children: [] };
      stack[stack.length - 1].children.push(el);
      if (open[3] !== '/') stack.push(el);
      i = lt + open[0].length;
      continue;
    }
    // A '<' that starts no tag is plain text for our purposes.
    buffer += '<';
    i = lt + 1;
  }
  flushText();
  if (stack.length > 1) unbalanced = true;
  const strayText = top.text.trim() !== '' || top.children.some((c) => c.tail.trim() !== '');
  return { text: top.text, roots: top.children, hasStrayText: strayText || unbalanced };
}
