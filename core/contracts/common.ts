/** Types shared by several contracts. Kept tiny so plugins depend on as little as possible. */

/** A JSON Schema (draft-07 subset understood by ajv). */
export type JsonSchema = Record<string, unknown>;

/** The logging surface plugins get (a pino logger satisfies it). Secrets are redacted by core. */
export interface Logger {
  debug(obj: unknown, msg?: string): void;
  info(obj: unknown, msg?: string): void;
  warn(obj: unknown, msg?: string): void;
  error(obj: unknown, msg?: string): void;
  child(bindings: Record<string, unknown>): Logger;
}

export type QueueStrategy = 'fifo' | 'pinned';

/** Connection arguments as sent by clients: `device_type`, `host`, `username`, `password` and driver extras. */
export interface ConnectionArgs {
  host?: string | null;
  device_type?: string | null;
  username?: string | null;
  password?: string | null;
  [key: string]: unknown;
}
