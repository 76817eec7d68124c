import type { InboxMessage } from '../../../fakes/wecom/inbox';
import { presentCard, groupLine, presentInboxMessage } from '../../../web/sandbox/views';

const whistleCard = {
  card_type: 'button_interaction',
  task_id: 'whistle-1',
  main_title: { title: '【吹哨】道路破损', desc: '住建局 · 牵头办理' },
  horizontal_content_list: [{ keyname: '案件编号', value: '2026-000001' }],
  button_list: [
    { text: '接哨报到', key: 'lc_accept', style: 1 },
    { text: '退回', key: 'lc_return', style: 2 },
  ],
};

function message(updates: InboxMessage['updates'] = []): InboxMessage {
  return { msgid: 'm1', channel: 'app', msgtype: 'template_card', body: { msgtype: 'template_card', template_card: whistleCard }, at: new Date(0), updates };
}

describe('sandbox console views of what the bot sent', () => {
  it('reads a button card with its rows and buttons', () => {
    expect(presentCard(whistleCard)).toMatchObject({
      cardType: 'button_interaction',
      taskId: 'whistle-1',
      title: '【吹哨】道路破损',
      rows: [{ key: '案件编号', value: '2026-000001' }],
      buttons: [{ text: '接哨报到', key: 'lc_accept' }, { text: '退回', key: 'lc_return' }],
    });
  });

  it('reads a multiple_interaction card with its questions and submit button', () => {
    const view = presentCard({
      card_type: 'multiple_interaction',
      main_title: { title: '请选择承办部门' },
      select_list: [{ question_key: 'lead', title: '牵头部门', option_list: [{ id: 'zhujian', text: '住建局' }] }],
      submit_button: { text: '吹哨派单', key: 'lc_triage' },
    });
    expect(view.selects).toEqual([{ questionKey: 'lead', title: '牵头部门', options: [{ id: 'zhujian', text: '住建局' }] }]);
    expect(view.buttons).toEqual([{ text: '吹哨派单', key: 'lc_triage' }]);
  });

  it('marks a card finished when an update replaces its button for everyone', () => {
    const view = presentInboxMessage(message([{ at: new Date(1), for: 'all', body: { button: { replace_name: '已由王科长接哨' } } }]), 'zhujian-lead');
    expect(view.card?.finished).toBe('已由王科长接哨');
  });

  it('shows a redrawn card with its replace_text, and ignores updates meant for someone else', () => {
    const redrawn = { at: new Date(1), for: 'all' as const, body: { template_card: { ...whistleCard, main_title: { title: '【已接哨】道路破损' }, replace_text: '王科长 16:05 接哨' } } };
    const onlyForOther = { at: new Date(2), for: ['someone-else'], body: { button: { replace_name: '不是您的案件' } } };
    const view = presentInboxMessage(message([redrawn, onlyForOther]), 'zhujian-lead');
    expect(view.card).toMatchObject({ title: '【已接哨】道路破损', finished: '王科长 16:05 接哨' });
  });

  it('turns a group chat message into one line', () => {
    const text: InboxMessage = { msgid: 'm2', channel: 'webhook', msgtype: 'text', body: { msgtype: 'text', text: { content: '【催办提醒】2026-000001' } }, at: new Date(0), updates: [] };
    expect(groupLine(text).text).toBe('【催办提醒】2026-000001');
    expect(groupLine(message()).text).toBe('【【吹哨】道路破损】住建局 · 牵头办理');
  });
});
