/**
 * Logs in to the command centre over HTTP as `userId`, the way a browser does after 扫码登录:
 * /console/auth/start, then the callback with a code the fake WeChat Work issued. Answers the
 * session cookie (`wb_console=…`). For benches and route tests that need no browser.
 */
export async function consoleLogin(base: string, issueCode: (userId: string) => string, userId: string): Promise<string> {
  const start = await fetch(`${base}/console/auth/start?flow=sso`, { redirect: 'manual' });
  const state = new URL(start.headers.get('location') ?? '').searchParams.get('state') ?? '';
  const bound = (start.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const callback = await fetch(`${base}/console/auth/callback?code=${issueCode(userId)}&state=${encodeURIComponent(state)}`, { redirect: 'manual', headers: { cookie: bound } });
  const session = (callback.headers.getSetCookie().find((c) => c.startsWith('wb_console=')) ?? '').split(';')[0];
  if (!session) throw new Error(`console login as ${userId} failed: ${callback.status}`);
  return session;
}
