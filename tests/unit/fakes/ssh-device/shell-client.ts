/**
 * Minimal interactive SSH client for the simulator tests: a real ssh2 Client
 * over loopback, a pty shell, and bounded `expect` reads.
 */
import ssh2 from 'ssh2';
import type { ClientChannel } from 'ssh2';
import { afterEach } from 'node:test';
import { startDevice, type SimDevice, type SimDeviceOptions } from '../../../fakes/ssh-device/index.ts';

export interface ConnectOptions {
  username?: string;
  password?: string;
  /** Use keyboard-interactive instead of password auth. */
  keyboardInteractive?: boolean;
}

export function connectClient(device: SimDevice, opts: ConnectOptions = {}): Promise<ssh2.Client> {
  const client = new ssh2.Client();
  const password = opts.password ?? device.password;
  return new Promise((resolve, reject) => {
    client.once('ready', () => resolve(client));
    client.once('error', (err) => reject(err));
    if (opts.keyboardInteractive) {
      client.on('keyboard-interactive', (_name, _instructions, _lang, prompts, finish) =>
        finish(prompts.map(() => password)),
      );
    }
    client.connect({
      host: device.host,
      port: device.port,
      username: opts.username ?? device.username,
      password: opts.keyboardInteractive ? undefined : password,
      tryKeyboard: opts.keyboardInteractive === true,
      readyTimeout: 5000,
    });
  });
}

export class Shell {
  /** Everything received and not yet consumed by expect(). */
  pending = '';
  /** Everything received since the shell opened. */
  transcript = '';
  closed = false;

  private constructor(
    readonly client: ssh2.Client,
    private readonly channel: ClientChannel,
  ) {
    channel.on('data', (data: Buffer) => {
      const text = data.toString('utf8');
      this.pending += text;
      this.transcript += text;
    });
    channel.on('close', () => {
      this.closed = true;
    });
    client.on('close', () => {
      this.closed = true;
    });
  }

  static async open(device: SimDevice, opts: ConnectOptions = {}): Promise<Shell> {
    const client = await connectClient(device, opts);
    const channel = await new Promise<ClientChannel>((resolve, reject) => {
      client.shell({ term: 'vt100', cols: 511, rows: 24 }, (err, stream) => (err ? reject(err) : resolve(stream)));
    });
    return new Shell(client, channel);
  }

  send(text: string): void {
    this.channel.write(text);
  }

  line(text: string): void {
    this.channel.write(`${text}\n`);
  }

  /** Resolve with the text up to and including the first match; reject after timeoutMs. */
  async expect(pattern: RegExp, timeoutMs = 3000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = pattern.exec(this.pending);
      if (found) {
        const end = found.index + found[0].length;
        const taken = this.pending.slice(0, end);
        this.pending = this.pending.slice(end);
        return taken;
      }
      if (Date.now() > deadline) {
        throw new Error(`timed out waiting for ${pattern}; pending: ${JSON.stringify(this.pending.slice(-400))}`);
      }
      if (this.closed && !pattern.exec(this.pending)) {
        throw new Error(
          `connection closed while waiting for ${pattern}; pending: ${JSON.stringify(this.pending.slice(-400))}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  /** Send a command and return what came back before `prompt` (echo included). */
  async run(command: string, prompt: RegExp, timeoutMs = 3000): Promise<string> {
    this.line(command);
    return this.expect(prompt, timeoutMs);
  }

  close(): void {
    this.channel.destroy();
    this.client.end();
  }
}

/** A prompt at the end of the received text. */
export function promptAtEnd(literal: string): RegExp {
  return new RegExp(`${literal.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
}

/**
 * Simulator devices and shells that are closed after each test of the calling file (registers an
 * `afterEach` hook). `track` adds anything else with a `close()` to the same cleanup.
 */
export function trackedSimulators() {
  const opened: Array<{ close(): unknown }> = [];
  afterEach(async () => {
    for (const item of opened.splice(0)) await item.close();
  });
  return {
    async device(opts: SimDeviceOptions): Promise<SimDevice> {
      const started = await startDevice(opts);
      opened.push(started);
      return started;
    },
    async shell(dev: SimDevice): Promise<Shell> {
      const sh = await Shell.open(dev);
      opened.unshift(sh);
      return sh;
    },
    track(item: { close(): unknown }): void {
      opened.unshift(item);
    },
  };
}
