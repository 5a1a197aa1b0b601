import type { JobRequest } from './request.ts';

const MAX_COMMANDS = 100;
const MAX_COMMAND_CHARS = 200;

/**
 * The non-secret part of a request kept on the job record (`meta`), for the web console's job page:
 * the record outlives the request, which holds the credentials and is deleted when the job starts.
 * Command lines are kept (bounded); configuration lines are only counted, since they may carry
 * secrets (`username x secret y`), and a rendered payload is named by its renderer only. Also the
 * id of the HTTP request that submitted the job.
 */
export function requestMeta(req: JobRequest, requestId: string | null = null): Record<string, unknown> {
  const lines = Array.isArray(req.payload) ? req.payload : null;
  return {
    device_type: req.connection_args.device_type ?? null,
    operation: req.operation,
    strategy: req.queue_strategy,
    webhook: !!req.webhook,
    commands:
      req.operation === 'command' && lines
        ? lines.slice(0, MAX_COMMANDS).map((c) => String(c).slice(0, MAX_COMMAND_CHARS))
        : null,
    config_lines: req.operation === 'config' && lines ? lines.length : null,
    parser: req.parsing?.name ?? null,
    renderer: req.rendering?.name ?? null,
    request_id: requestId,
  };
}
