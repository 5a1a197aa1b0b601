import { createHash } from 'node:crypto';
import type { ConnectionArgs, Logger, QueueStrategy } from '../../../core/contracts/common.ts';
import type { Driver, DriverContext, DriverRequestBase } from '../../../core/contracts/driver.ts';
import { canonicalJson } from '../../../core/drivers/canonical-json.ts';
import { NetPulseError, validationError, type ValidationItem } from '../../../core/errors.ts';
import type { OutputCaps } from './channel.ts';
import { NetmikoConnection } from './operations.ts';
import { resolveConnection, resolvePlatform } from './options.ts';
import { findPlatform, type PlatformDefinition } from './platforms/index.ts';
import { netmikoSchemas } from './schemas.ts';
import { NetmikoSession, prepareOptions, type NetmikoPrepared } from './session.ts';

/**
 * The netmiko driver. Layers, each importing only the ones before it: transport.ts (SSH) →
 * channel.ts (terminal stream, reads to a pattern) → connection.ts (session lifecycle, prompts,
 * modes) → operations.ts (send, config, commit, save) → session.ts (DriverSession: serialised
 * jobs, abort, resync) → driver.ts (Driver: schemas, prepare, connect, test).
 */

export { canonicalJson };

export class NetmikoDriver implements Driver<NetmikoPrepared> {
  readonly name = 'netmiko';
  readonly defaultQueueStrategy: QueueStrategy = 'pinned';
  readonly schemas = netmikoSchemas;

  constructor(
    private readonly log: Logger,
    /** Output caps of every session's channel (config `drivers.output.*`). */
    private readonly caps?: OutputCaps,
  ) {}

  /** ntc-templates platform of a device_type, aliases resolved (`juniper` → `juniper_junos`). */
  parserPlatform(deviceType: string): string | null {
    return findPlatform(deviceType)?.parserPlatform ?? null;
  }

  /** Semantic checks, and driver_args resolved into the operation's typed options (once). */
  prepare(req: DriverRequestBase): NetmikoPrepared {
    const items: ValidationItem[] = [];
    let prepared: NetmikoPrepared | null = null;
    const args = req.connection_args ?? {};
    let platform: PlatformDefinition | null = null;
    try {
      platform = resolvePlatform(args.device_type);
    } catch (e) {
      if (e instanceof NetPulseError) throw e;
    }
    if (typeof args.ssh_config_file === 'string' && args.ssh_config_file) {
      items.push({
        loc: ['connection_args', 'ssh_config_file'],
        msg: 'ssh_config_file is not supported; use proxy_host/proxy_* for a jump host',
      });
    }
    const da = req.driver_args ?? {};
    try {
      prepared = prepareOptions(req);
    } catch (e) {
      // A regex the linear-time engine cannot run is its own coded error, not a validation item.
      if (e instanceof NetPulseError && e.code === 'NP_ERR_REGEX_LIMIT') throw e;
      if (e instanceof NetPulseError && Array.isArray(e.data)) items.push(...(e.data as ValidationItem[]));
      else throw e;
    }
    if (req.operation === 'command' && da.use_genie === true) {
      items.push({
        loc: ['driver_args', 'use_genie'],
        msg: 'use_genie is not available (Genie is Python-only); use use_textfsm or use_ttp',
      });
    }
    if (req.operation === 'config' && req.options?.save === true && platform && !platform.save) {
      items.push({
        loc: ['save'],
        msg: platform.commit
          ? `device_type ${platform.name} has no save: its commit already persists the configuration`
          : `device_type ${platform.name} has no save command`,
      });
    }
    if (items.length || !prepared) throw validationError(items);
    return prepared;
  }

  /** sha256 of the canonical connection args: any change (a new password included) is a new session. */
  sessionKey(args: ConnectionArgs): string {
    return 'netmiko:' + createHash('sha256').update(canonicalJson(args)).digest('hex');
  }

  async connect(args: ConnectionArgs, ctx: DriverContext): Promise<NetmikoSession> {
    const settings = resolveConnection(args);
    const log = ctx.log ?? this.log;
    const conn = await NetmikoConnection.open(settings, { log, signal: ctx.signal, caps: this.caps });
    return new NetmikoSession(conn, settings);
  }

  async test(args: ConnectionArgs, ctx: DriverContext): Promise<Record<string, unknown>> {
    const session = await this.connect(args, ctx);
    try {
      const out: Record<string, unknown> = {
        driver: this.name,
        host: args.host ?? args.ip,
        device_type: args.device_type,
        prompt: session.prompt,
      };
      for (const k of Object.keys(out)) if (out[k] === null || out[k] === undefined) delete out[k];
      return out;
    } finally {
      await session.close();
    }
  }
}
