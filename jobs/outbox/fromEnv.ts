import type Redis from 'ioredis';
import type { Env } from '../../config/env';
import type { WecomApiClient } from '../../bots/wecom/apiClient';
import type { Logger } from '../../infra/logger';
import { bullConnection } from './connection';
import { createOutbox, type Outbox } from './queue';
import { WECOM_MEMBER_LIMIT } from './memberPace';
import { WECOM_ROBOT_LIMIT } from './robotPace';
import { createOutboxWorker, type OutboxWorker } from './worker';

/** The outbox queue as the web and worker roles use it (REDIS_URL, QUEUE_PREFIX). */
export function outboxFromEnv(env: Env): Outbox {
  return createOutbox({ connection: bullConnection(env.REDIS_URL), prefix: env.QUEUE_PREFIX });
}

/**
 * The outbox worker for the worker role, paced by WECOM_SEND_RATE_PER_MINUTE, per group robot by
 * WECOM_ROBOT_RATE_PER_MINUTE and per member by WECOM_MEMBER_RATE_PER_MINUTE / _PER_HOUR.
 */
export function outboxWorkerFromEnv(env: Env, deps: { client: WecomApiClient; redis: Redis; logger?: Logger }): OutboxWorker {
  return createOutboxWorker({
    connection: bullConnection(env.REDIS_URL),
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
    ...(deps.logger ? { logger: deps.logger } : {}),
  });
}
