import { OFFICIAL_VECTOR as VECTOR } from '../support/officialVector';
import { startHarness, type Harness } from '../inbound/support/harness';

describe('GET /wecom/callback URL verification', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness('inbound_verify', { config: { token: VECTOR.token, encodingAesKey: VECTOR.encodingAesKey, corpId: VECTOR.corpId } });
  });

  afterAll(async () => {
    await h.close();
  });

  const url = (echostr: string, signature = VECTOR.signature) =>
    `${h.url}?msg_signature=${signature}&timestamp=${VECTOR.timestamp}&nonce=${VECTOR.nonce}&echostr=${echostr}`;

  test('official vector (URL-encoded, as WeChat Work sends it) answers the decrypted echostr as plain text', async () => {
    const response = await fetch(url(encodeURIComponent(VECTOR.echostr)));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await response.text()).toBe(VECTOR.plain);
  });

  test('a literal unencoded "+" is still a plus, not a space', async () => {
    const response = await fetch(url(VECTOR.echostr.replaceAll('/', '%2F').replaceAll('=', '%3D')));
    expect(await response.text()).toBe(VECTOR.plain);
  });

  test('a wrong signature is refused with 401 and one log line', async () => {
    const response = await fetch(url(encodeURIComponent(VECTOR.echostr), '0'.repeat(40)));
    expect(response.status).toBe(401);
    expect(h.logs.filter((line) => line.reason === 'bad_signature')).toHaveLength(1);
  });

  test('a missing echostr is refused', async () => {
    const response = await fetch(`${h.url}?msg_signature=${VECTOR.signature}&timestamp=1&nonce=2`);
    expect(response.status).toBe(400);
  });

  test('the callback sender verifies against our route with a fresh echostr', async () => {
    const fresh = await startHarness('inbound_verify_sender');
    try {
      const result = await fresh.sender.verifyUrl();
      expect(result.status).toBe(200);
      expect(result.body).toBe(result.expected);
    } finally {
      await fresh.close();
    }
  });
});
