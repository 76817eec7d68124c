import { ConfigError, loadEnv, type Env } from '../config';
import { createLogger } from '../infra/logger';
import { startApp } from './startApp';

function sandboxBanner(url: string | undefined): string {
  const consoleUrl = url ? `${url.replace('0.0.0.0', '127.0.0.1')}/sandbox` : '(web role not running)';
  return [
    '',
    '  whistlebot is running in SANDBOX mode (WECOM_CORP_ID is not set): a fake WeChat Work runs inside this process.',
    `  Open the sandbox console:  ${consoleUrl}`,
    `  The command centre (指挥中心): ${consoleUrl.replace(/\/sandbox$/, '/console')} — log in through the fake 扫码登录 as dispatcher-wenming, zhujian-lead or district-admin`,
    '  1. Pick "张网格" on the left and describe a problem, e.g. 文明大街与农机路交叉口路面塌陷，很危险',
    '  2. Tap 确认上报 on the card, then pick the department lead (e.g. 住建局) and tap 接哨报到.',
    '  3. Watch the group chats on the right for notices, reminders and escalations (demo time limits: minutes).',
    '  Nothing in sandbox mode can reach a real WeChat Work host. Set WECOM_CORP_ID and friends to go live.',
    '',
  ].join('\n');
}

/**
 * The one entry point: `ROLE=web|worker|all` (default all). SIGTERM/SIGINT stop accepting,
 * drain workers and close connections within SHUTDOWN_TIMEOUT_MS, then exit.
 */
export async function main(): Promise<void> {
  let env: Env;
  try {
    env = loadEnv();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
  const logger = createLogger({ level: env.LOG_LEVEL });
  const { runtime, sandbox } = await startApp(env, logger);
  logger.info({ role: env.ROLE, url: runtime.url, sandbox: sandbox !== undefined }, 'whistlebot started');
  if (sandbox) process.stderr.write(`${sandboxBanner(runtime.url)}\n`);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const clean = await runtime.stop();
    logger.info({ clean }, 'stopped');
    process.exit(clean ? 0 : 1);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

if (require.main === module) {
  main().catch((error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`whistlebot failed to start: ${message}\n`);
    process.exit(1);
  });
}
