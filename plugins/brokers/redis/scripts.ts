import { ERROR_TABLE, typeOf } from '../../../core/errors.ts';
import { FIFO_QUEUE, HOST_QUEUE_PREFIX, JOB_EVENT_PREFIX } from '../../../core/jobs/names.ts';
import type { RedisKeys } from './keys.ts';

/**
 * Lua scripts: each multi-key state change of the broker is one script, so it is atomic across
 * every controller and node. Everything that is fixed for a broker — its static keys and key
 * prefixes (from {@link RedisKeys}), how many job events the stream keeps, and the names and texts
 * defined once in core ({@link scriptNames}: the FIFO queue, the host-queue prefix, the expired and
 * worker-lost error types and message templates, the job event type prefix) — is written into the
 * script text as constants by {@link buildScripts}, so a call sends only its own arguments (`A`):
 * 18 fixed arguments per call were a third of the client's and Redis's work per pinned job. Keys
 * are built inside the scripts from prefixes, which standalone Redis and Sentinel allow (Redis
 * Cluster, which needs declared keys, is not supported).
 *
 * Every job status change also appends `{t: event type, r: record JSON}` to the events stream, in
 * the same script, so an event exists exactly when the change happened — while the event log is
 * being read: readers keep a flag key alive (EVREAD, `EVENT_IDLE_MS` of the broker contract past the last read),
 * and a script checks it once per call. Nobody reading, no stream writes (three per job).
 *
 * Cost per job is mostly the number of `redis.call`s (each is several µs of Lua↔Redis conversion
 * on top of the command), so submission issues one variadic ZADD/RPUSH per call instead of one
 * per job, batch counts move only for `started` and the end status (`queued` is what is left of
 * `total`), a claim reads record and metadata in one HMGET and takes the request with GETDEL, and
 * the end of a started job neither deletes its request nor its deadline again (the claim did).
 * Job records are JSON in the `rec` field of the job hash; results and metadata are stored raw
 * (never re-encoded by cjson, which would turn `[]` into `{}`).
 */
const PRELUDE = `
local H2N, NINFO, JIDX, DEADL, HOSTQS, EVENTS, EVREAD = %KEYS%
local PJOB, PREQ, PQ, PALIVE, PHOSTS, PINBOX, PRUN, PREC, PBATCH, PBATCHJOBS = %PREFIXES%
local FIFOQ, HOSTQ, EXPIRED_TYPE, EXPIRED_MSG, LOST_TYPE, LOST_MSG, EVPREFIX = %NAMES%
local EVMAX = %EVMAX%
local A = ARGV

-- Fills the one '%s' of a message template from the coded error table.
local function fill(template, value) return (string.gsub(template, '%%s', function() return tostring(value) end, 1)) end

-- Whether anyone reads the event log (asked once per call).
local reading = nil
local function announce(status, recjson)
  if reading == nil then reading = redis.call('EXISTS', EVREAD) == 1 end
  if reading then redis.call('XADD', EVENTS, 'MAXLEN', '~', EVMAX, '*', 't', EVPREFIX .. status, 'r', recjson) end
end

-- Moves one job of a batch between status counts; 'queued' is not counted (total minus the rest).
local function moved(rec, from, to)
  local b = rec.batch_id
  if b and b ~= cjson.null then
    if from ~= 'queued' then redis.call('HINCRBY', PBATCH .. b, from, -1) end
    if to ~= 'queued' then redis.call('HINCRBY', PBATCH .. b, to, 1) end
  end
end

local function getrec(id)
  local r = redis.call('HGET', PJOB .. id, 'rec')
  if not r then return nil end
  return cjson.decode(r)
end

local function endjob(id, rec, now, status, result)
  local from = rec.status
  moved(rec, from, status)
  rec.status = status
  rec.ended_at = now
  local s = cjson.encode(rec)
  if result then redis.call('HSET', PJOB .. id, 'rec', s, 'result', result)
  else redis.call('HSET', PJOB .. id, 'rec', s) end
  announce(status, s)
  redis.call('EXPIRE', PJOB .. id, rec.result_ttl)
  -- A started job's request and deadline went with its claim.
  if from == 'queued' then
    redis.call('DEL', PREQ .. id)
    redis.call('ZREM', DEADL, id)
  end
end

local function failjob(id, rec, now, etype, emsg)
  endjob(id, rec, now, 'failed', cjson.encode({type = 2, retval = cjson.null, error = {type = etype, message = emsg}}))
end

local function expired_msg(rec) return fill(EXPIRED_MSG, rec.ttl) end

-- Claims an already-popped job id; returns the claim tuple or nil (canceled, expired, gone).
local function claim_id(id, node, worker, now)
  local got = redis.call('HMGET', PJOB .. id, 'rec', 'meta')
  if not got[1] then return nil end
  local rec = cjson.decode(got[1])
  if rec.status ~= 'queued' then return nil end
  if now > rec.enqueued_at + rec.ttl * 1000 then
    failjob(id, rec, now, EXPIRED_TYPE, expired_msg(rec))
    return nil
  end
  local req = redis.call('GETDEL', PREQ .. id)
  if not req then return nil end
  moved(rec, 'queued', 'started')
  rec.status = 'started'
  rec.started_at = now
  rec.worker = worker
  rec.node = node
  local s = cjson.encode(rec)
  redis.call('HSET', PJOB .. id, 'rec', s)
  announce('started', s)
  redis.call('SADD', PRUN .. node, id)
  redis.call('ZREM', DEADL, id)
  return {id, s, req, got[2] or '{}'}
end

-- Pops up to n ids of a queue and claims them in order; returns the claim tuples.
local function claim(qname, node, worker, now, n)
  local out = {}
  while #out < n do
    local ids = redis.call('LPOP', PQ .. qname, n - #out)
    if not ids then break end
    for _, id in ipairs(ids) do
      local c = claim_id(id, node, worker, now)
      if c then out[#out + 1] = c end
    end
  end
  return out
end

-- Appends a list to a key with one variadic command per 1000 values (Lua's unpack has a limit).
local function pushall(cmd, key, values)
  for i = 1, #values, 1000 do
    redis.call(cmd, key, unpack(values, i, math.min(i + 999, #values)))
  end
end

-- Stores, indexes and queues the jobs whose fields start at the given offsets of A, in order: each
-- A[off..off+9] = id, rec, meta, req, queue, created_at, req_ttl_s, job_expire_s, deadline_ms,
-- batch ('' = none).
local function store(offs)
  local idx, dl, queues, batches = {}, {}, {}, {}
  for _, off in ipairs(offs) do
    local id = A[off]
    local expire = tonumber(A[off + 7])
    redis.call('HSET', PJOB .. id, 'rec', A[off + 1], 'meta', A[off + 2])
    redis.call('EXPIRE', PJOB .. id, expire)
    redis.call('SET', PREQ .. id, A[off + 3], 'EX', tonumber(A[off + 6]))
    idx[#idx + 1] = A[off + 5]
    idx[#idx + 1] = id
    dl[#dl + 1] = A[off + 8]
    dl[#dl + 1] = id
    local q = queues[A[off + 4]]
    if not q then q = {}; queues[A[off + 4]] = q end
    q[#q + 1] = id
    local b = A[off + 9]
    if b ~= '' then
      local bt = batches[b]
      if not bt then bt = {created = A[off + 5], expire = expire, ids = {}}; batches[b] = bt end
      bt.ids[#bt.ids + 1] = id
    end
  end
  if #offs == 0 then return end
  pushall('ZADD', JIDX, idx)
  pushall('ZADD', DEADL, dl)
  for qname, ids in pairs(queues) do pushall('RPUSH', PQ .. qname, ids) end
  for b, bt in pairs(batches) do
    local bk, bjobs = PBATCH .. b, PBATCHJOBS .. b
    pushall('RPUSH', bjobs, bt.ids)
    -- Jobs of one bulk request share their limits: the first one sets how long the batch lives.
    if redis.call('HSETNX', bk, 'created_at', bt.created) == 1 then
      redis.call('EXPIRE', bk, bt.expire)
      redis.call('EXPIRE', bjobs, bt.expire)
    end
    redis.call('HINCRBY', bk, 'total', #bt.ids)
  end
  for _, off in ipairs(offs) do announce('queued', A[off + 1]) end
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
local n, offs = tonumber(A[1]), {}
for i = 0, n - 1 do offs[#offs + 1] = 2 + i * 10 end
store(offs)
return n`,
  /**
   * A = groups of 12: 10 store fields, host, candidate node ('' = none) → per job {'ok', owner,
   * assigned '1'|'0'} | {'dead_owner', owner} | {'unplaced'}. Jobs are placed in order, so a host
   * placed by an earlier job of the call has an owner for the later ones.
   */
  enqueuePinned: `
local out, offs, hosts, notes = {}, {}, {}, {}
for off = 1, #A, 12 do
  local host, cand = A[off + 10], A[off + 11]
  local owner = redis.call('HGET', H2N, host)
  local r
  if owner then
    if redis.call('EXISTS', PALIVE .. owner) == 0 then r = {'dead_owner', owner} else r = {'ok', owner, '0'} end
  elseif cand == '' or not has_room(cand) then
    r = {'unplaced'}
  else
    redis.call('HSET', H2N, host, cand)
    redis.call('SADD', PHOSTS .. cand, host)
    r = {'ok', cand, '1'}
  end
  if r[1] == 'ok' then
    offs[#offs + 1] = off
    hosts[#hosts + 1] = host
    local items = notes[r[2]]
    if not items then items = {}; notes[r[2]] = items end
    items[#items + 1] = 'h:' .. host
  end
  out[#out + 1] = r
end
store(offs)
if #hosts > 0 then pushall('SADD', HOSTQS, hosts) end
for owner, items in pairs(notes) do pushall('RPUSH', PINBOX .. owner, items) end
return out`,
  /** A = [node, slots, worker, now] → {inbox items, claimed fifo jobs} */
  pull: `
local node, slots, worker, now = A[1], tonumber(A[2]), A[3], tonumber(A[4])
local inbox = redis.call('LRANGE', PINBOX .. node, 0, 999)
if #inbox > 0 then redis.call('LTRIM', PINBOX .. node, #inbox, -1) end
local jobs = {}
if slots > 0 then jobs = claim(FIFOQ, node, worker, now, slots) end
return {inbox, jobs}`,
  /** A = [id, node, worker, now]: a FIFO id popped by BLPOP. */
  claimId: `
return claim_id(A[1], A[2], A[3], tonumber(A[4])) or false`,
  /** A = [node, now, then groups of (host, worker)] → per host its claim tuple, or false (none, or not its owner) */
  claimHost: `
local node, now, out = A[1], tonumber(A[2]), {}
for i = 3, #A, 2 do
  local c = false
  if redis.call('HGET', H2N, A[i]) == node then c = claim(HOSTQ .. A[i], node, A[i + 1], now, 1)[1] or false end
  out[#out + 1] = c
end
return out`,
  /** A = [now, then groups of (id, status, result_json)] → how many were started and are now ended */
  finish: `
local now, done = tonumber(A[1]), 0
for i = 2, #A, 3 do
  local id = A[i]
  local rec = getrec(id)
  if rec and rec.status == 'started' then
    local node = rec.node
    endjob(id, rec, now, A[i + 1], A[i + 2])
    if node and node ~= cjson.null then redis.call('SREM', PRUN .. node, id) end
    done = done + 1
  end
end
return done`,
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

/** Every script, with one broker's constants written in (see the header). */
export function buildScripts(k: RedisKeys, eventWindow: number): Record<ScriptName, string> {
  const list = (values: readonly string[]) => values.map(luaString).join(', ');
  const p = k.prefixes;
  // In the order of the PRELUDE's locals.
  const keys = [k.hostToNode, k.nodeInfo, k.jobIndex, k.deadlines, k.hostQueues, k.events, k.eventsRead];
  const prefixes = [
    p.job,
    p.request,
    p.queue,
    p.nodeAlive,
    p.nodeHosts,
    p.nodeInbox,
    p.nodeRunning,
    p.nodeRecord,
    p.batch,
    p.batchJobs,
  ];
  const prelude = PRELUDE.replace('%KEYS%', () => list(keys))
    .replace('%PREFIXES%', () => list(prefixes))
    .replace('%NAMES%', () => list(scriptNames()))
    .replace('%EVMAX%', () => String(Math.max(1, Math.floor(eventWindow))));
  return Object.fromEntries(Object.entries(BODIES).map(([k, v]) => [k, prelude + v])) as Record<ScriptName, string>;
}
