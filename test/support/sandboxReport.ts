import type { Runtime } from '../../app/runtime';
import type { StartedApp } from '../../app/startApp';
import { waitFor } from './wait';

/** A grid member's report sent through the sandbox console's API; resolves once the bot's confirmation card reached them. */
export async function reportThroughSandbox(app: StartedApp | undefined): Promise<Runtime> {
  const { runtime, sandbox } = app ?? {};
  if (!runtime || !sandbox) throw new Error('the app is not in sandbox mode');
  const sent = await fetch(`${runtime.url}/sandbox/api/send`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ as: 'grid-zhang', text: '文明大街与农机路交叉口路面塌陷，很危险' }),
  });
  expect(await sent.json()).toEqual({ delivered: true, status: 200 });
  await waitFor("the bot's answer to the reporter", () => sandbox.fake.inbox.user('grid-zhang').some((m) => m.body.msgtype === 'template_card'), 30_000);
  return runtime;
}
