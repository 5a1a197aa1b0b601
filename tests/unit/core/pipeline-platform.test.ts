/**
 * The pipeline asks the driver for the parsers' platform name: a netmiko alias (`juniper`) reaches
 * the ntc-templates / TTP lookup as `juniper_junos`, the name the index knows.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Logger } from '../../../core/contracts/common.ts';
import type { DriverSession } from '../../../core/contracts/driver.ts';
import { executeJob } from '../../../core/jobs/pipeline.ts';
import type { JobRequest } from '../../../core/jobs/request.ts';
import type { TemplateService } from '../../../core/templates/service.ts';
import { NetmikoDriver } from '../../../plugins/drivers/netmiko/driver.ts';

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => silent };

test('use_textfsm on device_type juniper looks templates up for juniper_junos', async () => {
  const platforms: (string | undefined)[] = [];
  // Records what the lookup is asked for; the device side is not under test here.
  const templates = {
    parse: async (_name: string, _req: unknown, _text: string, d?: { platform?: string }) => {
      platforms.push(d?.platform);
      return [{ parsed: true }];
    },
  } as unknown as TemplateService;
  const session = {
    send: async (cmds: string[]) => Object.fromEntries(cmds.map((c) => [c, 'text'])),
  } as unknown as DriverSession;
  const req: JobRequest = {
    driver: 'netmiko',
    host: '192.0.2.1',
    connection_args: { device_type: 'juniper', host: '192.0.2.1', username: 'u', password: 'p' },
    driver_args: { use_textfsm: true },
    operation: 'command',
    payload: ['show version'],
    rendering: null,
    parsing: null,
    queue_strategy: 'fifo',
    ttl: 60,
    execution_timeout: 60,
    result_ttl: 60,
    webhook: null,
    options: {},
  };
  const out = await executeJob(
    req,
    {
      driver: new NetmikoDriver(silent),
      templates,
      log: silent,
      sessions: async () => ({ session, release: async () => undefined }),
    },
    AbortSignal.timeout(5000),
  );
  assert.deepEqual(platforms, ['juniper_junos']);
  assert.deepEqual(out, { 'show version': [{ parsed: true }] });
});
