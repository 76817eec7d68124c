import { setTimeout as sleep } from 'node:timers/promises';
import type { RedisClient } from '../../infra/redis';
import { DelayedError, Queue, RateLimitError, UnrecoverableError, Worker, type ConnectionOptions, type Job } from 'bullmq';
import type { WecomApiClient } from '../../bots/wecom/apiClient';
import { WecomApiError, WecomHttpError, WecomRateLimitError, isTransientWecomError } from '../../bots/wecom/apiErrors';
import { deliverOutbound, type DeliveryResult } from '../../bots/wecom/outboundDelivery';
import type { Logger } from '../../infra/logger';
import { OUTBOX_QUEUE_NAME } from './names';
import { digestibleMember, MemberDigests, nextDigestMessage, type DigestItem } from './memberDigest';
import { MemberOrder, orderedMembersOf, type LineBlocker } from './memberOrder';
import { memberPace, WECOM_MEMBER_LIMIT, type MemberLimit } from './memberPace';
import { digestJobId, digestJobIdPrefix, OUTBOX_JOB_NAME } from './names';
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
  /**
   * How long the next message to a member may be processed (from its latest start) before the member's
   * later messages stop waiting for it and it is skipped. 3 × lockDurationMs by default: longer than a
   * killed worker's job takes to be taken over, so a takeover keeps the order. Waiting for its send
   * time or for a retry is not being processed: such a message is never skipped.
   */
  memberOrderLeaseMs?: number;
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
// A job parked behind a member's earlier message wakes this long after that message's lease ends (if nobody woke it before).
const PARK_SLACK_MS = 20;
// Stale heads skipped in one claim at most, before the job parks and looks again.
const MAX_SKIPS_PER_CLAIM = 16;

const BULLMQ_DEFAULT_LOCK_MS = 30_000;

function jobIdOf(job: Job<OutboxJobData, OutboxJobResult>): string {
  if (!job.id) throw new Error('an outbox job without an id');
  return job.id;
}

/** The members whose line the job stands in: a digest's member, or the named members of an app message. */
function membersInLine(data: OutboxJobData): string[] {
  return data.digest ? [data.digest.userId] : orderedMembersOf(data.message);
}

/** Whether BullMQ will not run the job again after this error: it leaves its members' lines now. */
function isFinalFailure(job: Job<OutboxJobData, OutboxJobResult>, error: unknown): boolean {
  if (error instanceof DelayedError || error instanceof RateLimitError) return false;
  if (error instanceof UnrecoverableError) return true;
  return job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
}

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
 * Order. A member's messages go out one at a time, in the order they were queued (memberOrder.ts):
 * a message that is not the next in each of its members' lines parks in the delayed set and is woken
 * when the message ahead of it leaves the line — after its send is recorded, or when it is dropped or
 * finally fails. A retried send keeps its place. The next message whose job is gone, or that has been
 * processed for longer than `memberOrderLeaseMs`, is skipped (warn `outbox: skipped a member's earlier
 * message`): it is not waited for, and if it is still sent it arrives after the later ones.
 *
 * Members. WeChat Work silently drops app messages to one member beyond 30 a minute and 1,000 an
 * hour (it answers ok), so every app message to named members reserves a time that suits each of
 * them and waits in the delayed set until then. A plain text or markdown message to one member that
 * would have to wait opens that member's digest instead, which takes its place in the member's line;
 * the texts right behind it join it: one digest job per member and slot sends them as one numbered list
 * (as many as fit 2,048 bytes; the rest follow at the member's next free times), and marks each
 * merged message's idempotency key as sent. Cards are never merged, and a text queued after a card
 * that waits behind a digest does not jump into it.
 */
export function createOutboxWorker(options: OutboxWorkerOptions): OutboxWorker {
  const ledger = new SentLedger(options.redis, options.prefix);
  const robots = options.robotLimit === null ? undefined : robotPace(options.redis, options.prefix, options.robotLimit ?? WECOM_ROBOT_LIMIT);
  const members = options.memberLimit === null ? undefined : memberPace(options.redis, options.prefix, options.memberLimit ?? WECOM_MEMBER_LIMIT);
  const queue = new Queue<OutboxJobData>(OUTBOX_QUEUE_NAME, { connection: options.connection, prefix: options.prefix });
  const order = new MemberOrder(options.redis, options.prefix, queue, options.memberOrderLeaseMs ?? 3 * (options.lockDurationMs ?? BULLMQ_DEFAULT_LOCK_MS));
  const digests = new MemberDigests(options.redis, options.prefix, order);
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

  /** The job leaves its members' lines; the messages that are next now are woken. */
  const leaveLines = async (job: Job<OutboxJobData, OutboxJobResult>): Promise<void> => {
    const members = membersInLine(job.data);
    if (members.length > 0) await order.wake(await order.leave(jobIdOf(job), members));
  };

  /**
   * Claims the job's turn in its members' lines: answers what is still ahead of it (nothing: its turn).
   * Heads whose job is gone or finished, or that are processed past their lease, are skipped on the way.
   */
  const claimTurn = async (job: Job<OutboxJobData, OutboxJobResult>, members: readonly string[]): Promise<{ blockers: LineBlocker[]; sent: boolean }> => {
    const jobId = jobIdOf(job);
    for (let round = 0; ; round++) {
      const { blockers, woken, sent } = await order.claim(jobId, job.data.idempotencyKey, members);
      await order.wake(woken);
      if (sent || round >= MAX_SKIPS_PER_CLAIM) return { blockers, sent };
      let moved = false;
      for (const blocker of blockers) {
        const reason = await order.staleness(blocker);
        if (reason === undefined) continue;
        moved = true;
        const next = await order.skip(blocker, reason);
        if (next === undefined) continue; // the line moved on meanwhile: look again
        options.logger?.warn(
          { jobId, skippedJobId: blocker.headJobId, reason, leaseUntil: new Date(blocker.leaseUntil).toISOString() },
          "outbox: skipped a member's earlier message; the later ones no longer wait for it (if it is still sent, it arrives after them)",
        );
        if (next !== '' && next !== jobId) await order.wake([next]);
      }
      if (!moved) return { blockers, sent };
    }
  };

  /**
   * Parks the job behind the messages ahead of it: the one that leaves the line wakes it; the timer
   * (the end of that one's lease, or a lease from now when it is not being processed) is the fallback.
   */
  const parkBehind = async (job: Job<OutboxJobData, OutboxJobResult>, token: string | undefined, members: readonly string[], blockers: LineBlocker[]): Promise<never> => {
    const now = Date.now();
    const wakeAt = Math.min(...blockers.map((b) => (b.leaseUntil > now ? b.leaseUntil + PARK_SLACK_MS : now + order.leaseMs)));
    await job.moveToDelayed(wakeAt, token);
    // Whoever left the line between the claim and the park could not wake a job that was not parked yet.
    const again = await order.claim(jobIdOf(job), job.data.idempotencyKey, members);
    await order.wake(again.woken);
    const unchanged = again.blockers.length === blockers.length && again.blockers.every((b, i) => b.headJobId === blockers[i]?.headJobId && b.aheadJobId === blockers[i]?.aheadJobId);
    if (!unchanged) await order.wake([jobIdOf(job)]);
    throw new DelayedError();
  };

  /**
   * The head of a member's line would have to wait for its send time: it opens the member's digest of
   * that slot, whose job takes its place in the line. Undefined when it is no longer in the line.
   */
  const openDigest = async (job: Job<OutboxJobData, OutboxJobResult>, userId: string, item: DigestItem, at: number): Promise<OutboxJobResult | undefined> => {
    // The job first, so an opened digest always has one (one that finds its slot empty does nothing).
    await queue.add(OUTBOX_JOB_NAME, { idempotencyKey: `digest:${userId}:${at}`, message: item.message, digest: { userId, at } }, { ...digestJobOptions, jobId: digestJobId(userId, at), delay: Math.max(0, at - Date.now()) });
    const opened = await digests.openInPlace(userId, at, jobIdOf(job), item);
    if (!opened) return undefined;
    await order.wake([opened.behind]);
    options.logger?.info({ jobId: job.id, digestJobId: digestJobId(userId, at), slotAt: new Date(at).toISOString() }, 'member at the app-message limit; message merged into their digest');
    return { digested: { at } };
  };

  const processDigest = async (job: Job<OutboxJobData, OutboxJobResult>, token: string | undefined, digest: { userId: string; at: number }): Promise<OutboxJobResult> => {
    // A digest with items stands in its member's line (in the place of the message that opened it).
    if ((await digests.items(digest.userId, digest.at)).length > 0) {
      const { blockers } = await claimTurn(job, [digest.userId]);
      if (blockers.length > 0) return parkBehind(job, token, [digest.userId], blockers);
    }
    await digests.close(digest.userId, digest.at);
    const stored = await digests.items(digest.userId, digest.at);
    const pending: { raw: string; item: DigestItem }[] = [];
    for (const entry of stored) if (!(await ledger.wasSent(entry.item.idempotencyKey))) pending.push(entry);
    if (pending.length === 0) {
      await digests.clear(digest.userId, digest.at);
      await leaveLines(job);
      return { skipped: 'digest-empty' };
    }
    const next = nextDigestMessage(digest.userId, pending.map((p) => p.item));
    const turn = members ? await awaitTurn(job, token, members, [digest.userId], job.data.slotAt ?? digest.at) : undefined;
    const result = await send(job, token, next.message, undefined, turn);
    for (const item of next.items) await ledger.markSent(item.idempotencyKey, { jobId: job.id, digest: digest.at });
    await digests.remove(digest.userId, digest.at, pending.slice(0, next.items.length).map((p) => p.raw));
    reportSkipped(job.id, result);
    if (pending.length > next.items.length && members) {
      // What did not fit goes at the member's next free time, from this same job (still the member's next in line).
      return waitForSlot(job, token, await members.reserve([digest.userId]));
    }
    if (pending.length > next.items.length) return processDigest(job, token, digest);
    await digests.clear(digest.userId, digest.at);
    await leaveLines(job);
    return { ...result, merged: next.items.length };
  };

  const alreadySent = async (job: Job<OutboxJobData, OutboxJobResult>): Promise<OutboxJobResult> => {
    options.logger?.info({ jobId: job.id }, 'outbox message already sent; skipping');
    await leaveLines(job);
    return { skipped: 'already-sent' };
  };

  const processMessage = async (job: Job<OutboxJobData, OutboxJobResult>, token?: string): Promise<OutboxJobResult> => {
    const { idempotencyKey, message, digest } = job.data;
    if (digest) return processDigest(job, token, digest);
    const item = { idempotencyKey, message };
    const inLine = orderedMembersOf(message);
    if (inLine.length > 0) {
      // The claim also reads the sent ledger: a digest ahead of it may have sent it while it waited.
      const { blockers, sent } = await claimTurn(job, inLine);
      if (sent) return alreadySent(job);
      if (blockers.length > 0) {
        // Right behind the member's open digest, a text joins it rather than waiting.
        const member = digestibleMember(message);
        if (member !== undefined && blockers[0]?.aheadJobId.startsWith(digestJobIdPrefix(member))) {
          const joined = await digests.joinBehind(member, jobIdOf(job), item);
          if (joined) {
            await order.wake([joined.behind]);
            return { digested: { at: joined.at } };
          }
        }
        return parkBehind(job, token, inLine, blockers);
      }
    } else if (await ledger.wasSent(idempotencyKey)) {
      return alreadySent(job);
    }
    const counted = subjectsOf(message);
    const pace = counted && paceFor(counted.kind);
    let turn: Turn | undefined;
    if (counted && pace) {
      const due = dueSlot(job.data);
      const member = due === undefined && counted.kind === 'member' ? digestibleMember(message) : undefined;
      const at = due ?? (await pace.reserve(counted.subjects));
      if (member !== undefined && at > Date.now() + SLOT_SLACK_MS) {
        const digested = await openDigest(job, member, item, at);
        if (digested) return digested;
      }
      turn = await awaitTurn(job, token, pace, counted.subjects, at);
    }
    const result = await send(job, token, message, robots, turn);
    await ledger.markSent(idempotencyKey, { jobId: job.id, ...result });
    reportSkipped(job.id, result);
    await leaveLines(job);
    return result;
  };

  const processJob = async (job: Job<OutboxJobData, OutboxJobResult>, token?: string): Promise<OutboxJobResult> => {
    try {
      return await processMessage(job, token);
    } catch (error) {
      // Dropped or finally failed: the member's later messages no longer wait for it.
      if (isFinalFailure(job, error)) await leaveLines(job);
      throw error;
    }
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
