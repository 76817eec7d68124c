export { bullConnection, bullConnectionFor } from './connection';
export { OUTBOX_QUEUE_NAME, outboxJobId } from './names';
export { createOutbox, type Outbox, type OutboxJobData, type OutboxQueueOptions } from './queue';
export { SentLedger } from './sentLedger';
export { createOutboxWorker, type OutboxJobResult, type OutboxWorker, type OutboxWorkerOptions } from './worker';
export { outboxFromEnv, outboxWorkerFromEnv } from './fromEnv';
export { robotPace, WECOM_ROBOT_LIMIT, type RobotLimit } from './robotPace';
export { memberPace, WECOM_MEMBER_LIMIT, type MemberLimit } from './memberPace';
export { SendPace, type PaceWindow } from './sendPace';
