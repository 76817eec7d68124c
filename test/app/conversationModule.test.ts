import { conversationApp, cardOf, rowsOf } from '../bots/wecom/conversation/support/conversationApp';
import { waitFor } from '../support/wait';

/** The module as the app composes it: gateway, lifecycle and conversation in one runtime. */
describe('conversationModule in the app runtime', () => {
  const h = conversationApp('conversation_module');
  beforeAll(() => h.start());
  afterAll(() => h.stop());

  it('answers a grid member through the callback URL with a confirmation card', async () => {
    const response = await h.callbacks.sendText('grid-zhao', '和平社区北门下水道堵了，污水漫到路上');
    expect(response).toEqual({ status: 200, body: '' });
    await waitFor('the confirmation card', () => h.fake.inbox.user('grid-zhao').length > 0);
    const card = h.fake.inbox.user('grid-zhao')[0];
    if (!card) throw new Error('no card');
    expect(rowsOf(cardOf(card))).toMatchObject({ 类别: '排水防涝', 承办部门: '水务局' });
  });
});
