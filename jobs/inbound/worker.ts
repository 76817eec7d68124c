import { Worker, type ConnectionOptions, type Job } from 'bullmq';
import type { RedisClient } from '../../infra/redis';
import type { InboundEvent } from '../../bots/wecom/events';
import type { Logger } from '../../infra/logger';
import { InboundClaims } from './claims';
import type { InboundDispatcher } from './dispatcher';
import type { InboundEventStore } from './eventStore';
import { eventsOf, INBOUND_CLAIM_SECONDS, INBOUND_QUEUE_NAME, inboundKeyPrefixes, type InboundJobData } from './queue';

export interface InboundWorkerOptions {
  connection: ConnectionOptions;
  /** For the claims (which job handles an event); BullMQ keeps its own connections. */
  redis: RedisClient;
  prefix: string;
  name?: string;
  store: InboundEventStore;
  dispatcher: InboundDispatcher;
  logger: Logger;
  concurrency?: number;
  /** BullMQ's lockDuration and stalledInterval (QUEUE_LOCK_MS); BullMQ's 30 s when unset. */
  lockMs?: number;
}

export type InboundOutcome = 'handled' | 'already_handled' | 'claimed_by_another_job';

export interface InboundJobResult {
  handled: number;
  alreadyHandled: number;
  claimedElsewhere: number;
}

/**
 * Processes one inbound job: each event this job claims is skipped if MongoDB says it was already
 * handled (a job re-added after its predecessor expired), else dispatched and recorded handled.
 * One sender's events run in order, different senders' side by side. A listener that throws
 * leaves its event unhandled; the others finish, then the job fails and BullMQ retries it, where
 * the finished ones are skipped.
 */
export function processInbound(store: InboundEventStore, dispatcher: InboundDispatcher, claims: InboundClaims, logger: Logger) {
  const handleOne = async (event: InboundEvent, receivedAt: number): Promise<InboundOutcome> => {
    if (await store.isHandled(event.dedupeKey)) {
      logger.info({ key: event.dedupeKey, type: event.type }, 'inbound event already handled');
      return 'already_handled';
    }
    await dispatcher.dispatch(event);
    await store.recordHandled(event, new Date(receivedAt));
    return 'handled';
  };

  return async (job: Job<InboundJobData>): Promise<InboundJobResult> => {
    const events = eventsOf(job.data);
    const owned = await claims.claim(job.id ?? job.name, events.map((event) => event.dedupeKey));
    const outcomes: InboundOutcome[] = [];
    const failures: unknown[] = [];
    const bySender = new Map<string, InboundEvent[]>();
    events.forEach((event, i) => {
      if (!owned[i]) outcomes.push('claimed_by_another_job');
      else {
        const queued = bySender.get(event.fromUser);
        if (queued) queued.push(event);
        else bySender.set(event.fromUser, [event]);
      }
    });
    await Promise.all(
      [...bySender.values()].map(async (ownEvents) => {
        for (const event of ownEvents) {
          try {
            outcomes.push(await handleOne(event, job.data.receivedAt));
          } catch (error) {
            failures.push(error);
            logger.warn({ key: event.dedupeKey, type: event.type, err: error instanceof Error ? error.message : String(error) }, 'inbound event failed; its job will retry');
            // Later events of this sender wait for the retry, so their order holds.
            return;
          }
        }
      }),
    );
    if (failures.length > 0) throw failures[0];
    const count = (outcome: InboundOutcome) => outcomes.filter((o) => o === outcome).length;
    return { handled: count('handled'), alreadyHandled: count('already_handled'), claimedElsewhere: count('claimed_by_another_job') };
  };
}

export function createInboundWorker(options: InboundWorkerOptions): Worker<InboundJobData> {
  const logger = options.logger.child({ component: 'inbound-worker' });
  const claims = new InboundClaims(options.redis, inboundKeyPrefixes(options.prefix, options.name).claim, INBOUND_CLAIM_SECONDS);
  const worker = new Worker<InboundJobData>(options.name ?? INBOUND_QUEUE_NAME, processInbound(options.store, options.dispatcher, claims, logger), {
    connection: options.connection,
    prefix: options.prefix,
    concurrency: options.concurrency ?? 8,
    ...(options.lockMs !== undefined && { lockDuration: options.lockMs, stalledInterval: options.lockMs }),
  });
  worker.on('failed', (job, error) => {
    logger.warn({ job: job?.id, events: job ? eventsOf(job.data).length : undefined, attempts: job?.attemptsMade, err: error.message }, 'inbound job failed; will retry');
  });
  worker.on('error', (error) => logger.error({ err: error.message }, 'inbound worker error'));
  return worker;
}
