export { MP_OUTBOX_QUEUE_NAME, mpOutboxJobId } from './names';
export { createMpOutbox, type MpOutbox, type MpOutboxJobData, type MpOutboxOptions } from './queue';
export { createMpOutboxWorker, type MpOutboxWorker, type MpOutboxWorkerOptions } from './worker';
