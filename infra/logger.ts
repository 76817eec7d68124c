import pino, { type Logger } from 'pino';
import { SECRET_ENV_KEYS } from '../config/env';

export type { Logger } from 'pino';

const REDACTED_PATHS = [
  ...SECRET_ENV_KEYS,
  ...SECRET_ENV_KEYS.map((k) => `*.${k}`),
  'secret',
  '*.secret',
  'access_token',
  '*.access_token',
  'accessToken',
  '*.accessToken',
  'token',
  '*.token',
  'session_key',
  '*.session_key',
  'req.headers.authorization',
];

/** Structured JSON logs; secrets are redacted by key wherever they appear one level deep. */
export function createLogger(options: { level?: string; name?: string } = {}): Logger {
  return pino({
    name: options.name ?? 'whistlebot',
    level: options.level ?? process.env.LOG_LEVEL ?? 'info',
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
  });
}
