import { encryptCallback, signCallback } from '../../../../bots/wecom/crypto';
import type { LogLine } from '../../../support/capturedLogs';
import { startHarness, TEST_CORP, type Harness } from '../inbound/support/harness';

const NOW = Date.now();

describe('inbound callbacks: bad input is refused, nothing stored or enqueued', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness('inbound_rejects', { config: { maxBodyBytes: 64 * 1024 }, now: () => NOW });
    h.startWorker();
  });

  afterAll(async () => {
    await h.close();
  });

  function rejections(): LogLine[] {
    return h.logs.filter((line) => line.msg.startsWith('wecom callback rejected'));
  }

  async function expectRefused(send: () => Promise<{ status: number; body: string }>, status: number, reason: string): Promise<void> {
    const before = rejections().length;
    const response = await send();
    expect(response.status).toBe(status);
    const lines = rejections().slice(before);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ reason, status, level: 40 });
    expect(await h.store.count()).toBe(0);
    expect(await h.queuedCount()).toBe(0);
  }

  const textXml = () => h.sender.messageXml({ fromUser: 'mallory' }, 'text', { Content: 'hi' });
  const seconds = Math.floor(NOW / 1000);

  test('wrong signature', async () => {
    await expectRefused(() => h.sender.sendXml(textXml(), { signature: 'a'.repeat(40) }), 401, 'bad_signature');
    await expectRefused(() => h.sender.sendXml(textXml(), { signature: 'not-hex' }), 401, 'bad_signature');
  });

  test('signature made with another token', async () => {
    const encrypted = encryptCallback(TEST_CORP.encodingAesKey, textXml(), TEST_CORP.corpId);
    const signature = signCallback('OtherToken', String(seconds), 'n1', encrypted);
    await expectRefused(() => h.sender.sendRaw({ encrypted, signature, timestamp: String(seconds), nonce: 'n1' }), 401, 'bad_signature');
  });

  test('stale and future timestamps outside the window', async () => {
    await expectRefused(() => h.sender.sendXml(textXml(), { timestamp: String(seconds - 301) }), 401, 'stale_timestamp');
    await expectRefused(() => h.sender.sendXml(textXml(), { timestamp: String(seconds + 301) }), 401, 'stale_timestamp');
    await expectRefused(() => h.sender.sendXml(textXml(), { timestamp: 'yesterday' }), 401, 'stale_timestamp');
  });

  test('missing query parameters', async () => {
    const before = rejections().length;
    const response = await fetch(h.url, { method: 'POST', body: '<xml/>' });
    expect(response.status).toBe(400);
    expect(rejections().slice(before)[0]).toMatchObject({ reason: 'missing_params' });
  });

  test('foreign receive id', async () => {
    await expectRefused(() => h.sender.sendXml(textXml(), { receiveId: 'wwsomeoneelse' }), 403, 'foreign_receive_id');
  });

  test('non-XML body', async () => {
    await expectRefused(() => h.sender.sendRaw({ body: '{"Encrypt":"abc"}', contentType: 'application/json' }), 400, 'not_xml');
    await expectRefused(() => h.sender.sendRaw({ body: '<xml><Encrypt>abc' }), 400, 'not_xml');
  });

  test('envelope without <Encrypt>', async () => {
    await expectRefused(() => h.sender.sendRaw({ body: '<xml><ToUserName>x</ToUserName></xml>' }), 400, 'missing_encrypt');
  });

  test('a DTD or entity in the envelope', async () => {
    const body = '<!DOCTYPE xml [<!ENTITY e SYSTEM "file:///etc/passwd">]><xml><Encrypt>&e;</Encrypt></xml>';
    await expectRefused(() => h.sender.sendRaw({ body }), 400, 'dtd_forbidden');
    await expectRefused(() => h.sender.sendRaw({ body: '<xml><!ENTITY x "y"><Encrypt>a</Encrypt></xml>' }), 400, 'dtd_forbidden');
  });

  test('a DTD inside the (correctly encrypted and signed) payload', async () => {
    const xml = `<!DOCTYPE xml [<!ENTITY lol "lol">]>${textXml().replace('hi', '&lol;')}`;
    await expectRefused(() => h.sender.sendXml(xml), 400, 'dtd_forbidden');
  });

  test('unsigned junk that is not an envelope is refused as such, before its signature is checked', async () => {
    const junk = `<xml><Encrypt>abcd</Encrypt>${'<b>1</b>'.repeat(6000)}`;
    await expectRefused(() => h.sender.sendRaw({ body: junk, signature: 'b'.repeat(40) }), 400, 'not_xml');
    await expectRefused(() => h.sender.sendRaw({ body: '<xml><Encrypt>a</Encrypt><Encrypt>b</Encrypt></xml>' }), 400, 'not_xml');
  });

  test('deeply nested XML, unsigned or signed, is a 400 with one short line, never a 500 or a stack', async () => {
    const nested = (depth: number) => `<xml>${'<a>'.repeat(depth)}${'</a>'.repeat(depth)}</xml>`;
    await expectRefused(() => h.sender.sendRaw({ body: nested(7000) }), 400, 'not_xml');
    await expectRefused(() => h.sender.sendXml(nested(5000)), 400, 'not_xml');
    expect(h.logs.filter((line) => line.level >= 50)).toEqual([]);
  });

  test('a payload that decrypts to non-XML', async () => {
    await expectRefused(() => h.sender.sendXml('hello, not xml'), 400, 'not_xml');
  });

  test('invalid base64 ciphertext (signed, so it reaches the decryptor)', async () => {
    await expectRefused(() => h.sender.sendRaw({ encrypted: 'this is not base64!' }), 400, 'bad_base64');
    await expectRefused(() => h.sender.sendRaw({ encrypted: Buffer.alloc(40, 1).toString('base64') }), 400, 'bad_base64');
  });

  test('bad PKCS#7 padding', async () => {
    const bytes = Buffer.from(encryptCallback(TEST_CORP.encodingAesKey, textXml(), TEST_CORP.corpId), 'base64');
    bytes[bytes.length - 20] = (bytes[bytes.length - 20] ?? 0) ^ 0x55;
    await expectRefused(() => h.sender.sendRaw({ encrypted: bytes.toString('base64') }), 400, 'bad_padding');
  });

  test('body over the limit (declared and chunked)', async () => {
    const huge = `<xml><Encrypt>${'A'.repeat(70 * 1024)}</Encrypt></xml>`;
    await expectRefused(() => h.sender.sendRaw({ body: huge }), 413, 'body_too_large');
    const before = rejections().length;
    const chunks = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 80; i += 1) controller.enqueue(new TextEncoder().encode('A'.repeat(1024)));
        controller.close();
      },
    });
    const qs = `msg_signature=${'a'.repeat(40)}&timestamp=${seconds}&nonce=n`;
    const response = await fetch(`${h.url}?${qs}`, { method: 'POST', body: chunks, duplex: 'half' } as RequestInit);
    expect(response.status).toBe(413);
    expect(rejections().slice(before)[0]).toMatchObject({ reason: 'body_too_large' });
  });

  test('a change_contact without the id it is about, or with a malformed one, is refused (bad_message)', async () => {
    const change = (fields: Record<string, string | number>) => h.sender.eventXml({ fromUser: 'sys', createTime: seconds }, 'change_contact', fields);
    await expectRefused(() => h.sender.sendXml(change({ ChangeType: 'delete_user' })), 400, 'bad_message');
    await expectRefused(() => h.sender.sendXml(change({ ChangeType: 'update_user', UserID: 'has space' })), 400, 'bad_message');
    await expectRefused(() => h.sender.sendXml(change({ ChangeType: 'update_user', UserID: 'ok', NewUserID: '<b>' })), 400, 'bad_message');
    await expectRefused(() => h.sender.sendXml(change({ ChangeType: 'delete_party', Id: 'x' })), 400, 'bad_message');
    await expectRefused(() => h.sender.sendXml(change({ Id: 3 })), 400, 'bad_message');
  });

  test('the process is unharmed: a good callback still goes through afterwards', async () => {
    const response = await h.sender.sendText('zhangsan', '正常消息');
    expect(response).toEqual({ status: 200, body: '' });
    await h.waitFor(async () => (await h.store.count()) === 1);
  });
});
