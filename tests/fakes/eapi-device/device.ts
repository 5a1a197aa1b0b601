/**
 * The simulated switch: configuration state that lasts across requests
 * (running/startup config, flash files, config sessions) and the CLI that
 * runs one runCmds request. Modes reset for every request, as on EOS, so
 * clients send `enable` / `configure` each time; config sessions persist.
 */
import crypto from 'node:crypto';
import type { ReplayStore } from '../replay.ts';
import { ConfigTree, applyChild, isSectionLine, unifiedDiff, type ConfigEntry } from './config.ts';
import { CliError, incompleteAt, invalidAt, matchKeyword, normalizeInterface, resolve, tokenize } from './grammar.ts';
import {
  applyPipe,
  configurationSessions,
  runningConfigHeader,
  showClock,
  showHostname,
  showInterfaces,
  showIpInterfaceBrief,
  showLldpNeighbors,
  showVersion,
  type DeviceFacts,
  type Output,
} from './show.ts';

export interface CmdSpec {
  cmd: string;
  input?: string;
}

export interface RunOptions {
  format: 'json' | 'text';
  autoComplete: boolean;
  expandAliases: boolean;
  timestamps: boolean;
  stopOnError: boolean;
  user: string;
}

export type ResultEntry = Record<string, unknown>;

export interface RunOutcome {
  result?: ResultEntry[];
  error?: { code: number; message: string; data: ResultEntry[] };
}

interface Session {
  tree: ConfigTree;
  /** `pendingCommitTimer`: committed with `commit timer`, reverted unless committed again in time. */
  state: 'pending' | 'completed' | 'pendingCommitTimer';
  user: string;
  description: string;
}

interface Ctx {
  privileged: boolean;
  config: boolean;
  session?: string;
  section?: ConfigEntry;
  opts: RunOptions;
}

const NONE = (): Output => ({ json: {}, text: '' });
const PRIV_REQUIRED = (): CliError => new CliError(1002, 'invalid command', 'Invalid input (privileged mode required)');
const UNCONVERTED = (): CliError => new CliError(1003, 'unconverted command', 'This is an unconverted command');

const EXEC_GRAMMAR: string[][] = [
  ['enable'],
  ['disable'],
  ['end'],
  ['exit'],
  ['configure'],
  ['configure', 'terminal'],
  ['configure', 'session'],
  ['configure', 'replace'],
  ['show', 'version'],
  ['show', 'hostname'],
  ['show', 'interfaces'],
  ['show', 'ip', 'interface', 'brief'],
  ['show', 'lldp', 'neighbors'],
  ['show', 'running-config'],
  ['show', 'startup-config'],
  ['show', 'clock'],
  ['show', 'session-config'],
  ['show', 'configuration', 'sessions'],
  ['write'],
  ['write', 'memory'],
  ['copy'],
  ['reload'],
  ['terminal', 'length'],
  ['terminal', 'width'],
];
const SHOW_GRAMMAR = EXEC_GRAMMAR.filter((p) => p[0] === 'show');

const TOP_VOCAB = [
  'aaa',
  'alias',
  'banner',
  'clock',
  'daemon',
  'dns',
  'enable',
  'errdisable',
  'hostname',
  'interface',
  'ip',
  'ipv6',
  'lldp',
  'logging',
  'management',
  'mlag',
  'no',
  'default',
  'ntp',
  'route-map',
  'router',
  'service',
  'snmp-server',
  'spanning-tree',
  'transceiver',
  'username',
  'vlan',
  'vrf',
  'policy-map',
  'class-map',
  'sflow',
  'tacacs-server',
  'radius-server',
  'load-interval',
  'prompt',
  'event-handler',
  'queue-monitor',
];
const IP_TOP = [
  'routing',
  'route',
  'name-server',
  'domain-name',
  'domain',
  'access-list',
  'prefix-list',
  'host',
  'virtual-router',
  'http',
  'ssh',
  'icmp',
  'multicast-routing',
];
const SECTION_VOCAB: Record<string, string[]> = {
  interface: [
    'description',
    'ip',
    'ipv6',
    'shutdown',
    'mtu',
    'speed',
    'switchport',
    'channel-group',
    'load-interval',
    'vrf',
    'lldp',
    'spanning-tree',
    'mlag',
    'vrrp',
    'bfd',
    'isis',
    'mac-address',
    'encapsulation',
    'vxlan',
    'arp',
    'logging',
    'sflow',
    'storm-control',
    'errdisable',
    'service-policy',
    'flowcontrol',
    'ptp',
    'pim',
    'comment',
  ],
  router: [
    'neighbor',
    'network',
    'router-id',
    'address-family',
    'maximum-paths',
    'redistribute',
    'bgp',
    'timers',
    'passive-interface',
    'area',
    'shutdown',
    'vlan',
    'vrf',
    'distance',
    'graceful-restart',
    'max-lsa',
    'log-adjacency-changes',
    'default-information',
    'auto-cost',
    'exit-address-family',
  ],
  vlan: ['name', 'state', 'trunk'],
  management: ['protocol', 'shutdown', 'vrf', 'idle-timeout', 'authentication', 'cors', 'server', 'transport', 'ip'],
};
const IF_IP = [
  'address',
  'proxy-arp',
  'helper-address',
  'ospf',
  'pim',
  'access-group',
  'mtu',
  'verify',
  'virtual-router',
  'igmp',
  'local-proxy-arp',
  'attached-host',
];

function validPrefix(s: string): boolean {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(s);
  return !!m && m.slice(1, 5).every((o) => Number(o) <= 255) && Number(m[5]) <= 32;
}

function validIp(s: string): boolean {
  return validPrefix(`${s}/32`);
}

export interface DeviceInit {
  hostname: string;
  secret?: string;
  /** Test-only multiplier for commit timers (0.01: a 60 s timer fires after 0.6 s). */
  timeScale?: number;
  /** Replay device: recorded outputs answer exec commands first (see tests/fakes/replay.ts). */
  replay?: ReplayStore | null;
}

/** A `commit timer` waiting for its confirmation. */
interface CommitTimer {
  session: string;
  restore: ConfigTree;
  expiresAt: number;
  timer: NodeJS.Timeout;
}

export class EapiDevice implements DeviceFacts {
  readonly modelName = 'vEOS-lab';
  readonly version = '4.30.1F';
  readonly internalVersion = '4.30.1F-32315456.4301F';
  readonly serialNumber: string;
  readonly systemMacAddress: string;
  readonly physicalInterfaces = ['Ethernet1', 'Ethernet2', 'Ethernet3', 'Ethernet4', 'Management1'] as const;
  readonly lldpNeighbors = [
    { port: 'Ethernet1', neighborDevice: 'spine1', neighborPort: 'Ethernet1', ttl: 120 },
    { port: 'Ethernet2', neighborDevice: 'spine2', neighborPort: 'Ethernet1', ttl: 120 },
  ];
  bootupTimestamp = Math.floor(Date.now() / 1000) - 3600;
  config: ConfigTree;
  private flash = new Map<string, string>();
  private sessions = new Map<string, Session>();
  private readonly secret: string | undefined;
  private readonly timeScale: number;
  private commitTimer: CommitTimer | null = null;
  private readonly replay: ReplayStore | null;

  constructor(init: DeviceInit) {
    this.replay = init.replay ?? null;
    // serial and MAC follow from the hostname, so devices of a fleet differ but are stable across runs
    const h = crypto.createHash('sha256').update(init.hostname).digest();
    this.serialNumber = 'SIM' + h.subarray(0, 5).toString('hex').toUpperCase();
    this.systemMacAddress = [
      '02',
      '1c',
      '73',
      ...[...h.subarray(5, 8)].map((b) => b.toString(16).padStart(2, '0')),
    ].join(':');
    this.secret = init.secret;
    this.timeScale = init.timeScale !== undefined && init.timeScale > 0 ? init.timeScale : 1;
    this.config = ConfigTree.parse(
      [
        'alias shver show version',
        `hostname ${init.hostname}`,
        'spanning-tree mode mstp',
        'interface Ethernet1',
        'interface Ethernet2',
        'interface Ethernet3',
        'interface Ethernet4',
        'interface Management1',
        '   ip address 192.0.2.10/24',
        'ip routing',
        'ip route 0.0.0.0/0 192.0.2.1',
        'management api http-commands',
        '   no shutdown',
      ].join('\n'),
    );
    this.flash.set('startup-config', this.runningConfig());
  }

  get hostname(): string {
    return this.config.hostname;
  }

  runningConfig(cmd = 'show running-config'): string {
    return this.config.render(runningConfigHeader(this, cmd));
  }

  runCmds(cmds: CmdSpec[], opts: RunOptions): RunOutcome {
    // a user with privilege 15 lands in privileged mode; with an enable secret it must say "enable"
    const ctx: Ctx = { privileged: this.secret === undefined, config: false, opts };
    const results: ResultEntry[] = [];
    let firstError: RunOutcome['error'];
    for (let i = 0; i < cmds.length; i++) {
      const spec = cmds[i];
      const started = Date.now();
      let entry: ResultEntry;
      try {
        const out = this.exec(ctx, spec);
        if (opts.format === 'json') {
          if (out.json === undefined) throw UNCONVERTED();
          entry = out.json as ResultEntry;
        } else {
          entry = { output: out.text };
        }
      } catch (e) {
        if (!(e instanceof CliError)) throw e;
        entry = opts.format === 'text' ? { output: `% ${e.detail}\n`, errors: [e.detail] } : { errors: [e.detail] };
        firstError ??= {
          code: e.code,
          message: `CLI command ${i + 1} of ${cmds.length} '${spec.cmd}' failed: ${e.reason}`,
          data: [],
        };
      }
      if (opts.timestamps) entry._meta = { execStartTime: started / 1000, execDuration: (Date.now() - started) / 1000 };
      results.push(entry);
      if (firstError && opts.stopOnError) break;
    }
    if (firstError) return { error: { ...firstError, data: results } };
    return { result: results };
  }

  private exec(ctx: Ctx, spec: CmdSpec): Output {
    const line = spec.cmd.trim();
    if (line === '' || line.startsWith('!')) return NONE();
    const replayed = this.replayed(ctx, line);
    if (replayed) return replayed;
    const [cmdPart, ...pipes] = line.split(/\s+\|\s+/);
    let tokens = tokenize(cmdPart);
    if (ctx.opts.expandAliases) tokens = this.expandAlias(tokens);
    let out: Output;
    if (ctx.config) {
      out = this.execConfigMode(ctx, tokens, spec.input);
    } else {
      out = this.execExec(ctx, tokens, spec.input);
    }
    if (pipes.length) {
      if (ctx.opts.format === 'json') throw UNCONVERTED();
      let text = out.text;
      for (const p of pipes) {
        const m = /^(\S+)\s+(.+)$/.exec(p.trim());
        const filter = m ? matchKeyword(m[1], ['include', 'exclude', 'begin', 'section'], true, 0) : undefined;
        if (!m || !filter) throw invalidAt(tokens.length + 1, p.trim().split(/\s+/)[0] ?? '|');
        text = applyPipe(text, filter, m[2]);
      }
      out = { text };
    }
    return out;
  }

  /**
   * Replay device: the recorded `.json` (json format) or `.text` (text format) answers an exec
   * command; a `show` command without a recording is an invalid command, as on a switch without it.
   */
  private replayed(ctx: Ctx, line: string): Output | null {
    if (!this.replay || ctx.config) return null;
    const json = ctx.opts.format === 'json';
    const recorded = this.replay.lookup(line, json ? 'json' : 'text');
    if (recorded !== null) return json ? { json: JSON.parse(recorded) as unknown, text: '' } : { text: recorded };
    const tokens = tokenize(line);
    if (tokens[0] && 'show'.startsWith(tokens[0].toLowerCase()) && tokens[0].length >= 2)
      throw invalidAt(1, tokens[1] ?? tokens[0]);
    return null;
  }

  private expandAlias(tokens: string[]): string[] {
    if (!tokens.length) return tokens;
    const alias = this.config.entries.find((e) => {
      const t = e.line.split(/\s+/);
      return t[0] === 'alias' && t[1]?.toLowerCase() === tokens[0].toLowerCase();
    });
    return alias ? [...tokenize(alias.line).slice(2), ...tokens.slice(1)] : tokens;
  }

  // ------------------------------------------------------------ exec mode
  private execExec(ctx: Ctx, tokens: string[], input: string | undefined): Output {
    const r = resolve(tokens, EXEC_GRAMMAR, ctx.opts.autoComplete);
    const cmd = r.words.join(' ');
    const noArgs = (): void => {
      if (r.rest.length) throw invalidAt(r.restIndex, r.rest[0]);
    };
    if (cmd.startsWith('show ')) return this.show(ctx, r.words, r.rest, r.restIndex);
    switch (cmd) {
      case 'enable':
        noArgs();
        if (this.secret !== undefined && !ctx.privileged && input !== this.secret) {
          // the secret itself is never echoed back in the error
          throw new CliError(
            1005,
            'Command unauthorized: user has insufficient permissions to run the command',
            'Bad secret',
          );
        }
        ctx.privileged = true;
        return NONE();
      case 'disable':
        noArgs();
        ctx.privileged = false;
        return NONE();
      case 'end':
      case 'exit':
      case 'terminal length':
      case 'terminal width':
        return NONE();
      case 'configure':
      case 'configure terminal':
        noArgs();
        if (!ctx.privileged) throw PRIV_REQUIRED();
        ctx.config = true;
        ctx.session = undefined;
        ctx.section = undefined;
        return NONE();
      case 'configure session':
        if (!ctx.privileged) throw PRIV_REQUIRED();
        return this.configureSession(ctx, r.rest, r.restIndex);
      case 'configure replace':
        if (!ctx.privileged) throw PRIV_REQUIRED();
        if (!r.rest.length) throw incompleteAt(1, 'replace');
        this.config = this.readFile(r.rest[0], r.restIndex);
        return NONE();
      case 'write':
      case 'write memory':
        noArgs();
        if (!ctx.privileged) throw PRIV_REQUIRED();
        this.flash.set('startup-config', this.runningConfig());
        return copied();
      case 'copy': {
        if (!ctx.privileged) throw PRIV_REQUIRED();
        if (r.rest.length < 2) throw incompleteAt(r.restIndex + r.rest.length - 1, r.rest[r.rest.length - 1] ?? 'copy');
        if (r.rest.length > 2) throw invalidAt(r.restIndex + 2, r.rest[2]);
        const src =
          r.rest[0] === 'running-config' ? this.runningConfig() : this.readFile(r.rest[0], r.restIndex).render([]);
        if (r.rest[1] === 'running-config') {
          this.config = ConfigTree.parse(src);
        } else if (r.rest[1] === 'startup-config' || r.rest[1].startsWith('flash:')) {
          this.flash.set(r.rest[1], src);
        } else {
          throw invalidAt(r.restIndex + 1, r.rest[1]);
        }
        return copied();
      }
      case 'reload':
        if (r.rest.length === 1 && r.rest[0].toLowerCase() === 'now') {
          this.config = ConfigTree.parse(this.flash.get('startup-config') ?? '');
          this.sessions.clear();
          this.bootupTimestamp = Math.floor(Date.now() / 1000);
          return NONE();
        }
        throw new CliError(
          1004,
          'incompatible command',
          "Command not permitted via API access. To reload the machine over the API, please use 'reload now' instead.",
        );
      default:
        throw invalidAt(0, tokens[0]);
    }
  }

  private readFile(name: string, index: number): ConfigTree {
    const text = this.flash.get(name);
    if (text === undefined)
      throw new CliError(1002, 'invalid command', `Error opening ${name} (No such file or directory)`);
    void index;
    return ConfigTree.parse(text);
  }

  private configureSession(ctx: Ctx, rest: string[], restIndex: number): Output {
    const name = rest[0] ?? `session${Date.now()}`;
    const action =
      rest[1] !== undefined
        ? matchKeyword(rest[1], ['commit', 'abort'], ctx.opts.autoComplete, restIndex + 1)
        : undefined;
    if (rest[1] !== undefined && !action) throw invalidAt(restIndex + 1, rest[1]);
    const s = this.sessions.get(name);
    if (action === 'commit') {
      if (rest[2] !== undefined && (rest[2] !== 'timer' || !/^\d\d:\d\d:\d\d$/.test(rest[3] ?? '')))
        throw invalidAt(restIndex + 2, rest[2]);
      if (!s || s.state === 'completed') {
        throw new CliError(1002, 'invalid command', `Cannot commit session ${name} (no such pending session)`);
      }
      if (rest[2] === 'timer') {
        this.commitWithTimer(name, s, rest[3]);
        return NONE();
      }
      // committing a session that waits on its timer confirms it
      if (s.state === 'pendingCommitTimer') this.stopTimer();
      this.commit(name, s);
      return NONE();
    }
    if (action === 'abort') {
      if (!s) throw new CliError(1002, 'invalid command', `Cannot abort session ${name} (no such session)`);
      // aborting a session under a commit timer rolls its changes back at once
      if (s.state === 'pendingCommitTimer' && this.commitTimer) this.config = this.commitTimer.restore.clone();
      if (s.state === 'pendingCommitTimer') this.stopTimer();
      this.sessions.delete(name);
      return NONE();
    }
    if (rest.length > 1) throw invalidAt(restIndex + 1, rest[1]);
    if (s && s.state === 'completed')
      throw new CliError(1002, 'invalid command', `Cannot enter session ${name} (session already committed)`);
    if (!s) {
      const pending = [...this.sessions.values()].filter((x) => x.state === 'pending').length;
      if (pending >= 5)
        throw new CliError(1002, 'invalid command', 'Maximum number of pending sessions has been reached');
      this.sessions.set(name, { tree: this.config.clone(), state: 'pending', user: ctx.opts.user, description: '' });
    }
    ctx.config = true;
    ctx.session = name;
    ctx.section = undefined;
    return NONE();
  }

  /** `configure session X commit timer hh:mm:ss`: apply now, revert unless committed again in time. */
  private commitWithTimer(name: string, s: Session, hms: string | undefined): void {
    const [h, m, sec] = (hms ?? '').split(':').map(Number);
    const seconds = h * 3600 + m * 60 + sec;
    if (seconds <= 0) throw new CliError(1002, 'invalid command', 'Commit timer must be greater than zero');
    if (this.commitTimer && this.commitTimer.session !== name) {
      const other = this.commitTimer.session;
      throw new CliError(
        1002,
        'invalid command',
        `Cannot commit session ${name}: session ${other} has a pending commit timer`,
      );
    }
    const restore = this.commitTimer?.restore ?? this.config.clone();
    this.stopTimer();
    this.config = s.tree.clone();
    s.state = 'pendingCommitTimer';
    const waitMs = Math.max(1, Math.round(seconds * 1000 * this.timeScale));
    const pending: CommitTimer = {
      session: name,
      restore,
      expiresAt: Date.now() + seconds * 1000,
      timer: setTimeout(() => {
        if (this.commitTimer !== pending) return;
        this.commitTimer = null;
        this.config = pending.restore.clone();
        this.sessions.delete(name);
      }, waitMs),
    };
    pending.timer.unref();
    this.commitTimer = pending;
  }

  private stopTimer(): void {
    if (this.commitTimer) clearTimeout(this.commitTimer.timer);
    this.commitTimer = null;
  }

  /** Stops a pending commit timer without reverting (the simulator is shutting down). */
  shutdown(): void {
    this.stopTimer();
  }

  private commit(name: string, s: Session): void {
    this.config = s.tree.clone();
    for (const [n, x] of this.sessions) if (x.state === 'completed') this.sessions.delete(n);
    s.state = 'completed';
    this.sessions.set(name, s);
  }

  private show(ctx: Ctx, words: string[], rest: string[], restIndex: number): Output {
    const cmd = words.join(' ');
    const now = Date.now();
    const noArgs = (): void => {
      if (rest.length) throw invalidAt(restIndex, rest[0]);
    };
    const kw = (i: number, cands: string[]): string | undefined =>
      rest[i] === undefined ? undefined : matchKeyword(rest[i], cands, ctx.opts.autoComplete, restIndex + i);
    switch (cmd) {
      case 'show version':
        noArgs();
        return showVersion(this, now);
      case 'show hostname':
        noArgs();
        return showHostname(this);
      case 'show clock':
        noArgs();
        return showClock(now);
      case 'show ip interface brief':
        noArgs();
        return showIpInterfaceBrief(this);
      case 'show lldp neighbors':
        noArgs();
        return showLldpNeighbors(this, now);
      case 'show interfaces': {
        if (rest.length > 1) throw invalidAt(restIndex + 1, rest[1]);
        const name = rest[0] === undefined ? undefined : normalizeInterface(rest[0]);
        if (rest[0] !== undefined && !name) throw invalidAt(restIndex, rest[0]);
        const out = showInterfaces(this, name);
        if (!out) throw new CliError(1002, 'invalid command', 'Interface does not exist');
        return out;
      }
      case 'show running-config':
      case 'show startup-config': {
        if (!ctx.privileged) throw PRIV_REQUIRED();
        const opts = rest.map((_, i) => kw(i, ['all', 'sanitized', 'detail']));
        const bad = opts.indexOf(undefined);
        if (bad >= 0) throw invalidAt(restIndex + bad, rest[bad]);
        const full = [...words, ...(opts as string[])].join(' ');
        const tree =
          cmd === 'show startup-config' ? ConfigTree.parse(this.flash.get('startup-config') ?? '') : this.config;
        let text = tree.render(runningConfigHeader(this, full));
        if (opts.includes('sanitized'))
          text = text.replace(/^(\s*\S.* (secret|password|key)( \d+| sha512)?) \S+$/gm, '$1 <removed>');
        return { json: cmd === 'show running-config' ? tree.toJson(runningConfigHeader(this, full)) : undefined, text };
      }
      case 'show session-config': {
        if (!ctx.privileged) throw PRIV_REQUIRED();
        let name = ctx.session;
        let i = 0;
        if (kw(0, ['named', 'diffs']) === 'named') {
          if (rest[1] === undefined) throw incompleteAt(restIndex, rest[0]);
          name = rest[1];
          i = 2;
        }
        const diffs = rest[i] !== undefined && kw(i, ['diffs']) === 'diffs';
        if (rest[i] !== undefined && !diffs) throw invalidAt(restIndex + i, rest[i]);
        if (rest.length > i + (diffs ? 1 : 0)) throw invalidAt(restIndex + i + 1, rest[i + 1]);
        const s = name === undefined ? undefined : this.sessions.get(name);
        if (name === undefined) throw new CliError(1002, 'invalid command', 'Not in a configuration session');
        if (!s) throw new CliError(1002, 'invalid command', `Session ${name} does not exist`);
        const header = runningConfigHeader(this, 'show running-config');
        if (!diffs) return { text: s.tree.render(header) };
        // EOS answers session diffs in text only
        const text = unifiedDiff(
          this.config.render(header).split('\n').slice(0, -1),
          s.tree.render(header).split('\n').slice(0, -1),
          'system:/running-config',
          `session:/${name}-session-config`,
        );
        return { text };
      }
      case 'show configuration sessions': {
        const d = kw(0, ['detail']);
        if (rest.length > (d ? 1 : 0)) throw invalidAt(restIndex + (d ? 1 : 0), rest[d ? 1 : 0]);
        return configurationSessions(this.sessions, d === 'detail', this.commitTimer);
      }
      default:
        throw invalidAt(1, words[1] ?? '');
    }
  }

  // ------------------------------------------------------------ config mode
  private tree(ctx: Ctx): ConfigTree {
    if (ctx.session === undefined) return this.config;
    const s = this.sessions.get(ctx.session);
    if (!s) throw new CliError(1002, 'invalid command', `Session ${ctx.session} does not exist`);
    return s.tree;
  }

  private execConfigMode(ctx: Ctx, tokens: string[], input: string | undefined): Output {
    const first = tokens[0].toLowerCase();
    const mode = matchKeyword(first, ['end', 'exit', 'show', 'commit', 'abort', 'rollback'], ctx.opts.autoComplete, 0);
    if (mode === 'show') {
      const r = resolve(tokens, SHOW_GRAMMAR, ctx.opts.autoComplete);
      return this.show(ctx, r.words, r.rest, r.restIndex);
    }
    if (mode === 'end' || (mode === 'exit' && !ctx.section)) {
      if (tokens.length > 1) throw invalidAt(1, tokens[1]);
      ctx.config = false;
      ctx.session = undefined;
      ctx.section = undefined;
      return NONE();
    }
    if (mode === 'exit') {
      ctx.section = undefined;
      return NONE();
    }
    if ((mode === 'commit' || mode === 'abort') && ctx.session !== undefined) {
      const name = ctx.session;
      const s = this.sessions.get(name);
      if (mode === 'commit' && s) this.commit(name, s);
      else this.sessions.delete(name);
      ctx.config = false;
      ctx.session = undefined;
      ctx.section = undefined;
      return NONE();
    }
    if (mode === 'rollback' && ctx.session !== undefined) {
      if (tokens.slice(1).join(' ').toLowerCase() !== 'clean-config') throw invalidAt(1, tokens[1] ?? '');
      const s = this.sessions.get(ctx.session);
      if (s) s.tree = ConfigTree.parse(this.physicalInterfaces.map((i) => `interface ${i}`).join('\n'));
      ctx.section = undefined;
      return NONE();
    }
    this.configLine(ctx, tokens, input);
    return NONE();
  }

  private configLine(ctx: Ctx, tokens: string[], input: string | undefined): void {
    const ac = ctx.opts.autoComplete;
    const tree = this.tree(ctx);
    if (ctx.section) {
      const type = ctx.section.line.split(' ')[0];
      const vocab = SECTION_VOCAB[type];
      const neg = matchKeyword(tokens[0], ['no', 'default'], ac, 0);
      const at = neg ? 1 : 0;
      if (neg && tokens.length === 1) throw incompleteAt(0, tokens[0]);
      const kw = vocab ? matchKeyword(tokens[at], vocab, ac, at) : tokens[at];
      if (kw !== undefined) {
        const words = [...tokens];
        if (neg) words[0] = neg;
        words[at] = kw;
        if (type === 'interface') this.validateInterfaceLine(words, at);
        applyChild(ctx.section, words.join(' '));
        return;
      }
      // a new section header leaves the current section; anything else is not valid here
      const top = matchKeyword(tokens[0], ['interface', 'router', 'vlan', 'management'], ac, 0);
      if (neg || !top) throw invalidAt(at, tokens[at]);
      ctx.section = undefined;
    }
    const kw = matchKeyword(tokens[0], TOP_VOCAB, ac, 0);
    if (!kw) throw invalidAt(0, tokens[0]);
    const words = [kw, ...tokens.slice(1)];
    if (kw === 'no' || kw === 'default') {
      if (words.length === 1) throw incompleteAt(0, tokens[0]);
      const target = matchKeyword(
        words[1],
        TOP_VOCAB.filter((w) => w !== 'no' && w !== 'default'),
        ac,
        1,
      );
      if (!target) throw invalidAt(1, words[1]);
      words[1] = target;
      if (target === 'interface') {
        const name = words[2] === undefined ? undefined : normalizeInterface(words[2]);
        if (!name) throw words[2] === undefined ? incompleteAt(1, words[1]) : invalidAt(2, words[2]);
        // physical ports cannot be removed, only reset to defaults
        if ((this.physicalInterfaces as readonly string[]).includes(name))
          tree.section(`interface ${name}`).children = [];
        else tree.removeTop(`interface ${name}`);
        return;
      }
      if (target === 'hostname') {
        tree.removeTop('hostname');
        return;
      }
      tree.removeTop(words.slice(1).join(' '));
      return;
    }
    switch (kw) {
      case 'interface': {
        if (words.length < 2) throw incompleteAt(0, tokens[0]);
        if (words.length > 2) throw invalidAt(2, words[2]);
        const name = normalizeInterface(words[1]);
        if (!name) throw invalidAt(1, words[1]);
        if (/^(Ethernet|Management)/.test(name) && !(this.physicalInterfaces as readonly string[]).includes(name))
          throw invalidAt(1, words[1]);
        ctx.section = tree.section(`interface ${name}`);
        return;
      }
      case 'router': {
        const proto = words[1] === undefined ? undefined : matchKeyword(words[1], ['bgp', 'ospf', 'isis'], ac, 1);
        if (words[1] === undefined) throw incompleteAt(0, tokens[0]);
        if (!proto) throw invalidAt(1, words[1]);
        if (words[2] === undefined) throw incompleteAt(1, words[1]);
        if (proto === 'bgp') {
          if (!/^\d+(\.\d+)?$/.test(words[2])) throw invalidAt(2, words[2]);
          const other = tree.entries.find(
            (e) => e.line.startsWith('router bgp ') && e.line !== `router bgp ${words[2]}`,
          );
          if (other)
            throw new CliError(
              1002,
              'invalid command',
              `BGP is already running with AS number ${other.line.split(' ')[2]}`,
            );
        }
        ctx.section = tree.section(['router', proto, ...words.slice(2)].join(' '));
        return;
      }
      case 'vlan': {
        const id = Number(words[1]);
        if (words[1] === undefined) throw incompleteAt(0, tokens[0]);
        if (!Number.isInteger(id) || id < 1 || id > 4094 || words.length > 2)
          throw invalidAt(
            words.length > 2 && Number.isInteger(id) ? 2 : 1,
            words[words.length > 2 && Number.isInteger(id) ? 2 : 1],
          );
        ctx.section = tree.section(`vlan ${id}`);
        return;
      }
      case 'hostname':
        if (words.length < 2) throw incompleteAt(0, tokens[0]);
        if (words.length > 2 || !/^[A-Za-z0-9][A-Za-z0-9.-]*$/.test(words[1]))
          throw invalidAt(words.length > 2 ? 2 : 1, words[words.length > 2 ? 2 : 1]);
        tree.setLine(`hostname ${words[1]}`);
        return;
      case 'banner': {
        const kind = words[1] === undefined ? undefined : matchKeyword(words[1], ['login', 'motd'], ac, 1);
        if (words[1] === undefined) throw incompleteAt(0, tokens[0]);
        if (!kind || words.length > 2) throw invalidAt(kind ? 2 : 1, words[kind ? 2 : 1]);
        // eAPI passes a banner's text as the command's "input"
        tree.setLine(`banner ${kind}`, input ?? '');
        return;
      }
      case 'ip': {
        if (words[1] === undefined) throw incompleteAt(0, tokens[0]);
        const sub = matchKeyword(words[1], IP_TOP, ac, 1);
        if (!sub) throw invalidAt(1, words[1]);
        words[1] = sub;
        if (sub === 'route') {
          if (words[2] === undefined) throw incompleteAt(1, words[1]);
          if (!validPrefix(words[2])) throw invalidAt(2, words[2]);
          if (words[3] === undefined) throw incompleteAt(2, words[2]);
          if (!validIp(words[3]) && !/^null0$/i.test(words[3]) && !normalizeInterface(words[3]))
            throw invalidAt(3, words[3]);
        }
        if (sub === 'routing' && words.length > 2) throw invalidAt(2, words[2]);
        const line = words.join(' ');
        if (isSectionLine(line)) ctx.section = tree.section(line);
        else tree.setLine(line);
        return;
      }
      default: {
        if (words.length < 2 && kw !== 'ipv6') throw incompleteAt(0, tokens[0]);
        const line = words.join(' ');
        if (isSectionLine(line)) ctx.section = tree.section(line);
        else tree.setLine(line);
      }
    }
  }

  private validateInterfaceLine(words: string[], at: number): void {
    const kw = words[at];
    const neg = at > 0;
    if (kw === 'description' && !neg && words.length < 2) throw incompleteAt(0, words[0]);
    if (kw === 'shutdown' && words.length > at + 1) throw invalidAt(at + 1, words[at + 1]);
    if (kw === 'mtu' && !neg) {
      const v = Number(words[at + 1]);
      if (words[at + 1] === undefined) throw incompleteAt(at, kw);
      if (!Number.isInteger(v) || v < 68 || v > 9214) throw invalidAt(at + 1, words[at + 1]);
    }
    if (kw === 'ip') {
      if (words[at + 1] === undefined) throw incompleteAt(at, kw);
      if (!IF_IP.includes(words[at + 1].toLowerCase())) throw invalidAt(at + 1, words[at + 1]);
      if (words[at + 1].toLowerCase() === 'address' && !neg) {
        if (words[at + 2] === undefined) throw incompleteAt(at + 1, words[at + 1]);
        if (!validPrefix(words[at + 2])) throw invalidAt(at + 2, words[at + 2]);
      }
    }
  }
}

function copied(): Output {
  return { json: { messages: ['Copy completed successfully.'] }, text: 'Copy completed successfully.\n' };
}
