import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { conversationModule } from '../../../../app/conversationModule';
import { lifecycleModule } from '../../../../app/lifecycleModule';
import { startRuntime, type Runtime } from '../../../../app/runtime';
import { wecomGateway } from '../../../../app/wecomGateway';
import { loadEnv } from '../../../../config';
import { FakeWecomServer } from '../../../../fakes/wecom';
import { CallbackSender } from '../../../../fakes/wecom/callbackSender';
import { createLogger } from '../../../../infra/logger';
import { CaseRepository } from '../../../../store/caseRepository';
import { testMongoUri, testPrefix, testRedisUrl } from '../../../support/isolation';
import { TEST_CONVERSATION_CONFIG, cardOf, rowsOf, waitFor } from './support/harness';

/** The module as the app composes it: gateway, lifecycle and conversation in one runtime. */
describe('conversationModule in the app runtime', () => {
  const fake = new FakeWecomServer();
  const secrets = { token: randomBytes(12).toString('hex'), encodingAesKey: randomBytes(32).toString('base64').slice(0, 43) };
  let runtime: Runtime;
  let mediaDir: string;

  beforeAll(async () => {
    await fake.listen();
    mediaDir = await mkdtemp(join(tmpdir(), 'wb-conv-module-'));
    const env = loadEnv({
      ROLE: 'all',
      PORT: '0',
      HOST: '127.0.0.1',
      MONGODB_URI: testMongoUri('conversation_module'),
      REDIS_URL: testRedisUrl(),
      QUEUE_PREFIX: testPrefix('conversation_module'),
      MEDIA_DIR: mediaDir,
      ...fake.appEnv(secrets),
    });
    runtime = await startRuntime(env, createLogger({ level: 'silent' }), (infra) => {
      const gateway = wecomGateway(infra);
      const lifecycle = lifecycleModule(infra, { cases: new CaseRepository(infra.mongo), deadlines: { syncCase: async () => undefined }, dispatcher: gateway.dispatcher, org: infra.org });
      return [lifecycle, conversationModule(infra, { lifecycle: lifecycle.deps, gateway, config: TEST_CONVERSATION_CONFIG }), gateway];
    });
  });

  afterAll(async () => {
    await runtime?.mongo.dropDatabase().catch(() => undefined);
    await runtime?.stop();
    await fake.close();
    await rm(mediaDir, { recursive: true, force: true });
  });

  it('answers a grid member through the callback URL with a confirmation card', async () => {
    const sender = new CallbackSender({ url: `${runtime.url}/wecom/callback`, corpId: fake.corpId, agentId: fake.agentId, ...secrets });
    const response = await sender.sendText('grid-zhao', '和平社区北门下水道堵了，污水漫到路上');
    expect(response).toEqual({ status: 200, body: '' });
    await waitFor('the confirmation card', () => fake.inbox.user('grid-zhao').length > 0);
    const card = fake.inbox.user('grid-zhao')[0];
    if (!card) throw new Error('no card');
    expect(rowsOf(cardOf(card))).toMatchObject({ 类别: '排水防涝', 承办部门: '水务局' });
  });
});
