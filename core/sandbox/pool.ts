import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Logger } from '../contracts/common.ts';
import { NetPulseError, type ErrorCode, ERROR_TABLE } from '../errors.ts';
import type { ChildMessage, SandboxFailure, SandboxInit, SandboxTask } from './protocol.ts';

export interface SandboxLimits {
  /** Wall-clock limit of one render/parse, in ms (the process is killed at the limit). */
  timeoutMs: number;
  /** V8 heap limit of each sandbox process, in MiB. */
  memoryMb: number;
  /** Sandbox processes (tasks run one at a time in each). */
  processes: number;
  /** Tasks that may wait for a free process before new ones are refused. */
  queue: number;
  /** Largest result (rendered text or serialised parse result) in bytes. */
  maxResultBytes: number;
}

interface Pending {
  task: SandboxTask;
  signal?: AbortSignal;
  resolve(v: unknown): void;
  reject(e: Error): void;
}

interface Slot {
  child: ChildProcess;
  ready: boolean;
  current: Pending | null;
  timer: NodeJS.Timeout | null;
  /** Why the parent killed it (timeout/abort), so the exit is reported accordingly. */
  killedFor: NetPulseError | null;
  stderrTail: string;
}

const CHILD = fileURLToPath(new URL('./child.ts', import.meta.url));
const START_TIMEOUT_MS = 60_000;

/**
 * A pool of template sandbox processes (`child.ts`). Each runs with `--max-old-space-size` and is
 * SIGKILLed at the wall-clock limit or when the caller's signal aborts; a dead process is replaced
 * on demand. Processes rather than worker threads: V8's "invalid size" fatal errors (e.g. a
 * 300-million-element array) abort the whole process, so only a process boundary contains them.
 */
export class SandboxPool {
  private readonly slots: Slot[] = [];
  private readonly waiting: Pending[] = [];
  private nextId = 1;
  private closed = false;
  private readonly execArgv: string[];

  constructor(
    private readonly init: Omit<SandboxInit, 'type'>,
    private readonly limits: SandboxLimits,
    private readonly log: Logger,
  ) {
    this.execArgv = [
      '--import',
      import.meta.resolve('tsx'),
      `--max-old-space-size=${limits.memoryMb}`,
      '--max-semi-space-size=16',
      // Patterns the linear-time engine supports fall back to it instead of backtracking forever.
      '--enable-experimental-regexp-engine-on-excessive-backtracks',
    ];
  }

  /** Runs one render or parse in a sandbox process. Rejects with the plugin's own error, or a coded limit error. */
  run(kind: SandboxTask['kind'], name: string, input: Record<string, unknown>, signal?: AbortSignal): Promise<unknown> {
    if (this.closed) return Promise.reject(new NetPulseError('NP_ERR_SANDBOX_BUSY', 'Template sandbox is shut down'));
    if (signal?.aborted) return Promise.reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
    if (this.waiting.length >= this.limits.queue) {
      return Promise.reject(
        new NetPulseError('NP_ERR_SANDBOX_BUSY', `Template sandbox busy: ${this.limits.queue} tasks already waiting`),
      );
    }
    const task: SandboxTask = {
      type: 'task',
      id: this.nextId++,
      kind,
      name,
      input,
      maxResultBytes: this.limits.maxResultBytes,
    };
    return new Promise((resolve, reject) => {
      const p: Pending = { task, signal, resolve, reject };
      if (signal) {
        const onAbort = (): void => {
          const i = this.waiting.indexOf(p);
          if (i >= 0) {
            this.waiting.splice(i, 1);
            reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
            return;
          }
          const slot = this.slots.find((s) => s.current === p);
          if (slot)
            this.kill(
              slot,
              signal.reason instanceof NetPulseError
                ? signal.reason
                : new NetPulseError('NP_ERR_JOB_TIMEOUT', 'aborted'),
            );
        };
        signal.addEventListener('abort', onAbort, { once: true });
        const done = (): void => signal.removeEventListener('abort', onAbort);
        p.resolve = (v) => {
          done();
          resolve(v);
        };
        p.reject = (e) => {
          done();
          reject(e);
        };
      }
      this.waiting.push(p);
      this.pump();
    });
  }

  /** Live sandbox processes (for tests and diagnostics). */
  get size(): number {
    return this.slots.length;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const p of this.waiting.splice(0))
      p.reject(new NetPulseError('NP_ERR_SANDBOX_BUSY', 'Template sandbox is shut down'));
    for (const s of [...this.slots])
      this.kill(s, new NetPulseError('NP_ERR_SANDBOX_BUSY', 'Template sandbox is shut down'));
  }

  private pump(): void {
    while (this.waiting.length) {
      const idle = this.slots.find((s) => s.ready && !s.current);
      if (idle) {
        this.dispatch(idle, this.waiting.shift()!);
        continue;
      }
      const starting = this.slots.filter((s) => !s.ready).length;
      if (this.slots.length < this.limits.processes && starting < this.waiting.length) {
        this.spawn();
        continue;
      }
      return;
    }
  }

  private dispatch(slot: Slot, p: Pending): void {
    slot.current = p;
    slot.timer = setTimeout(
      () =>
        this.kill(
          slot,
          new NetPulseError(
            'NP_ERR_TEMPLATE_LIMIT',
            `Template ${p.task.kind} exceeded the time limit of ${this.limits.timeoutMs} ms`,
          ),
        ),
      this.limits.timeoutMs,
    );
    slot.child.send(p.task);
  }

  private spawn(): void {
    const child = fork(CHILD, [], {
      execArgv: this.execArgv,
      serialization: 'advanced',
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      env: { ...process.env, NODE_OPTIONS: '' },
    });
    const slot: Slot = { child, ready: false, current: null, timer: null, killedFor: null, stderrTail: '' };
    this.slots.push(slot);
    child.stderr?.on('data', (d: Buffer) => {
      slot.stderrTail = (slot.stderrTail + d.toString('utf8')).slice(-2000);
    });
    const startTimer = setTimeout(() => {
      if (!slot.ready) this.kill(slot, new NetPulseError('NP_ERR_INTERNAL', 'Template sandbox did not start'));
    }, START_TIMEOUT_MS);
    child.on('message', (m: ChildMessage) => {
      if (m.type === 'ready') {
        clearTimeout(startTimer);
        slot.ready = true;
        this.pump();
      } else if (m.type === 'init-failed') {
        clearTimeout(startTimer);
        this.log.error({ reason: m.message }, 'template sandbox failed to start');
        // Nothing can run: fail what waits rather than respawning in a loop.
        for (const p of this.waiting.splice(0))
          p.reject(new NetPulseError('NP_ERR_INTERNAL', 'Template sandbox failed to start'));
        this.kill(slot, new NetPulseError('NP_ERR_INTERNAL', 'Template sandbox failed to start'));
      } else if (m.type === 'result' || m.type === 'error') {
        const p = slot.current;
        if (!p || p.task.id !== m.id) return;
        this.settle(slot);
        if (m.type === 'result') p.resolve(JSON.parse(m.json) as unknown);
        else p.reject(revive(m.error));
        this.pump();
      }
    });
    child.send({ type: 'init', ...this.init } satisfies SandboxInit);
    child.on('error', (e) => this.log.warn({ err: e.message }, 'template sandbox process error'));
    child.on('exit', (code, sig) => {
      clearTimeout(startTimer);
      const i = this.slots.indexOf(slot);
      if (i >= 0) this.slots.splice(i, 1);
      const p = slot.current;
      this.settle(slot);
      if (p) {
        const why =
          slot.killedFor ??
          new NetPulseError(
            'NP_ERR_TEMPLATE_LIMIT',
            `Template ${p.task.kind} exceeded the memory limit of ${this.limits.memoryMb} MiB or crashed the sandbox`,
          );
        if (!slot.killedFor)
          this.log.warn({ code, signal: sig, stderr: firstLine(slot.stderrTail) }, 'template sandbox process died');
        p.reject(why);
      }
      if (this.closed) return;
      // Keep a warm replacement for a process that had been serving, so the next task does not
      // pay the start-up; a process that never became ready is replaced only on demand.
      if (slot.ready && this.slots.length < this.limits.processes) this.spawn();
      this.pump();
    });
  }

  private settle(slot: Slot): void {
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = null;
    slot.current = null;
  }

  private kill(slot: Slot, why: NetPulseError): void {
    slot.killedFor = why;
    slot.child.kill('SIGKILL');
  }
}

function firstLine(s: string): string {
  return (
    s
      .split('\n')
      .find((l) => l.trim() !== '')
      ?.slice(0, 300) ?? ''
  );
}

function revive(f: SandboxFailure): Error {
  if (f.code && f.code in ERROR_TABLE) {
    return new NetPulseError(f.code as ErrorCode, f.message, { data: f.data, type: f.errorType });
  }
  return new Error(f.message);
}
