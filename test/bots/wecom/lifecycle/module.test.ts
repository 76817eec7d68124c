import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Redis from 'ioredis';
import type { Infrastructure } from '../../../../app/runtime';
import { closeAll } from '../../../../app/closeables';
import { KEY } from '../../../../bots/wecom/lifecycle/buttonKeys';
import { lifecycleModule } from '../../../../bots/wecom/lifecycle/module';
import { submitReport } from '../../../../commands/submitReport';
import { loadEnv } from '../../../../config';
import { loadDistrictSeed } from '../../../../config/district';
import { createLogger } from '../../../../infra/logger';
import { InboundDispatcher } from '../../../../jobs/inbound/dispatcher';
import { connectMongo } from '../../../../store/connection';
import { OrgRepository } from '../../../../store/orgRepository';
import { createWebApp } from '../../../../web/app';
import { testMongoUri, testPrefix, testRedisUrl } from '../../../support/isolation';

/** The module as the lead wires it: card taps on the worker role (the stats route is app/statsModule's). */
describe('lifecycleModule', () => {
  let infra: Infrastructure;
  let server: Server;
  let url: string;
  const dispatcher = new InboundDispatcher();
  const synced: string[] = [];
  const module = lifecycleModule({ deadlines: () => ({ syncCase: async (c) => void synced.push(c.id) }), dispatcher: () => dispatcher });

  beforeAll(async () => {
    const env = loadEnv({ MONGODB_URI: testMongoUri('lifecycle_module'), REDIS_URL: testRedisUrl(), QUEUE_PREFIX: testPrefix('lifecycle_module'), STATS_API_TOKEN: 'module-token', LOG_LEVEL: 'silent' });
    const mongo = await connectMongo(env.MONGODB_URI);
    const org = new OrgRepository(mongo);
    await org.loadSeed(loadDistrictSeed(env.DISTRICT_CONFIG));
    const redis = new Redis(env.REDIS_URL);
    infra = { env, logger: createLogger({ level: 'silent' }), mongo, redis, org, closeables: [{ name: 'mongo', close: () => mongo.close() }, { name: 'redis', close: async () => void redis.disconnect() }] };
    // What the worker role started (the duplicate-key pruner's queue, worker and scheduler) is closed with the rest.
    infra.closeables.push(...((await module.startWorkers?.(infra)) ?? []));
    server = createServer(createWebApp({ logger: infra.logger, routers: module.routers?.(infra) ?? [] }).callback());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await infra.mongo.dropDatabase();
    await closeAll(infra.closeables, 10_000, infra.logger);
  });

  it('gives the conversation and the mini-program one lifecycle, with SLA deadlines and the deadline engine', async () => {
    expect(module.deps(infra)).toBe(module.lifecycle(infra).deps);
    const deps = module.deps(infra);
    expect(deps.config.plan).toBeDefined();
    const outcome = await submitReport(deps, {
      source: 'grid',
      channel: 'wecom',
      reporter: { userId: 'grid-zhang' },
      districtId: 'demo-district',
      streetId: 'wenming',
      communityId: 'nongji',
      gridId: 'nongji-1',
      text: '农机路3号路面塌陷',
      media: [],
      parsed: { category: 'road', urgency: 'key', location: '农机路3号', departments: [], confidence: 0.9 },
    });
    expect(outcome.outcome).toBe('whistled');
    expect(outcome.case.assignments[0]?.acceptDueAt).toBeInstanceOf(Date);
    expect(synced).toContain(outcome.case.id);
  });

  it('listens to lifecycle card taps on the inbound dispatcher', async () => {
    const handled = await dispatcher.dispatch({
      type: 'template_card_event',
      fromUser: 'zhujian-lead',
      toUser: 'corp',
      createTime: 1,
      agentId: 1,
      dedupeKey: 'evt:module-test',
      eventKey: KEY.accept,
      taskId: 'unknown-task',
      cardType: 'button_interaction',
      responseCode: undefined,
      selectedItems: [],
    });
    expect(handled).toBe(1);
  });
});
