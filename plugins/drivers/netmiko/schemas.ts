import type { JsonSchema } from '../../../core/contracts/common.ts';
import type { DriverSchemas } from '../../../core/contracts/driver.ts';
import { DEVICE_TYPES } from './platforms/index.ts';

/**
 * JSON Schemas (ajv, draft-07) of the netmiko driver's request parts. Defaults follow the reference driver.
 * Unknown keys are rejected (`additionalProperties: false`) so a typo is a 400 naming it instead
 * of the reference's TypeError; the driver_args model is chosen by operation.
 */

const nullableString = (description: string): JsonSchema => ({ type: ['string', 'null'], default: null, description });
const nullableBool = (description: string): JsonSchema => ({ type: ['boolean', 'null'], default: null, description });
const ignored = (schema: JsonSchema, why: string): JsonSchema => ({
  ...schema,
  description: `Accepted and ignored: ${why}`,
});

const algorithmList: JsonSchema = { type: 'array', items: { type: 'string', minLength: 1 } };

export const connectionArgsSchema: JsonSchema = {
  type: 'object',
  required: ['device_type', 'host', 'username', 'password'],
  additionalProperties: false,
  properties: {
    device_type: { type: 'string', enum: [...DEVICE_TYPES], description: 'Platform (netmiko device_type or alias).' },
    host: { type: 'string', minLength: 1, maxLength: 255 },
    ip: nullableString('Alternative to host (netmiko); host wins when both are set.'),
    username: { type: 'string', minLength: 1 },
    password: { type: ['string', 'null'], description: 'Login password (password and keyboard-interactive auth).' },
    port: { type: 'integer', minimum: 1, maximum: 65535, default: 22 },
    secret: nullableString('Enable secret (Linux: the sudo password).'),
    timeout: {
      type: 'number',
      exclusiveMinimum: 0,
      default: 100,
      description: 'Seconds for TCP connect, SSH handshake, authentication and the first prompt.',
    },
    keepalive: {
      type: 'number',
      minimum: 0,
      default: 180,
      description: 'SSH keepalive interval in seconds (0 = off); also the pinned-session probe period.',
    },
    global_cmd_verify: nullableBool('Overrides cmd_verify of every command and config set when not null.'),
    use_keys: nullableBool('Authenticate with key_file, or the first of ~/.ssh/id_ed25519, id_ecdsa, id_rsa.'),
    key_file: nullableString('Path of a private key file.'),
    pkey: nullableString('Private key text (PEM / OpenSSH).'),
    passphrase: nullableString('Passphrase of the private key.'),
    allow_agent: { type: 'boolean', default: false, description: 'Offer keys from the ssh-agent at $SSH_AUTH_SOCK.' },
    disabled_algorithms: {
      type: ['object', 'null'],
      default: null,
      description: 'paramiko-style lists of algorithms to remove: kex, ciphers, macs, keys (host key types), pubkeys.',
      additionalProperties: false,
      properties: {
        kex: algorithmList,
        ciphers: algorithmList,
        macs: algorithmList,
        keys: algorithmList,
        pubkeys: algorithmList,
      },
    },
    legacy_algorithms: {
      type: 'boolean',
      default: false,
      description: 'Also offer legacy SSH algorithms (SHA-1 kex, CBC ciphers, ssh-dss, hmac-md5) for old devices.',
    },
    ssh_strict: nullableBool('true = host_key_policy reject (netmiko RejectPolicy).'),
    host_key_policy: { type: 'string', enum: ['auto_add', 'reject', 'warning'], default: 'auto_add' },
    known_hosts_file: nullableString(
      'Known-hosts store inside server.state_dir (relative names are taken inside it); default <state_dir>/known_hosts.',
    ),
    alt_host_keys: { type: 'boolean', default: false, description: 'Use alt_key_file as the known-hosts store.' },
    alt_key_file: { type: 'string', default: '' },
    ssh_config_file: nullableString('Not supported (a non-null value is rejected); use proxy_* for jump hosts.'),
    default_enter: nullableString("Enter key sent after each command (default: the platform's, usually \\n)."),
    proxy_host: nullableString('Jump host: the target is reached through an SSH direct-tcpip channel from it.'),
    proxy_port: { type: 'integer', minimum: 1, maximum: 65535, default: 22 },
    proxy_username: nullableString('Jump host user (default: username).'),
    proxy_password: nullableString('Jump host password.'),
    proxy_pkey: nullableString('Jump host private key text.'),
    proxy_passphrase: nullableString('Passphrase of proxy_pkey.'),
    verbose: ignored(nullableBool(''), 'logging is configured by NetPulse.'),
    global_delay_factor: ignored(
      { type: 'number', default: 1 },
      'reads are prompt-driven, there are no sleeps to scale.',
    ),
    fast_cli: ignored({ type: 'boolean', default: false }, 'reads are prompt-driven; always fast.'),
    blocking_timeout: ignored({ type: 'number', default: 20 }, 'no blocking socket reads.'),
    banner_timeout: ignored({ type: 'number', default: 15 }, 'covered by timeout.'),
    auth_timeout: ignored({ type: ['number', 'null'], default: null }, 'covered by timeout.'),
    session_timeout: ignored(
      { type: ['number', 'null'], default: null },
      'sessions are serialised by the worker, no lock to wait for.',
    ),
    response_return: ignored(nullableString(''), 'output lines are always normalised to \\n.'),
    serial_settings: ignored({ type: ['object', 'null'], default: null }, 'SSH only.'),
    session_log: ignored(nullableString(''), 'session transcripts are never written (they would hold secrets).'),
    session_log_record_writes: ignored({ type: 'boolean', default: false }, 'no session log.'),
    session_log_file_mode: ignored({ type: 'string', enum: ['write', 'append'], default: 'write' }, 'no session log.'),
    encoding: ignored({ type: 'string', default: 'ascii' }, 'output is decoded as UTF-8 (a superset of ASCII).'),
    disable_sha2_fix: ignored({ type: 'boolean', default: false }, 'ssh2 negotiates RSA signature algorithms itself.'),
    system_host_keys: ignored({ type: 'boolean', default: false }, 'host keys are checked against known_hosts_file.'),
    allow_auto_change: ignored({ type: 'boolean', default: false }, 'no auto-change of settings.'),
  },
};

/** driver_args of a `command` request (netmiko send_command). */
export const commandArgsSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    expect_string: {
      type: ['string', 'null'],
      default: null,
      description: 'Regex ending the read instead of the prompt.',
    },
    read_timeout: {
      type: 'number',
      minimum: 0,
      default: 10.0,
      description: 'Seconds for echo and output (0 = no limit; the job timeout still applies).',
    },
    delay_factor: ignored({ type: ['number', 'null'], default: null }, 'no sleeps to scale.'),
    max_loops: ignored({ type: ['integer', 'null'], default: null }, 'reads are time-bounded by read_timeout.'),
    auto_find_prompt: ignored(
      { type: 'boolean', default: true },
      'the prompt is tracked from every read, no extra round trip.',
    ),
    strip_prompt: { type: 'boolean', default: true },
    strip_command: { type: 'boolean', default: true },
    normalize: { type: 'boolean', default: true, description: 'Right-strip the command and add one Enter.' },
    use_textfsm: { type: 'boolean', default: false },
    textfsm_template: { type: ['string', 'null'], default: null },
    use_ttp: { type: 'boolean', default: false },
    ttp_template: { type: ['string', 'null'], default: null },
    use_genie: {
      type: 'boolean',
      default: false,
      description: 'Not available (Cisco Genie is Python-only); true is rejected.',
    },
    cmd_verify: {
      type: 'boolean',
      default: true,
      description: 'Wait for the echo of the command before reading its output.',
    },
    raise_parsing_error: { type: 'boolean', default: false },
  },
};

/** driver_args of a `config` request (netmiko send_config_set). */
export const configArgsSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    exit_config_mode: { type: 'boolean', default: true },
    read_timeout: {
      type: ['number', 'null'],
      minimum: 0,
      default: null,
      description: 'Seconds per line (default 15).',
    },
    delay_factor: ignored({ type: ['number', 'null'], default: null }, 'no sleeps to scale.'),
    max_loops: ignored({ type: ['integer', 'null'], default: null }, 'reads are time-bounded by read_timeout.'),
    strip_prompt: { type: 'boolean', default: false },
    strip_command: { type: 'boolean', default: false },
    config_mode_command: {
      type: ['string', 'null'],
      default: null,
      description: "Replaces the platform's enter-config command.",
    },
    cmd_verify: { type: 'boolean', default: true },
    enter_config_mode: { type: 'boolean', default: true },
    error_pattern: {
      type: 'string',
      default: '',
      description: "Regex (multiline) that marks a line as failed, on top of the platform's failure indicators.",
    },
    terminator: {
      type: 'string',
      default: '#',
      description: "Regex that also ends a line's read when it matches the last line.",
    },
    bypass_commands: {
      type: ['string', 'null'],
      default: null,
      description: 'Regex; when any line matches, echo checks are off for the set (default ^banner .*$).',
    },
  },
};

export const requestFields: Record<string, JsonSchema> = {
  save: {
    type: 'boolean',
    default: false,
    description: 'After config: save the running configuration (platform save command).',
  },
  enable_mode: {
    type: 'boolean',
    default: false,
    description: 'Enter privileged mode before, and leave it after, the commands or config.',
  },
};

export const netmikoSchemas: DriverSchemas = {
  connectionArgs: connectionArgsSchema,
  commandArgs: commandArgsSchema,
  configArgs: configArgsSchema,
  requestFields,
};
