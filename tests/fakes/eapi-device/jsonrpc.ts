/**
 * JSON-RPC 2.0 envelope of eAPI: request validation and the error shapes
 * (-32700 parse error, -32600 invalid request, -32601 unknown method, -32602
 * invalid params). JSON-RPC-level errors carry no `data`.
 */
import type { CmdSpec, RunOptions } from './device.ts';

export type RpcId = string | number | null;

export interface RpcErrorBody {
  jsonrpc: '2.0';
  id: RpcId;
  error: { code: number; message: string };
}

export function rpcError(id: RpcId, code: number, message: string): RpcErrorBody {
  return { jsonrpc: '2.0', id, error: { code, message } };
}

export interface ParsedRunCmds {
  id: RpcId;
  cmds: CmdSpec[];
  options: Omit<RunOptions, 'user'>;
}

const KNOWN_PARAMS = new Set([
  'version',
  'cmds',
  'format',
  'autoComplete',
  'expandAliases',
  'timestamps',
  'stopOnError',
  'includeErrorDetail',
  'streaming',
]);

function validId(v: unknown): v is RpcId {
  return v === null || typeof v === 'string' || typeof v === 'number';
}

export function parseRunCmds(body: string): ParsedRunCmds | { error: RpcErrorBody } {
  let req: unknown;
  try {
    req = JSON.parse(body);
  } catch {
    return { error: rpcError(null, -32700, 'Parse error: request body is not valid JSON') };
  }
  if (typeof req !== 'object' || req === null || Array.isArray(req)) {
    return { error: rpcError(null, -32600, 'Invalid Request: expected a JSON object') };
  }
  const r = req as Record<string, unknown>;
  if (!('jsonrpc' in r)) return { error: rpcError(null, -32600, "Expected field 'jsonrpc' not specified") };
  const id: RpcId = validId(r.id) ? r.id : null;
  if (r.jsonrpc !== '2.0')
    return { error: rpcError(id, -32600, `Invalid Request: unsupported jsonrpc version ${JSON.stringify(r.jsonrpc)}`) };
  if (!('method' in r)) return { error: rpcError(id, -32600, "Expected field 'method' not specified") };
  if (r.method !== 'runCmds') return { error: rpcError(id, -32601, `Method not found: ${JSON.stringify(r.method)}`) };

  let p: Record<string, unknown>;
  if (Array.isArray(r.params)) {
    // jsonrpclib style positional params: [version, cmds, format?]
    p = { version: r.params[0], cmds: r.params[1], ...(r.params.length > 2 ? { format: r.params[2] } : {}) };
  } else if (typeof r.params === 'object' && r.params !== null) {
    p = r.params as Record<string, unknown>;
  } else {
    return { error: rpcError(id, -32602, "Invalid params: expected field 'params' to be an object") };
  }
  for (const k of Object.keys(p)) {
    if (!KNOWN_PARAMS.has(k))
      return { error: rpcError(id, -32602, `runCmds() got an unexpected keyword argument '${k}'`) };
  }
  if (p.version !== 1 && p.version !== 'latest') {
    return {
      error: rpcError(id, -32602, `Invalid params: version must be 1 or "latest", got ${JSON.stringify(p.version)}`),
    };
  }
  if (!Array.isArray(p.cmds) || p.cmds.length === 0)
    return { error: rpcError(id, -32602, "Invalid params: 'cmds' must be a non-empty list") };
  const cmds: CmdSpec[] = [];
  for (const c of p.cmds as unknown[]) {
    if (typeof c === 'string') cmds.push({ cmd: c });
    else if (typeof c === 'object' && c !== null && typeof (c as { cmd?: unknown }).cmd === 'string') {
      const o = c as { cmd: string; input?: unknown };
      if (o.input !== undefined && typeof o.input !== 'string')
        return { error: rpcError(id, -32602, "Invalid params: a command's 'input' must be a string") };
      cmds.push({ cmd: o.cmd, ...(o.input !== undefined ? { input: o.input } : {}) });
    } else {
      return { error: rpcError(id, -32602, "Invalid params: each command must be a string or an object with 'cmd'") };
    }
  }
  const format = p.format ?? 'json';
  if (format !== 'json' && format !== 'text')
    return {
      error: rpcError(id, -32602, `Invalid params: format must be "json" or "text", got ${JSON.stringify(format)}`),
    };
  for (const k of ['autoComplete', 'expandAliases', 'timestamps', 'stopOnError', 'includeErrorDetail', 'streaming']) {
    if (p[k] !== undefined && typeof p[k] !== 'boolean')
      return { error: rpcError(id, -32602, `Invalid params: '${k}' must be a boolean`) };
  }
  return {
    id,
    cmds,
    options: {
      format,
      autoComplete: p.autoComplete === true,
      expandAliases: p.expandAliases === true,
      timestamps: p.timestamps === true,
      stopOnError: p.stopOnError !== false,
    },
  };
}
