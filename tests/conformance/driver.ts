/**
 * Driver conformance suite (contract v2, core/contracts/driver.ts). Every built-in driver runs it
 * in tests/conformance/driver.test.ts; a third-party driver author imports it and calls
 * `runDriverConformance(label, factory)` with their driver and a device factory (docs/plugins.md).
 */
import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { ConnectionArgs, Logger } from '../../core/contracts/common.ts';
import type {
  CapabilityName,
  Driver,
  DriverContext,
  DriverRequestBase,
  SendResult,
} from '../../core/contracts/driver.ts';
import { NetPulseError } from '../../core/errors.ts';
import { toDriverRequest } from '../../core/jobs/request.ts';
import { bodyAjv } from '../../core/validation.ts';

/** A device the driver can talk to, and what to ask it. */
export interface ConformanceDevice {
  connectionArgs: ConnectionArgs;
  /** A read-only command and a pattern its output matches. */
  command: string;
  expect: RegExp;
  /** Configuration lines the device accepts (omit when the driver has no config on this device). */
  config?: string[];
  /** Request fields the config request needs on this device (e.g. `{enable_mode: true}`). */
  configOptions?: Record<string, unknown>;
  close(): Promise<void>;
}

export interface DriverFactory {
  /** The driver as the server uses it (the registered plugin's implementation). */
  driver(): Promise<Driver> | Driver;
  /** Starts (or points at) a device; resolve to a string to skip the device tests with that reason. */
  device(): Promise<ConformanceDevice | string>;
}

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => silent };
const ctx = (ms = 30_000): DriverContext => ({ log: silent, signal: AbortSignal.timeout(ms) });
const DEVICE_CODES = ['NP_ERR_DEVICE_CONNECT', 'NP_ERR_DEVICE_AUTH', 'NP_ERR_DEVICE_TIMEOUT', 'NP_ERR_DEVICE_CLOSED'];
const CAPABILITIES: readonly CapabilityName[] = ['getters', 'transactions', 'fileTransfer'];

/** The text a send result holds for `command`, whatever its reference shape. */
export function outputOf(result: SendResult, command: string): string {
  if (Array.isArray(result)) {
    const entry = result.find((e) => e.command === command);
    assert.ok(entry, `no entry for ${command} in ${JSON.stringify(result).slice(0, 300)}`);
    return typeof entry.result === 'string' ? entry.result : JSON.stringify(entry.result);
  }
  const value = result[command];
  assert.notEqual(value, undefined, `no key ${command} in ${JSON.stringify(result).slice(0, 300)}`);
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object' && 'output' in value && typeof value.output === 'string') return value.output;
  return JSON.stringify(value);
}

/** A loopback port nothing listens on (bound, then closed). */
async function closedPort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

export function runDriverConformance(label: string, factory: DriverFactory): void {
  describe(`driver conformance: ${label}`, () => {
    let driver: Driver;
    let dev: ConformanceDevice | string;
    before(async () => {
      driver = await factory.driver();
      dev = await factory.device();
    });
    after(async () => {
      if (typeof dev === 'object') await dev.close();
    });
    const device = (t: { skip(msg: string): void }): ConformanceDevice | null => {
      if (typeof dev === 'string') {
        t.skip(dev);
        return null;
      }
      return dev;
    };
    const base = (d: ConformanceDevice, operation: 'command' | 'config'): DriverRequestBase => ({
      connection_args: structuredClone(d.connectionArgs),
      driver_args: {},
      operation,
      options: {},
    });

    it('declares a name, a default queue strategy, schemas ajv compiles and only known capabilities', () => {
      assert.match(driver.name, /^[a-z][a-z0-9_]{0,63}$/);
      assert.ok(['fifo', 'pinned'].includes(driver.defaultQueueStrategy));
      for (const s of [driver.schemas.connectionArgs, driver.schemas.commandArgs, driver.schemas.configArgs]) {
        assert.equal(typeof bodyAjv.compile(s), 'function');
      }
      for (const schema of Object.values(driver.schemas.requestFields ?? {})) bodyAjv.compile(schema);
      for (const [k, v] of Object.entries(driver.capabilities ?? {})) {
        assert.ok(CAPABILITIES.includes(k as CapabilityName), `unknown capability ${k}`);
        if (k === 'getters')
          assert.ok(Array.isArray(v) && v.every((n) => typeof n === 'string'), 'getters lists names');
        else assert.equal(typeof v, 'boolean', k);
      }
    });

    it('sessionKey: stable for equal args, changes with the password, never holds it in clear', (t) => {
      const d = device(t);
      if (!d) return;
      const a = structuredClone(d.connectionArgs);
      const secret = 'conformance-Pa55word-xyz';
      const k1 = driver.sessionKey({ ...a, password: secret });
      assert.equal(k1, driver.sessionKey({ ...structuredClone(a), password: secret }));
      assert.notEqual(k1, driver.sessionKey({ ...a, password: `${secret}2` }));
      assert.ok(!k1.includes(secret), 'password in clear in the session key');
    });

    it('parserPlatform (when declared) maps its device_type to a string or null', (t) => {
      if (!driver.parserPlatform) return t.skip(`${driver.name} declares no parserPlatform`);
      const d = device(t);
      if (!d) return;
      const dt = d.connectionArgs.device_type;
      if (typeof dt !== 'string') return t.skip('device has no device_type');
      const p = driver.parserPlatform(dt);
      assert.ok(p === null || (typeof p === 'string' && p.length > 0), String(p));
    });

    it('prepare (when declared) accepts the device request and is deterministic', (t) => {
      const d = device(t);
      if (!d) return;
      const r1 = toDriverRequest(driver, base(d, 'command'));
      const r2 = toDriverRequest(driver, base(d, 'command'));
      assert.deepEqual(r1.prepared, r2.prepared);
    });

    it('connect → send → probe → close: output in the reference shape, close idempotent', async (t) => {
      const d = device(t);
      if (!d) return;
      const s = await driver.connect(structuredClone(d.connectionArgs), ctx());
      try {
        assert.equal(s.alive, true);
        const result = await s.send([d.command], toDriverRequest(driver, base(d, 'command')), ctx());
        assert.match(outputOf(result, d.command), d.expect);
        assert.equal(await s.probe(ctx()), true);
        await s.reset?.(ctx());
        const again = await s.send([d.command], toDriverRequest(driver, base(d, 'command')), ctx());
        assert.match(outputOf(again, d.command), d.expect, 'a session serves a second job');
      } finally {
        await s.close();
      }
      await s.close();
      assert.equal(s.alive, false, 'alive is false after close');
      assert.equal(await s.probe(ctx()), false, 'probe of a closed session resolves false');
    });

    it('config returns the reference shape (a list or an object)', async (t) => {
      const d = device(t);
      if (!d) return;
      if (!d.config) return t.skip(`no config lines for this ${driver.name} device`);
      const s = await driver.connect(structuredClone(d.connectionArgs), ctx());
      try {
        const req = { ...base(d, 'config'), options: { ...(d.configOptions ?? {}) } };
        const out = await s.config(d.config, toDriverRequest(driver, req), ctx());
        assert.ok(out !== null && typeof out === 'object', JSON.stringify(out));
      } finally {
        await s.close();
      }
    });

    it('test() answers {driver, host, …} without nulls', async (t) => {
      const d = device(t);
      if (!d) return;
      const r = await driver.test(structuredClone(d.connectionArgs), ctx());
      assert.equal(r.driver, driver.name);
      assert.ok(r.host, JSON.stringify(r));
      for (const [k, v] of Object.entries(r)) assert.ok(v !== null && v !== undefined, `${k} is null`);
    });

    it('an unreachable device fails with a coded device error, not a crash', async (t) => {
      const d = device(t);
      if (!d) return;
      const args = { ...structuredClone(d.connectionArgs), host: '127.0.0.1', port: await closedPort(), timeout: 5 };
      await assert.rejects(
        async () => {
          const s = await driver.connect(args, ctx(10_000));
          // Drivers without a login (eAPI) fail on the first request instead.
          try {
            await s.send(
              [d.command],
              toDriverRequest(driver, { ...base(d, 'command'), connection_args: args }),
              ctx(10_000),
            );
          } finally {
            await s.close();
          }
        },
        (e: unknown) => {
          assert.ok(e instanceof NetPulseError, `expected a NetPulseError, got ${String(e)}`);
          assert.ok(DEVICE_CODES.includes(e.code), e.code);
          return true;
        },
      );
    });

    it('an aborted signal stops connect with an error', async (t) => {
      const d = device(t);
      if (!d) return;
      const ac = new AbortController();
      ac.abort(new Error('conformance abort'));
      await assert.rejects(async () => {
        const s = await driver.connect(structuredClone(d.connectionArgs), { log: silent, signal: ac.signal });
        try {
          await s.send([d.command], toDriverRequest(driver, base(d, 'command')), { log: silent, signal: ac.signal });
        } finally {
          await s.close();
        }
      });
    });
  });
}
