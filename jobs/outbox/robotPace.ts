import type { RedisClient } from '../../infra/redis';
import { robotPaceKey } from './names';
import { SendPace } from './sendPace';

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

/**
 * Send times per group robot (webhook key), shared by every outbox worker through Redis. A
 * department's robot over its limit holds back only its own messages; the rest keeps going.
 */
export function robotPace(redis: RedisClient, prefix: string, limit: RobotLimit = WECOM_ROBOT_LIMIT): SendPace {
  return new SendPace(redis, (robotKey, list) => `${robotPaceKey(prefix, robotKey)}:${list}`, [limit], limit.marginMs);
}
