import type { JsonSchema } from '../../../core/contracts/common.ts';
import type { DriverSchemas } from '../../../core/contracts/driver.ts';
import { lenient } from '../../../core/contracts/lenient.ts';

/**
 * JSON Schemas (ajv, draft-07) of the pyeapi driver's request parts. Defaults follow the reference driver.
 * Unknown connection keys are ignored with a warning like every driver's; driver_args are free-form
 * in the reference, so unknown keys there are ignored with a warning too (`lenient`). driver_args is chosen by operation and
 * never shares a key with connection_args, so the reference's TypeError on collisions cannot
 * happen.
 */

const nullableString = (description: string): JsonSchema => ({ type: ['string', 'null'], default: null, description });

export const connectionArgsSchema: JsonSchema = {
  type: 'object',
  required: ['host'],
  additionalProperties: false,
  properties: {
    device_type: nullableString(
      'Accepted for symmetry with other drivers (e.g. `arista_eos`); eAPI needs no platform.',
    ),
    host: { type: 'string', minLength: 1, maxLength: 255, description: 'Switch address (name, IPv4 or IPv6).' },
    transport: {
      type: ['string', 'null'],
      enum: ['http', 'https', null],
      default: 'https',
      description: 'eAPI transport; null means https (pyeapi).',
    },
    port: {
      type: ['integer', 'null'],
      minimum: 1,
      maximum: 65535,
      default: null,
      description: 'Default 80 for http, 443 for https.',
    },
    username: { type: ['string', 'null'], default: 'admin', description: 'Basic-auth user; null means admin.' },
    password: {
      type: ['string', 'null'],
      default: '',
      writeOnly: true,
      description: 'Basic-auth password; null means empty.',
    },
    secret: {
      type: ['string', 'null'],
      default: null,
      writeOnly: true,
      description: 'Enable secret, sent as the input of the prepended `enable`.',
    },
    timeout: {
      type: 'number',
      exclusiveMinimum: 0,
      maximum: 86400,
      default: 60,
      description: 'Seconds for one eAPI request: connect, TLS, send and the whole answer.',
    },
    verify: {
      type: ['boolean', 'null'],
      default: null,
      description:
        'https certificate check. null (default): trust on first use — the certificate is pinned on first contact in the state directory and a changed one is refused (as SSH host keys; self-signed devices work). true: check against ca_file, else the system CAs (also the default when ca_file is set). false: no check (lab only).',
    },
    host_key_policy: {
      type: 'string',
      enum: ['auto_add', 'reject', 'warning'],
      default: 'auto_add',
      description:
        'With trust on first use: an unknown certificate is pinned (auto_add), refused (reject) or accepted unpinned with a warning (warning). A changed one is always refused.',
    },
    ca_file: nullableString(
      'https: PEM file of the CA(s) that signed the device certificate (replaces the system CAs).',
    ),
    cert_file: nullableString('https: PEM client certificate (needs key_file).'),
    key_file: nullableString('https: PEM private key of cert_file.'),
  },
};

const flags: Record<string, JsonSchema> = {
  autoComplete: { type: 'boolean', description: 'eAPI autoComplete: accept abbreviations such as `sh ver`.' },
  expandAliases: { type: 'boolean', description: 'eAPI expandAliases: expand CLI aliases configured on the switch.' },
};

/** driver_args of a `command` request (pyeapi Node.enable). */
export const commandArgsSchema: JsonSchema = lenient({
  type: 'object',
  additionalProperties: false,
  properties: {
    encoding: {
      type: 'string',
      enum: ['json', 'text'],
      default: 'json',
      description: 'Answer format; with json, a command without a JSON model is rerun as text (pyeapi).',
    },
    ...flags,
  },
});

/** driver_args of a `config` request (pyeapi Node.config). */
export const configArgsSchema: JsonSchema = lenient({
  type: 'object',
  additionalProperties: false,
  properties: { ...flags },
});

export const requestFields: Record<string, JsonSchema> = {
  enable_mode: {
    type: 'boolean',
    default: true,
    description: 'Prepend `enable` (with the secret as its input when set) and drop its result (pyeapi send_enable).',
  },
  save: { type: 'boolean', default: false, description: 'After config: run `write memory` and append its result.' },
};

export const pyeapiSchemas: DriverSchemas = {
  connectionArgs: connectionArgsSchema,
  commandArgs: commandArgsSchema,
  configArgs: configArgsSchema,
  requestFields,
};
