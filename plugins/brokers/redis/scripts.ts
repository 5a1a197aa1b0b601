import { ERROR_TABLE, typeOf } from '../../../core/errors.ts';
import { FIFO_QUEUE, HOST_QUEUE_PREFIX, JOB_EVENT_PREFIX } from '../../../core/jobs/names.ts';

/**
 * Lua scripts: each multi-key state change of the broker is one script, so it is atomic across
 * every controller and node. Conventions: KEYS = the six static keys of {@link staticKeys};
 * ARGV[1..8] = key prefixes (job, req, queue, alive, hosts, inbox, running, record);
 * ARGV[9..10] = the batch and batch-jobs key prefixes; ARGV[11] = how many job events the stream
 * keeps; the script's own arguments follow as `A[1..]`. The names and texts defined once in core
 * ({@link scriptNames}: the FIFO queue, the host-queue prefix, the expired and worker-lost error
 * types and message templates, the job event type prefix) are written into the script text as
 * constants, so they are not sent (and parsed by Redis) again with every call. Every job status change also
 * appends `{t: event type, r: record JSON}` to the events stream, in the same script, so an event
 * exists exactly when the change happened. Job records are JSON in the `rec` field of the job hash;
 * results and metadata are stored raw (never re-encoded by cjson, which would turn `[]` into `{}`).
 */
const PRELUDE = `
local H2N, NINFO, JIDX, DEADL, HOSTQS, EVENTS = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6]
local PJOB, PREQ, PQ, PALIVE, PHOSTS, PINBOX, PRUN, PREC = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6], ARGV[7], ARGV[8]
local FIFOQ, HOSTQ, EXPIRED_TYPE, EXPIRED_MSG, LOST_TYPE, LOST_MSG, EVPREFIX = %NAMES%
local PBATCH, PBATCHJOBS, EVMAX = ARGV[9], ARGV[10], ARGV[11]
local A = {}
for i = 12, #ARGV do A[#A + 1] = ARGV[i] end

-- Fills the one '%s' of a message template from the coded error table.
local function fill(template, value) return (string.gsub(template, '%%s', function() return tostring(value) end, 1)) end

local function announce(status, recjson)
  redis.call('XADD', EVENTS, 'MAXLEN', '~', EVMAX, '*', 't', EVPREFIX .. status, 'r', recjson)
end

-- Moves one job of a batch from one status count to another.
local function moved(rec, from, to)
  local b = rec.batch_id
  if b and b ~= cjson.null then
    redis.call('HINCRBY', PBATCH .. b, from, -1)
    redis.call('HINCRBY', PBATCH .. b, to, 1)
  end
end

local function getrec(id)
  local r = redis.call('HGET', PJOB .. id, 'rec')
  if not r then return nil end
  return cjson.decode(r)
end
local function putrec(id, rec)
  local s = cjson.encode(rec)
  redis.call('HSET', PJOB .. id, 'rec', s)
  return s
end

local function endjob(id, rec, now, status, result)
  moved(rec, rec.status, status)
  rec.status = status
  rec.ended_at = now
  local s = putrec(id, rec)
  if result then redis.call('HSET', PJOB .. id, 'result', result) end
  announce(status, s)
  redis.call('EXPIRE', PJOB .. id, rec.result_ttl)
  redis.call('DEL', PREQ .. id)
  redis.call('ZREM', DEADL, id)
end

local function failjob(id, rec, now, etype, emsg)
  endjob(id, rec, now, 'failed', cjson.encode({type = 2, retval = cjson.null, error = {type = etype, message = emsg}}))
end

local function expired_msg(rec) return fill(EXPIRED_MSG, rec.ttl) end

-- Claims an already-popped job id; returns the claim tuple or nil (canceled, expired, gone).
local function claim_id(id, node, worker, now)
  local rec = getrec(id)
  if not rec or rec.status ~= 'queued' then return nil end
  if now > rec.enqueued_at + rec.ttl * 1000 then
    failjob(id, rec, now, EXPIRED_TYPE, expired_msg(rec))
    return nil
  end
  local req = redis.call('GET', PREQ .. id)
  redis.call('DEL', PREQ .. id)
  if not req then return nil end
  moved(rec, 'queued', 'started')
  rec.status = 'started'
  rec.started_at = now
  rec.worker = worker
  rec.node = node
  local s = putrec(id, rec)
  announce('started', s)
  redis.call('SADD', PRUN .. node, id)
  redis.call('ZREM', DEADL, id)
  return {id, s, req, redis.call('HGET', PJOB .. id, 'meta') or '{}'}
end

local function claim(qname, node, worker, now)
  while true do
    local id = redis.call('LPOP', PQ .. qname)
    if not id then return nil end
    local c = claim_id(id, node, worker, now)
    if c then return c end
  end
end

-- A[off..off+9] = id, rec, meta, req, queue, created_at, req_ttl_s, job_expire_s, deadline_ms, batch ('' = none)
local function store(off)
  local id = A[off]
  local expire = tonumber(A[off + 7])
  redis.call('HSET', PJOB .. id, 'rec', A[off + 1], 'meta', A[off + 2])
  redis.call('EXPIRE', PJOB .. id, expire)
  redis.call('SET', PREQ .. id, A[off + 3], 'EX', tonumber(A[off + 6]))
  redis.call('ZADD', JIDX, tonumber(A[off + 5]), id)
  redis.call('ZADD', DEADL, tonumber(A[off + 8]), id)
  redis.call('RPUSH', PQ .. A[off + 4], id)
  local b = A[off + 9]
  if b ~= '' then
    local bk, bjobs = PBATCH .. b, PBATCHJOBS .. b
    -- Jobs of one bulk request share their limits: the first one sets how long the batch lives.
    redis.call('RPUSH', bjobs, id)
    if redis.call('HSETNX', bk, 'created_at', A[off + 5]) == 1 then
      redis.call('EXPIRE', bk, expire)
      redis.call('EXPIRE', bjobs, expire)
    end
    redis.call('HINCRBY', bk, 'total', 1)
    redis.call('HINCRBY', bk, 'queued', 1)
  end
  announce('queued', A[off + 1])
end

local function has_room(node)
  if redis.call('EXISTS', PALIVE .. node) == 0 then return false end
  local info = redis.call('HGET', NINFO, node)
  if not info then return false end
  return redis.call('SCARD', PHOSTS .. node) < cjson.decode(info).capacity
end

local function unregister(node)
  for _, h in ipairs(redis.call('SMEMBERS', PHOSTS .. node)) do
    if redis.call('HGET', H2N, h) == node then redis.call('HDEL', H2N, h) end
  end
  redis.call('DEL', PHOSTS .. node, PINBOX .. node, PALIVE .. node, PREC .. node)
  redis.call('HDEL', NINFO, node)
end
`;

const BODIES = {
  /** A = [n, then n groups of 10 store fields] → FIFO jobs stored and queued in order. */
  enqueueFifo: `
local n = tonumber(A[1])
for i = 0, n - 1 do store(2 + i * 10) end
return n`,
  /** A = [10 store fields, host, candidate ('' = none)] */
  enqueuePinned: `
local host, cand = A[11], A[12]
local owner = redis.call('HGET', H2N, host)
local assigned = '0'
if owner then
  if redis.call('EXISTS', PALIVE .. owner) == 0 then return {'dead_owner', owner} end
else
  if cand == '' or not has_room(cand) then return {'unplaced'} end
  redis.call('HSET', H2N, host, cand)
  redis.call('SADD', PHOSTS .. cand, host)
  owner = cand
  assigned = '1'
end
store(1)
redis.call('SADD', HOSTQS, host)
redis.call('RPUSH', PINBOX .. owner, 'h:' .. host)
return {'ok', owner, assigned}`,
  /** A = [node, slots, worker, now] → {inbox items, claimed fifo jobs} */
  pull: `
local node, slots, worker, now = A[1], tonumber(A[2]), A[3], tonumber(A[4])
local inbox = redis.call('LRANGE', PINBOX .. node, 0, 999)
if #inbox > 0 then redis.call('LTRIM', PINBOX .. node, #inbox, -1) end
local jobs = {}
for i = 1, slots do
  local c = claim(FIFOQ, node, worker, now)
  if not c then break end
  jobs[#jobs + 1] = c
end
return {inbox, jobs}`,
  /** A = [id, node, worker, now]: a FIFO id popped by BLPOP. */
  claimId: `
return claim_id(A[1], A[2], A[3], tonumber(A[4])) or false`,
  /** A = [host, node, worker, now] */
  claimHost: `
if redis.call('HGET', H2N, A[1]) ~= A[2] then return false end
return claim(HOSTQ .. A[1], A[2], A[3], tonumber(A[4])) or false`,
  /** A = [id, status, result_json, now] */
  finish: `
local rec = getrec(A[1])
if not rec or rec.status ~= 'started' then return 0 end
local node = rec.node
endjob(A[1], rec, tonumber(A[4]), A[2], A[3])
if node and node ~= cjson.null then redis.call('SREM', PRUN .. node, A[1]) end
return 1`,
  /** A = [now, ids…] → canceled ids */
  cancel: `
local out = {}
local now = tonumber(A[1])
for i = 2, #A do
  local id = A[i]
  local rec = getrec(id)
  if rec and rec.status == 'queued' then
    redis.call('LREM', PQ .. rec.queue, 1, id)
    endjob(id, rec, now, 'canceled', nil)
    out[#out + 1] = id
  end
end
return out`,
  /** A = [host, node, force] */
  release: `
if redis.call('HGET', H2N, A[1]) ~= A[2] then return 1 end
if A[3] ~= '1' and redis.call('LLEN', PQ .. HOSTQ .. A[1]) > 0 then return 0 end
redis.call('HDEL', H2N, A[1])
redis.call('SREM', PHOSTS .. A[2], A[1])
return 1`,
  /** A = [node, info_json_without_count, record_json, ttl_ms] */
  heartbeat: `
local info = cjson.decode(A[2])
info.count = redis.call('SCARD', PHOSTS .. A[1])
redis.call('HSET', NINFO, A[1], cjson.encode(info))
redis.call('SET', PREC .. A[1], A[3])
redis.call('SET', PALIVE .. A[1], '1', 'PX', tonumber(A[4]))
return 1`,
  /** A = [node] */
  unregister: `
unregister(A[1])
return 1`,
  /** A = [node, now, force] → ids failed as worker lost (nothing if the node is alive, unless forced) */
  reap: `
local node, now = A[1], tonumber(A[2])
if A[3] ~= '1' and redis.call('EXISTS', PALIVE .. node) == 1 then return {} end
local out = {}
for _, id in ipairs(redis.call('SMEMBERS', PRUN .. node)) do
  local rec = getrec(id)
  if rec and rec.status == 'started' then
    failjob(id, rec, now, LOST_TYPE, fill(LOST_MSG, node))
    out[#out + 1] = id
  end
end
redis.call('DEL', PRUN .. node)
unregister(node)
return out`,
  /** A = [now, ids…] → ids failed because their queue ttl passed */
  expire: `
local now = tonumber(A[1])
local out = {}
for i = 2, #A do
  local id = A[i]
  local rec = getrec(id)
  if rec and rec.status == 'queued' then
    if now > rec.enqueued_at + rec.ttl * 1000 then
      redis.call('LREM', PQ .. rec.queue, 1, id)
      failjob(id, rec, now, EXPIRED_TYPE, expired_msg(rec))
      out[#out + 1] = id
    end
  else
    redis.call('ZREM', DEADL, id)
  end
end
return out`,
  /** A = [cursor, count] → {next cursor, orphan hosts} */
  orphans: `
local r = redis.call('SSCAN', HOSTQS, A[1], 'COUNT', tonumber(A[2]))
local out = {}
for _, h in ipairs(r[2]) do
  if redis.call('LLEN', PQ .. HOSTQ .. h) == 0 then
    redis.call('SREM', HOSTQS, h)
  elseif redis.call('HEXISTS', H2N, h) == 0 then
    out[#out + 1] = h
  end
end
return {r[1], out}`,
  /** A = [host, node] */
  adopt: `
if redis.call('HEXISTS', H2N, A[1]) == 1 then return 0 end
if not has_room(A[2]) then return 0 end
redis.call('HSET', H2N, A[1], A[2])
redis.call('SADD', PHOSTS .. A[2], A[1])
redis.call('RPUSH', PINBOX .. A[2], 'h:' .. A[1])
return 1`,
} as const;

export type ScriptName = keyof typeof BODIES;

/** Constants of every script (see the header): names and texts whose only definition is in core. */
export function scriptNames(): string[] {
  const expired = ERROR_TABLE.NP_ERR_JOB_EXPIRED.message;
  const lost = ERROR_TABLE.NP_ERR_WORKER_LOST.message;
  return [
    FIFO_QUEUE,
    HOST_QUEUE_PREFIX,
    typeOf('NP_ERR_JOB_EXPIRED'),
    expired,
    typeOf('NP_ERR_WORKER_LOST'),
    lost,
    JOB_EVENT_PREFIX,
  ];
}
/** A Lua string literal of any text: printable ASCII as is, every other byte as a `\ddd` escape. */
export function luaString(text: string): string {
  let out = '"';
  for (const b of Buffer.from(text, 'utf8')) {
    out +=
      b >= 0x20 && b < 0x7f && b !== 0x22 && b !== 0x5c ? String.fromCharCode(b) : `\\${String(b).padStart(3, '0')}`;
  }
  return `${out}"`;
}

const PRELUDE_WITH_NAMES = PRELUDE.replace('%NAMES%', () => scriptNames().map(luaString).join(', '));

export const SCRIPTS: Record<ScriptName, string> = Object.fromEntries(
  Object.entries(BODIES).map(([k, v]) => [k, PRELUDE_WITH_NAMES + v]),
) as Record<ScriptName, string>;
