/**
 * Fleet launcher: N simulated devices on distinct loopback addresses
 * (127.0.0.2, 127.0.0.3, ...) sharing one port, so per-host routing in the
 * controller sees N different devices.
 *
 *   npm run lab -- --profile cisco_ios --count 200 --json [--port 2222]
 *                  [--username u --password p --secret s]
 *
 * Prints one line once every device listens (JSON inventory with --json,
 * a table otherwise), then runs until SIGINT/SIGTERM and closes cleanly.
 * `--profile arista_eapi` starts eAPI simulators from tests/fakes/eapi-device.
 *
 *   npm run lab -- --profile cisco_ios|arista_eapi --replay DIR [--replay DIR2 ...] --count 1 --json
 *
 * `--time-scale 0.01` shortens commit-confirm revert timers (a minute becomes 0.6 s) for demos.
 *
 * `--replay` makes replay devices: command outputs come from recorded files named by NAPALM's
 * mocked-data rule (tests/fakes/replay.ts), searched in the given directories in order. eAPI
 * devices serve HTTP unless `--https`.
 */
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { PROFILES, startDevice } from '../../tests/fakes/ssh-device/index.ts';

const MAX_COUNT = 5000;
/** Devices started at once; more only queues handshakes without speeding anything up. */
const START_CONCURRENCY = 64;

interface Closable {
  host: string;
  port: number;
  close(): Promise<void>;
}

interface InventoryEntry {
  host: string;
  port: number;
  device_type: string;
  username: string;
  password: string;
  secret: string;
}

interface EapiModule {
  startEapiDevice(opts: {
    host?: string;
    port?: number;
    username?: string;
    password?: string;
    https?: boolean;
    replay?: string[];
    timeScale?: number;
  }): Promise<{
    host: string;
    port: number;
    username: string;
    password: string;
    close(): Promise<void>;
  }>;
}

/** 127.0.0.2 + index, carried into the second and third octets; always inside 127.0.0.0/8. */
export function loopbackAddress(index: number): string {
  const n = index + 2;
  if (n >= 256 ** 3 - 1) throw new Error('address index out of 127.0.0.0/8');
  return `127.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
}

function fail(message: string): never {
  process.stderr.write(`lab: ${message}\n`);
  process.exit(2);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      profile: { type: 'string' },
      count: { type: 'string', default: '1' },
      port: { type: 'string', default: '2222' },
      json: { type: 'boolean', default: false },
      username: { type: 'string', default: 'admin' },
      password: { type: 'string', default: 'admin' },
      secret: { type: 'string', default: 'secret' },
      replay: { type: 'string', multiple: true, default: [] },
      https: { type: 'boolean', default: false },
      'time-scale': { type: 'string', default: '1' },
    },
    strict: true,
  });
  const profile = values.profile ?? fail(`--profile is required (${[...PROFILES, 'arista_eapi'].join(', ')})`);
  if (profile !== 'arista_eapi' && !PROFILES.includes(profile)) fail(`unknown profile '${profile}'`);
  const count = Number(values.count);
  if (!Number.isInteger(count) || count < 1 || count > MAX_COUNT) fail(`--count must be 1..${MAX_COUNT}`);
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) fail('--port must be 0..65535');
  const { username, password, secret } = values;
  // Commit-confirm timers (Junos, XR, EOS commit timer, IOS archive): 0.01 turns a minute into 0.6 s.
  const timeScale = Number(values['time-scale']);
  if (!(timeScale > 0 && timeScale <= 1)) fail('--time-scale must be > 0 and <= 1');
  const replay = values.replay.map((d) => resolve(d));
  for (const d of replay) if (!existsSync(d) || !statSync(d).isDirectory()) fail(`--replay ${d}: not a directory`);

  let eapi: EapiModule | null = null;
  if (profile === 'arista_eapi') {
    // Imported only on demand, so the SSH fleet works whether or not the eAPI simulator exists.
    const modulePath = new URL('../../tests/fakes/eapi-device/index.ts', import.meta.url).href;
    eapi = (await import(modulePath)) as EapiModule;
  }

  const devices: Closable[] = [];
  const inventory: InventoryEntry[] = [];
  let shuttingDown = false;
  const shutdown = async (code: number) => {
    if (shuttingDown) return;
    shuttingDown = true;
    await Promise.allSettled(devices.map((d) => d.close()));
    process.exit(code);
  };
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));

  try {
    for (let offset = 0; offset < count; offset += START_CONCURRENCY) {
      const batch = Array.from({ length: Math.min(START_CONCURRENCY, count - offset) }, (_, i) =>
        loopbackAddress(offset + i),
      );
      const started = await Promise.all(
        batch.map(async (host): Promise<[Closable, InventoryEntry]> => {
          if (eapi) {
            const d = await eapi.startEapiDevice({
              host,
              port,
              username,
              password,
              https: values.https,
              replay,
              timeScale,
            });
            return [
              d,
              {
                host: d.host,
                port: d.port,
                device_type: 'arista_eapi',
                username: d.username,
                password: d.password,
                secret: '',
              },
            ];
          }
          const d = await startDevice({ profile, host, port, username, password, secret, replay, timeScale });
          return [
            d,
            {
              host: d.host,
              port: d.port,
              device_type: d.profile,
              username: d.username,
              password: d.password,
              secret: d.secret,
            },
          ];
        }),
      );
      for (const [device, entry] of started) {
        devices.push(device);
        inventory.push(entry);
      }
    }
  } catch (error) {
    process.stderr.write(`lab: failed to start devices: ${(error as Error).message}\n`);
    await shutdown(1);
    return;
  }

  if (values.json) {
    process.stdout.write(`${JSON.stringify(inventory)}\n`);
  } else {
    const rows = inventory.map(
      (e) => `${e.host.padEnd(16)} ${String(e.port).padEnd(6)} ${e.device_type.padEnd(14)} ${e.username}/${e.password}`,
    );
    process.stdout.write(`${['HOST             PORT   DEVICE_TYPE    LOGIN', ...rows].join('\n')}\n`);
    process.stderr.write(`lab: ${inventory.length} ${profile} device(s) running; Ctrl-C to stop\n`);
  }
}

await main();
