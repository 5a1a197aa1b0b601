/**
 * The napalm driver's `prepare` (contract v2): connection settings and driver_args resolved once
 * into typed options, with the semantic checks as coded errors (400 validation, 501 not implemented).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Logger } from '../../../../../core/contracts/common.ts';
import type { DriverRegistry, DriverRequestBase } from '../../../../../core/contracts/driver.ts';
import { NetPulseError } from '../../../../../core/errors.ts';
import { toDriverRequest } from '../../../../../core/jobs/request.ts';
import { NapalmDriver } from '../../../../../plugins/drivers/napalm/driver.ts';

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => silent };
const none: DriverRegistry = {
  get: () => {
    throw new Error('prepare must not reach other drivers');
  },
  names: () => [],
};
const napalm = new NapalmDriver(silent, none);
const conn = { device_type: 'cisco_ios', host: '192.0.2.1', username: 'u', password: 'p' };
const req = (over: Partial<DriverRequestBase>): DriverRequestBase => ({
  connection_args: conn,
  driver_args: {},
  operation: 'command',
  options: {},
  ...over,
});
const coded = (code: string, msg?: RegExp) => (e: unknown) => {
  assert.ok(e instanceof NetPulseError, String(e));
  assert.equal(e.code, code);
  if (msg) assert.match(e.message, msg);
  return true;
};

describe('napalm prepare', () => {
  it('resolves settings, encoding and getter arguments with their defaults', () => {
    const p = napalm.prepare(req({ driver_args: { get_config: { retrieve: 'running' }, get_arp_table: {} } }));
    assert.equal(p.operation, 'command');
    assert.equal(p.settings.platform, 'ios');
    assert.equal(p.encoding, 'text');
    assert.deepEqual(p.getterArgs.get_config, { retrieve: 'running', full: false, sanitized: false, format: 'text' });
    assert.deepEqual(p.getterArgs.get_arp_table, { vrf: '' });
    assert.equal(p.transaction, null);
  });

  it('keeps transaction method arguments for command requests', () => {
    const p = napalm.prepare(req({ driver_args: { commit_config: { message: 'm', revert_in: 60 } } }));
    assert.deepEqual(p.methodArgs.commit_config, { message: 'm', revert_in: 60 });
  });

  it('a config request becomes the transaction (mode, message, revert_in, dry_run)', () => {
    const p = napalm.prepare(
      req({ operation: 'config', driver_args: { mode: 'replace', message: 'why', revert_in: 120 } }),
    );
    assert.deepEqual(p.transaction, { mode: 'replace', message: 'why', revert_in: 120, dry_run: false });
    const dry = napalm.prepare(req({ operation: 'config', options: { dry_run: true } }));
    assert.deepEqual(dry.transaction, { mode: 'merge', message: null, revert_in: null, dry_run: true });
  });

  it('is what toDriverRequest hands the session, and deterministic', () => {
    const r = req({ driver_args: { get_facts: {} } });
    assert.deepEqual(toDriverRequest(napalm, r).prepared, toDriverRequest(napalm, r).prepared);
  });

  it('refuses encoding json off eos and revert_in with dry_run (400)', () => {
    assert.throws(() => napalm.prepare(req({ driver_args: { encoding: 'json' } })), coded('NP_ERR_VALIDATION'));
    const eos = { ...conn, device_type: 'arista_eos' };
    assert.equal(napalm.prepare(req({ connection_args: eos, driver_args: { encoding: 'json' } })).encoding, 'json');
    assert.throws(
      () => napalm.prepare(req({ operation: 'config', driver_args: { revert_in: 60 }, options: { dry_run: true } })),
      coded('NP_ERR_VALIDATION'),
    );
  });

  it('a config on a platform without transactions is NP_ERR_NOT_IMPLEMENTED (501)', () => {
    const nxos = { ...conn, device_type: 'nxos' };
    assert.throws(
      () => napalm.prepare(req({ connection_args: nxos, operation: 'config' })),
      coded('NP_ERR_NOT_IMPLEMENTED', /platform 'nxos'/),
    );
    // getters on nxos still prepare
    assert.equal(napalm.prepare(req({ connection_args: nxos })).settings.platform, 'nxos');
  });

  it('parserPlatform names the CLI the platform runs (for TextFSM/TTP)', () => {
    assert.equal(napalm.parserPlatform('eos'), 'arista_eos');
    assert.equal(napalm.parserPlatform('cisco_xr'), 'cisco_xr');
    assert.equal(napalm.parserPlatform('unknown'), null);
  });
});
