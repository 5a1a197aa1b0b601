/**
 * A contextual difference of two indented (Cisco-style) configurations: lines only in the
 * target with `+`, lines only in the base with `-`, each under the section lines that lead to
 * it, in the shape IOS prints for `show archive config differences`. Used where the device
 * cannot print the difference itself (IOS-XR through the CLI).
 */

interface Node {
  line: string;
  children: Node[];
}

const NOISE = [/^Building configuration/, /^!! /, /^end$/, /^!$/, /^\w{3} \w{3} +\d+ [\d:.]+ \w+$/];

/** Parses indentation into a tree; `!` separators, `end`, headers and timestamp lines are dropped. */
export function parseBlocks(text: string): Node[] {
  const root: Node = { line: '', children: [] };
  const stack: Array<{ indent: number; node: Node }> = [{ indent: -1, node: root }];
  for (const raw of text.replace(/\r/g, '').split('\n')) {
    const line = raw.trim();
    if (line === '' || NOISE.some((re) => re.test(line))) continue;
    const indent = raw.length - raw.trimStart().length;
    while (stack.length > 1 && stack[stack.length - 1].indent >= indent) stack.pop();
    const node = { line: line.replace(/\s+/g, ' '), children: [] };
    stack[stack.length - 1].node.children.push(node);
    stack.push({ indent, node });
  }
  return root.children;
}

function side(from: Node[], other: Node[], sign: '+' | '-', depth: number, out: string[]): void {
  const pad = ' '.repeat(depth);
  for (const node of from) {
    const match = other.find((o) => o.line === node.line);
    if (!match) {
      const all = (n: Node, d: number): void => {
        out.push(`${' '.repeat(d)}${sign}${n.line}`);
        for (const c of n.children) all(c, d + 1);
      };
      all(node, depth);
      continue;
    }
    const inner: string[] = [];
    side(node.children, match.children, sign, depth + 1, inner);
    if (inner.length > 0) out.push(`${pad}${node.line}`, ...inner);
  }
}

export function contextualDiff(base: string, target: string): string {
  const a = parseBlocks(base);
  const b = parseBlocks(target);
  const out: string[] = [];
  side(b, a, '+', 0, out);
  side(a, b, '-', 0, out);
  return out.join('\n');
}
