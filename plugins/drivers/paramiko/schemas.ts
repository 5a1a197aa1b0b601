import type { JsonSchema } from '../../../core/contracts/common.ts';
import type { DriverSchemas } from '../../../core/contracts/driver.ts';

/**
 * JSON Schemas (ajv, draft-07) of the paramiko driver's request parts. Defaults follow the reference driver;
 * unknown keys are rejected (`additionalProperties: false`) and the driver_args model is chosen
 * by operation (command or config), so a typo is a 400 naming the key.
 */

const nullableString = (description: string): JsonSchema => ({ type: ['string', 'null'], default: null, description });
const nullableSeconds = (description: string): JsonSchema => ({
  type: ['number', 'null'],
  exclusiveMinimum: 0,
  default: null,
  description,
});

const keyFilename: JsonSchema = {
  anyOf: [
    { type: 'string', minLength: 1 },
    { type: 'array', items: { type: 'string', minLength: 1 }, minItems: 1, maxItems: 16 },
    { type: 'null' },
  ],
  default: null,
  description: 'Path (or paths) of private key files on the worker; the first that parses is used.',
};

const environment: JsonSchema = {
  type: ['object', 'null'],
  default: null,
  additionalProperties: { type: 'string' },
  propertyNames: { pattern: '^[A-Za-z_][A-Za-z0-9_]*$' },
  description:
    'Environment variables requested for the exec channel (the server may ignore them: OpenSSH honours AcceptEnv only).',
};

export const connectionArgsSchema: JsonSchema = {
  type: 'object',
  required: ['host', 'username'],
  additionalProperties: false,
  properties: {
    device_type: nullableString('Accepted for symmetry with other drivers (e.g. linux); not used.'),
    host: { type: 'string', minLength: 1, maxLength: 255 },
    port: { type: 'integer', minimum: 1, maximum: 65535, default: 22 },
    username: { type: 'string', minLength: 1 },
    password: nullableString('Login password (password and keyboard-interactive auth).'),
    pkey: nullableString('Private key text (OpenSSH or PEM; RSA, ECDSA, Ed25519).'),
    key_filename: keyFilename,
    passphrase: nullableString('Passphrase of pkey / key_filename.'),
    timeout: {
      type: 'number',
      exclusiveMinimum: 0,
      default: 30,
      description: 'Seconds for TCP connect, SSH handshake and authentication (each leg).',
    },
    banner_timeout: nullableSeconds('Accepted for compatibility; the handshake is bounded by timeout.'),
    auth_timeout: nullableSeconds('Accepted for compatibility; authentication is bounded by timeout.'),
    host_key_policy: {
      type: 'string',
      enum: ['auto_add', 'reject', 'warning'],
      default: 'auto_add',
      description:
        'Unknown host keys: add to known_hosts_file, refuse, or accept with a warning. A changed key is always refused. Applies to the jump host too.',
    },
    known_hosts_file: nullableString(
      'Known-hosts store (OpenSSH format, hashed names understood); must lie inside server.state_dir; default <state_dir>/known_hosts.',
    ),
    look_for_keys: {
      type: 'boolean',
      default: true,
      description:
        'When no pkey/key_filename is given, also offer ~/.ssh/id_ed25519, id_ecdsa, id_rsa of the worker user.',
    },
    allow_agent: { type: 'boolean', default: false, description: 'Offer keys from the ssh-agent at $SSH_AUTH_SOCK.' },
    compress: { type: 'boolean', default: false, description: 'Offer zlib compression.' },
    proxy_host: nullableString('Jump host: the target is reached through a direct-tcpip channel opened on it.'),
    proxy_port: { type: 'integer', minimum: 1, maximum: 65535, default: 22 },
    proxy_username: nullableString('Jump host user (default: username).'),
    proxy_password: nullableString('Jump host password.'),
    proxy_pkey: nullableString('Jump host private key text.'),
    proxy_key_filename: keyFilename,
    proxy_passphrase: nullableString('Passphrase of proxy_pkey / proxy_key_filename.'),
  },
};

export const fileTransferSchema: JsonSchema = {
  type: ['object', 'null'],
  default: null,
  required: ['operation', 'local_path', 'remote_path'],
  additionalProperties: false,
  description:
    "SFTP transfer instead of running the commands. local_path is inside the worker's drivers.paramiko.transfer_dir.",
  properties: {
    operation: { type: 'string', enum: ['upload', 'download'] },
    local_path: { type: 'string', minLength: 1, maxLength: 4096 },
    remote_path: { type: 'string', minLength: 1, maxLength: 4096 },
    resume: {
      type: 'boolean',
      default: false,
      description: 'Continue a partial transfer from the size already at the destination.',
    },
    chunk_size: { type: 'integer', minimum: 1, maximum: 1048576, default: 32768 },
    timeout: nullableSeconds('Seconds for the whole transfer (null: only the job timeout applies).'),
  },
};

/** driver_args of a `command` request. */
export const commandArgsSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    timeout: nullableSeconds('Seconds per command; exceeded → TimeoutError.'),
    get_pty: {
      type: 'boolean',
      default: false,
      description: 'Request a pseudo-terminal (stderr is then merged into output).',
    },
    environment,
    bufsize: { type: 'integer', default: -1, description: 'Accepted for compatibility; output is read whole.' },
    file_transfer: fileTransferSchema,
  },
};

/** driver_args of a `config` request. */
export const configArgsSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    timeout: nullableSeconds('Seconds per line; exceeded → TimeoutError.'),
    get_pty: { type: 'boolean', default: false },
    sudo: { type: 'boolean', default: false, description: "Run each line as `sudo -S -p '' <line>`." },
    sudo_password: {
      type: ['string', 'null'],
      default: null,
      writeOnly: true,
      description: "Written to sudo's stdin; never echoed in results.",
    },
    environment,
  },
};

export const paramikoSchemas: DriverSchemas = {
  connectionArgs: connectionArgsSchema,
  commandArgs: commandArgsSchema,
  configArgs: configArgsSchema,
};
