import { isSandbox, type Env } from '../config';
import { isLoopbackHost } from '../config/env';
import type { Logger } from '../infra/logger';
import { composeApp } from './compose';
import { startRuntime, type Runtime } from './runtime';
import { startSandbox, type Sandbox } from './sandbox';

export interface StartedApp {
  runtime: Runtime;
  /** Set in sandbox mode (no WECOM_CORP_ID): the in-process fake WeChat Work server and its credentials. */
  sandbox?: Sandbox;
}

/** Starts every module of the app for the configured role, in sandbox mode when no corp is configured. */
export async function startApp(env: Env, logger: Logger, rawEnv: Record<string, string | undefined> = process.env): Promise<StartedApp> {
  const sandbox = isSandbox(env) ? await startSandbox(env, rawEnv) : undefined;
  const effectiveEnv = sandbox?.env ?? env;
  if (sandbox) logger.info({ fakeWecom: sandbox.fake.baseUrl }, 'sandbox mode: fake WeChat Work server started in-process');
  if (sandbox && !isLoopbackHost(env.HOST)) {
    logger.warn(
      { host: env.HOST },
      `SANDBOX LISTENS ON ${env.HOST}, NOT LOOPBACK: anyone who can reach this address can act as any district member through /sandbox. Unset HOST to listen on 127.0.0.1 only.`,
    );
  }
  try {
    const runtime = await startRuntime(effectiveEnv, logger, composeApp(effectiveEnv, sandbox, { rawEnv }), sandbox ? [sandbox.closeable] : []);
    return sandbox ? { runtime, sandbox } : { runtime };
  } catch (error) {
    await sandbox?.closeable.close();
    throw error;
  }
}
