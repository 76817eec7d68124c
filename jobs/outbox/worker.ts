import { setTimeout as sleep } from 'node:timers/promises';
import type { RedisClient } from '../../infra/redis';
import { DelayedError, Queue, UnrecoverableError, Worker, type ConnectionOptions, type Job } from 'bullmq';
import type { WecomApiClient } from '../../bots/wecom/apiClient';
import { WecomApiError, WecomHttpError, WecomRateLimitError, isTransientWecomError } from '../../bots/wecom/apiErrors';
import { deliverOutbound, type DeliveryResult } from '../../bots/wecom/outboundDelivery';
import type { Logger } from '../../infra/logger';
import { OUTBOX_QUEUE_NAME } from './names';
import { digestibleMember, MemberDigests, nextDigestMessage, type DigestItem } from './memberDigest';
import { memberPace, WECOM_MEMBER_LIMIT, type MemberLimit } from './memberPace';
import { digestJobId, OUTBOX_JOB_NAME } from './names';
import { outboxJobOptions, type OutboxJobData } from './queue';
import { robotPace, WECOM_ROBOT_LIMIT, type RobotLimit } from './robotPace';
import type { SendPace } from './sendPace';
import { SentLedger } from './sentLedger';

export interface OutboxWorkerOptions {
  connection: ConnectionOptions;
  prefix: string;
  client: WecomApiClient;
  /** For the sent ledger. */
  redis: RedisClient;
  /** WECOM_SEND_RATE_PER_MINUTE: our own pace, below WeChat Work's per-app limit. */
  ratePerMinute: number;
  concurrency?: number;
  /** Pause after a 45009; doubles while WeChat Work keeps throttling, up to rateLimitMaxPauseMs. */
  rateLimitPauseMs?: number;
  rateLimitMaxPauseMs?: number;
  /**
   * Per group robot (webhook key) limit, WeChat Work's 20 a minute by default. Null: no pacing
   * (only for a fake robot without a limit, as in the load test).
   */
  robotLimit?: RobotLimit | null;
  /**
   * Per member limit of app messages (message/send to touser), WeChat Work's 30 a minute and 1,000
   * an hour by default. Null: no pacing (only for a fake server without the limit, as in the load test).
   */
  memberLimit?: MemberLimit | null;
  /** Attempts and backoff of the digest jobs this worker queues (the outbox's own by default). */
  digestJobs?: { attempts?: number; backoffMs?: number };
  /** How long a crashed worker's job stays locked before another worker takes it over. */
  lockDurationMs?: number;
  /** Use one value for every worker of the queue: the first stalled check holds a Redis guard key that long. */
  stalledIntervalMs?: number;
  logger?: Logger;
}

export type OutboxJobResult =
  | DeliveryResult
  | (DeliveryResult & { merged: number })
  | { skipped: 'already-sent' | 'digest-empty' }
  /** Merged into the member's digest of that slot, which sends it. */
  | { digested: { at: number } };

export interface OutboxWorker {
  readonly worker: Worker<OutboxJobData, OutboxJobResult>;
  close(force?: boolean): Promise<void>;
}

// Delayed jobs can be promoted a little early; a job that close to its slot waits in process.
const SLOT_SLACK_MS = 50;

/** The send time this job already reserved, if it is due (the job was woken for it). */
function dueSlot(data: OutboxJobData): number | undefined {
  const at = data.slotAt ?? data.robotSlotAt;
  return at !== undefined && at <= Date.now() + SLOT_SLACK_MS ? at : undefined;
}

/** Who a message counts against: its group robot, or the members an app message names (departments and tags are not counted per member). */
function subjectsOf(message: OutboxJobData['message']): { kind: 'robot' | 'member'; subjects: string[] } | undefined {
  if (message.channel === 'webhook') return { kind: 'robot', subjects: [message.key] };
  if (message.channel === 'app' && message.body.touser) return { kind: 'member', subjects: [...new Set(message.body.touser.split('|'))] };
  return undefined;
}

/**
 * Sends queued messages at most `ratePerMinute`, retrying transient failures with exponential
 * backoff and pausing the whole queue when WeChat Work says 45009.
 *
 * Duplicate protection: before sending we look the idempotency key up in the sent ledger, and right
 * after WeChat Work accepts the message we record it there. What remains is the window between
 * WeChat Work accepting a request and our ledger write landing: if the process dies there, or the
 * answer is lost (timeout after the server processed it), the job is retried and the message goes
 * out a second time. Closing it would need an idempotency key on WeChat Work's side, which the API
 * does not offer (message/send's enable_duplicate_check only compares content, and callers may set it
 * on the body), so delivery is at-least-once with that narrow window and exactly-once otherwise.
 *
 * Rate limits. An app API 45009 pauses the whole queue (queue.rateLimit, the non-deprecated form
 * of worker.rateLimit): the per-app limit is shared by every message. A group robot has its own
 * limit (20 a minute): each webhook message reserves a send time for its robot and waits in the
 * delayed set until then, and a robot's 45009 pushes only that robot's messages a window on. A busy
 * department's chat therefore never holds up anyone else's messages. Neither uses up attempts.
 *
 * Members. WeChat Work silently drops app messages to one member beyond 30 a minute and 1,000 an
 * hour (it answers ok), so every app message to named members reserves a time that suits each of
 * them and waits in the delayed set until then; a member's messages keep their order. A plain text
 * or markdown message to one member that would have to wait joins that member's digest instead:
 * one digest job per member and slot sends everything that piled up by then as one numbered list
 * (as many as fit 2,048 bytes; the rest follow at the member's next free times), and marks each
 * merged message's idempotency key as sent. Cards are never merged.
 */
export function createOutboxWorker(options: OutboxWorkerOptions): OutboxWorker {
  const ledger = new SentLedger(options.redis, options.prefix);
  const robots = options.robotLimit === null ? undefined : robotPace(options.redis, options.prefix, options.robotLimit ?? WECOM_ROBOT_LIMIT);
  const members = options.memberLimit === null ? undefined : memberPace(options.redis, options.prefix, options.memberLimit ?? WECOM_MEMBER_LIMIT);
  const digests = new MemberDigests(options.redis, options.prefix);
  const queue = new Queue<OutboxJobData>(OUTBOX_QUEUE_NAME, { connection: options.connection, prefix: options.prefix });
  const digestJobOptions = outboxJobOptions(options.digestJobs);
  const basePause = options.rateLimitPauseMs ?? 5_000;
  const maxPause = options.rateLimitMaxPauseMs ?? 120_000;
  let consecutiveRateLimits = 0;

  const paceFor = (kind: 'robot' | 'member'): SendPace | undefined => (kind === 'robot' ? robots : members);

  /** Parks the job until its reserved send time; it comes back without using an attempt. */
  const waitForSlot = async (job: Job<OutboxJobData, OutboxJobResult>, token: string | undefined, at: number): Promise<never> => {
    const { robotSlotAt: _legacy, ...data } = job.data;
    await job.updateData({ ...data, slotAt: at });
    await job.moveToDelayed(at, token);
    throw new DelayedError();
  };

  /** A send's place in its subjects' windows: given back when WeChat Work refuses the send. */
  interface Turn {
    pace: SendPace;
    subjects: string[];
    plannedAt: number;
    sentAt: number;
  }

  /** Waits for the reserved (or a freshly reserved) time, then records the send start; parks the job when it is not yet time. */
  const awaitTurn = async (job: Job<OutboxJobData, OutboxJobResult>, token: string | undefined, pace: SendPace, subjects: string[], reserved: number): Promise<Turn> => {
    if (reserved > Date.now() + SLOT_SLACK_MS) await waitForSlot(job, token, reserved);
    if (reserved > Date.now()) await sleep(reserved - Date.now());
    const sentAt = Date.now();
    const retryAt = await pace.admit(subjects, sentAt);
    if (retryAt !== undefined) await waitForSlot(job, token, retryAt);
    return { pace, subjects, plannedAt: reserved, sentAt };
  };

  /** Sends, and turns WeChat Work's refusals into retries, pauses or a final failure. */
  const send = async (job: Job<OutboxJobData, OutboxJobResult>, token: string | undefined, message: OutboxJobData['message'], robot: SendPace | undefined, turn: Turn | undefined): Promise<DeliveryResult> => {
    try {
      const result = await deliverOutbound(options.client, message);
      consecutiveRateLimits = 0;
      return result;
    } catch (error) {
      // An answer that says no (error code or HTTP status) delivered nothing: give the turn back. A
      // timeout or broken connection may have delivered: its turn stays counted.
      const refused = error instanceof WecomApiError || error instanceof WecomHttpError;
      if (turn && refused && !(robot && message.channel === 'webhook' && error instanceof WecomRateLimitError)) {
        await turn.pace.release(turn.subjects, { plannedAt: turn.plannedAt, sentAt: turn.sentAt });
      }
      if (robot && message.channel === 'webhook' && error instanceof WecomRateLimitError) {
        await robot.saturate([message.key]);
        const at = await robot.reserve([message.key]);
        options.logger?.warn({ jobId: job.id, errcode: error.errcode, retryAt: new Date(at).toISOString() }, 'group robot rate limit; holding this robot\'s messages');
        return waitForSlot(job, token, at);
      }
      // A retry after a failed send reserves a fresh slot.
      if (job.data.slotAt !== undefined || job.data.robotSlotAt !== undefined) {
        const { slotAt: _slot, robotSlotAt: _legacy, ...data } = job.data;
        await job.updateData(data);
      }
      if (error instanceof WecomRateLimitError) {
        consecutiveRateLimits += 1;
        const pause = Math.min(maxPause, basePause * 2 ** (consecutiveRateLimits - 1));
        options.logger?.warn({ jobId: job.id, errcode: error.errcode, pauseMs: pause }, 'wecom rate limit; pausing the outbox');
        // The job goes back to waiting without using up an attempt, and no worker takes jobs until the pause ends.
        await queue.rateLimit(pause);
        throw Worker.RateLimitError();
      }
      if (!isTransientWecomError(error)) {
        options.logger?.error({ jobId: job.id, err: error }, 'outbox message rejected by wecom; not retrying');
        throw new UnrecoverableError(error instanceof Error ? error.message : String(error));
      }
      options.logger?.warn({ jobId: job.id, attempt: job.attemptsMade + 1, err: error }, 'outbox send failed; will retry');
      throw error;
    }
  };

  const reportSkipped = (jobId: string | undefined, result: DeliveryResult): void => {
    if (result.invalidUser || result.invalidParty || result.invalidTag || result.unlicensedUser || result.invalidUsers) {
      // WeChat Work accepted the message but skipped these recipients; retrying would not reach them.
      options.logger?.warn({ jobId, invalidUser: result.invalidUser, invalidParty: result.invalidParty, invalidTag: result.invalidTag, unlicensedUser: result.unlicensedUser, invalidUsers: result.invalidUsers }, 'wecom skipped some recipients');
    }
  };

  /** A message that must wait for its member goes into the member's digest of the reserved slot (opened here when none is). */
  const mergeIntoDigest = async (jobId: string | undefined, userId: string, item: DigestItem, at: number): Promise<OutboxJobResult> => {
    // The job first, so an opened digest always has one (one that finds its slot empty does nothing).
    await queue.add(OUTBOX_JOB_NAME, { idempotencyKey: `digest:${userId}:${at}`, message: item.message, digest: { userId, at } }, { ...digestJobOptions, jobId: digestJobId(userId, at), delay: Math.max(0, at - Date.now()) });
    const slot = await digests.open(userId, at, item);
    options.logger?.info({ jobId, digestJobId: digestJobId(userId, slot), slotAt: new Date(slot).toISOString() }, 'member at the app-message limit; message merged into their digest');
    return { digested: { at: slot } };
  };

  const processDigest = async (job: Job<OutboxJobData, OutboxJobResult>, token: string | undefined, digest: { userId: string; at: number }): Promise<OutboxJobResult> => {
    await digests.close(digest.userId, digest.at);
    const stored = await digests.items(digest.userId, digest.at);
    const pending: { raw: string; item: DigestItem }[] = [];
    for (const entry of stored) if (!(await ledger.wasSent(entry.item.idempotencyKey))) pending.push(entry);
    if (pending.length === 0) {
      await digests.clear(digest.userId, digest.at);
      return { skipped: 'digest-empty' };
    }
    const next = nextDigestMessage(digest.userId, pending.map((p) => p.item));
    const turn = members ? await awaitTurn(job, token, members, [digest.userId], job.data.slotAt ?? digest.at) : undefined;
    const result = await send(job, token, next.message, undefined, turn);
    for (const item of next.items) await ledger.markSent(item.idempotencyKey, { jobId: job.id, digest: digest.at });
    await digests.remove(digest.userId, digest.at, pending.slice(0, next.items.length).map((p) => p.raw));
    reportSkipped(job.id, result);
    if (pending.length > next.items.length && members) {
      // What did not fit goes at the member's next free time, from this same job.
      return waitForSlot(job, token, await members.reserve([digest.userId]));
    }
    if (pending.length > next.items.length) return processDigest(job, token, digest);
    await digests.clear(digest.userId, digest.at);
    return { ...result, merged: next.items.length };
  };

  const processJob = async (job: Job<OutboxJobData, OutboxJobResult>, token?: string): Promise<OutboxJobResult> => {
    const { idempotencyKey, message, digest } = job.data;
    if (digest) return processDigest(job, token, digest);
    if (await ledger.wasSent(idempotencyKey)) {
      options.logger?.info({ jobId: job.id }, 'outbox message already sent; skipping');
      return { skipped: 'already-sent' };
    }
    const counted = subjectsOf(message);
    const pace = counted && paceFor(counted.kind);
    let turn: Turn | undefined;
    if (counted && pace) {
      const due = dueSlot(job.data);
      const member = due === undefined && counted.kind === 'member' ? digestibleMember(message) : undefined;
      const item = { idempotencyKey, message };
      if (member !== undefined) {
        const joined = await digests.join(member, item);
        if (joined !== undefined) return { digested: { at: joined } };
      }
      const at = due ?? (await pace.reserve(counted.subjects));
      if (member !== undefined && at > Date.now() + SLOT_SLACK_MS) return mergeIntoDigest(job.id, member, item, at);
      turn = await awaitTurn(job, token, pace, counted.subjects, at);
    }
    const result = await send(job, token, message, robots, turn);
    await ledger.markSent(idempotencyKey, { jobId: job.id, ...result });
    reportSkipped(job.id, result);
    return result;
  };

  const worker = new Worker<OutboxJobData, OutboxJobResult>(OUTBOX_QUEUE_NAME, processJob, {
    connection: options.connection,
    prefix: options.prefix,
    concurrency: options.concurrency ?? 4,
    limiter: { max: options.ratePerMinute, duration: 60_000 },
    ...(options.lockDurationMs === undefined ? {} : { lockDuration: options.lockDurationMs }),
    ...(options.stalledIntervalMs === undefined ? {} : { stalledInterval: options.stalledIntervalMs }),
  });
  worker.on('error', (error) => options.logger?.error({ err: error }, 'outbox worker error'));

  return {
    worker,
    async close(force = false) {
      await worker.close(force);
      await queue.close();
    },
  };
}
