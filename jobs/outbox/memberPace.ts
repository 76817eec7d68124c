import type { RedisClient } from '../../infra/redis';
import { memberPaceKey } from './names';
import { SendPace, type PaceWindow } from './sendPace';

export interface MemberLimit {
  /** Every window applies at once: WeChat Work drops app messages to one member beyond 30 a minute and 1,000 an hour. */
  windows: PaceWindow[];
  /** Added to every window (WeChat Work counts a message on arrival, a little after we sent it). */
  marginMs: number;
}

export const WECOM_MEMBER_LIMIT: MemberLimit = {
  windows: [
    { perWindow: 30, windowMs: 60_000 },
    { perWindow: 1_000, windowMs: 3_600_000 },
  ],
  marginMs: 1_000,
};

/**
 * Send times per member (userid) for app messages, shared by every outbox worker through Redis.
 * WeChat Work does not refuse a message over the member's limit: it answers ok and drops it. So
 * the pace is the only protection, and it counts every app message to the member, cards included.
 */
export function memberPace(redis: RedisClient, prefix: string, limit: MemberLimit = WECOM_MEMBER_LIMIT): SendPace {
  return new SendPace(redis, (userId, list) => `${memberPaceKey(prefix, userId)}:${list}`, limit.windows, limit.marginMs);
}
