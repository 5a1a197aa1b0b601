import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Algorithms } from 'ssh2';
import type { ConnectionArgs } from '../../../core/contracts/common.ts';
import { NetPulseError, validationError, type ValidationItem } from '../../../core/errors.ts';
import { compileLinear, regexError } from '../../../core/security/linear-regex.ts';
import { findPlatform, type PlatformDefinition } from './platforms/index.ts';
import { storeFile } from '../../../core/state/dir.ts';
import { parsePrivateKey, type HostKeyPolicy } from '../../../core/ssh/index.ts';
import type { ProxyOptions } from './transport.ts';

/** Connection args resolved into what the transport and the CLI engine use. */
export interface ConnectionSettings {
  deviceType: string;
  platform: PlatformDefinition;
  host: string;
  port: number;
  username: string;
  password: string | null;
  secret: string | null;
  privateKey: string | null;
  passphrase: string | null;
  agent: string | null;
  timeoutMs: number;
  keepaliveMs: number;
  algorithms: Algorithms | undefined;
  hostKeyPolicy: HostKeyPolicy;
  knownHostsFile: string;
  proxy: ProxyOptions | null;
  globalCmdVerify: boolean | null;
  newline: string;
}

/** Per-command options (netmiko send_command). */
export interface CommandOptions {
  /** `expect_string` as given (for messages) and compiled for the linear-time engine. */
  expectString: string | null;
  expect: RegExp | null;
  readTimeoutMs: number;
  stripPrompt: boolean;
  stripCommand: boolean;
  normalize: boolean;
  cmdVerify: boolean;
}

/** Per-config-set options (netmiko send_config_set). */
export interface ConfigOptions {
  exitConfigMode: boolean;
  readTimeoutMs: number;
  stripPrompt: boolean;
  stripCommand: boolean;
  configModeCommand: string | null;
  cmdVerify: boolean;
  enterConfigMode: boolean;
  errorPattern: RegExp | null;
  terminator: RegExp | null;
  bypassCommands: RegExp;
}

// Old devices (FortiOS 5, IOS 12, …) need these; ssh2 supports but does not offer them by default.
const LEGACY: Algorithms = {
  kex: { append: ['diffie-hellman-group-exchange-sha1', 'diffie-hellman-group14-sha1', 'diffie-hellman-group1-sha1'] },
  cipher: { append: ['aes128-cbc', 'aes192-cbc', 'aes256-cbc', '3des-cbc'] },
  serverHostKey: { append: ['ssh-dss'] },
  hmac: { append: ['hmac-md5', 'hmac-sha1-96'] },
} as Algorithms;

const str = (v: unknown): string | null => (typeof v === 'string' && v.length > 0 ? v : null);
const num = (v: unknown, dflt: number): number => (typeof v === 'number' && Number.isFinite(v) ? v : dflt);
const bool = (v: unknown, dflt: boolean): boolean => (typeof v === 'boolean' ? v : dflt);

function readKeyFile(file: string, what: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    throw keyFileError(file, what);
  }
}

/** One message for missing, unreadable and unparsable key files: no errno, no "exists" oracle. */
function keyFileError(file: string, what: string): NetPulseError {
  return new NetPulseError(
    'NP_ERR_DEVICE_AUTH',
    `Cannot use ${what} ${file}: missing, unreadable, not a key file or wrong passphrase`,
  );
}

function defaultKeyFile(): string | null {
  for (const name of ['id_ed25519', 'id_ecdsa', 'id_rsa']) {
    const file = path.join(os.homedir(), '.ssh', name);
    try {
      readFileSync(file);
      return file;
    } catch {
      // Try the next conventional name.
    }
  }
  return null;
}

/** Builds ssh2 algorithm overrides from paramiko-style `disabled_algorithms`, legacy opt-in and the platform's kex list. */
export function buildAlgorithms(args: ConnectionArgs, platform: PlatformDefinition): Algorithms | undefined {
  const out: Record<string, { append?: string[]; prepend?: string[]; remove?: string[] } | string[]> = {};
  if (args.legacy_algorithms === true) Object.assign(out, structuredClone(LEGACY));
  if (platform.kex) out.kex = [...platform.kex];
  const disabled = (args.disabled_algorithms ?? null) as Record<string, string[]> | null;
  if (disabled) {
    const map: Record<string, string> = { kex: 'kex', ciphers: 'cipher', macs: 'hmac', keys: 'serverHostKey' };
    for (const [from, to] of Object.entries(map)) {
      const remove = disabled[from];
      if (!remove?.length) continue;
      const cur = out[to];
      if (Array.isArray(cur)) out[to] = cur.filter((a) => !remove.includes(a));
      else out[to] = { ...(cur ?? {}), remove: [...(cur?.remove ?? []), ...remove] };
    }
  }
  return Object.keys(out).length ? (out as Algorithms) : undefined;
}

export function resolvePlatform(deviceType: unknown): PlatformDefinition {
  const platform = typeof deviceType === 'string' ? findPlatform(deviceType) : undefined;
  if (!platform)
    throw validationError([
      { loc: ['connection_args', 'device_type'], msg: `unsupported device_type ${JSON.stringify(deviceType)}` },
    ]);
  return platform;
}

/** Resolves connection args (validated by the schema; defaults re-applied here for direct callers). */
export function resolveConnection(args: ConnectionArgs): ConnectionSettings {
  const platform = resolvePlatform(args.device_type);
  const host = str(args.host) ?? str(args.ip);
  if (!host)
    throw validationError([{ loc: ['connection_args', 'host'], msg: "'host' in connection_args is required" }]);
  const username = str(args.username);
  if (!username)
    throw validationError([{ loc: ['connection_args', 'username'], msg: "'username' in connection_args is required" }]);
  let privateKey = str(args.pkey);
  const keyFile = str(args.key_file) ?? (args.use_keys === true && !privateKey ? defaultKeyFile() : null);
  if (!privateKey && keyFile) {
    privateKey = readKeyFile(keyFile, 'key_file');
    // Parsed here so an existing non-key file fails exactly like a missing one (no path oracle).
    if (parsePrivateKey(privateKey, str(args.passphrase)) instanceof Error) throw keyFileError(keyFile, 'key_file');
  }
  const policy: HostKeyPolicy =
    args.ssh_strict === true ? 'reject' : ((args.host_key_policy as HostKeyPolicy | undefined) ?? 'auto_add');
  const knownHostsFile = storeFile(
    str(args.known_hosts_file) ?? (args.alt_host_keys === true ? str(args.alt_key_file) : null),
  );
  const proxyHost = str(args.proxy_host);
  const proxy: ProxyOptions | null = proxyHost
    ? {
        host: proxyHost,
        port: num(args.proxy_port, 22),
        username: str(args.proxy_username) ?? username,
        password: typeof args.proxy_password === 'string' ? args.proxy_password : null,
        privateKey: str(args.proxy_pkey),
        passphrase: str(args.proxy_passphrase),
      }
    : null;
  return {
    deviceType: String(args.device_type),
    platform,
    host,
    port: num(args.port, 22),
    username: username + (platform.usernameSuffix ?? ''),
    password: typeof args.password === 'string' ? args.password : null,
    secret: typeof args.secret === 'string' ? args.secret : null,
    privateKey,
    passphrase: str(args.passphrase),
    agent: args.allow_agent === true ? (process.env.SSH_AUTH_SOCK ?? null) : null,
    timeoutMs: num(args.timeout, 100) * 1000,
    keepaliveMs: num(args.keepalive, 180) * 1000,
    algorithms: buildAlgorithms(args, platform),
    hostKeyPolicy: policy,
    knownHostsFile,
    proxy,
    globalCmdVerify: globalCmdVerifyOf(args),
    newline: str(args.default_enter) ?? platform.newline,
  };
}

/** `global_cmd_verify` of the connection args (netmiko: overrides every command's cmd_verify), or null. */
export function globalCmdVerifyOf(args: ConnectionArgs): boolean | null {
  return typeof args.global_cmd_verify === 'boolean' ? args.global_cmd_verify : null;
}

// User regexes run on device output in the node's event loop: linear-time engine only. They are
// compiled (and refused with NP_ERR_REGEX_LIMIT) here, in the driver's `prepare`, once per request.
const compileRegex = compileLinear;

export function resolveCommandOptions(
  driverArgs: Record<string, unknown>,
  globalCmdVerify: boolean | null,
): CommandOptions {
  const items: ValidationItem[] = [];
  const expect = str(driverArgs.expect_string);
  const compiled = expect ? compileRegex(expect, '', ['driver_args', 'expect_string'], items) : null;
  if (items.length) throw regexError(items);
  return {
    expectString: expect,
    expect: compiled,
    readTimeoutMs: num(driverArgs.read_timeout, 10) * 1000,
    stripPrompt: bool(driverArgs.strip_prompt, true),
    stripCommand: bool(driverArgs.strip_command, true),
    normalize: bool(driverArgs.normalize, true),
    cmdVerify: globalCmdVerify ?? bool(driverArgs.cmd_verify, true),
  };
}

export function resolveConfigOptions(
  driverArgs: Record<string, unknown>,
  globalCmdVerify: boolean | null,
): ConfigOptions {
  const items: ValidationItem[] = [];
  const errorPattern = str(driverArgs.error_pattern);
  const terminator = str(driverArgs.terminator) ?? '#';
  const bypass = str(driverArgs.bypass_commands) ?? '^banner .*$';
  const out: ConfigOptions = {
    exitConfigMode: bool(driverArgs.exit_config_mode, true),
    readTimeoutMs: num(driverArgs.read_timeout, 15) * 1000,
    stripPrompt: bool(driverArgs.strip_prompt, false),
    stripCommand: bool(driverArgs.strip_command, false),
    configModeCommand: str(driverArgs.config_mode_command),
    cmdVerify: globalCmdVerify ?? bool(driverArgs.cmd_verify, true),
    enterConfigMode: bool(driverArgs.enter_config_mode, true),
    errorPattern: errorPattern ? compileRegex(errorPattern, 'm', ['driver_args', 'error_pattern'], items) : null,
    // The platform's prompt patterns already end every read; a custom terminator adds to them.
    terminator: terminator === '#' ? null : compileRegex(`${terminator}.*$`, '', ['driver_args', 'terminator'], items),
    bypassCommands: compileRegex(bypass, '', ['driver_args', 'bypass_commands'], items) ?? /^banner .*$/,
  };
  if (items.length) throw regexError(items);
  return out;
}
