import type { RedisClient } from '../../infra/redis';
import { text, toUsers, type OutboundMessage } from '../../bots/wecom/messages';
import { digestJobId, digestJobIdPrefix, memberDigestKey } from './names';

/** A message merged into a member's digest: its own idempotency key (marked sent with the digest) and the message itself. */
export interface DigestItem {
  idempotencyKey: string;
  message: OutboundMessage;
}

/** WeChat Work's limit on a text message's content, in bytes of UTF-8. */
export const TEXT_CONTENT_MAX_BYTES = 2048;

/** How long a slot's merged messages are kept at most (a digest job lost with a flushed Redis must not leak them forever). */
const ITEMS_TTL_MS = 7 * 24 * 3600 * 1000;

/**
 * The member of a message that may be merged into a digest: a plain text or markdown app message to
 * exactly one member. Cards never are (they carry buttons and are updated later by their task id),
 * nor are images, messages to departments or tags, or to several members (each has their own pace).
 */
export function digestibleMember(message: OutboundMessage): string | undefined {
  if (message.channel !== 'app') return undefined;
  const { body } = message;
  if (body.msgtype !== 'text' && body.msgtype !== 'markdown') return undefined;
  if (body.toparty || body.totag || !body.touser || body.touser.includes('|')) return undefined;
  return body.touser;
}

function contentOf(message: OutboundMessage): string {
  if (message.channel !== 'app') return '';
  const { body } = message;
  return body.msgtype === 'text' ? body.text.content : body.msgtype === 'markdown' ? body.markdown.content : '';
}

const digestText = (parts: string[]) => `【消息汇总】短时间内给您的消息较多，已合并为一条（共 ${parts.length} 条）：\n\n${parts.map((p, i) => `${i + 1}. ${p}`).join('\n\n')}`;

/**
 * The next message of a digest: as many of the oldest items as fit one text message (WeChat Work's
 * 2,048 bytes), as one numbered list; a single item goes out exactly as it was queued.
 */
export function nextDigestMessage(userId: string, items: readonly DigestItem[]): { message: OutboundMessage; items: DigestItem[] } {
  const first = items[0];
  if (!first) throw new Error('a digest needs at least one item');
  const taken = [first];
  for (const item of items.slice(1)) {
    if (Buffer.byteLength(digestText([...taken, item].map((i) => contentOf(i.message)))) > TEXT_CONTENT_MAX_BYTES) break;
    taken.push(item);
  }
  if (taken.length === 1) return { message: first.message, items: taken };
  return { message: toUsers([userId], text(digestText(taken.map((i) => contentOf(i.message))))), items: taken };
}

// KEYS[1] = the member's open-slot marker, KEYS[2] = the base of the slots' keys, KEYS[3] = the member's
// line (see memberOrder.ts), KEYS[4] = its lease hash.
const ADD_ITEM = `
local function add(at, key, item)
  local base = KEYS[2] .. ':' .. at
  if redis.call('SADD', base .. ':keys', key) == 1 then redis.call('RPUSH', base .. ':items', item) end
  redis.call('PEXPIRE', base .. ':keys', ARGV[1])
  redis.call('PEXPIRE', base .. ':items', ARGV[1])
end
local function behind(place)
  return redis.call('ZRANGEBYSCORE', KEYS[3], '(' .. place, '+inf', 'LIMIT', 0, 1)[1] or ''
end
`;

// Joins the open digest when it is right ahead of this job (ARGV[4]) in the member's line: every
// message between them has joined it already, so merging keeps the order. The job leaves the line.
// Answers { slot, the job behind it } or false.
const JOIN_BEHIND = `${ADD_ITEM}
local open = redis.call('GET', KEYS[1])
if not open then return false end
local place = redis.call('ZSCORE', KEYS[3], ARGV[4])
if not place then return false end
local ahead = redis.call('ZREVRANGEBYSCORE', KEYS[3], '(' .. place, '-inf', 'LIMIT', 0, 1)[1]
if ahead ~= ARGV[5] .. open then return false end
add(open, ARGV[2], ARGV[3])
redis.call('ZREM', KEYS[3], ARGV[4])
redis.call('HDEL', KEYS[4], ARGV[4])
return { open, behind(place) }
`;

// The head of the member's line (ARGV[6]) would have to wait: the digest job of slot ARGV[4] (ARGV[7])
// takes its place in the line, opened with its message. Answers { slot, the job behind it } or false when
// the job is no longer in the line.
const OPEN_IN_PLACE = `${ADD_ITEM}
local place = redis.call('ZSCORE', KEYS[3], ARGV[6])
if not place then return false end
redis.call('SET', KEYS[1], ARGV[4], 'PX', ARGV[5])
add(ARGV[4], ARGV[2], ARGV[3])
redis.call('ZREM', KEYS[3], ARGV[6])
redis.call('HDEL', KEYS[4], ARGV[6])
redis.call('ZADD', KEYS[3], place, ARGV[7])
redis.call('HSET', KEYS[4], ARGV[7], tonumber(ARGV[8]) + tonumber(ARGV[9]))
return { ARGV[4], behind(place) }
`;

// The digest job of slot ARGV[1] starts: what arrives from now on opens the next digest.
const CLOSE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
return 0
`;

/** Where the member's line is (memberOrder.ts): digests take and leave places in it. */
export interface MemberLines {
  lineKey(userId: string): string;
  leaseKey(userId: string): string;
  readonly leaseMs: number;
}

/**
 * Per member, the messages that had to wait for the member's pace, merged into one delivery per
 * slot. State lives in Redis (marker + per-slot list) and the slot's BullMQ job, so it survives a
 * restart; an item joins with its idempotency key, so a retried job never adds it twice. A digest
 * holds the place in the member's line of the message that opened it, and only the messages right
 * behind it join, so a digest never overtakes a card (or anything else) queued before one of its items.
 */
export class MemberDigests {
  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
    private readonly lines: MemberLines,
  ) {}

  /**
   * Adds the item to the member's open digest if that digest is right ahead of the job in the member's
   * line (the job then leaves the line): answers the slot and the job now behind the digest, or undefined.
   */
  async joinBehind(userId: string, jobId: string, item: DigestItem): Promise<{ at: number; behind: string } | undefined> {
    const answer = (await this.redis.eval(JOIN_BEHIND, 4, ...this.keys(userId), ITEMS_TTL_MS, item.idempotencyKey, JSON.stringify(item), jobId, digestJobIdPrefix(userId))) as [string, string] | null;
    return answer ? { at: Number(answer[0]), behind: answer[1] } : undefined;
  }

  /**
   * Opens the member's digest at `at` with this item, its job (`digestJobId`, queued first) taking the
   * place of `jobId` in the member's line: answers the job now behind the digest, or undefined when
   * `jobId` is no longer in the line.
   */
  async openInPlace(userId: string, at: number, jobId: string, item: DigestItem, now = Date.now()): Promise<{ behind: string } | undefined> {
    const markerTtl = Math.max(1, at - now) + 10 * 60_000;
    const answer = (await this.redis.eval(OPEN_IN_PLACE, 4, ...this.keys(userId), ITEMS_TTL_MS, item.idempotencyKey, JSON.stringify(item), at, markerTtl, jobId, digestJobId(userId, at), now, this.lines.leaseMs)) as [string, string] | null;
    return answer ? { behind: answer[1] } : undefined;
  }

  async close(userId: string, at: number): Promise<void> {
    await this.redis.eval(CLOSE, 1, this.keys(userId)[0], String(at));
  }

  /** The slot's items, oldest first, each with its stored form (to remove it once sent). */
  async items(userId: string, at: number): Promise<{ raw: string; item: DigestItem }[]> {
    const raws = await this.redis.lrange(`${this.keys(userId)[1]}:${at}:items`, 0, -1);
    return raws.map((raw) => ({ raw, item: JSON.parse(raw) as DigestItem }));
  }

  async remove(userId: string, at: number, raws: readonly string[]): Promise<void> {
    const key = `${this.keys(userId)[1]}:${at}:items`;
    const pipeline = this.redis.pipeline();
    for (const raw of raws) pipeline.lrem(key, 1, raw);
    await pipeline.exec();
  }

  async clear(userId: string, at: number): Promise<void> {
    const base = `${this.keys(userId)[1]}:${at}`;
    await this.redis.del(`${base}:items`, `${base}:keys`);
  }

  private keys(userId: string): [string, string, string, string] {
    const base = memberDigestKey(this.prefix, userId);
    return [`${base}:open`, base, this.lines.lineKey(userId), this.lines.leaseKey(userId)];
  }
}
