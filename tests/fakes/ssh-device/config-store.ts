/**
 * Configuration held by one simulated device. Two shapes cover the profiles:
 * `BlockConfig` (indented sections: IOS family, EOS, NX-OS, XR, VRP, Comware)
 * and `SetConfig` (junos hierarchy edited with `set`/`delete`).
 */
import type { ConfigStyle } from './types.ts';

export interface ConfigStore {
  clone(): ConfigStore;
  /** Add or replace a line; `context` is the section header path (block) or edit path (set). */
  apply(context: string[], line: string): void;
  /** Remove what `words` name (negation keyword already stripped). */
  remove(context: string[], words: string): void;
  render(): string[];
  /** Flat `set`-style listing (junos `| display set`); block configs list their lines. */
  renderFlat(): string[];
  equals(other: ConfigStore): boolean;
}

interface Section {
  line: string;
  children: string[];
  /** True when the line opened a sub-mode, so it renders as a block even without children. */
  isSection: boolean;
}

const normalise = (line: string) => line.trim().replace(/\s+/g, ' ').toLowerCase();

export class BlockConfig implements ConfigStore {
  private sections: Section[] = [];

  constructor(private readonly style: ConfigStyle & { indent?: string }) {}

  static parse(text: string, style: ConfigStyle): BlockConfig {
    const config = new BlockConfig(style);
    for (const raw of text.split('\n')) {
      if (raw.trim() === '' || (style.separator !== '' && raw.trim() === style.separator)) continue;
      if (/^\s/.test(raw) && config.sections.length > 0) {
        const owner = config.sections[config.sections.length - 1];
        owner.children.push(raw.trim());
        owner.isSection = true;
      } else {
        config.sections.push({ line: raw.trim(), children: [], isSection: false });
      }
    }
    return config;
  }

  clone(): BlockConfig {
    const copy = new BlockConfig(this.style);
    copy.sections = this.sections.map((s) => ({ ...s, children: [...s.children] }));
    return copy;
  }

  /** Top-level lines with their children, in order (IOS archive diffs walk them). */
  entries(): ReadonlyArray<{ line: string; children: readonly string[] }> {
    return this.sections;
  }

  hasSection(header: string): boolean {
    return this.findSection(header) !== undefined;
  }

  /** Ensure a section header exists (entering `interface X` creates it). */
  openSection(header: string): void {
    const existing = this.findSection(header);
    if (existing) existing.isSection = true;
    else this.sections.push({ line: header.trim(), children: [], isSection: true });
  }

  apply(context: string[], line: string): void {
    const text = line.trim();
    if (context.length === 0) {
      const replaced = this.replaceTarget(
        this.sections.map((s) => s.line),
        text,
      );
      if (replaced >= 0) this.sections[replaced].line = text;
      else if (!this.findSection(text)) this.sections.push({ line: text, children: [], isSection: false });
      return;
    }
    const section = this.findSection(context[0]) ?? this.pushSection(context[0]);
    const replaced = this.replaceTarget(section.children, text);
    if (replaced >= 0) section.children[replaced] = text;
    else if (!section.children.some((c) => normalise(c) === normalise(text))) section.children.push(text);
  }

  remove(context: string[], words: string): void {
    const target = normalise(words);
    if (context.length === 0) {
      this.sections = this.sections.filter((s) => !normalise(s.line).startsWith(target));
      return;
    }
    const section = this.findSection(context[0]);
    if (section) section.children = section.children.filter((c) => !normalise(c).startsWith(target));
  }

  render(): string[] {
    const indent = this.style.indent ?? ' ';
    const lines: string[] = [];
    const separator = this.style.separator;
    let previousWasSection = false;
    for (const section of this.sections) {
      const isBlock = section.isSection || section.children.length > 0;
      if (separator !== '' && (isBlock || previousWasSection) && lines.length > 0) lines.push(separator);
      lines.push(section.line);
      for (const child of section.children) lines.push(indent + child);
      previousWasSection = isBlock;
    }
    if (separator !== '') lines.push(separator);
    return lines;
  }

  renderFlat(): string[] {
    return this.sections.flatMap((s) => [s.line, ...s.children.map((c) => ` ${c}`)]);
  }

  equals(other: ConfigStore): boolean {
    return this.render().join('\n') === other.render().join('\n');
  }

  private pushSection(header: string): Section {
    const section = { line: header.trim(), children: [], isSection: true };
    this.sections.push(section);
    return section;
  }

  private findSection(header: string): Section | undefined {
    const wanted = normalise(header);
    return this.sections.find((s) => normalise(s.line) === wanted);
  }

  /** Index of the line a single-valued statement replaces, or -1. */
  private replaceTarget(lines: string[], text: string): number {
    const lowered = normalise(text);
    const key = this.style.singleValued.find((prefix) => lowered === prefix || lowered.startsWith(prefix + ' '));
    if (key === undefined) return -1;
    return lines.findIndex((l) => {
      const n = normalise(l);
      return n === key || n.startsWith(key + ' ');
    });
  }
}

/** Splits a junos statement, keeping quoted strings as one word. */
export function splitWords(text: string): string[] {
  return text.match(/"[^"]*"|\S+/g) ?? [];
}

interface TreeNode {
  children: Map<string, TreeNode>;
  leaves: string[];
}

export class SetConfig implements ConfigStore {
  private paths: string[][] = [];

  constructor(private readonly style: ConfigStyle & { pairedKeywords?: string[]; flagLeaves?: string[] }) {}

  static parse(text: string, style: ConfigStyle): SetConfig {
    const config = new SetConfig(style);
    for (const raw of text.split('\n')) {
      const words = splitWords(raw.trim());
      if (words[0] === 'set') config.apply([], words.slice(1).join(' '));
    }
    return config;
  }

  clone(): SetConfig {
    const copy = new SetConfig(this.style);
    copy.paths = this.paths.map((p) => [...p]);
    return copy;
  }

  apply(context: string[], statement: string): void {
    const path = [...context, ...splitWords(statement)];
    if (path.length === 0) return;
    const key = path.findIndex((w) => this.style.singleValued.includes(w));
    if (key >= 0 && key < path.length - 1) {
      const prefix = path.slice(0, key + 1).join(' ');
      this.paths = this.paths.filter((p) => p.slice(0, key + 1).join(' ') !== prefix || p.length !== path.length);
    }
    if (!this.paths.some((p) => p.join(' ') === path.join(' '))) this.paths.push(path);
  }

  remove(context: string[], words: string): void {
    const prefix = [...context, ...splitWords(words)];
    this.paths = this.paths.filter((p) => prefix.some((w, i) => p[i] !== w));
  }

  render(): string[] {
    const root: TreeNode = { children: new Map(), leaves: [] };
    for (const path of this.paths) {
      const { nodes, leaf } = this.shape(path);
      let node = root;
      for (const name of nodes) {
        let child = node.children.get(name);
        if (!child) {
          child = { children: new Map(), leaves: [] };
          node.children.set(name, child);
        }
        node = child;
      }
      if (leaf !== '' && !node.leaves.includes(leaf)) node.leaves.push(leaf);
    }
    const lines: string[] = [];
    const walk = (node: TreeNode, depth: number) => {
      const pad = '    '.repeat(depth);
      for (const leaf of node.leaves) lines.push(`${pad}${leaf};`);
      for (const [name, child] of node.children) {
        lines.push(`${pad}${name} {`);
        walk(child, depth + 1);
        lines.push(`${pad}}`);
      }
    };
    walk(root, 0);
    return lines;
  }

  renderFlat(): string[] {
    return this.paths.map((p) => `set ${p.join(' ')}`);
  }

  equals(other: ConfigStore): boolean {
    return this.renderFlat().join('\n') === other.renderFlat().join('\n');
  }

  /** Lines present only in this config (`+`) or only in `base` (`-`), junos `show | compare` style. */
  compare(base: SetConfig): string[] {
    const mine = new Set(this.renderFlat());
    const theirs = new Set(base.renderFlat());
    const lines: string[] = [];
    for (const line of theirs) if (!mine.has(line)) lines.push(...this.compareEntry('-', line));
    for (const line of mine) if (!theirs.has(line)) lines.push(...this.compareEntry('+', line));
    return lines;
  }

  private compareEntry(sign: string, setLine: string): string[] {
    const { nodes, leaf } = this.shape(splitWords(setLine).slice(1));
    return [`[edit ${nodes.join(' ')}]`.replace(' ]', ']'), `${sign}   ${leaf};`];
  }

  /** Split a path into nested node names and the final `name value` leaf. */
  private shape(path: string[]): { nodes: string[]; leaf: string } {
    const paired = this.style.pairedKeywords ?? [];
    const flags = this.style.flagLeaves ?? [];
    const words: string[] = [];
    for (let i = 0; i < path.length; i++) {
      if (paired.includes(path[i]) && i + 1 < path.length - 1) {
        words.push(`${path[i]} ${path[i + 1]}`);
        i++;
      } else words.push(path[i]);
    }
    if (words.length === 1) return { nodes: [], leaf: words[0] };
    const last = words[words.length - 1];
    if (flags.includes(last)) return { nodes: words.slice(0, -1), leaf: last };
    return { nodes: words.slice(0, -2), leaf: `${words[words.length - 2]} ${last}` };
  }
}

export function createStore(style: ConfigStyle, hostname: string): ConfigStore {
  const initial = style.initial.replaceAll('{hostname}', hostname);
  return style.model === 'set' ? SetConfig.parse(initial, style) : BlockConfig.parse(initial, style);
}
