import type { JsonSchema } from '../../../core/contracts/common.ts';
import type { DriverSchemas } from '../../../core/contracts/driver.ts';
import { GETTER_PARAMS } from './getters/index.ts';
import { NAPALM_DEVICE_TYPES } from './settings.ts';
import { TRANSACTION_ARG_SCHEMAS } from './transactions/index.ts';

/**
 * JSON Schemas (ajv) of the napalm driver's request parts. The reference request shapes work
 * unchanged: connection_args `{device_type, host | hostname, username, password, timeout,
 * optional_args}`, command driver_args Cli `{encoding}`, config driver_args CommitConfig
 * `{message, revert_in}`. The model is chosen by operation and unknown keys are 400s naming the
 * key (the reference fails on them with a TypeError/AssertionError instead).
 */

export const connectionArgsSchema: JsonSchema = {
  type: 'object',
  required: ['device_type'],
  additionalProperties: false,
  properties: {
    device_type: {
      type: 'string',
      enum: [...NAPALM_DEVICE_TYPES],
      description: 'NAPALM platform or its netmiko-style name (cisco_ios → ios, arista_eos → eos, …).',
    },
    host: { type: 'string', minLength: 1, maxLength: 255 },
    hostname: { type: 'string', minLength: 1, maxLength: 255, description: 'Alias of host (the name NAPALM uses).' },
    port: {
      type: ['integer', 'null'],
      minimum: 1,
      maximum: 65535,
      default: null,
      description: 'Shortcut for optional_args.port (which wins when both are set).',
    },
    username: { type: ['string', 'null'], maxLength: 256 },
    password: { type: ['string', 'null'], maxLength: 4096, writeOnly: true },
    timeout: {
      type: ['number', 'null'],
      exclusiveMinimum: 0,
      maximum: 86400,
      default: null,
      description: 'Seconds (NAPALM default 60).',
    },
    optional_args: {
      type: ['object', 'null'],
      default: {},
      description:
        'NAPALM optional_args: port, secret (IOS enable), enable_password (EOS), transport (EOS: https, http, ssh), ' +
        'use_keys, key_file, keepalive, … Keys a platform does not use are ignored, as NAPALM does.',
      properties: {
        port: { type: 'integer', minimum: 1, maximum: 65535 },
        secret: { type: 'string', writeOnly: true },
        enable_password: { type: 'string', writeOnly: true },
        transport: { type: 'string', enum: ['https', 'http', 'ssh'] },
      },
    },
  },
};

const argsObject = (params: Record<string, JsonSchema>, description: string): JsonSchema => ({
  type: 'object',
  additionalProperties: false,
  properties: params,
  description,
});

/** driver_args of a command request: `encoding` (Cli) plus per-method argument objects. */
export const commandArgsSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    encoding: {
      type: 'string',
      enum: ['text', 'json'],
      default: 'text',
      description: 'Output format of plain CLI commands (NAPALM cli()); json on EOS only.',
    },
    ...Object.fromEntries(
      Object.entries(GETTER_PARAMS).map(([name, params]) => [
        name,
        argsObject(params as Record<string, JsonSchema>, `Arguments of ${name}.`),
      ]),
    ),
    ...Object.fromEntries(
      Object.entries(TRANSACTION_ARG_SCHEMAS).map(([name, params]) => [
        name,
        argsObject(params, `Arguments of ${name}.`),
      ]),
    ),
  },
};

/** driver_args of a config request: the reference's CommitConfig plus `mode`. */
export const configArgsSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    message: {
      type: ['string', 'null'],
      maxLength: 1024,
      default: null,
      description: 'Commit comment (where the platform keeps one).',
    },
    revert_in: {
      type: ['integer', 'null'],
      minimum: 1,
      maximum: 86400,
      default: null,
      description: 'Commit-confirm: seconds before an unconfirmed commit reverts by itself.',
    },
    mode: {
      type: 'string',
      enum: ['merge', 'replace'],
      default: 'merge',
      description: 'load_merge_candidate (default, as the reference) or load_replace_candidate.',
    },
  },
};

export const requestFields: Record<string, JsonSchema> = {
  dry_run: {
    type: 'boolean',
    default: false,
    description: 'Config: load and compare, then discard instead of committing; the result still carries the diff.',
  },
  enable_mode: {
    type: 'boolean',
    default: true,
    description: 'Accepted for compatibility; NAPALM drivers always work in privileged mode.',
  },
};

export const napalmSchemas: DriverSchemas = {
  connectionArgs: connectionArgsSchema,
  commandArgs: commandArgsSchema,
  configArgs: configArgsSchema,
  requestFields,
};
