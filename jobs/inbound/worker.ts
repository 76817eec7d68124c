import { Worker, type ConnectionOptions, type Job } from 'bullmq';
import type { Logger } from '../../infra/logger';
import type { InboundDispatcher } from './dispatcher';
import type { InboundEventStore } from './eventStore';
import { INBOUND_QUEUE_NAME, type InboundJobData } from './queue';

export interface InboundWorkerOptions {
  connection: ConnectionOptions;
  prefix: string;
  name?: string;
  store: InboundEventStore;
  dispatcher: InboundDispatcher;
  logger: Logger;
  concurrency?: number;
}

/**
 * Processes one inbound job: skip it if MongoDB says it was already handled (a job re-added after
 * its predecessor expired), else dispatch and record it handled in one upsert. A listener that
 * throws fails the job and BullMQ retries it; nothing is marked handled until every listener ran.
 */
export function processInbound(store: InboundEventStore, dispatcher: InboundDispatcher, logger: Logger) {
  return async (job: Job<InboundJobData>): Promise<'handled' | 'already_handled'> => {
    const { event, receivedAt } = job.data;
    if (await store.isHandled(event.dedupeKey)) {
      logger.info({ key: event.dedupeKey, type: event.type }, 'inbound event already handled');
      return 'already_handled';
    }
    await dispatcher.dispatch(event);
    await store.recordHandled(event, new Date(receivedAt));
    return 'handled';
  };
}

export function createInboundWorker(options: InboundWorkerOptions): Worker<InboundJobData> {
  const logger = options.logger.child({ component: 'inbound-worker' });
  const worker = new Worker<InboundJobData>(options.name ?? INBOUND_QUEUE_NAME, processInbound(options.store, options.dispatcher, logger), {
    connection: options.connection,
    prefix: options.prefix,
    concurrency: options.concurrency ?? 8,
  });
  worker.on('failed', (job, error) => {
    logger.warn({ key: job?.data.event.dedupeKey, attempts: job?.attemptsMade, err: error.message }, 'inbound event failed; will retry');
  });
  worker.on('error', (error) => logger.error({ err: error.message }, 'inbound worker error'));
  return worker;
}
