/**
 * EOS-style configuration tree for the eAPI simulator: top-level lines and
 * sections (`interface Ethernet1` with 3-space-indented children), rendered
 * the way `show running-config` prints them, parsed back from that text, and
 * diffed as `show session-config diffs` does (unified, 3 lines of context).
 */

export interface ConfigEntry {
  line: string;
  /** present for sections (`interface …`, `router …`), even when empty */
  children?: string[];
  /** body of a multi-line block such as `banner login`, ended by `EOF` */
  block?: string;
}

const SECTION_PREFIXES = [
  'interface ',
  'router ',
  'vlan ',
  'management ',
  'ip access-list ',
  'ipv6 access-list ',
  'route-map ',
  'vrf instance ',
  'daemon ',
  'policy-map ',
  'class-map ',
  'ip prefix-list ',
];

export function isSectionLine(line: string): boolean {
  const l = line.toLowerCase();
  return SECTION_PREFIXES.some((p) => l.startsWith(p)) && !/^ip prefix-list \S+ (seq|permit|deny)/.test(l);
}

/** Canonical position of a top-level entry, so rendering is deterministic like EOS's. */
function rank(line: string): number {
  const order: Array<[RegExp, number]> = [
    [/^(no )?aaa /, 1],
    [/^username /, 2],
    [/^alias /, 3],
    [/^(no )?service /, 4],
    [/^hostname /, 5],
    [/^ip (name-server|domain)/, 6],
    [/^ntp /, 7],
    [/^snmp-server /, 8],
    [/^spanning-tree /, 9],
    [/^vlan /, 10],
    [/^vrf instance /, 11],
    [/^interface /, 12],
    [/^ip(v6)? access-list /, 13],
    [/^(no )?ip routing/, 14],
    [/^ip prefix-list /, 15],
    [/^ip route /, 16],
    [/^route-map /, 17],
    [/^router /, 18],
    [/^management /, 19],
    [/^banner /, 20],
  ];
  for (const [re, r] of order) if (re.test(line)) return r;
  return 19.5;
}

const IF_ORDER = ['ethernet', 'loopback', 'management', 'port-channel', 'vlan', 'vxlan'];

/** Orders interfaces by type, then numerically by each `/`-separated index. */
function interfaceKey(line: string): [number, number[]] {
  const m = /^interface ([A-Za-z-]+)([\d/]+)/.exec(line);
  if (!m) return [99, []];
  const t = IF_ORDER.indexOf(m[1].toLowerCase());
  return [t < 0 ? 98 : t, m[2].split('/').map(Number)];
}

function compareEntries(a: ConfigEntry, b: ConfigEntry): number {
  const ra = rank(a.line),
    rb = rank(b.line);
  if (ra !== rb) return ra - rb;
  if (ra === 12) {
    const [ta, na] = interfaceKey(a.line),
      [tb, nb] = interfaceKey(b.line);
    if (ta !== tb) return ta - tb;
    for (let i = 0; i < Math.max(na.length, nb.length); i++) {
      const d = (na[i] ?? -1) - (nb[i] ?? -1);
      if (d) return d;
    }
  }
  if (ra === 10) return Number(a.line.split(' ')[1]) - Number(b.line.split(' ')[1]);
  return 0;
}

/** Settings that hold one value: a new line replaces the old one with the same key. */
const SINGLE_VALUED = [
  'description',
  'mtu',
  'speed',
  'hostname',
  'ip address',
  'ipv6 address',
  'switchport mode',
  'switchport access vlan',
  'router-id',
  'bgp router-id',
  'name',
  'load-interval',
  'vrf',
  'channel-group',
  'state',
  'maximum-paths',
  'ip routing',
  'spanning-tree mode',
];

function keyOf(line: string): string | undefined {
  const l = line.toLowerCase();
  return SINGLE_VALUED.filter((k) => l === k || l.startsWith(k + ' ')).sort((a, b) => b.length - a.length)[0];
}

function startsWithTokens(line: string, prefix: string): boolean {
  const a = line.toLowerCase().split(/\s+/),
    b = prefix.toLowerCase().split(/\s+/);
  return b.every((t, i) => a[i] === t);
}

export class ConfigTree {
  entries: ConfigEntry[];

  constructor(entries: ConfigEntry[] = []) {
    this.entries = entries;
  }

  clone(): ConfigTree {
    return new ConfigTree(this.entries.map((e) => ({ ...e, children: e.children ? [...e.children] : undefined })));
  }

  find(line: string): ConfigEntry | undefined {
    return this.entries.find((e) => e.line.toLowerCase() === line.toLowerCase());
  }

  /** Returns the section (creating it in canonical order when missing). */
  section(line: string): ConfigEntry {
    let e = this.find(line);
    if (!e) {
      e = { line, children: [] };
      this.insert(e);
    } else if (!e.children) {
      e.children = [];
    }
    return e;
  }

  private insert(e: ConfigEntry): void {
    const i = this.entries.findIndex((x) => compareEntries(e, x) < 0);
    if (i < 0) this.entries.push(e);
    else this.entries.splice(i, 0, e);
  }

  /** Sets a top-level line (replacing one with the same single-valued key). */
  setLine(line: string, block?: string): void {
    const key = keyOf(line);
    const bannerKind = /^banner \S+/.exec(line.toLowerCase())?.[0];
    const i = this.entries.findIndex(
      (e) =>
        !e.children &&
        (e.line === line ||
          (key !== undefined && keyOf(e.line) === key) ||
          (bannerKind !== undefined && e.line.toLowerCase() === bannerKind)),
    );
    const entry: ConfigEntry = block === undefined ? { line } : { line, block };
    if (i >= 0) this.entries[i] = entry;
    else this.insert(entry);
  }

  /** `no <prefix>` at top level: removes matching lines and sections. */
  removeTop(prefix: string): void {
    this.entries = this.entries.filter((e) => !startsWithTokens(e.line, prefix));
  }

  get hostname(): string {
    const h = this.entries.find((e) => e.line.startsWith('hostname '));
    return h ? h.line.slice('hostname '.length) : 'localhost';
  }

  /** The lines `show running-config` prints between header and `end`. */
  bodyLines(): string[] {
    const out: string[] = [];
    let prevPlainRank: number | undefined;
    for (const e of this.entries) {
      if (e.children) {
        if (prevPlainRank !== undefined) out.push('!');
        prevPlainRank = undefined;
        out.push(e.line, ...e.children.map((c) => '   ' + c), '!');
      } else if (e.block !== undefined) {
        if (prevPlainRank !== undefined) out.push('!');
        prevPlainRank = undefined;
        out.push(
          e.line,
          ...e.block
            .replace(/\n$/, '')
            .split('\n')
            .filter((l, _, a) => l !== '' || a.length > 1),
          'EOF',
          '!',
        );
      } else {
        const r = rank(e.line);
        if (prevPlainRank !== undefined && prevPlainRank !== r) out.push('!');
        out.push(e.line);
        prevPlainRank = r;
      }
    }
    if (prevPlainRank !== undefined) out.push('!');
    return out;
  }

  render(header: string[]): string {
    return [...header, ...this.bodyLines(), 'end'].join('\n') + '\n';
  }

  /** EOS's JSON model of the running config: nested `cmds` objects. */
  toJson(header: string[]): Record<string, unknown> {
    const cmds: Record<string, unknown> = {};
    for (const e of this.entries) {
      if (e.children) {
        const sub: Record<string, null> = {};
        for (const c of e.children) sub[c] = null;
        cmds[e.line] = { comments: [], cmds: sub };
      } else {
        cmds[e.line] = null;
      }
    }
    return { comments: [], cmds, header };
  }

  /** Parses `show running-config` text (comments `!`, `end`, `EOF` blocks). */
  static parse(text: string): ConfigTree {
    const t = new ConfigTree();
    const lines = text.split('\n');
    let current: ConfigEntry | undefined;
    for (let i = 0; i < lines.length; i++) {
      const raw = lines[i].replace(/\s+$/, '');
      const trimmed = raw.trim();
      if (trimmed === '' || trimmed.startsWith('!') || trimmed === 'end') {
        if (!raw.startsWith(' ')) current = undefined;
        continue;
      }
      if (raw.startsWith(' ') && current?.children) {
        current.children.push(trimmed);
        continue;
      }
      if (/^banner \S+$/.test(trimmed)) {
        const body: string[] = [];
        // bounded by the text itself: stops at EOF or at the last line
        while (i + 1 < lines.length && lines[i + 1] !== 'EOF') body.push(lines[++i]);
        i++;
        t.entries.push({ line: trimmed, block: body.join('\n') + '\n' });
        current = undefined;
        continue;
      }
      current = isSectionLine(trimmed) ? { line: trimmed, children: [] } : { line: trimmed };
      t.entries.push(current);
    }
    t.entries.sort(compareEntries);
    return t;
  }
}

/** Applies one line inside a section: replaces single-valued settings, handles `no`/`default`. */
export function applyChild(section: ConfigEntry, line: string): void {
  section.children ??= [];
  const children = section.children;
  const neg = /^(no|default) (.+)$/i.exec(line);
  if (neg) {
    const target = neg[2];
    section.children = children.filter(
      (c) => !startsWithTokens(c, target) && !(keyOf(target) && keyOf(c) === keyOf(target)),
    );
    // EOS prints "no shutdown" only where shutdown is the default (management
    // sections); an interface's "no shutdown" leaves no line
    if (/^no shutdown$/i.test(line) && section.line.startsWith('management ')) section.children.push('no shutdown');
    return;
  }
  section.children = children.filter((c) => c.toLowerCase() !== `no ${line.toLowerCase()}`);
  if (section.children.includes(line)) return;
  const key = keyOf(line);
  const kids = section.children;
  const i = key ? kids.findIndex((c) => keyOf(c) === key) : -1;
  if (i >= 0) kids[i] = line;
  else kids.push(line);
}

/** Unified diff in the shape `show session-config diffs` prints (3 lines of context). */
export function unifiedDiff(a: string[], b: string[], fromLabel: string, toLabel: string): string {
  const n = a.length,
    m = b.length;
  // LCS table; configs are at most a few hundred lines, so O(n*m) is fine here
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  type Op = { t: ' ' | '-' | '+'; line: string; ai: number; bi: number };
  const ops: Op[] = [];
  let i = 0,
    j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) {
      ops.push({ t: ' ', line: a[i], ai: i++, bi: j++ });
    } else if (i < n && (j >= m || lcs[i + 1][j] >= lcs[i][j + 1])) {
      ops.push({ t: '-', line: a[i], ai: i++, bi: j });
    } else {
      ops.push({ t: '+', line: b[j], ai: i, bi: j++ });
    }
  }
  const changed = ops.map((o, k) => (o.t !== ' ' ? k : -1)).filter((k) => k >= 0);
  if (changed.length === 0) return '';
  const C = 3;
  const hunks: Array<[number, number]> = [];
  for (const k of changed) {
    const lo = Math.max(0, k - C),
      hi = Math.min(ops.length - 1, k + C);
    const last = hunks[hunks.length - 1];
    if (last && lo <= last[1] + 1) last[1] = hi;
    else hunks.push([lo, hi]);
  }
  const out = [`--- ${fromLabel}`, `+++ ${toLabel}`];
  for (const [lo, hi] of hunks) {
    const seg = ops.slice(lo, hi + 1);
    const aLen = seg.filter((o) => o.t !== '+').length,
      bLen = seg.filter((o) => o.t !== '-').length;
    const aStart = seg[0].ai + (aLen ? 1 : 0),
      bStart = seg[0].bi + (bLen ? 1 : 0);
    out.push(`@@ -${aStart},${aLen} +${bStart},${bLen} @@`);
    for (const o of seg) out.push(o.t + o.line);
  }
  return out.join('\n') + '\n';
}
