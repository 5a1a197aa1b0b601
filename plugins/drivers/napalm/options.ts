import type { DriverRequest, DriverRequestBase } from '../../../core/contracts/driver.ts';
import { validationError } from '../../../core/errors.ts';
import { type GetterArgs, type GetterName, getterArgs, isGetter } from './getters/index.ts';
import { resolveSettings, type NapalmSettings } from './settings.ts';
import {
  type ConfigMode,
  isTransactionMethod,
  TRANSACTION_PLATFORMS,
  type TransactionMethod,
} from './transactions/index.ts';
import { notSupported } from './transactions/types.ts';

/**
 * A napalm request's `connection_args` and `driver_args` resolved once (the driver's `prepare`)
 * into what the session runs with: at accept time to answer bad input with 400/501 before
 * anything is queued, and on the node, where the session reads this instead of raw driver_args.
 */
export interface NapalmPrepared {
  operation: 'command' | 'config';
  settings: NapalmSettings;
  /** Command requests: NAPALM `cli()` output format of plain CLI commands. */
  encoding: 'json' | 'text';
  /** Command requests: arguments (defaults applied) of the getters `driver_args` names. */
  getterArgs: Partial<Record<GetterName, GetterArgs>>;
  /** Command requests: arguments of the transaction methods `driver_args` names. */
  methodArgs: Partial<Record<TransactionMethod, Record<string, unknown>>>;
  /** Config requests: the transaction (CommitConfig `{message, revert_in}`, `mode`, `dry_run`). */
  transaction: { mode: ConfigMode; message: string | null; revert_in: number | null; dry_run: boolean } | null;
}

const objectOf = (v: unknown): Record<string, unknown> | undefined =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;

/**
 * Semantic checks beyond the schemas, then the typed options. A config request on a platform
 * without transactions is a 501 (NP_ERR_NOT_IMPLEMENTED): every napalm config is a transaction.
 */
export function prepareNapalm(req: DriverRequestBase): NapalmPrepared {
  const settings = resolveSettings(req.connection_args ?? {});
  const da = req.driver_args ?? {};
  const prepared: NapalmPrepared = {
    operation: req.operation,
    settings,
    encoding: 'text',
    getterArgs: {},
    methodArgs: {},
    transaction: null,
  };
  if (req.operation === 'config') {
    const dryRun = req.options?.dry_run === true;
    if (dryRun && da.revert_in != null) {
      throw validationError([
        { loc: ['driver_args', 'revert_in'], msg: 'revert_in has no effect with dry_run (nothing is committed)' },
      ]);
    }
    if (!TRANSACTION_PLATFORMS.includes(settings.platform)) {
      throw notSupported(
        `napalm configuration transactions are not available for platform '${settings.platform}' ` +
          `(available: ${TRANSACTION_PLATFORMS.join(', ')})`,
      );
    }
    prepared.transaction = {
      mode: da.mode === 'replace' ? 'replace' : 'merge',
      message: typeof da.message === 'string' ? da.message : null,
      revert_in: typeof da.revert_in === 'number' ? da.revert_in : null,
      dry_run: dryRun,
    };
    return prepared;
  }
  if (da.encoding === 'json' && settings.platform !== 'eos') {
    throw validationError([
      { loc: ['driver_args', 'encoding'], msg: `encoding json is available on eos only, not ${settings.platform}` },
    ]);
  }
  prepared.encoding = da.encoding === 'json' ? 'json' : 'text';
  for (const [key, value] of Object.entries(da)) {
    if (isGetter(key)) prepared.getterArgs[key] = getterArgs(key, objectOf(value));
    else if (isTransactionMethod(key)) prepared.methodArgs[key] = objectOf(value) ?? {};
  }
  return prepared;
}

function isPrepared(p: unknown, operation: 'command' | 'config'): p is NapalmPrepared {
  return typeof p === 'object' && p !== null && (p as NapalmPrepared).operation === operation;
}

/** The prepared options of `req`, or (for callers that drive a session directly) resolved now. */
export function preparedOf(req: DriverRequest): NapalmPrepared {
  return isPrepared(req.prepared, req.operation) ? req.prepared : prepareNapalm(req);
}
