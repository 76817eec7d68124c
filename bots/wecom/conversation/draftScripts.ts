/**
 * Lua scripts for the draft store. Each runs atomically in Redis, so two messages arriving at the
 * same moment (a photo and its caption) never lose one another. KEYS[1] is the draft's hash,
 * KEYS[2] the list of its pieces (JSON): the sender's current draft, or a parked one. Every
 * script that returns a draft returns `{HGETALL, LRANGE}` after its change.
 */

const SNAPSHOT = `local function snapshot() return {redis.call('HGETALL', KEYS[1]), redis.call('LRANGE', KEYS[2], 0, -1)} end
local function touch(ttl) redis.call('PEXPIRE', KEYS[1], ttl); redis.call('PEXPIRE', KEYS[2], ttl) end`;

/**
 * ARGV: now, gather window ms, ttl ms, id for a new draft, piece JSON, answer text, '1' when the
 * piece can answer our question about the place (text or location), the message's dedupe key,
 * and the id of a current draft to park (or ''). KEYS[3], KEYS[4]: where that draft is parked.
 * A piece joins the current draft when it is still gathering and either the last piece is within
 * the window or we are waiting for the answer to our question. A message seen before (a retried
 * job) is not added twice. A parked draft keeps its card working until it expires.
 */
export const APPEND = `${SNAPSHOT}
local now = tonumber(ARGV[1])
if redis.call('HEXISTS', KEYS[1], 'seen:' .. ARGV[8]) == 1 then return snapshot() end
local state = redis.call('HGET', KEYS[1], 'state')
if ARGV[9] ~= '' and state == 'gathering' and redis.call('HGET', KEYS[1], 'id') == ARGV[9] then
  redis.call('RENAME', KEYS[1], KEYS[3])
  if redis.call('EXISTS', KEYS[2]) == 1 then redis.call('RENAME', KEYS[2], KEYS[4]) end
  state = false
end
local fresh = true
if state == 'gathering' then
  local last = tonumber(redis.call('HGET', KEYS[1], 'lastPieceAt') or '0')
  local awaiting = redis.call('HGET', KEYS[1], 'awaitingPlace')
  fresh = (now - last > tonumber(ARGV[2])) and awaiting ~= '1'
end
if fresh then
  redis.call('DEL', KEYS[1], KEYS[2])
  redis.call('HSET', KEYS[1], 'id', ARGV[4], 'state', 'gathering', 'startedAt', ARGV[1])
end
if ARGV[7] == '1' and redis.call('HGET', KEYS[1], 'awaitingPlace') == '1' then
  redis.call('HDEL', KEYS[1], 'awaitingPlace')
  if ARGV[6] ~= '' then redis.call('HSET', KEYS[1], 'placeAnswer', ARGV[6]) end
end
redis.call('RPUSH', KEYS[2], ARGV[5])
redis.call('HSET', KEYS[1], 'lastPieceAt', ARGV[1], 'seen:' .. ARGV[8], '1')
touch(ARGV[3])
return snapshot()`;

/** ARGV: draft id, field, value, ttl ms. Only a gathering draft with that id changes. */
export const SET_FIELD = `${SNAPSHOT}
if redis.call('HGET', KEYS[1], 'id') ~= ARGV[1] or redis.call('HGET', KEYS[1], 'state') ~= 'gathering' then return {'stale'} end
redis.call('HSET', KEYS[1], ARGV[2], ARGV[3])
touch(ARGV[4])
local s = snapshot()
return {'ok', s[1], s[2]}`;

/**
 * ARGV: draft id, the claiming tap's key ('' for none), now (ms), lease ms. Moves a gathering draft
 * to `confirming`, held by that tap; answers how it found the draft. The same tap again (its job
 * re-run after the worker died mid-confirmation) resumes it, `confirming` or already `confirmed`; a
 * `confirming` draft whose holder has not finished within the lease is taken over by another tap.
 */
export const CLAIM = `${SNAPSHOT}
if redis.call('HGET', KEYS[1], 'id') ~= ARGV[1] then return {'stale'} end
local state = redis.call('HGET', KEYS[1], 'state')
local s = snapshot()
local holder = redis.call('HGET', KEYS[1], 'claimedBy')
if ARGV[2] ~= '' and holder == ARGV[2] and (state == 'confirming' or state == 'confirmed') then return {'resumed', s[1], s[2]} end
local since = tonumber(redis.call('HGET', KEYS[1], 'claimedAt') or '0')
if state == 'confirming' and tonumber(ARGV[3]) - since > tonumber(ARGV[4]) then
  redis.call('HSET', KEYS[1], 'claimedBy', ARGV[2], 'claimedAt', ARGV[3])
  return {'resumed', s[1], s[2]}
end
if state ~= 'gathering' then return {state, s[1], s[2]} end
redis.call('HSET', KEYS[1], 'state', 'confirming', 'claimedBy', ARGV[2], 'claimedAt', ARGV[3])
return {'claimed', s[1], s[2]}`;

/** ARGV: draft id, case number, ttl ms. */
export const FINISH = `${SNAPSHOT}
if redis.call('HGET', KEYS[1], 'id') ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'state', 'confirmed', 'caseNumber', ARGV[2])
touch(ARGV[3])
return 1`;

/** ARGV: draft id. Gives a draft back after creating its case failed, so the tap can be retried. */
export const RELEASE = `if redis.call('HGET', KEYS[1], 'id') ~= ARGV[1] then return 0 end
if redis.call('HGET', KEYS[1], 'state') == 'confirming' then redis.call('HSET', KEYS[1], 'state', 'gathering') end
return 1`;

/** ARGV: draft id, or '' for whichever draft is current. Answers none | stale | confirmed | cancelled. */
export const CANCEL = `local id = redis.call('HGET', KEYS[1], 'id')
if not id then return 'none' end
if ARGV[1] ~= '' and id ~= ARGV[1] then return 'stale' end
local state = redis.call('HGET', KEYS[1], 'state')
if state ~= 'gathering' then return state end
redis.call('DEL', KEYS[1], KEYS[2])
return 'cancelled'`;

/** ARGV: draft id. Removes the draft and answers it (for settling a department's feedback). */
export const TAKE = `${SNAPSHOT}
if redis.call('HGET', KEYS[1], 'id') ~= ARGV[1] or redis.call('HGET', KEYS[1], 'state') ~= 'gathering' then return {'stale'} end
local s = snapshot()
redis.call('DEL', KEYS[1], KEYS[2])
return {'ok', s[1], s[2]}`;
