import { join, resolve } from 'node:path';

/**
 * Where `npm start` keeps the Redis and FerretDB it starts (and `npm run services:stop` finds
 * them): `.data/services`, or WHISTLEBOT_SERVICES_DIR.
 */
export function servicesDir(): string {
  const configured = process.env.WHISTLEBOT_SERVICES_DIR;
  return configured ? resolve(configured) : join(__dirname, '../../.data/services');
}
