import type { InboundEvent, InboundEventOf } from '../../../bots/wecom/events';
import { InboundDispatcher } from '../../../jobs/inbound/dispatcher';

const base = { fromUser: 'u', toUser: 'corp', createTime: 1, agentId: 1 };
const card = (eventKey: string): InboundEventOf<'template_card_event'> => ({
  ...base,
  type: 'template_card_event',
  dedupeKey: `evt-${eventKey}`,
  eventKey,
  taskId: 't',
  cardType: 'button_interaction',
  responseCode: undefined,
  selectedItems: [],
});

describe('InboundDispatcher', () => {
  test('routes by type and by EventKey prefix, in registration order', async () => {
    const seen: string[] = [];
    const dispatcher = new InboundDispatcher()
      .on('text', (event) => void seen.push(`text:${event.content}`))
      .on('template_card_event', (event) => void seen.push(`card:${event.eventKey}`))
      .onAction('case:', (event) => void seen.push(`action:${event.eventKey}`))
      .onAction('menu:', (event) => void seen.push(`menu:${event.eventKey}`));

    const text: InboundEvent = { ...base, type: 'text', dedupeKey: 'msg-1', msgId: '1', content: 'hi' };
    expect(await dispatcher.dispatch(text)).toBe(1);
    expect(await dispatcher.dispatch(card('case:1:accept'))).toBe(2);
    expect(await dispatcher.dispatch({ ...base, type: 'click', dedupeKey: 'evt-m', eventKey: 'menu:report' })).toBe(1);
    expect(await dispatcher.dispatch({ ...base, type: 'enter_agent', dedupeKey: 'evt-e' })).toBe(0);
    expect(seen).toEqual(['text:hi', 'card:case:1:accept', 'action:case:1:accept', 'menu:menu:report']);
  });

  test('a throwing listener rejects dispatch (so the job is retried)', async () => {
    const dispatcher = new InboundDispatcher().onAction('x', () => {
      throw new Error('boom');
    });
    await expect(dispatcher.dispatch(card('x1'))).rejects.toThrow('boom');
  });
});
