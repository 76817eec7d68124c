import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];

function findChromium(): string | undefined {
  return [process.env.CHROMIUM_PATH, ...CANDIDATES].find((p): p is string => p !== undefined && existsSync(p));
}

/**
 * Finds Debian's Chromium, installing it (with CJK fonts for readable screenshots) when we are root
 * and it is missing. Playwright's own browser download cannot work here, so we never use it.
 */
export function ensureChromium(): string {
  const found = findChromium();
  if (found) return found;
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!root) throw new Error('Chromium is missing: install it (Debian: `sudo apt-get install chromium fonts-noto-cjk`) or set CHROMIUM_PATH.');
  process.stderr.write('[browser test] installing chromium from Debian packages (once)…\n');
  const result = spawnSync(
    'sh',
    ['-c', 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk'],
    { stdio: ['ignore', 'ignore', 'inherit'], timeout: 15 * 60_000 },
  );
  const installed = findChromium();
  if (result.status !== 0 || !installed) throw new Error('apt-get could not install chromium; install it by hand or set CHROMIUM_PATH.');
  return installed;
}

/** Headless Chromium with the flags this closed network needs (no background connections). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: ensureChromium(),
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
