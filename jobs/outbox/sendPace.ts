import type { RedisClient } from '../../infra/redis';

/** At most `perWindow` sends in any `windowMs`. */
export interface PaceWindow {
  perWindow: number;
  windowMs: number;
}

// Per key, a list of its last sends (or planned sends), oldest first and never decreasing. A new
// time for a set of keys is no earlier than now, than any key's last time (so each key's messages
// keep their order and its list stays sorted), and, for every window, than the entry `limit` back
// plus the window — so no window of any key ever holds more than its limit.
const NEXT_FREE = `
local now, margin, keep = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local longest = 0
for w = 4, #ARGV, 2 do longest = math.max(longest, tonumber(ARGV[w + 1]) + margin) end
local function nextFree(keys, from, monotone)
  local at = from
  for _, key in ipairs(keys) do
    local n = redis.call('LLEN', key)
    if monotone and n > 0 then
      local last = tonumber(redis.call('LINDEX', key, -1))
      if last > at then at = last end
    end
    for w = 4, #ARGV, 2 do
      local limit, window = tonumber(ARGV[w]), tonumber(ARGV[w + 1]) + margin
      if n >= limit then
        local bound = tonumber(redis.call('LINDEX', key, n - limit)) + window
        if bound > at then at = bound end
      end
    end
  end
  return at
end
local function record(keys, at)
  for _, key in ipairs(keys) do
    redis.call('RPUSH', key, at)
    redis.call('LTRIM', key, -keep, -1)
    redis.call('PEXPIRE', key, at - now + longest)
  end
end
`;

// Planned send times: every message takes the next free one, so a burst is spread in order.
const RESERVE = `${NEXT_FREE}
local at = nextFree(KEYS, now, true)
record(KEYS, at)
return at
`;

// Actual send starts, checked just before each send: a message that waited behind other work
// past its planned time cannot squeeze into a window its predecessors already filled.
const ADMIT = `${NEXT_FREE}
local at = nextFree(KEYS, now, false)
if at > now then return at end
record(KEYS, now)
return 0
`;

// WeChat Work refused a send: treat every list as full from now (or its last entry, if later).
const SATURATE = `${NEXT_FREE}
for _, key in ipairs(KEYS) do
  local from = math.max(now, tonumber(redis.call('LINDEX', key, -1) or '0'))
  for i = 1, keep do record({key}, from) end
end
return 0
`;

// A send WeChat Work refused (so it counted nothing): take its entries back, the latest equal one
// of each list (ARGV[1] for the planned lists KEYS[1..n], ARGV[2] for the sent lists after them).
const RELEASE = `
local n = #KEYS / 2
for i, key in ipairs(KEYS) do
  local target = tonumber(ARGV[i <= n and 1 or 2])
  if target then
    local items = redis.call('LRANGE', key, 0, -1)
    for j = #items, 1, -1 do
      if tonumber(items[j]) == target then
        redis.call('LSET', key, j - 1, '__released__')
        redis.call('LREM', key, -1, '__released__')
        break
      end
    end
  end
end
return 0
`;

/**
 * Send times for subjects that each have their own limit (a group robot, a member), shared by every
 * outbox worker through Redis. A message for several subjects (one card to two leads) takes a time
 * that suits all of them. `marginMs` is added to every window: WeChat Work counts a message when it
 * arrives, a little after we sent it, and one that took longer on the way must not make the next early.
 */
export class SendPace {
  private readonly args: number[];

  constructor(
    private readonly redis: RedisClient,
    /** Redis key of a subject's list ('planned' or 'sent'); subjects may be credentials, so hash them there. */
    private readonly keyOf: (subject: string, list: 'planned' | 'sent') => string,
    windows: readonly PaceWindow[],
    marginMs: number,
  ) {
    if (windows.length === 0) throw new Error('SendPace needs at least one window');
    const keep = Math.max(...windows.map((w) => w.perWindow));
    this.args = [marginMs, keep, ...windows.flatMap((w) => [w.perWindow, w.windowMs])];
  }

  /** Reserves the earliest planned time (epoch ms) for a message to all these subjects. */
  async reserve(subjects: readonly string[], now = Date.now()): Promise<number> {
    return Number(await this.redis.eval(RESERVE, subjects.length, ...subjects.map((s) => this.keyOf(s, 'planned')), now, ...this.args));
  }

  /** Records a send starting now, or says when to try again (epoch ms) if a subject's window is full. */
  async admit(subjects: readonly string[], now = Date.now()): Promise<number | undefined> {
    const retryAt = Number(await this.redis.eval(ADMIT, subjects.length, ...subjects.map((s) => this.keyOf(s, 'sent')), now, ...this.args));
    return retryAt === 0 ? undefined : retryAt;
  }

  /**
   * WeChat Work refused the send (an error answer or HTTP status: it delivered and counted nothing),
   * so its planned time and its send start no longer fill the subjects' windows. Retries of a failing
   * send would otherwise use up a member's minute without a message reaching them.
   */
  async release(subjects: readonly string[], times: { plannedAt?: number; sentAt?: number }): Promise<void> {
    const keys = [...subjects.map((s) => this.keyOf(s, 'planned')), ...subjects.map((s) => this.keyOf(s, 'sent'))];
    await this.redis.eval(RELEASE, keys.length, ...keys, String(times.plannedAt ?? ''), String(times.sentAt ?? ''));
  }

  /** WeChat Work answered 45009 for these subjects (someone else shares them, or clocks drifted). */
  async saturate(subjects: readonly string[], now = Date.now()): Promise<void> {
    const keys = subjects.flatMap((s) => [this.keyOf(s, 'planned'), this.keyOf(s, 'sent')]);
    await this.redis.eval(SATURATE, keys.length, ...keys, now, ...this.args);
  }
}
