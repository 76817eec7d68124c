/**
 * Lifecycle load test: cases driven whistle → accept → feedback → verify by concurrent simulated
 * users, through the real product path: submitReport, cards through the outbox to the fake WeChat
 * Work server, taps as encrypted callbacks through the callback route, inbound queue and worker,
 * feedback through runCaseCommand. Both leads of the lead department tap 接哨 at once on every
 * case (a double-tap race each time), some cases get an outsider's tap, a replayed callback, an
 * assisting department and an unsolved verification first.
 *
 *   npm run bench:lifecycle -- --cases=10000 --users=12 --workers=12 --store=ferretdb-postgresql
 *   npm run bench:lifecycle -- --cases=300 --sqlite-synchronous=normal   (SQLite fsyncs at checkpoints only; default full)
 *   npm run bench:lifecycle -- --cases=300 --redis-cluster        (Redis a private Redis Cluster of 3 masters; QUEUE_PREFIX-style hash tag)
 *   npm run bench:lifecycle -- --cases=500 --stored=100000      (a district's years of cases in the store first;
 *                                                                add --no-pushdown-indexes for FerretDB as released, the baseline)
 *
 * At the end a checker replays every case's timeline against the allowed transitions and runs the
 * domain invariants: it must find no case in an impossible state. Private Redis and FerretDB are
 * started here (or REDIS_URL / MONGODB_URI used) and stopped at the end.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import type { Connection } from 'mongoose';
import { WecomApiClient } from '../bots/wecom/apiClient';
import { createWecomCallbackRouter } from '../bots/wecom/callbackRouter';
import type { CardSelection } from '../bots/wecom/events';
import { KEY, KEY_PREFIX, QUESTION } from '../bots/wecom/lifecycle/buttonKeys';
import { registerLifecycleListeners } from '../bots/wecom/lifecycle/listeners';
import { taskIdFor } from '../bots/wecom/lifecycle/taskIds';
import { createWecomLifecycle, type WecomLifecycle } from '../bots/wecom/lifecycle/wiring';
import { cachedOrg } from '../commands/cachedOrg';
import { caseStoreFrom } from '../commands/caseStore';
import { lifecycleConfig } from '../commands/config';
import { runCaseCommand } from '../commands/runCaseCommand';
import { submitReport } from '../commands/submitReport';
import { districtSeedSchema, type DistrictSeed } from '../config/district';
import { CallbackSender } from '../fakes/wecom/callbackSender';
import { FakeWecomServer, type InboxMessage } from '../fakes/wecom';
import { createLogger } from '../infra/logger';
import { QueueFirstAcceptor } from '../jobs/inbound/acceptors';
import { InboundDispatcher } from '../jobs/inbound/dispatcher';
import { InboundEventStore } from '../jobs/inbound/eventStore';
import { InboundQueue } from '../jobs/inbound/queue';
import { createInboundWorker } from '../jobs/inbound/worker';
import { bullConnectionFor, createOutbox, createOutboxWorker } from '../jobs/outbox';
import { createRedis, type RedisClient, type RedisTarget } from '../infra/redis';
import { startRedisCluster } from '../scripts/services/redisCluster';
import { CommandProfile } from './commandProfile';
import { CpuMeter } from './processCpu';
import { startFerretdb } from '../scripts/services/ferretdb';
import { startRedisServer } from '../scripts/services/redis';
import { checkInvariants, type Actor, type Case, type CaseState, type CommandResult, type TimelineEvent } from '../src/cases';
import { CaseRepository, SERVICE_FIGURES_FLUSH_MS } from '../store/caseRepository';
import { caseFromDoc } from '../store/caseMapping';
import { connectMongo } from '../store/connection';
import { caseModel } from '../store/models/case';
import { OrgRepository } from '../store/orgRepository';
import { positiveArg } from './args';
import { seedHistory } from './history';

interface Args {
  cases: number;
  users: number;
  workers: number;
  /** No new case starts after this many minutes; the ones under way finish, then the checker runs. */
  minutes: number;
  /** Print where database time went, by command shape. */
  profileDb: boolean;
  /** Closed and open cases of past years written into the store first, as a district that has run for years has them. */
  stored: number;
  /** FerretDB's backend when no MONGODB_URI is given: SQLite (as tests use) or PostgreSQL (for runs at size). */
  store: 'ferretdb-sqlite' | 'ferretdb-postgresql';
}

function parseArgs(argv: string[]): Args {
  const get = (name: string, fallback: number) => positiveArg(argv, name, fallback, true);
  const store = argv.find((a) => a.startsWith('--store='))?.slice('--store='.length) ?? 'ferretdb-sqlite';
  if (store !== 'ferretdb-sqlite' && store !== 'ferretdb-postgresql') throw new Error('--store must be ferretdb-sqlite or ferretdb-postgresql');
  return { cases: get('cases', 10_000), users: get('users', 12), workers: get('workers', 12), minutes: get('minutes', 240), profileDb: argv.includes('--profile-db'), store, stored: argv.some((a) => a.startsWith('--stored=')) ? get('stored', 1) : 0 };
}

const log = (line: string) => process.stdout.write(`${line}\n`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// ---- the district ------------------------------------------------------------------------------

const DISTRICT = 'bench-district';
const STREET = 'bench-street';
/** Category → its lead department (the taxonomy's), so each case exercises one department's leads. */
const CATEGORIES: readonly [string, string][] = [
  ['road', 'zhujian'],
  ['drainage', 'shuiwu'],
  ['street_light', 'chengguan'],
  ['parking', 'jiaojing'],
  ['noise', 'huanbao'],
  ['greening', 'yuanlin'],
];
const DEPARTMENTS = CATEGORIES.map(([, dept]) => dept);
const COMMUNITIES = 4;
const GRIDS_PER_COMMUNITY = 4;

function benchDistrict(): DistrictSeed {
  const communities = Array.from({ length: COMMUNITIES }, (_, c) => ({
    id: `c${c}`,
    name: `社区${c}`,
    grids: Array.from({ length: GRIDS_PER_COMMUNITY }, (_, g) => ({ id: `c${c}-g${g}`, name: `网格${c}-${g}` })),
  }));
  const deptUsers = DEPARTMENTS.flatMap((code) => [
    { userId: `${code}-lead1`, name: `${code}甲`, roles: ['dept_lead'], deptCode: code },
    { userId: `${code}-lead2`, name: `${code}乙`, roles: ['dept_lead'], deptCode: code },
    { userId: `${code}-staff`, name: `${code}丙`, roles: ['dept_member'], deptCode: code },
  ]);
  const gridUsers = communities.flatMap((c) => c.grids.map((g) => ({ userId: `grid-${g.id}`, name: `网格员${g.id}`, roles: ['grid_member'], gridId: g.id })));
  return districtSeedSchema.parse({
    district: { id: DISTRICT, name: '压测区', leadershipChat: { kind: 'webhook', key: 'wh-leaders' } },
    streets: [{ id: STREET, name: '压测街道', communities }],
    departments: DEPARTMENTS.map((code) => ({ code, chat: { kind: 'webhook', key: `wh-${code}` } })),
    users: [...deptUsers, ...gridUsers, { userId: 'dispatcher', name: '调度员', roles: ['dispatcher'], streetId: STREET }],
  });
}

// ---- cards as they reach the fake's inboxes ------------------------------------------------------

/** task id → delivered card, with waiters for cards not delivered yet. */
class DeliveredCards {
  private readonly cards = new Map<string, InboxMessage>();
  private readonly waiters = new Map<string, ((m: InboxMessage) => void)[]>();

  constructor(fake: FakeWecomServer) {
    const deliver = fake.inbox.deliver.bind(fake.inbox);
    fake.inbox.deliver = (message, recipients) => {
      deliver(message, recipients);
      const taskId = (message.body.template_card as { task_id?: string } | undefined)?.task_id;
      if (taskId === undefined) return;
      this.cards.set(taskId, message);
      for (const resolve of this.waiters.get(taskId) ?? []) resolve(message);
      this.waiters.delete(taskId);
    };
  }

  wait(taskId: string, timeoutMs = 600_000): Promise<InboxMessage> {
    const ready = this.cards.get(taskId);
    if (ready) return Promise.resolve(ready);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`card ${taskId} not delivered within ${timeoutMs} ms`)), timeoutMs);
      const list = this.waiters.get(taskId) ?? [];
      list.push((m) => {
        clearTimeout(timer);
        resolve(m);
      });
      this.waiters.set(taskId, list);
    });
  }
}

/** Resolves when the inbound worker has dispatched a tap (user, task, key) to the lifecycle. */
class HandledTaps {
  private readonly waiters = new Map<string, () => void>();
  private readonly done = new Set<string>();

  static key(user: string, taskId: string, eventKey: string): string {
    return `${user}|${taskId}|${eventKey}`;
  }

  handled(key: string): void {
    const resolve = this.waiters.get(key);
    if (resolve) {
      this.waiters.delete(key);
      resolve();
    } else this.done.add(key);
  }

  wait(key: string, timeoutMs = 600_000): Promise<void> {
    if (this.done.delete(key)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`tap ${key} not handled within ${timeoutMs} ms`)), timeoutMs);
      this.waiters.set(key, () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}

// ---- the simulated users -------------------------------------------------------------------------

interface Stats {
  tapLatencyMs: number[];
  commandLatencyMs: number[];
  submitLatencyMs: number[];
  taps: number;
  commands: number;
  flowErrors: string[];
}

interface World {
  lifecycle: WecomLifecycle;
  cards: DeliveredCards;
  taps: HandledTaps;
  callbacks: CallbackSender;
  fake: FakeWecomServer;
  stats: Stats;
}

function pick<T>(items: readonly T[]): T {
  const item = items[Math.floor(Math.random() * items.length)];
  if (item === undefined) throw new Error('pick from an empty list');
  return item;
}

async function tap(world: World, user: string, card: InboxMessage, eventKey: string, selections: CardSelection[] = [], replay = false): Promise<void> {
  const taskId = String((card.body.template_card as { task_id: string }).task_id);
  const waiting = world.taps.wait(HandledTaps.key(user, taskId, eventKey));
  const started = performance.now();
  const input = { fromUser: user, eventKey, taskId, responseCode: world.fake.issueResponseCode(card.msgid), selectedItems: selections, createTime: Math.floor(Date.now() / 1000) };
  const response = await world.callbacks.sendCardEvent(input);
  if (response.status !== 200) throw new Error(`callback answered ${response.status}`);
  // WeChat Work retries a callback it thinks failed: the same event again must change nothing.
  if (replay) await world.callbacks.sendCardEvent(input);
  await waiting;
  world.stats.tapLatencyMs.push(performance.now() - started);
  world.stats.taps += 1;
}

async function command(world: World, id: string, actor: Actor, cmd: Parameters<typeof runCaseCommand>[2]): Promise<CommandResult> {
  const started = performance.now();
  const result = await runCaseCommand(world.lifecycle.deps, { id }, cmd, { actor, channel: 'wecom', now: new Date() });
  world.stats.commandLatencyMs.push(performance.now() - started);
  world.stats.commands += 1;
  return result;
}

function staffOf(dept: string): Actor {
  return { userId: `${dept}-staff`, name: `${dept}丙`, role: 'dept_member', deptCode: dept };
}

/** One case from report to verified: what a grid member, two leads and a department member do. */
async function caseFlow(world: World, n: number): Promise<void> {
  const [category, lead] = pick(CATEGORIES);
  const assisting = Math.random() < 0.3 ? pick(DEPARTMENTS.filter((d) => d !== lead)) : undefined;
  const community = n % COMMUNITIES;
  const grid = `c${community}-g${n % GRIDS_PER_COMMUNITY}`;
  const reporter = `grid-${grid}`;
  const started = performance.now();
  const submitted = await submitReport(world.lifecycle.deps, {
    source: 'grid',
    channel: 'wecom',
    reporter: { userId: reporter },
    districtId: DISTRICT,
    streetId: STREET,
    communityId: `c${community}`,
    gridId: grid,
    text: `压测第${n}号问题：幸福路${n}号附近需要处理`,
    media: [],
    parsed: { category, urgency: 'daily', location: `幸福路${n}号`, departments: assisting ? [assisting] : [], confidence: 0.9 },
  });
  world.stats.submitLatencyMs.push(performance.now() - started);
  if (submitted.outcome !== 'whistled') throw new Error(`case ${n} was ${submitted.outcome}, not whistled`);
  const c = submitted.case;

  // Both leads tap 接哨 at once; sometimes an outsider taps too, sometimes WeChat Work replays a callback.
  const whistleCard = await world.cards.wait(taskIdFor('whistle', c.id, c.version, lead));
  const outsider = `${pick(DEPARTMENTS.filter((d) => d !== lead && d !== assisting))}-lead1`;
  await Promise.all([
    tap(world, `${lead}-lead1`, whistleCard, KEY.accept, [], Math.random() < 0.1),
    tap(world, `${lead}-lead2`, whistleCard, KEY.accept),
    ...(Math.random() < 0.1 ? [tap(world, outsider, whistleCard, KEY.accept)] : []),
  ]);
  if (assisting) {
    const assistCard = await world.cards.wait(taskIdFor('whistle', c.id, c.version, assisting));
    await tap(world, `${assisting}-lead1`, assistCard, KEY.accept);
    const done = await command(world, c.id, staffOf(assisting), { type: 'feedback', text: '协办部门已处理' });
    if (!done.ok) throw new Error(`assisting feedback refused: ${done.reason}`);
  }

  let leadDone = await command(world, c.id, staffOf(lead), { type: 'feedback', text: '已处理完毕' });
  if (!leadDone.ok) throw new Error(`lead feedback refused on case ${c.number}: ${leadDone.reason}`);
  if (Math.random() < 0.1) {
    const verifyCard = await world.cards.wait(taskIdFor('verify', c.id, leadDone.case.version));
    await tap(world, reporter, verifyCard, KEY.verifyUnsolved);
    const reasons = await world.cards.wait(taskIdFor('unsolved_reason', c.id, leadDone.case.version, reporter));
    await tap(world, reporter, reasons, KEY.unsolvedSubmit, [{ questionKey: QUESTION.reason, optionIds: ['still_there'] }]);
    leadDone = await command(world, c.id, staffOf(lead), { type: 'feedback', text: '已彻底处理' });
    if (!leadDone.ok) throw new Error(`second lead feedback refused on case ${c.number}: ${leadDone.reason}`);
  }
  const verifyCard = await world.cards.wait(taskIdFor('verify', c.id, leadDone.case.version));
  await tap(world, reporter, verifyCard, KEY.verifySolved);
}

async function runUsers(world: World, args: Args): Promise<{ seconds: number; finished: number }> {
  let next = 0;
  let finished = 0;
  const started = performance.now();
  const stopAt = started + args.minutes * 60_000;
  const user = async () => {
    for (let n = next++; n < args.cases && performance.now() < stopAt; n = next++) {
      try {
        await caseFlow(world, n);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        if (world.stats.flowErrors.length < 5) log(`  case ${n} failed: ${message}`);
        world.stats.flowErrors.push(message);
      }
      finished += 1;
      if (finished % 100 === 0) log(`  ${finished} cases done after ${((performance.now() - started) / 1000).toFixed(0)} s, ${(finished / ((performance.now() - started) / 1000)).toFixed(2)} cases/s`);
    }
  };
  await Promise.all(Array.from({ length: args.users }, user));
  return { seconds: (performance.now() - started) / 1000, finished };
}

// ---- the checker -----------------------------------------------------------------------------------

const OPEN_WORK: readonly CaseState[] = ['whistled', 'in_progress', 'awaiting_verification'];

/** Replays a timeline against the allowed transitions; returns what could not have happened. */
function timelineProblems(c: Case): string[] {
  const problems: string[] = [];
  let state: CaseState | undefined;
  const acceptedThisRound = new Set<string>();
  const commandIds = new Set<string>();
  const fail = (e: TimelineEvent, i: number) => problems.push(`${c.number} event ${i} ${e.type}${e.deptCode ? `(${e.deptCode})` : ''} in state ${state ?? 'none'}`);
  c.timeline.forEach((e, i) => {
    if (e.commandId !== undefined) {
      if (commandIds.has(e.commandId)) problems.push(`${c.number} command ${e.commandId} applied twice`);
      commandIds.add(e.commandId);
    }
    const lead = e.details.role === 'lead';
    switch (e.type) {
      case 'created':
        if (i !== 0) fail(e, i);
        state = e.details.level === 'community' ? 'community' : 'triage';
        return;
      case 'whistled':
        if (state !== 'triage' && state !== 'community') fail(e, i);
        acceptedThisRound.clear();
        state = 'whistled';
        return;
      case 'accepted':
        if (!OPEN_WORK.includes(state as CaseState) && state !== 'community') fail(e, i);
        if (acceptedThisRound.has(e.deptCode ?? '')) problems.push(`${c.number} ${e.deptCode} accepted twice in one whistle`);
        acceptedThisRound.add(e.deptCode ?? '');
        if (lead) state = 'in_progress';
        return;
      case 'returned':
        if (!OPEN_WORK.includes(state as CaseState)) fail(e, i);
        if (lead) state = 'triage';
        return;
      case 'feedback':
        if (!OPEN_WORK.includes(state as CaseState) || (lead && state !== 'in_progress')) fail(e, i);
        if (lead) state = 'awaiting_verification';
        return;
      case 'reopened':
        if (state !== 'awaiting_verification') fail(e, i);
        state = 'in_progress';
        return;
      case 'verified':
        if (state !== 'awaiting_verification') fail(e, i);
        state = 'closed';
        return;
      case 'rated':
      case 'whistle_rated':
        if (e.type === 'rated' && state !== 'closed') fail(e, i);
        return;
      case 'extension_requested':
      case 'extension_decided':
      case 'deadline_reminder':
      case 'deadline_escalation':
        if (!OPEN_WORK.includes(state as CaseState)) fail(e, i);
        return;
      case 'escalated_to_street':
        if (state !== 'community' && state !== 'in_progress') fail(e, i);
        state = 'triage';
        return;
      case 'merged':
      case 'cancelled':
        if (state === 'closed' || state === 'merged' || state === 'cancelled') fail(e, i);
        state = e.type;
        return;
      case 'duplicate_merged_in':
        return;
    }
  });
  if (state !== c.state) problems.push(`${c.number} timeline ends in ${state ?? 'none'} but the case is ${c.state}`);
  return problems;
}

interface CheckReport {
  cases: number;
  byState: Record<string, number>;
  impossible: string[];
  acceptedPerLeadWhistle: number;
}

async function checkAll(mongo: Connection): Promise<CheckReport> {
  const report: CheckReport = { cases: 0, byState: {}, impossible: [], acceptedPerLeadWhistle: 0 };
  let leadAccepts = 0;
  let leadWhistles = 0;
  // The bench's own cases only: the history seeded with --stored lives on another street.
  for await (const doc of caseModel(mongo).find({ streetId: STREET }).lean().cursor()) {
    const c = caseFromDoc(doc);
    report.cases += 1;
    report.byState[c.state] = (report.byState[c.state] ?? 0) + 1;
    report.impossible.push(...checkInvariants(c).map((p) => `${c.number}: ${p}`), ...timelineProblems(c));
    leadWhistles += c.timeline.filter((e) => e.type === 'whistled').length;
    leadAccepts += c.timeline.filter((e) => e.type === 'accepted' && e.details.role === 'lead').length;
  }
  report.acceptedPerLeadWhistle = leadWhistles === 0 ? 0 : leadAccepts / leadWhistles;
  return report;
}

// ---- set-up and report ---------------------------------------------------------------------------

function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

function latency(name: string, values: number[]): string {
  return `${name} p50 ${percentile(values, 50).toFixed(0)} ms, p99 ${percentile(values, 99).toFixed(0)} ms, max ${Math.max(0, ...values).toFixed(0)} ms`;
}

async function waitDrained(queues: { getJobCounts(...types: ('waiting' | 'active' | 'delayed' | 'prioritized')[]): Promise<Record<string, number>> }[]): Promise<void> {
  for (;;) {
    const counts = await Promise.all(queues.map((q) => q.getJobCounts('waiting', 'active', 'delayed', 'prioritized')));
    if (counts.every((c) => Object.values(c).every((n) => n === 0))) return;
    await sleep(100);
  }
}

async function run(args: Args, redisTarget: RedisTarget, mongoUri: string, postgres?: PostgresDatabase, servicePids: { ferretdb?: number; redis?: number } = {}): Promise<void> {
  const logger = createLogger({ level: 'silent' });
  const runId = `bench_${randomBytes(3).toString('hex')}`;
  // On a cluster every key must share one slot (see QUEUE_PREFIX).
  const prefix = redisTarget.REDIS_CLUSTER_NODES ? `{${runId}}` : runId;
  const mongo = await connectMongo(mongoUri, { serverSelectionTimeoutMS: 10_000, monitorCommands: args.profileDb });
  const profile = args.profileDb ? new CommandProfile(mongo) : undefined;
  const bench = mongo.useDb(`bench_lifecycle_${runId}`, { useCache: true });
  const redis = createRedis(redisTarget, undefined, { maxRetriesPerRequest: 3 });
  // BullMQ on a cluster shares one cluster client (blocking-safe: no retry limit); on one Redis it opens its own from the URL.
  const bullRedis: RedisClient | undefined = redisTarget.REDIS_CLUSTER_NODES ? createRedis(redisTarget) : undefined;
  const fake = new FakeWecomServer();
  await fake.listen();
  const org = new OrgRepository(bench);
  await org.loadSeed(benchDistrict());
  // As the service's composition root builds it.
  const repo = new CaseRepository(bench, { figuresFlushMs: SERVICE_FIGURES_FLUSH_MS });
  await repo.ensureIndexes();
  if (args.stored > 0) {
    await seedHistory(bench, args.stored, { districtId: DISTRICT, streetId: 'history-street', communityIds: ['c0', 'c1', 'c2', 'c3'], numberOffset: 500_000, log });
  }

  const connection = bullConnectionFor({ env: redisTarget, redis: bullRedis ?? redis });
  const client = new WecomApiClient({ ...fake.credentials(), redis, keyPrefix: prefix, timeoutMs: 10_000 });
  const outbox = createOutbox({ connection, redis, prefix, backoffMs: 200 });
  const outboxWorker = createOutboxWorker({ connection, prefix, client, redis, ratePerMinute: 6_000_000, robotLimit: null, memberLimit: null, concurrency: args.workers * 2 });
  const lifecycle = createWecomLifecycle({
    mongo: bench,
    cases: caseStoreFrom(repo, DISTRICT),
    org: cachedOrg(org),
    outbox,
    // Deadline timers are benchmarked on their own (bench:deadlines); here they would only add Redis load.
    deadlines: { syncCase: async () => undefined },
    config: lifecycleConfig(),
  });

  const secrets = { corpId: fake.corpId, token: 'BenchToken', encodingAesKey: randomBytes(32).toString('base64').slice(0, 43) };
  const inboundQueue = new InboundQueue({ connection, prefix });
  const router = createWecomCallbackRouter({ config: { ...secrets, maxBodyBytes: 1 << 20, timestampWindowSeconds: 300 }, logger, inbound: new QueueFirstAcceptor(inboundQueue, redis) });
  const app = new Koa();
  app.use(router.routes()).use(router.allowedMethods());
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const taps = new HandledTaps();
  const dispatcher = new InboundDispatcher(logger);
  registerLifecycleListeners(dispatcher, lifecycle);
  dispatcher.onAction(KEY_PREFIX, (event) => {
    if (event.type === 'template_card_event') taps.handled(HandledTaps.key(event.fromUser, event.taskId, event.eventKey));
  });
  const inboundWorker = createInboundWorker({ connection, redis, prefix, store: new InboundEventStore(bench), dispatcher, logger, concurrency: args.workers });
  const callbacks = new CallbackSender({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/wecom/callback`, ...secrets, agentId: fake.agentId });

  const stats: Stats = { tapLatencyMs: [], commandLatencyMs: [], submitLatencyMs: [], taps: 0, commands: 0, flowErrors: [] };
  const world: World = { lifecycle, cards: new DeliveredCards(fake), taps, callbacks, fake, stats };
  if (postgres) {
    // Every collection exists before the load starts, so each FerretDB table can get its `_id` index.
    await Promise.all(bench.modelNames().map((name) => bench.model(name).createCollection()));
    postgres.indexIds(bench.name);
  }
  try {
    log(`driving ${args.cases} cases with ${args.users} concurrent users (inbound worker concurrency ${args.workers})`);
    const cpu = new CpuMeter({ node: process.pid, ferretdb: servicePids.ferretdb, redis: servicePids.redis });
    cpu.start();
    const { seconds, finished } = await runUsers(world, args);
    await waitDrained([inboundQueue.queue, outbox.queue]);
    cpu.stop();
    const failedSends = (await outbox.queue.getFailed()).length;
    const failedCallbacks = (await inboundQueue.queue.getFailed()).length;
    const sent = fake.callLog('/cgi-bin/message/send').length + fake.callLog('/cgi-bin/webhook/send').length;
    const updates = fake.callLog('/cgi-bin/message/update_template_card').length;
    await repo.flushFigures();
    log('checking every timeline…');
    const check = await checkAll(bench);

    log('');
    log(`cases:        ${finished} of ${args.cases} in ${seconds.toFixed(1)} s${finished < args.cases ? ` (stopped starting new ones after ${args.minutes} min)` : ''} → ${(finished / seconds).toFixed(2)} cases/s end to end (whistle → accept → feedback → verify)`);
    log(`taps:         ${stats.taps} callbacks handled, ${(stats.taps / seconds).toFixed(0)}/s; ${latency('callback → handled', stats.tapLatencyMs)}`);
    log(`commands:     ${stats.commands} runCaseCommand, ${latency('latency', stats.commandLatencyMs)}`);
    log(`reports:      ${latency('submitReport', stats.submitLatencyMs)}`);
    log(`wecom calls:  ${sent} messages sent, ${updates} card updates; failed sends ${failedSends}, failed callbacks ${failedCallbacks}`);
    log(`cpu:          ${cpu.report(finished)} while driving (the machine's load average then: ${loadavg()[0]!.toFixed(1)})`);
    log(`flow errors:  ${stats.flowErrors.length}${stats.flowErrors.length ? ` (first: ${stats.flowErrors.slice(0, 3).join(' | ')})` : ''}`);
    log(`final states: ${JSON.stringify(check.byState)} over ${check.cases} cases`);
    log(`lead accepts per whistle: ${check.acceptedPerLeadWhistle.toFixed(3)} (every whistle had two leads tapping at once)`);
    log(`impossible:   ${check.impossible.length}${check.impossible.length ? `\n  ${check.impossible.slice(0, 20).join('\n  ')}` : ' — no case in an impossible state'}`);
    if (profile) log(`database time by command shape (top 40):\n  ${profile.report(40).join('\n  ')}`);
    if (check.impossible.length > 0 || stats.flowErrors.length > 0 || failedSends > 0 || failedCallbacks > 0) process.exitCode = 1;
  } finally {
    await inboundWorker.close(true);
    await inboundQueue.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await outboxWorker.close(true);
    await outbox.close();
    await fake.close();
    await repo.flushFigures();
    await bench.dropDatabase().catch(() => undefined);
    await mongo.close();
    redis.disconnect();
    bullRedis?.disconnect();
  }
}

interface PostgresDatabase {
  url: string;
  /** Gives every FerretDB table of the MongoDB database `schema` an index its `_id` lookups use. */
  indexIds(schema: string): void;
  drop(): void;
}

/**
 * A fresh database for FerretDB's PostgreSQL backend (UTF8, C locale, as it requires), through
 * `psql` on BENCH_POSTGRES_URL (default: the local server's postgres database, trust auth).
 *
 * FerretDB v1 turns `{_id: v}` into `_jsonb->'_id' @> v`, which its own btree `_id` index cannot
 * serve, so every lookup by `_id` reads the whole table and a run slows as cases accumulate. A GIN
 * index on `_jsonb->'_id'` serves `@>` (with custom plans, where the key is a constant): lookups by
 * `_id` then cost what they cost on MongoDB, and the run measures the bot instead of that scan.
 */
function createPostgresDatabase(name: string): PostgresDatabase {
  const admin = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const url = new URL(admin);
  url.pathname = `/${name}`;
  const psql = (target: string, sql: string) => {
    const result = spawnSync('psql', [target, '-v', 'ON_ERROR_STOP=1', '-qc', sql], { encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`psql failed (${sql.slice(0, 80)}…): ${result.stderr || result.error?.message}. Is PostgreSQL running? Set BENCH_POSTGRES_URL.`);
  };
  psql(admin, `CREATE DATABASE ${name} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'`);
  psql(admin, `ALTER DATABASE ${name} SET plan_cache_mode = force_custom_plan`);
  return {
    url: url.toString(),
    indexIds: (schema) =>
      psql(
        url.toString(),
        `DO $$ DECLARE t record; BEGIN
           FOR t IN SELECT tablename FROM pg_tables WHERE schemaname = '${schema}' AND tablename NOT LIKE '\_ferretdb%' LOOP
             EXECUTE format('CREATE INDEX IF NOT EXISTS %I ON %I.%I USING gin ((_jsonb->''_id''))', t.tablename || '_id_gin', '${schema}', t.tablename);
           END LOOP;
         END $$`,
      ),
    drop: () => psql(admin, `DROP DATABASE IF EXISTS ${name}`),
  };
}

/** `--sqlite-synchronous=full|normal`: SQLite's PRAGMA synchronous for the default store (full unless given). */
function sqliteSynchronousArg(argv: string[]): 'full' | 'normal' {
  const value = argv.find((a) => a.startsWith('--sqlite-synchronous='))?.slice('--sqlite-synchronous='.length) ?? 'full';
  if (value !== 'full' && value !== 'normal') throw new Error('--sqlite-synchronous must be full or normal');
  return value;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const dir = `${process.cwd()}/.data/bench-lifecycle-${process.pid}`;
  const onCluster = process.argv.includes('--redis-cluster');
  const redis = process.env.REDIS_URL || onCluster ? undefined : await startRedisServer({ dir: `${dir}/redis`, log });
  const cluster = onCluster ? await startRedisCluster({ dir: `${dir}/redis-cluster`, log }) : undefined;
  const postgres = !process.env.MONGODB_URI && args.store === 'ferretdb-postgresql' ? createPostgresDatabase(`whistlebot_bench_${process.pid}`) : undefined;
  const ferret = process.env.MONGODB_URI ? undefined : await startFerretdb({ dir: `${dir}/ferretdb`, log, ...(postgres && { postgresqlUrl: postgres.url }), pushdownIndexes: !process.argv.includes('--no-pushdown-indexes'), sqliteSynchronous: sqliteSynchronousArg(process.argv) });
  const stopServices = async () => {
    await redis?.stop();
    await cluster?.stop();
    await ferret?.stop();
    postgres?.drop();
    rmSync(dir, { recursive: true, force: true });
  };
  // Interrupted: still stop the servers this run started.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void stopServices().finally(() => process.exit(130)));
  try {
    const redisTarget: RedisTarget = cluster ? { REDIS_URL: cluster.url, REDIS_CLUSTER_NODES: cluster.nodes } : { REDIS_URL: process.env.REDIS_URL ?? redis?.url ?? '' };
    if (cluster) log(`redis:        a Redis Cluster of ${cluster.nodes.length} masters on ports ${cluster.nodes.map((n) => n.port).join(', ')}, keys under a hash-tagged prefix`);
    await run(args, redisTarget, process.env.MONGODB_URI ?? ferret?.uri ?? '', postgres, { ...(ferret && { ferretdb: ferret.pid }), ...(redis && { redis: redis.pid }) });
  } finally {
    await stopServices();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
