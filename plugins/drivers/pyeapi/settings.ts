import { createHash } from 'node:crypto';
import type { ConnectionArgs } from '../../../core/contracts/common.ts';
import { validationError, type ValidationItem } from '../../../core/errors.ts';
import { canonicalJson } from '../../../core/drivers/canonical-json.ts';
import type { HostKeyPolicy } from '../../../core/ssh/index.ts';

/** connection_args → the settings a session uses (the reference's defaults). */

export type Transport = 'http' | 'https';
export type TlsVerify = 'pin' | 'ca' | 'off';

/** `verify`: null pins on first use unless a ca_file asks for CA validation. */
export function verifyMode(args: ConnectionArgs): TlsVerify {
  if (args.verify === false) return 'off';
  if (args.verify === true || str(args.ca_file)) return 'ca';
  return 'pin';
}

const policyOf = (args: ConnectionArgs): HostKeyPolicy =>
  args.host_key_policy === 'reject' || args.host_key_policy === 'warning' ? args.host_key_policy : 'auto_add';

export interface PyeapiSettings {
  transport: Transport;
  host: string;
  port: number;
  username: string;
  password: string;
  secret: string | null;
  timeoutMs: number;
  /** `pin`: trust on first use; `ca`: CA validation; `off`: no check. */
  verify: TlsVerify;
  hostKeyPolicy: HostKeyPolicy;
  caFile: string | null;
  certFile: string | null;
  keyFile: string | null;
  deviceType: string | null;
}

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/** Cross-field checks the schema cannot express. Returns the problems (empty when fine). */
export function settingsProblems(args: ConnectionArgs): ValidationItem[] {
  const items: ValidationItem[] = [];
  const transport = args.transport ?? 'https';
  const tlsKeys = ['ca_file', 'cert_file', 'key_file'] as const;
  if (transport === 'http') {
    for (const k of tlsKeys) {
      if (str(args[k])) items.push({ loc: ['connection_args', k], msg: `${k} needs transport https` });
    }
  }
  if (!!str(args.cert_file) !== !!str(args.key_file)) {
    items.push({
      loc: ['connection_args', str(args.cert_file) ? 'key_file' : 'cert_file'],
      msg: 'cert_file and key_file go together (client certificate and its key)',
    });
  }
  if (args.verify === false && str(args.ca_file)) {
    items.push({
      loc: ['connection_args', 'ca_file'],
      msg: 'ca_file has no effect with verify: false; drop one of them',
    });
  }
  return items;
}

export function resolveSettings(args: ConnectionArgs): PyeapiSettings {
  const items = settingsProblems(args);
  if (typeof args.host !== 'string' || args.host === '')
    items.push({ loc: ['connection_args', 'host'], msg: "'host' in connection_args is required" });
  if (items.length) throw validationError(items);
  const transport: Transport = args.transport === 'http' ? 'http' : 'https';
  const port = typeof args.port === 'number' ? args.port : transport === 'http' ? 80 : 443;
  const timeout = typeof args.timeout === 'number' && args.timeout > 0 ? args.timeout : 60;
  return {
    transport,
    host: args.host as string,
    port,
    username: str(args.username) ?? 'admin',
    password: str(args.password) ?? '',
    secret: str(args.secret),
    timeoutMs: Math.round(timeout * 1000),
    verify: verifyMode(args),
    hostKeyPolicy: policyOf(args),
    caFile: str(args.ca_file),
    certFile: str(args.cert_file),
    keyFile: str(args.key_file),
    deviceType: str(args.device_type),
  };
}

export { canonicalJson };

/**
 * Session identity: sha256 of the canonical connection arguments with defaults applied, so
 * `{}` and explicit defaults share a session and any changed credential makes a new one. Secrets
 * only enter the hash.
 */
export function sessionKeyOf(args: ConnectionArgs): string {
  const transport = args.transport === 'http' ? 'http' : 'https';
  const normalized = {
    transport,
    host: args.host ?? null,
    port: typeof args.port === 'number' ? args.port : transport === 'http' ? 80 : 443,
    username: str(args.username) ?? 'admin',
    password: str(args.password) ?? '',
    secret: str(args.secret),
    timeout: typeof args.timeout === 'number' ? args.timeout : 60,
    verify: verifyMode(args),
    host_key_policy: policyOf(args),
    ca_file: str(args.ca_file),
    cert_file: str(args.cert_file),
    key_file: str(args.key_file),
    device_type: str(args.device_type),
  };
  return createHash('sha256').update(canonicalJson(normalized)).digest('hex');
}
