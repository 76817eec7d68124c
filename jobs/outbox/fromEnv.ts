import type { RedisClient } from '../../infra/redis';
import type { Env } from '../../config/env';
import type { WecomApiClient } from '../../bots/wecom/apiClient';
import type { Logger } from '../../infra/logger';
import { bullConnectionFor } from './connection';
import { createOutbox, type Outbox } from './queue';
import { WECOM_MEMBER_LIMIT } from './memberPace';
import { WECOM_ROBOT_LIMIT } from './robotPace';
import { createOutboxWorker, type OutboxWorker } from './worker';

/** The outbox queue as the web and worker roles use it (the process's Redis, QUEUE_PREFIX). */
export function outboxFromEnv(runtime: { env: Env; redis: RedisClient }): Outbox {
  return createOutbox({ connection: bullConnectionFor(runtime), redis: runtime.redis, prefix: runtime.env.QUEUE_PREFIX });
}

/**
 * The outbox worker for the worker role, paced by WECOM_SEND_RATE_PER_MINUTE, per group robot by
 * WECOM_ROBOT_RATE_PER_MINUTE and per member by WECOM_MEMBER_RATE_PER_MINUTE / _PER_HOUR.
 */
export function outboxWorkerFromEnv(env: Env, deps: { client: WecomApiClient; redis: RedisClient; logger?: Logger }): OutboxWorker {
  return createOutboxWorker({
    connection: bullConnectionFor({ env, redis: deps.redis }),
    prefix: env.QUEUE_PREFIX,
    ratePerMinute: env.WECOM_SEND_RATE_PER_MINUTE,
    robotLimit: { ...WECOM_ROBOT_LIMIT, perWindow: env.WECOM_ROBOT_RATE_PER_MINUTE },
    memberLimit: {
      ...WECOM_MEMBER_LIMIT,
      windows: [
        { perWindow: env.WECOM_MEMBER_RATE_PER_MINUTE, windowMs: 60_000 },
        { perWindow: env.WECOM_MEMBER_RATE_PER_HOUR, windowMs: 3_600_000 },
      ],
    },
    client: deps.client,
    redis: deps.redis,
    lockDurationMs: env.QUEUE_LOCK_MS,
    stalledIntervalMs: env.QUEUE_LOCK_MS,
    ...(deps.logger ? { logger: deps.logger } : {}),
  });
}
