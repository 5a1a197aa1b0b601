/**
 * Session engine: one instance per SSH shell or exec channel. It knows no
 * platform; everything it prints and every mode it walks through comes from
 * the PlatformProfile. State that outlives a session (running config,
 * hostname, saves, command log) lives in DeviceState, shared by all sessions
 * of one simulated device.
 */
import {
  archiveEnabled,
  contextualDiff,
  dirListing,
  flashName,
  incrementalDiff,
  parseConfigFile,
  tclWord,
  writeFlash,
} from './archive.ts';
import {
  armConfirm,
  clearConfirm,
  createCommitState,
  parseCommitArgs,
  recordCommit,
  remainingSeconds,
  type CommitArgs,
  type CommitState,
  type PendingConfirm,
} from './commits.ts';
import { BlockConfig, SetConfig, createStore, splitWords, type ConfigStore } from './config-store.ts';
import { boundedDelay, matchesTrigger, sleep, type SimFaults } from './faults.ts';
import { matchCommand, type MatchResult } from './matcher.ts';
import type { ReplayStore } from '../replay.ts';
import type { ArchiveOp, CommandAction, Dialog, DialogAnswer, PlatformProfile } from './types.ts';

export interface DeviceState {
  profile: PlatformProfile;
  hostname: string;
  username: string;
  secret: string;
  running: ConfigStore;
  /** Rendered running configuration at the last save. */
  startup: string[];
  saves: number;
  commits: number;
  commandLog: string[];
  faults: SimFaults;
  /** Commit history and the pending commit-confirm timer (candidate platforms, IOS archive). */
  history: CommitState;
  /** IOS `flash:` files (candidate/merge/rollback configs). */
  flash: Map<string, string>;
  /** Replay device: outside configuration modes, recorded outputs answer first (see replay.ts). */
  replay: ReplayStore | null;
}

export function createDeviceState(
  profile: PlatformProfile,
  opts: {
    hostname: string;
    username: string;
    secret: string;
    faults: SimFaults;
    timeScale?: number;
    replay?: ReplayStore | null;
  },
): DeviceState {
  const running = createStore(profile.config, opts.hostname);
  return {
    history: createCommitState(running, opts.hostname, opts.username, opts.timeScale ?? 1),
    flash: new Map(),
    profile,
    hostname: opts.hostname,
    username: opts.username,
    secret: opts.secret,
    running,
    startup: running.render(),
    saves: 0,
    commits: 0,
    commandLog: [],
    faults: opts.faults,
    replay: opts.replay ?? null,
  };
}

/** Transport seen by a session: the server wires it to an ssh2 channel. */
export interface SessionIO {
  write(text: string): Promise<void>;
  /** Destroy the connection at once (fault injection). */
  drop(): void;
  /** Close the channel the way a logout does. */
  end(): void;
}

interface ModeFrame {
  mode: string;
  /** Section header (block config) or edit path (junos) that config lines go under. */
  path: string[];
  /** Text for `{context}` in prompts. */
  label: string;
}

interface Reply {
  lines: string[];
  pageable: boolean;
  /** Runs after the lines are written; absent means "write the prompt". */
  after?: () => Promise<void>;
}

type InputState =
  | { kind: 'command' }
  | { kind: 'secret'; onLine: (line: string) => Promise<void> }
  | { kind: 'answer'; onLine: (line: string) => Promise<void> }
  | { kind: 'pager'; remaining: string[]; finish: () => Promise<void> }
  | { kind: 'stopped' };

export function renderNow(style: string, now = new Date()): string {
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  const day = days[now.getUTCDay()];
  const month = months[now.getUTCMonth()];
  const time = `${pad(now.getUTCHours())}:${pad(now.getUTCMinutes())}:${pad(now.getUTCSeconds())}`;
  const millis = pad(now.getUTCMilliseconds(), 3);
  const date = now.getUTCDate();
  const iso = `${now.getUTCFullYear()}-${pad(now.getUTCMonth() + 1)}-${pad(date)}`;
  switch (style) {
    case 'ios':
      return `*${time}.${millis} UTC ${day} ${month} ${date} ${now.getUTCFullYear()}`;
    case 'xr':
      return `${day} ${month} ${String(date).padStart(2, ' ')} ${time}.${millis} UTC`;
    case 'nxos':
      return `${time}.${millis} UTC ${day} ${month} ${pad(date)} ${now.getUTCFullYear()}`;
    case 'eos':
      return `${day} ${month} ${String(date).padStart(2, ' ')} ${time} ${now.getUTCFullYear()}`;
    case 'junos':
      return `${iso} ${time} UTC`;
    case 'vrp':
    case 'comware':
      return `${iso} ${time}`;
    default:
      return `${day} ${month} ${String(date).padStart(2, ' ')} ${time} UTC ${now.getUTCFullYear()}`;
  }
}

/** Actions that print device state; on a replay device only recorded files answer these. */
const REPLAYED_KINDS: ReadonlySet<CommandAction['kind']> = new Set([
  'output',
  'showRunning',
  'showCandidate',
  'showPending',
  'showStartup',
]);

export class DeviceSession {
  private readonly profile: PlatformProfile;
  private modeStack: ModeFrame[];
  private candidate: ConfigStore | null = null;
  /** Configuration lines typed since the last commit (candidate platforms). */
  private pending: string[] = [];
  private pendingHostname: string | null = null;
  /** Every configuration line typed since the last commit, as block text (XR `commit replace` target). */
  private typed: string[] = [];
  /** Open TCL file channels (`set f [open "flash:x" w+]`): variable → file name and text so far. */
  private tclFiles = new Map<string, { name: string; text: string }>();
  private pageLength: number;
  private input: InputState = { kind: 'command' };
  private buffer = '';
  /** A `\r` ended the last line; a `\n` right after it belongs to the same Enter. */
  private swallowLineFeed = false;
  private chain: Promise<void> = Promise.resolve();
  /** Arguments of the command being answered, for `{arg1}` in replies. */
  private currentArgs: string[] = [];
  /** Errors printed so far (exec channels turn this into the exit status). */
  errorCount = 0;

  constructor(
    private readonly device: DeviceState,
    private readonly io: SessionIO,
    private readonly interactive: boolean,
  ) {
    this.profile = device.profile;
    const start = interactive ? this.profile.loginMode : this.profile.execMode;
    this.modeStack = [{ mode: start, path: [], label: '' }];
    this.pageLength = interactive ? this.profile.paging.pageLength : 0;
  }

  get stopped(): boolean {
    return this.input.kind === 'stopped';
  }

  get currentMode(): string {
    return this.top.mode;
  }

  /** Banner and first prompt of an interactive shell. */
  start(): Promise<void> {
    this.chain = this.chain.then(async () => {
      if (this.profile.banner !== '') await this.write(this.fill(this.profile.banner) + '\n');
      await this.writePrompt();
    });
    return this.chain;
  }

  /** Queue input; returns when everything fed so far has been handled. */
  feed(data: string): Promise<void> {
    this.buffer += data;
    this.chain = this.chain
      .then(() => this.drain())
      .catch(() => {
        this.input = { kind: 'stopped' };
      });
    return this.chain;
  }

  /** Stop reacting to input (channel closed). */
  stop(): void {
    this.input = { kind: 'stopped' };
    this.buffer = '';
  }

  private get top(): ModeFrame {
    return this.modeStack[this.modeStack.length - 1];
  }

  private async drain(): Promise<void> {
    while (this.buffer.length > 0) {
      const state = this.input;
      if (state.kind === 'stopped') {
        this.buffer = '';
        return;
      }
      if (state.kind === 'pager') {
        const key = this.buffer[0];
        this.buffer = this.buffer.slice(1);
        if (key === '\n' && this.swallowLineFeed) {
          this.swallowLineFeed = false;
          continue;
        }
        this.swallowLineFeed = key === '\r';
        await this.pagerKey(state, key);
        continue;
      }
      const line = this.takeLine();
      if (line === null) return;
      if (state.kind === 'command') {
        await this.handleCommandLine(line);
      } else {
        this.input = { kind: 'command' };
        await this.write(state.kind === 'answer' ? `${line}\n` : '\n');
        await state.onLine(line);
      }
    }
  }

  /** Next complete line with terminal editing applied, or null while a line is still being typed. */
  private takeLine(): string | null {
    if (this.swallowLineFeed && this.buffer.startsWith('\n')) this.buffer = this.buffer.slice(1);
    this.swallowLineFeed = false;
    const end = this.buffer.search(/[\r\n]/);
    if (end < 0) return null;
    const raw = this.buffer.slice(0, end);
    let consumed = end + 1;
    if (this.buffer[end] === '\r') {
      if (this.buffer[end + 1] === '\n') consumed++;
      else if (end + 1 === this.buffer.length) this.swallowLineFeed = true;
    }
    this.buffer = this.buffer.slice(consumed);
    let line = '';
    for (const ch of raw) {
      if (ch === '\x7f' || ch === '\b') line = line.slice(0, -1);
      else if (ch >= ' ' || ch === '\t') line += ch;
    }
    return line;
  }

  private async handleCommandLine(line: string): Promise<void> {
    if (this.interactive) await this.write(`${line}\n`);
    const command = line.trim();
    if (command === '') {
      await this.writePrompt();
      return;
    }
    this.device.commandLog.push(command);
    const faults = this.device.faults;
    if (matchesTrigger(faults.hangOn, command)) {
      this.input = { kind: 'stopped' };
      return;
    }
    const latency = boundedDelay(faults.commandLatencyMs);
    if (latency > 0) await sleep(latency);
    const reply = await this.execute(command);
    if (matchesTrigger(faults.disconnectOn, command)) {
      const half = reply.lines.slice(0, Math.ceil(reply.lines.length / 2));
      if (half.length > 0) await this.write(half.join('\n') + '\n');
      this.input = { kind: 'stopped' };
      this.io.drop();
      return;
    }
    await this.deliver(reply);
  }

  private async deliver(reply: Reply): Promise<void> {
    const finish = reply.after ?? (() => this.writePrompt());
    const chunk = this.pageLength > 0 ? this.pageLength - 1 : 0;
    if (!this.interactive || !reply.pageable || chunk <= 0 || reply.lines.length <= chunk) {
      if (reply.lines.length > 0) await this.write(reply.lines.join('\n') + '\n');
      await finish();
      return;
    }
    await this.write(reply.lines.slice(0, chunk).join('\n') + '\n' + this.profile.paging.more);
    this.input = { kind: 'pager', remaining: reply.lines.slice(chunk), finish };
  }

  private async pagerKey(state: Extract<InputState, { kind: 'pager' }>, key: string): Promise<void> {
    const paging = this.profile.paging;
    await this.write(paging.erase);
    let take: number;
    if (key === ' ') take = Math.max(1, this.pageLength - 1);
    else if (key === '\r' || key === '\n') take = 1;
    else {
      this.input = { kind: 'command' };
      await state.finish();
      return;
    }
    const shown = state.remaining.slice(0, take);
    const rest = state.remaining.slice(take);
    await this.write(shown.join('\n') + '\n');
    if (rest.length === 0) {
      this.input = { kind: 'command' };
      await state.finish();
      return;
    }
    this.input = { kind: 'pager', remaining: rest, finish: state.finish };
    await this.write(paging.more);
  }

  // ---- command dispatch -------------------------------------------------

  private async execute(command: string): Promise<Reply> {
    const [base, ...filters] = command.split(/\s+\|\s*/);
    const mode = this.profile.modes[this.top.mode];
    const replay = this.device.replay && !mode.config ? this.device.replay : null;
    if (replay) {
      const recorded = replay.lookup(command, 'txt');
      if (recorded !== null) return { lines: recorded.replace(/\n$/, '').split('\n'), pageable: true };
    }
    let match = matchCommand(base, mode.commands);
    if (replay && match.ok && REPLAYED_KINDS.has(match.spec.action.kind)) {
      // A replay device answers show commands from its recordings only: no file, no such command.
      const second = /^\s*\S+\s+(\S)/.exec(base);
      return this.errorReply(
        { ok: false, error: 'invalid', column: second ? second[0].length - 1 : 0, tokenIndex: second ? 1 : 0 },
        base,
      );
    }
    if (!match.ok && mode.config) {
      // Sub-modes accept their parents' commands and drop back to that level, as IOS and VRP do.
      for (let depth = this.modeStack.length - 2; depth >= 0; depth--) {
        const ancestor = this.profile.modes[this.modeStack[depth].mode];
        if (!ancestor.config) break;
        const retry = matchCommand(base, ancestor.commands);
        if (retry.ok) {
          this.modeStack = this.modeStack.slice(0, depth + 1);
          match = retry;
          break;
        }
      }
    }
    if (!match.ok) return this.errorReply(match, base);
    return this.act(match.spec.action, match, base, filters);
  }

  private errorReply(match: Exclude<MatchResult, { ok: true }>, input: string): Reply {
    if (match.error === 'empty') return { lines: [], pageable: false };
    this.errorCount++;
    const errors = this.profile.errors;
    let format = errors.invalid;
    if (match.error === 'incomplete') format = errors.incomplete;
    else if (match.error === 'ambiguous') format = errors.ambiguous;
    else if (match.tokenIndex === 0 && errors.unknownCommand) format = errors.unknownCommand;
    const lines: string[] = [];
    if (format.caret) {
      const offset = this.interactive ? this.promptLastLine().length : 0;
      lines.push(' '.repeat(offset + match.column) + '^');
    }
    const word =
      match.error === 'ambiguous'
        ? match.word
        : match.error === 'invalid'
          ? (input.trim().split(/\s+/)[match.tokenIndex] ?? '')
          : '';
    for (const line of format.lines) lines.push(line.replaceAll('{input}', input).replaceAll('{word}', word));
    return { lines, pageable: false };
  }

  private text(text: string | undefined): string[] {
    if (text === undefined || text === '') return [];
    return this.fill(text).split('\n');
  }

  private async act(
    action: CommandAction,
    match: Extract<MatchResult, { ok: true }>,
    line: string,
    filters: string[],
  ): Promise<Reply> {
    const rest = match.args.join(' ');
    this.currentArgs = match.args;
    const restRaw = line.trim().replace(/^\S+\s*/, '');
    switch (action.kind) {
      case 'output':
        return this.filtered(this.text(action.text), filters, action.pageable ?? true);
      case 'accept':
        return { lines: this.text(action.text), pageable: false };
      case 'showRunning':
        return this.filtered(this.renderConfig(this.device.running, filters), filters, true);
      case 'showCandidate':
        return this.filtered(this.renderConfig(this.store(), filters), filters, true);
      case 'showPending': {
        const config = this.profile.config;
        return this.filtered(
          [...this.fillAll(config.header), ...this.pending, ...this.fillAll(config.footer)],
          filters,
          true,
        );
      }
      case 'pagingOff':
        this.pageLength = 0;
        return { lines: this.text(action.text), pageable: false };
      case 'pagingLength': {
        const length = Number.parseInt(match.args[0] ?? '0', 10);
        this.pageLength = Number.isFinite(length) && length > 0 ? Math.min(length, 512) : 0;
        return { lines: this.text(action.text), pageable: false };
      }
      case 'enable':
        return this.enableReply();
      case 'resetMode':
        this.modeStack = [{ mode: action.mode, path: [], label: '' }];
        return { lines: [], pageable: false };
      case 'showStartup':
        return this.filtered([...this.device.startup, ...this.fillAll(this.profile.config.footer)], filters, true);
      case 'enterMode': {
        const target = this.profile.modes[action.mode];
        // A candidate without uncommitted changes follows the running config (it may have been reverted).
        if (target.config && this.profile.config.candidate && (this.candidate === null || this.pending.length === 0)) {
          this.candidate = this.device.running.clone();
        }
        this.modeStack.push({ mode: action.mode, path: [], label: '' });
        return { lines: this.text(action.text), pageable: false };
      }
      case 'exitMode':
        return this.leave(false);
      case 'endConfig':
        return this.leave(true);
      case 'logout':
        return { lines: [], pageable: false, after: async () => this.logout() };
      case 'configLine':
        this.store().apply(this.top.path, line);
        this.pending.push(this.pendingLine(line));
        this.typed.push(this.pendingLine(line));
        return { lines: [], pageable: false };
      case 'configSection': {
        const parent = this.profile.modes[action.mode].parent;
        const parentIndex = this.modeStack.map((f) => f.mode).lastIndexOf(parent ?? '');
        if (parentIndex >= 0) this.modeStack = this.modeStack.slice(0, parentIndex + 1);
        const store = this.store();
        // Entering an existing section changes nothing; creating one is a change to commit.
        if (store instanceof BlockConfig && !store.hasSection(line)) {
          store.openSection(line);
          this.pending.push(line.trim());
        }
        this.typed.push(line.trim());
        this.modeStack.push({ mode: action.mode, path: [line.trim()], label: this.abbreviate(rest) });
        return { lines: [], pageable: false };
      }
      case 'negate':
        this.store().remove(this.top.path, restRaw);
        this.pending.push(this.pendingLine(line));
        return { lines: [], pageable: false };
      case 'hostname': {
        const name = match.args[0] ?? this.device.hostname;
        this.store().apply([], line);
        this.pending.push(line.trim());
        this.typed.push(line.trim());
        if (this.profile.config.candidate) this.pendingHostname = name;
        else this.device.hostname = name;
        return { lines: [], pageable: false };
      }
      case 'setPath': {
        this.store().apply(this.top.path, restRaw);
        const words = [...this.top.path, ...splitWords(restRaw)];
        if (words[0] === 'system' && words[1] === 'host-name' && words[2]) this.pendingHostname = words[2];
        this.pending.push(`set ${words.join(' ')}`);
        return { lines: [], pageable: false };
      }
      case 'deletePath':
        this.store().remove(this.top.path, restRaw);
        this.pending.push(`delete ${[...this.top.path, restRaw].join(' ').trim()}`);
        return { lines: [], pageable: false };
      case 'editPath': {
        const path = [...this.top.path, ...splitWords(restRaw)];
        this.top.path = path;
        this.top.label = ` ${path.join(' ')}`;
        return { lines: [], pageable: false };
      }
      case 'editTop':
        this.top.path = [];
        this.top.label = '';
        return { lines: [], pageable: false };
      case 'editUp': {
        const path = this.top.path.slice(0, -1);
        this.top.path = path;
        this.top.label = path.length > 0 ? ` ${path.join(' ')}` : '';
        return { lines: [], pageable: false };
      }
      case 'commit': {
        const args = action.options ? parseCommitArgs(match.args, action.options.defaultConfirm) : null;
        if (action.options && args === null) {
          return this.errorReply({ ok: false, error: 'invalid', column: 7, tokenIndex: 1 }, line);
        }
        if (args?.check) return { lines: this.text('configuration check succeeds'), pageable: false };
        const changed = this.pending.length > 0 || args?.replace === true;
        // A plain commit with nothing to change still confirms a pending commit confirmed.
        if (!changed && action.emptyText !== undefined && !this.device.history.confirm) {
          return { lines: this.text(action.emptyText), pageable: false };
        }
        this.commit(args);
        if (action.andQuit || args?.andQuit) {
          this.modeStack = this.modeStack.filter((f) => !this.profile.modes[f.mode].config);
        }
        const text =
          args?.confirmed != null && action.options
            ? action.options.confirmedText.replaceAll('{n}', String(args.confirmed))
            : action.text;
        return { lines: this.text(text), pageable: false };
      }
      case 'discard':
        this.candidate = this.device.running.clone();
        this.pending = [];
        this.typed = [];
        this.pendingHostname = null;
        if (action.andQuit) this.modeStack = this.modeStack.filter((f) => !this.profile.modes[f.mode].config);
        return { lines: this.text(action.text), pageable: false };
      case 'rollbackLoad': {
        const n = Number(match.args[0] ?? '0');
        const record = this.device.history.history[n];
        if (!Number.isInteger(n) || record === undefined) {
          return { lines: [`error: rollback ${match.args[0] ?? ''} does not exist`], pageable: false };
        }
        this.candidate = record.config.clone();
        this.pending = n === 0 ? [] : [`rollback ${n}`];
        this.pendingHostname = n === 0 ? null : record.hostname;
        return { lines: this.text(action.text), pageable: false };
      }
      case 'rollbackCommits': {
        const n = Number(match.args[0] ?? '1');
        const record = this.device.history.history[n];
        if (!Number.isInteger(n) || n < 1 || record === undefined) {
          return { lines: [`% No such rollback point: last ${match.args[0] ?? ''}`], pageable: false };
        }
        clearConfirm(this.device.history);
        this.device.running = record.config.clone();
        this.device.hostname = record.hostname;
        const history = this.device.history;
        recordCommit(history, this.device.running, record.hostname, this.device.username, `rollback last ${n}`, null);
        this.device.commits++;
        return { lines: this.text(action.text.replaceAll('{n}', String(n))), pageable: false };
      }
      case 'commitHistory':
        return this.filtered(this.commitHistory(action.style, filters), filters, true);
      case 'deleteAll':
        return this.dialogReply(action.dialog, [], (answer) => {
          if (answer.effect !== 'proceed') return;
          this.store().remove(this.top.path, '');
          this.pending.push(`delete ${this.top.path.join(' ')}`.trim());
        });
      case 'archive':
        return this.archive(action.op, match.args, line, filters);
      case 'save':
        if (action.dialog) return this.dialogReply(action.dialog, [], (answer) => this.saveAnswer(answer));
        this.save();
        return { lines: this.text(action.text), pageable: false };
      case 'do': {
        const execFrame = [...this.modeStack].reverse().find((f) => !this.profile.modes[f.mode].config);
        const execMode = this.profile.modes[execFrame?.mode ?? this.profile.execMode];
        const inner = matchCommand(restRaw.split(/\s+\|\s*/)[0], execMode.commands);
        if (!inner.ok) return this.errorReply(inner, restRaw);
        const kind = inner.spec.action.kind;
        if (!['output', 'showRunning', 'save', 'accept', 'commitHistory'].includes(kind)) {
          return { lines: [], pageable: false };
        }
        return this.act(inner.spec.action, inner, restRaw, restRaw.split(/\s+\|\s*/).slice(1));
      }
    }
  }

  /** Configuration line as `show configuration` on XR lists it: indented inside the current section. */
  private pendingLine(line: string): string {
    return this.top.path.length > 0 && this.profile.config.model === 'block' ? ` ${line.trim()}` : line.trim();
  }

  private abbreviate(name: string): string {
    for (const [long, short] of Object.entries(this.profile.contextAbbreviations ?? {})) {
      if (name.toLowerCase().startsWith(long.toLowerCase())) return short + name.slice(long.length).trim();
    }
    return name;
  }

  private store(): ConfigStore {
    if (!this.profile.config.candidate) return this.device.running;
    if (this.candidate === null) this.candidate = this.device.running.clone();
    return this.candidate;
  }

  private commit(args: CommitArgs | null = null): void {
    const before = this.device.running.clone();
    const beforeHostname = this.device.hostname;
    if (args?.replace && this.profile.config.model === 'block') {
      const target = BlockConfig.parse(this.typed.filter((l) => !/^\s*no\s/.test(l)).join('\n'), this.profile.config);
      this.device.running = target;
      this.candidate = target.clone();
      const host = /^hostname\s+(\S+)/m.exec(this.typed.join('\n'));
      if (host) this.pendingHostname = host[1];
    } else if (this.candidate !== null) this.device.running = this.candidate.clone();
    if (this.pendingHostname !== null) this.device.hostname = this.pendingHostname;
    this.pendingHostname = null;
    this.pending = [];
    this.typed = [];
    this.device.commits++;
    const history = this.device.history;
    const unit = this.profileCommitUnit();
    const minutes = args?.confirmed != null ? (unit === 'minutes' ? args.confirmed : args.confirmed / 60) : null;
    const comment = args?.comment ?? '';
    recordCommit(history, this.device.running, this.device.hostname, this.device.username, comment, minutes);
    if (args?.confirmed != null) {
      // A second commit confirmed keeps the original restore point, as Junos and XR do.
      const restore = history.confirm?.restore ?? before;
      const restoreHostname = history.confirm?.hostname ?? beforeHostname;
      armConfirm(history, restore, restoreHostname, (minutes ?? 0) * 60, (p) => this.autoRevert(p));
    } else clearConfirm(history);
  }

  private profileCommitUnit(): 'minutes' | 'seconds' {
    for (const mode of Object.values(this.profile.modes)) {
      for (const spec of mode.commands) {
        if (spec.action.kind === 'commit' && spec.action.options) return spec.action.options.unit;
      }
    }
    return 'minutes';
  }

  /** The timer fired without a confirmation: the device goes back to the configuration before the commit. */
  private autoRevert(pending: PendingConfirm): void {
    this.device.running = pending.restore.clone();
    this.device.hostname = pending.hostname;
    this.device.commits++;
    if (this.profile.config.candidate) {
      const why = 'automatic rollback (commit confirmed not confirmed)';
      recordCommit(this.device.history, this.device.running, pending.hostname, 'root', why, null);
    }
  }

  private commitHistory(style: 'junos' | 'xr', filters: string[]): string[] {
    const history = this.device.history;
    const detail = filters.some((f) => /^detail/i.test(f));
    void detail;
    if (style === 'junos') {
      return history.history.flatMap((c, i) => {
        const when = renderNow('junos', c.at);
        const minutes = Math.max(1, Math.ceil(remainingSeconds(history) / 60));
        const pending = i === 0 && history.confirm ? ` commit confirmed, rollback in ${minutes}mins` : '';
        return [`${i}   ${when} by ${c.user} via cli${pending}`, ...(c.comment ? [`    ${c.comment}`] : [])];
      });
    }
    const rows = history.history.map(
      (c, i) =>
        `${String(i + 1).padEnd(5)}${String(c.id).padEnd(22)}${c.user.padEnd(10)}` +
        `${'vty0:node0_RSP0_CPU0'.padEnd(22)}${'CLI'.padEnd(12)}${renderNow('xr', c.at)}` +
        (c.comment ? `\n     Comment: ${c.comment}` : ''),
    );
    return [
      'SNo. Label/ID              User      Line                  Client      Time Stamp',
      '~~~~ ~~~~~~~~              ~~~~      ~~~~                  ~~~~~~      ~~~~~~~~~~',
      ...rows.flatMap((r) => r.split('\n')),
    ];
  }

  // ---- IOS flash files and configuration archive --------------------------

  private filePromptQuiet(): boolean {
    return this.device.running.render().some((l) => /^file prompt quiet\b/.test(l.trim()));
  }

  private blockRunning(): BlockConfig | null {
    return this.device.running instanceof BlockConfig ? this.device.running : null;
  }

  private archive(op: ArchiveOp, args: string[], line: string, filters: string[]): Reply {
    const say = (...lines: string[]): Reply => ({ lines, pageable: false });
    const flash = this.device.flash;
    const running = this.blockRunning();
    if (running === null) return say('% Archive not supported');
    const style = this.profile.config;
    switch (op) {
      case 'dir':
        return this.filtered(dirListing(flash), filters, true);
      case 'more': {
        const name = flashName(args[0] ?? '');
        const text = name === null ? undefined : flash.get(name);
        if (text === undefined) return say(`%Error opening ${args[0] ?? ''} (File not found)`);
        return this.filtered(text.replace(/\n$/, '').split('\n'), filters, true);
      }
      case 'tcl':
        return say(...this.tcl(line.trim()));
      case 'copy':
        // `copy running-config <dst>` matches its own syntax (the keyword is not an argument).
        return args.length === 1 ? this.copy('running-config', args[0]) : this.copy(args[0] ?? '', args[1] ?? '');
      case 'differences': {
        const load = (path: string): BlockConfig | string => {
          if (/^system:\/?running-config$/i.test(path)) return running;
          const name = flashName(path);
          const text = name === null ? undefined : flash.get(name);
          return text === undefined ? `%Error opening ${path} (File not found)` : parseConfigFile(text, style);
        };
        const a = load(args[0] ?? ''),
          b = load(args[1] ?? '');
        if (typeof a === 'string') return say(a);
        if (typeof b === 'string') return say(b);
        return say(...contextualDiff(a, b));
      }
      case 'incrementalDiffs': {
        const name = flashName(args[0] ?? '');
        const text = name === null ? undefined : flash.get(name);
        if (text === undefined) return say(`%Error opening ${args[0] ?? ''} (File not found)`);
        return say(...incrementalDiff(running, text, style));
      }
      case 'rollbackTimer': {
        const pending = this.device.history.confirm;
        if (!pending) return say('%No Rollback Confirmed Change pending');
        const left = remainingSeconds(this.device.history);
        return say(
          `Timer type: Rollback Confirmed Change`,
          `Timer value: ${Math.round(pending.seconds / 60)} min`,
          `Remaining time: ${Math.floor(left / 60)} min ${left % 60} sec`,
        );
      }
      case 'replace':
        return this.configureReplace(args, running);
      case 'confirm':
        if (!clearConfirm(this.device.history)) return say('%No Rollback Confirmed Change pending');
        return say();
      case 'revertNow': {
        const pending = this.device.history.confirm;
        if (!pending) return say('%No Rollback Confirmed Change pending');
        clearConfirm(this.device.history);
        this.autoRevert(pending);
        return say('Rollback Done');
      }
      case 'revertTimer': {
        const minutes = Number(args[0]);
        if (!Number.isInteger(minutes) || minutes < 1 || minutes > 120) {
          return this.errorReply(
            { ok: false, error: 'invalid', column: 28, tokenIndex: 4 },
            'configure terminal revert timer',
          );
        }
        if (!archiveEnabled(running)) return say('%Please turn config archive on');
        this.armIosTimer(minutes);
        this.modeStack.push({ mode: 'config', path: [], label: '' });
        return say('Enter configuration commands, one per line.  End with CNTL/Z.');
      }
    }
  }

  private armIosTimer(minutes: number): void {
    const history = this.device.history;
    const restore = history.confirm?.restore ?? this.device.running;
    const hostname = history.confirm?.hostname ?? this.device.hostname;
    armConfirm(history, restore, hostname, minutes * 60, (p) => this.autoRevert(p));
  }

  /** `configure replace <file> [force] [revert trigger error] [timer <min>]`. */
  private configureReplace(args: string[], running: BlockConfig): Reply {
    const name = flashName(args[0] ?? '');
    const text = name === null ? undefined : this.device.flash.get(name);
    if (text === undefined) {
      return { lines: [`%Error opening ${args[0] ?? ''} (File not found)`, '%Rollback aborted'], pageable: false };
    }
    const words = args.slice(1).map((w) => w.toLowerCase());
    const timerAt = words.indexOf('timer');
    const minutes = timerAt >= 0 ? Number(words[timerAt + 1]) : null;
    if (minutes !== null && (!Number.isInteger(minutes) || minutes < 1 || minutes > 120)) {
      return this.errorReply({ ok: false, error: 'invalid', column: 20, tokenIndex: 3 }, 'configure replace');
    }
    if (minutes !== null && !archiveEnabled(running)) {
      return { lines: ['%Please turn config archive on'], pageable: false };
    }
    if (!/^\s*(hostname|version)\s/m.test(text)) {
      return { lines: [`%${args[0]} is not a valid config file.`, '%Rollback aborted'], pageable: false };
    }
    if (minutes !== null) this.armIosTimer(minutes);
    const target = parseConfigFile(text, this.profile.config);
    const host = /^hostname\s+(\S+)/m.exec(text);
    this.device.running = target;
    if (host) this.device.hostname = host[1];
    this.device.commits++;
    return { lines: ['Total number of passes: 1', 'Rollback Done'], pageable: false };
  }

  /** The TCL subset NAPALM-style inline transfers use: open a flash file, `puts` lines, close it. */
  private tcl(command: string): string[] {
    const open = /^set\s+(\w+)\s+\[open\s+"?([^"\s\]]+)"?\s+w\+?\]$/.exec(command);
    if (open) {
      const name = flashName(open[2]);
      if (name === null) return [`couldn't open "${open[2]}": no such file or directory`];
      this.tclFiles.set(open[1], { name, text: '' });
      return [`file${this.tclFiles.size}`];
    }
    const puts = /^puts\s+\$(\w+)\s+(.*)$/s.exec(command);
    if (puts) {
      const file = this.tclFiles.get(puts[1]);
      const word = tclWord(puts[2]);
      if (!file) return [`can not find channel named "$${puts[1]}"`];
      if (word === null) return ['extra characters after close-quote'];
      file.text += word + '\n';
      if (file.text.length > 1 << 20) return ['error writing: no space left on device'];
      return [];
    }
    const close = /^close\s+\$(\w+)$/.exec(command);
    if (close) {
      const file = this.tclFiles.get(close[1]);
      if (!file) return [`can not find channel named "$${close[1]}"`];
      this.tclFiles.delete(close[1]);
      const error = writeFlash(this.device.flash, file.name, file.text);
      return error ? [error] : [];
    }
    this.errorCount++;
    return [`invalid command name "${command.split(/\s+/)[0]}"`];
  }

  /** IOS `copy`: running-config, `null:` and flash files; asks for the destination unless `file prompt quiet`. */
  private copy(source: string, destination: string): Reply {
    const flash = this.device.flash;
    const running = /^(system:\/?)?running-config$/i;
    const read = (): string | null => {
      if (running.test(source)) return this.device.running.render().join('\n') + '\nend\n';
      if (/^null:$/i.test(source)) return '';
      const name = flashName(source);
      return name === null ? null : (flash.get(name) ?? null);
    };
    const text = read();
    if (text === null) return { lines: [`%Error opening ${source} (File not found)`], pageable: false };
    const perform = async (): Promise<string[]> => {
      if (running.test(destination)) return this.mergeIntoRunning(text);
      const name = flashName(destination);
      if (name === null) return [`%Error opening ${destination} (Permission denied)`];
      const error = writeFlash(flash, name, text);
      return error ? [error] : [`${Buffer.byteLength(text)} bytes copied in 0.052 secs`];
    };
    const finish = async (): Promise<void> => {
      const out = await perform();
      if (out.length > 0) await this.write(out.join('\n') + '\n');
      await this.writePrompt();
    };
    if (this.filePromptQuiet()) return { lines: [], pageable: false, after: finish };
    const shown = running.test(destination) ? 'running-config' : (flashName(destination) ?? destination);
    return {
      lines: [],
      pageable: false,
      after: async () => {
        await this.write(`Destination filename [${shown}]? `);
        this.input = { kind: 'answer', onLine: finish };
      },
    };
  }

  /** Copies a file into the running config the way IOS does: each line runs as a config command. */
  private async mergeIntoRunning(text: string): Promise<string[]> {
    const output: string[] = [];
    const sink: SessionIO = { write: async (t) => void output.push(t), drop: () => {}, end: () => {} };
    const worker = new DeviceSession(this.device, sink, false);
    const lines = text
      .replace(/\r/g, '')
      .split('\n')
      .filter((l) => l.trim() !== '' && !/^\s*!/.test(l) && l.trim() !== 'end');
    await worker.feed(['configure terminal', ...lines, 'end', ''].join('\n'));
    const said = output
      .join('')
      .replace(/\r/g, '')
      .split('\n')
      .filter((l) => l.trim() !== '' && !/^Enter configuration commands/.test(l));
    return [`${Buffer.byteLength(text)} bytes copied in 0.052 secs`, ...said];
  }

  private save(): void {
    this.device.startup = this.device.running.render();
    this.device.saves++;
  }

  private renderConfig(store: ConfigStore, filters: string[]): string[] {
    if (filters.some((f) => /^display\s+set/i.test(f))) return store.renderFlat();
    if (
      filters.some((f) => /^compare/i.test(f)) &&
      store instanceof SetConfig &&
      this.device.running instanceof SetConfig
    ) {
      return store.compare(this.device.running);
    }
    const config = this.profile.config;
    return [...this.fillAll(config.header), ...store.render(), ...this.fillAll(config.footer)];
  }

  /** Output filters: include/exclude/begin/count (Cisco-like) and junos `match`/`except`/`no-more`. */
  private filtered(lines: string[], filters: string[], pageable: boolean): Reply {
    let result = lines;
    let canPage = pageable;
    for (const filter of filters) {
      const [verb = '', ...words] = filter.trim().split(/\s+/);
      const pattern = words.join(' ');
      let regex: RegExp | null = null;
      try {
        regex = pattern === '' ? null : new RegExp(pattern, 'i');
      } catch {
        regex = new RegExp(pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'i');
      }
      const lowered = verb.toLowerCase();
      if (regex && ('include'.startsWith(lowered) || lowered === 'match' || lowered === 'grep')) {
        result = result.filter((l) => regex.test(l));
      } else if (regex && ('exclude'.startsWith(lowered) || lowered === 'except')) {
        result = result.filter((l) => !regex.test(l));
      } else if (regex && 'begin'.startsWith(lowered)) {
        const first = result.findIndex((l) => regex.test(l));
        result = first < 0 ? [] : result.slice(first);
      } else if (lowered === 'count') {
        result = [`Number of lines which match regexp = ${result.length}`];
      } else if (lowered === 'no-more') {
        canPage = false;
      }
    }
    return { lines: result, pageable: canPage };
  }

  private enableReply(): Reply {
    const enable = this.profile.enable;
    if (!enable || this.profile.modes[this.top.mode].privileged) return { lines: [], pageable: false };
    let attemptsLeft = Math.max(1, enable.attempts);
    const ask = async (): Promise<void> => {
      await this.write(enable.passwordPrompt);
      this.input = {
        kind: 'secret',
        onLine: async (answer) => {
          if (answer === this.device.secret) {
            this.modeStack = [{ mode: enable.mode, path: [], label: '' }];
            await this.writePrompt();
            return;
          }
          attemptsLeft--;
          if (attemptsLeft > 0) {
            await ask();
            return;
          }
          this.errorCount++;
          await this.write(this.fill(enable.failure) + '\n');
          await this.writePrompt();
        },
      };
    };
    return { lines: [], pageable: false, after: ask };
  }

  private leave(all: boolean): Reply {
    const leavingConfig = () => {
      if (all) this.modeStack = this.modeStack.filter((f) => !this.profile.modes[f.mode].config);
      else this.modeStack.pop();
      if (this.modeStack.length === 0) this.modeStack = [{ mode: this.profile.execMode, path: [], label: '' }];
    };
    const current = this.profile.modes[this.top.mode];
    if (this.top.path.length > 0 && this.profile.config.model === 'set' && !all) {
      // junos `exit` inside an edit level climbs one level first.
      this.top.path = [];
      this.top.label = '';
      return { lines: [], pageable: false };
    }
    if (!all && this.modeStack.length === 1) return { lines: [], pageable: false, after: async () => this.logout() };
    const below = all ? undefined : this.modeStack[this.modeStack.length - 2];
    const exitsConfig = current.config && (all || !this.profile.modes[below?.mode ?? '']?.config);
    const dialog = this.profile.config.uncommittedDialog;
    if (exitsConfig && this.profile.config.candidate && this.pending.length > 0 && dialog) {
      return this.dialogReply(dialog, [], async (answer) => {
        if (answer.effect === 'abort') return;
        if (answer.effect === 'commit') this.commit();
        if (answer.effect === 'discard') {
          this.candidate = null;
          this.pending = [];
          this.pendingHostname = null;
        }
        leavingConfig();
      });
    }
    leavingConfig();
    if (exitsConfig && this.profile.config.model === 'set')
      return { lines: ['Exiting configuration mode'], pageable: false };
    return { lines: [], pageable: false };
  }

  private dialogReply(
    dialog: Dialog,
    lines: string[],
    onAnswer: (answer: DialogAnswer) => Promise<void> | void,
  ): Reply {
    return {
      lines,
      pageable: false,
      after: async () => {
        await this.write(this.fill(dialog.prompt));
        this.input = {
          kind: 'answer',
          onLine: async (typed) => {
            const answer =
              dialog.answers.find((a) => a.match !== undefined && new RegExp(a.match, 'i').test(typed.trim())) ??
              dialog.otherwise;
            if (answer.text !== '') await this.write(this.fill(answer.text) + '\n');
            await onAnswer(answer);
            await this.writePrompt();
          },
        };
      },
    };
  }

  private saveAnswer(answer: DialogAnswer): void {
    if (answer.effect === 'proceed') this.save();
  }

  private async logout(): Promise<void> {
    this.input = { kind: 'stopped' };
    this.io.end();
  }

  // ---- rendering ----------------------------------------------------------

  private fill(text: string): string {
    return text
      .replaceAll('{hostname}', this.device.hostname)
      .replaceAll('{username}', this.device.username)
      .replaceAll('{context}', this.top.label)
      .replaceAll('{arg1}', this.currentArgs[0] ?? '')
      .replace(/\{now:(\w+)\}/g, (_all, style: string) => renderNow(style));
  }

  private fillAll(lines: string[]): string[] {
    return lines.flatMap((l) => this.fill(l).split('\n'));
  }

  prompt(): string {
    return this.fill(this.profile.modes[this.top.mode].prompt);
  }

  private promptLastLine(): string {
    const prompt = this.prompt();
    return prompt.slice(prompt.lastIndexOf('\n') + 1);
  }

  private async writePrompt(): Promise<void> {
    if (!this.interactive || this.input.kind === 'stopped') return;
    await this.write(this.prompt());
  }

  /** Writes text with the profile's line ending. */
  private write(text: string): Promise<void> {
    if (text === '') return Promise.resolve();
    return this.io.write(text.replace(/\r?\n/g, this.profile.newline));
  }
}
