import { ErrorCode, type JobState } from 'bullmq';
import type { RedisClient } from '../../infra/redis';
import type { OutboundMessage } from '../../bots/wecom/messages';
import { memberOrderKey, memberOrderSeqKey, sentLedgerKey } from './names';

/**
 * The members whose messages must keep their order: the named members (`touser`) of an app message.
 * Departments, tags, app chats, robots and card updates have no per-member order.
 */
export function orderedMembersOf(message: OutboundMessage): string[] {
  if (message.channel !== 'app' || !message.body.touser) return [];
  return [...new Set(message.body.touser.split('|'))];
}

/** How long a line's keys live untouched (a member nobody writes to for a week leaves nothing behind). */
const LINE_TTL_MS = 7 * 24 * 3600 * 1000;

// Every member has a line: a sorted set of job ids, scored by a place drawn from one counter for
// the whole outbox, so a job has the same place in each of its members' lines and no two jobs can
// wait for each other. The head of a line is the member's next message; beside it a hash holds the
// head's lease (epoch ms): how long it may be processed before the next ones stop waiting for it.

// Producer: the job was just added. KEYS[1] = counter, KEYS[2] = the job's BullMQ hash, KEYS[3..] = lines.
// A job that already finished (the same idempotency key queued again) takes no place: it will never run.
const REGISTER = `
if redis.call('EXISTS', KEYS[2]) == 0 or redis.call('HEXISTS', KEYS[2], 'finishedOn') == 1 then return 0 end
local missing = false
for i = 3, #KEYS do if not redis.call('ZSCORE', KEYS[i], ARGV[1]) then missing = true end end
if missing then
  local place = redis.call('INCR', KEYS[1])
  for i = 3, #KEYS do redis.call('ZADD', KEYS[i], 'NX', place, ARGV[1]) end
end
for i = 3, #KEYS do redis.call('PEXPIRE', KEYS[i], ARGV[2]) end
return 1
`;

// A line's head has just left it: the new head, if any, gets a lease from now. Answers the new head when it
// is parked in the queue's delayed set (to wake), else nil.
const HAND_OVER = `
local function handOver(line, leases, delayed, now, lease)
  local next = redis.call('ZRANGE', line, 0, 0)[1]
  if not next then return nil end
  redis.call('HSET', leases, next, now + lease)
  if redis.call('ZSCORE', delayed, next) then return next end
  return nil
end
`;

// Worker: is this job the head of every line? KEYS[1] = counter, then n lines, then their n lease hashes,
// then the queue's delayed set and the message's sent-ledger key.
// A job missing from any of its lines (never registered, or skipped) takes a fresh place at the end of
// all of them, so its places stay equal. The head renews its lease; a head met without one gets one now.
// Answers { blockers: [line index, head, its lease, the job right ahead of this one]..., woken: parked
// heads that took over from this job, 1 if the message was sent already }.
const CLAIM = `${HAND_OVER}
local n = (#KEYS - 3) / 2
local delayed, sent = KEYS[#KEYS - 1], KEYS[#KEYS]
local id, now, lease, ttl = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), ARGV[4]
local woken = {}
local present = 0
for i = 1, n do if redis.call('ZSCORE', KEYS[1 + i], id) then present = present + 1 end end
if present < n then
  local place = redis.call('INCR', KEYS[1])
  for i = 1, n do
    local line, leases = KEYS[1 + i], KEYS[1 + n + i]
    local head = redis.call('ZRANGE', line, 0, 0)[1]
    redis.call('ZADD', line, place, id)
    if head == id then
      redis.call('HDEL', leases, id)
      local next = handOver(line, leases, delayed, now, lease)
      if next and next ~= id then table.insert(woken, next) end
    end
  end
end
local blockers = {}
for i = 1, n do
  local line, leases = KEYS[1 + i], KEYS[1 + n + i]
  local head = redis.call('ZRANGE', line, 0, 0)[1]
  if head == id then
    redis.call('HSET', leases, id, now + lease)
  else
    local untilAt = redis.call('HGET', leases, head)
    if not untilAt then
      untilAt = tostring(now + lease)
      redis.call('HSET', leases, head, untilAt)
    end
    local place = redis.call('ZSCORE', line, id)
    local ahead = redis.call('ZREVRANGEBYSCORE', line, '(' .. place, '-inf', 'LIMIT', 0, 1)[1]
    table.insert(blockers, tostring(i - 1))
    table.insert(blockers, head)
    table.insert(blockers, untilAt)
    table.insert(blockers, ahead)
  end
  redis.call('PEXPIRE', line, ttl)
  redis.call('PEXPIRE', leases, ttl)
end
return { blockers, woken, redis.call('EXISTS', sent) }
`;

// The job is done with its lines (sent, dropped, finally failed). KEYS = n lines, then their lease hashes,
// then the queue's delayed set. Answers the parked heads that took over from it (to wake).
const LEAVE = `${HAND_OVER}
local n = (#KEYS - 1) / 2
local id, now, lease = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3])
local woken = {}
for i = 1, n do
  local line, leases = KEYS[i], KEYS[n + i]
  local head = redis.call('ZRANGE', line, 0, 0)[1]
  redis.call('ZREM', line, id)
  redis.call('HDEL', leases, id)
  if head == id then
    local next = handOver(line, leases, KEYS[#KEYS], now, lease)
    if next then table.insert(woken, next) end
  end
end
return woken
`;

// Takes a head out of its line, if it still is the head (and, for an expired lease, still has that lease).
// KEYS[1] = line, KEYS[2] = its lease hash, KEYS[3] = the queue's delayed set. Answers the new head when
// it is parked (to wake), '' when it is not or the line is empty, or false.
const SKIP = `${HAND_OVER}
local head = redis.call('ZRANGE', KEYS[1], 0, 0)[1]
if head ~= ARGV[1] then return false end
if ARGV[2] ~= '' and redis.call('HGET', KEYS[2], head) ~= ARGV[2] then return false end
redis.call('ZREM', KEYS[1], head)
redis.call('HDEL', KEYS[2], head)
return handOver(KEYS[1], KEYS[2], KEYS[3], tonumber(ARGV[3]), tonumber(ARGV[4])) or ''
`;

/** What the lines need of the outbox's BullMQ queue. */
export interface LinesQueue {
  toKey(type: string): string;
  getJobState(jobId: string): Promise<JobState | 'unknown'>;
  getJob(jobId: string): Promise<{ promote(): Promise<void> } | undefined>;
}

/** A job ahead of this one in one of its members' lines. */
export interface LineBlocker {
  member: string;
  headJobId: string;
  /** Until when (epoch ms) the head may be processed before the line stops waiting for it. */
  leaseUntil: number;
  /** The job right ahead of this one (the head itself, or one between). */
  aheadJobId: string;
}

/** Why a head was taken out of its line without having been sent. */
export type SkipReason = 'completed' | 'failed' | 'missing' | 'lease-expired';

/**
 * Per member, the order in which their messages go out, shared by every producer and worker through
 * Redis. A message joins its members' lines when it is queued; only the head of every one of its lines
 * may be sent, and it leaves them once its send is recorded (or it is dropped or finally fails), which
 * wakes the next. A head whose job is gone, or that is being processed past its lease, is skipped.
 */
export class MemberOrder {
  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
    private readonly queue: LinesQueue,
    /** How long a head may be processed (from its latest claim) before the line stops waiting for it. */
    readonly leaseMs: number,
  ) {}

  /** Right after queueing: the job takes its place at the end of its members' lines (unless it already finished). */
  async register(jobId: string, members: readonly string[]): Promise<void> {
    if (members.length === 0) return;
    await this.redis.eval(REGISTER, 2 + members.length, memberOrderSeqKey(this.prefix), this.queue.toKey(jobId), ...members.map((m) => this.lineKey(m)), jobId, LINE_TTL_MS);
  }

  /**
   * Whether the job heads all its members' lines (renewing its lease there); otherwise who is ahead. Also
   * whether its message (`idempotencyKey`) was sent already, and the parked jobs to wake that took over
   * from it (when it moved to the end of its lines).
   */
  async claim(jobId: string, idempotencyKey: string, members: readonly string[], now = Date.now()): Promise<{ blockers: LineBlocker[]; woken: string[]; sent: boolean }> {
    const keys = [memberOrderSeqKey(this.prefix), ...members.map((m) => this.lineKey(m)), ...members.map((m) => this.leaseKey(m)), this.queue.toKey('delayed'), sentLedgerKey(this.prefix, idempotencyKey)];
    const [flat, woken, sent] = (await this.redis.eval(CLAIM, keys.length, ...keys, jobId, now, this.leaseMs, LINE_TTL_MS)) as [string[], string[], number];
    const blockers: LineBlocker[] = [];
    for (let i = 0; i + 3 < flat.length; i += 4) {
      blockers.push({ member: members[Number(flat[i])] ?? '', headJobId: String(flat[i + 1]), leaseUntil: Number(flat[i + 2]), aheadJobId: String(flat[i + 3]) });
    }
    return { blockers, woken, sent: sent === 1 };
  }

  /** The job no longer holds its members' lines; answers the heads that took over (to wake them). */
  async leave(jobId: string, members: readonly string[], now = Date.now()): Promise<string[]> {
    if (members.length === 0) return [];
    const keys = [...members.map((m) => this.lineKey(m)), ...members.map((m) => this.leaseKey(m)), this.queue.toKey('delayed')];
    return (await this.redis.eval(LEAVE, keys.length, ...keys, jobId, now, this.leaseMs)) as string[];
  }

  /**
   * Takes `blocker` out of its line if it is still the head there (for an expired lease: with the same lease).
   * Answers the new head ('' for none), or undefined when the line moved on meanwhile.
   */
  async skip(blocker: LineBlocker, reason: SkipReason, now = Date.now()): Promise<string | undefined> {
    const expected = reason === 'lease-expired' ? String(blocker.leaseUntil) : '';
    const next = (await this.redis.eval(SKIP, 3, this.lineKey(blocker.member), this.leaseKey(blocker.member), this.queue.toKey('delayed'), blocker.headJobId, expected, now, this.leaseMs)) as string | null;
    return next ?? undefined;
  }

  /** Why the line need not wait for this head any longer, if so: its job is gone or finished, or stuck past its lease. */
  async staleness(blocker: LineBlocker, now = Date.now()): Promise<SkipReason | undefined> {
    const state = await this.queue.getJobState(blocker.headJobId);
    if (state === 'unknown') return 'missing';
    if (state === 'completed' || state === 'failed') return state;
    if (state === 'active' && blocker.leaseUntil < now) return 'lease-expired';
    return undefined;
  }

  /** Wakes jobs parked in the delayed set to wait for their turn; one no longer parked (woken already, gone) needs no waking. */
  async wake(jobIds: readonly string[]): Promise<void> {
    for (const jobId of jobIds) {
      if (!jobId) continue;
      const job = await this.queue.getJob(jobId);
      try {
        await job?.promote();
      } catch (error) {
        const code = (error as { code?: unknown }).code;
        if (code !== ErrorCode.JobNotInState && code !== ErrorCode.JobNotExist) throw error;
      }
    }
  }

  /** Key of a member's line (digests replace and leave entries in it). */
  lineKey(member: string): string {
    return memberOrderKey(this.prefix, member);
  }

  leaseKey(member: string): string {
    return `${memberOrderKey(this.prefix, member)}:lease`;
  }
}
