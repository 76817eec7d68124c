import type Redis from 'ioredis';
import { robotPaceKey } from './names';

export interface RobotLimit {
  /** Messages one group robot may send per window: WeChat Work documents 20 a minute. */
  perWindow: number;
  windowMs: number;
  /**
   * Added to the window: WeChat Work counts a message when it arrives, a little after we sent it,
   * and a message that took longer on the way must not make the next one early.
   */
  marginMs: number;
}

export const WECOM_ROBOT_LIMIT: RobotLimit = { perWindow: 20, windowMs: 60_000, marginMs: 1_000 };

// A list of the robot's last `limit` times, oldest first: a new time may be no earlier than the
// one `limit` entries back plus the window, so no window ever holds more than `limit` of them.
const NEXT_FREE = `
local function nextFree(key, now, limit, window)
  local n = redis.call('LLEN', key)
  if n < limit then return now end
  local bound = tonumber(redis.call('LINDEX', key, n - limit)) + window
  if bound > now then return bound end
  return now
end
local function record(key, at, now, limit, window)
  redis.call('RPUSH', key, at)
  redis.call('LTRIM', key, -limit, -1)
  redis.call('PEXPIRE', key, at - now + window)
end
local now, limit, window = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
`;

// Planned send times: every message takes the next free one, so a burst is spread in order.
const RESERVE = `${NEXT_FREE}
local at = nextFree(KEYS[1], now, limit, window)
record(KEYS[1], at, now, limit, window)
return at
`;

// Actual send starts, checked just before each send: a message that waited behind other work
// past its planned time cannot squeeze into a window its predecessors already filled.
const ADMIT = `${NEXT_FREE}
local at = nextFree(KEYS[1], now, limit, window)
if at > now then return at end
record(KEYS[1], now, now, limit, window)
return 0
`;

// WeChat Work refused a send: treat both lists as full from now (or their last entry, if later).
const SATURATE = `${NEXT_FREE}
for _, key in ipairs(KEYS) do
  local from = math.max(now, tonumber(redis.call('LINDEX', key, -1) or '0'))
  for i = 1, limit do record(key, from, now, limit, window) end
end
return 0
`;

/**
 * Send times per group robot, shared by every outbox worker through Redis. A department's robot
 * over its limit holds back only its own messages; the rest of the outbox keeps going.
 */
export class RobotPace {
  private readonly args: [number, number];

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    limit: RobotLimit = WECOM_ROBOT_LIMIT,
  ) {
    this.args = [limit.perWindow, limit.windowMs + limit.marginMs];
  }

  /** Reserves the earliest planned time (epoch ms) for a message to this robot. */
  async reserve(robotKey: string, now = Date.now()): Promise<number> {
    return Number(await this.redis.eval(RESERVE, 1, this.key(robotKey, 'planned'), now, ...this.args));
  }

  /** Records a send starting now, or says when to try again (epoch ms) if the robot's window is full. */
  async admit(robotKey: string, now = Date.now()): Promise<number | undefined> {
    const retryAt = Number(await this.redis.eval(ADMIT, 1, this.key(robotKey, 'sent'), now, ...this.args));
    return retryAt === 0 ? undefined : retryAt;
  }

  /** WeChat Work answered 45009 for this robot (someone else shares it, or clocks drifted). */
  async saturate(robotKey: string, now = Date.now()): Promise<void> {
    await this.redis.eval(SATURATE, 2, this.key(robotKey, 'planned'), this.key(robotKey, 'sent'), now, ...this.args);
  }

  private key(robotKey: string, list: 'planned' | 'sent'): string {
    return `${robotPaceKey(this.prefix, robotKey)}:${list}`;
  }
}
