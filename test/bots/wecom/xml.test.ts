import { normaliseInbound } from '../../../bots/wecom/inboundNormalise';
import { buildCallbackXml, parseCallbackXml } from '../../../bots/wecom/xml';
import { rejectionReason as reasonOf } from './support/officialVector';

describe('callback XML', () => {
  test('keeps CDATA literal, decodes only predefined entities outside it, keeps 64-bit ids as strings', () => {
    const xml = parseCallbackXml('<xml><A><![CDATA[a &amp; b]]></A><B>x &amp; &#20013;</B><MsgId>1234567890123456789</MsgId></xml>');
    expect(xml).toEqual({ A: 'a &amp; b', B: 'x & 中', MsgId: '1234567890123456789' });
  });

  test('build and parse round trip, including "]]>" inside text', () => {
    const text = 'weird ]]> text <b>';
    expect(parseCallbackXml(buildCallbackXml({ Content: text, N: 5 }))).toEqual({ Content: text, N: '5' });
  });

  test.each([
    ['DOCTYPE', '<!DOCTYPE xml [<!ENTITY a "b">]><xml><A>&a;</A></xml>'],
    ['lower-case doctype', '<!doctype xml><xml/>'],
    ['billion laughs', '<?xml version="1.0"?><!DOCTYPE l [<!ENTITY l0 "ha"><!ENTITY l1 "&l0;&l0;">]><xml><A>&l1;</A></xml>'],
    ['external entity', '<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><xml><A>&xxe;</A></xml>'],
  ])('refuses %s', (_label, text) => {
    expect(reasonOf(() => parseCallbackXml(text))).toBe('dtd_forbidden');
  });

  test.each([['not xml'], ['{"json":true}'], ['<xml><A></xml>'], ['<root><A>1</A></root>'], ['']])('refuses non-XML %p', (text) => {
    expect(reasonOf(() => parseCallbackXml(text))).toBe('not_xml');
  });

  test('the flat fast path and the full parser agree (a comment forces the full parser)', () => {
    const docs = [
      buildCallbackXml({ ToUserName: 'c', FromUserName: 'u', CreateTime: 1, MsgType: 'text', Content: '路灯 ]] ]> & <坏了>', MsgId: '9', AgentID: 1 }),
      buildCallbackXml({ A: 'split ]]> cdata', B: '' }),
      '<xml>\n  <A><![CDATA[x]]></A>\n  <B> 5 </B>\n  <C>a &amp; b &#20013; &foo;</C>\n</xml>\n',
      '<xml><A>1</A><A>2</A></xml>',
    ];
    for (const doc of docs) {
      expect(parseCallbackXml(doc)).toEqual(parseCallbackXml(doc.replace('<xml>', '<xml><!-- full parser -->')));
    }
  });

  test('an empty <xml></xml> has no fields', () => {
    expect(parseCallbackXml('<xml></xml>')).toEqual({});
  });

  test('an unknown entity reference is left as text, never expanded', () => {
    expect(parseCallbackXml('<xml><A>&foo;</A></xml>')).toEqual({ A: '&foo;' });
  });
});

describe('normaliseInbound', () => {
  const base = { ToUserName: 'corp', FromUserName: 'zhangsan', CreateTime: 1700000000, AgentID: 1000002 };

  test('a multiple_interaction card event with one and with several selections', () => {
    const xml = buildCallbackXml({
      ...base,
      MsgType: 'event',
      Event: 'template_card_event',
      EventKey: 'case:42:rate',
      TaskId: 'task-42',
      CardType: 'multiple_interaction',
      ResponseCode: 'rc',
      SelectedItems: {
        SelectedItem: [
          { QuestionKey: 'q1', OptionIds: { OptionId: ['a'] } },
          { QuestionKey: 'q2', OptionIds: { OptionId: ['b', 'c'] } },
        ],
      },
    });
    const event = normaliseInbound(parseCallbackXml(xml));
    expect(event).toMatchObject({
      type: 'template_card_event',
      fromUser: 'zhangsan',
      createTime: 1700000000,
      agentId: 1000002,
      eventKey: 'case:42:rate',
      taskId: 'task-42',
      cardType: 'multiple_interaction',
      responseCode: 'rc',
      selectedItems: [
        { questionKey: 'q1', optionIds: ['a'] },
        { questionKey: 'q2', optionIds: ['b', 'c'] },
      ],
    });
    expect(event.dedupeKey).toMatch(/^evt-[0-9a-f]{40}$/);
  });

  test('event dedupe keys: same retry → same key; different TaskId or key → different', () => {
    const card = (taskId: string, key: string) =>
      normaliseInbound(parseCallbackXml(buildCallbackXml({ ...base, MsgType: 'event', Event: 'template_card_event', EventKey: key, TaskId: taskId }))).dedupeKey;
    expect(card('t1', 'k')).toBe(card('t1', 'k'));
    expect(card('t1', 'k')).not.toBe(card('t2', 'k'));
    expect(card('t1', 'k')).not.toBe(card('t1', 'k2'));
  });

  test('an unknown message type and an unknown event become `unknown`, not errors', () => {
    const msg = normaliseInbound(parseCallbackXml(buildCallbackXml({ ...base, MsgType: 'miniprogram', MsgId: '77' })));
    expect(msg).toMatchObject({ type: 'unknown', msgType: 'miniprogram', dedupeKey: 'msg-77' });
    const evt = normaliseInbound(parseCallbackXml(buildCallbackXml({ ...base, MsgType: 'event', Event: 'batch_job_result' })));
    expect(evt).toMatchObject({ type: 'unknown', msgType: 'event', event: 'batch_job_result' });
  });

  test('a message without a sender or MsgId is refused as bad_message', () => {
    expect(reasonOf(() => normaliseInbound(parseCallbackXml(buildCallbackXml({ MsgType: 'text', MsgId: '1', CreateTime: 1 }))))).toBe('bad_message');
    expect(reasonOf(() => normaliseInbound(parseCallbackXml(buildCallbackXml({ ...base, MsgType: 'text' }))))).toBe('bad_message');
  });
});
