import { randomBytes } from 'node:crypto';

/** A short random suffix so parallel test files never share a database, a queue or a Redis key. */
export function uniqueSuffix(): string {
  return randomBytes(4).toString('hex');
}

/** MONGODB_URI with the database replaced by a fresh one for this test file. */
export function testMongoUri(label: string): string {
  const base = process.env.MONGODB_URI;
  if (!base) throw new Error('MONGODB_URI is not set: run the tests through `npm test` (jest globalSetup starts the servers)');
  const url = new URL(base);
  url.pathname = `/t_${label.replace(/[^a-z0-9]/gi, '_')}_${uniqueSuffix()}`;
  return url.toString();
}

export function testRedisUrl(): string {
  const url = process.env.REDIS_URL;
  if (!url) throw new Error('REDIS_URL is not set: run the tests through `npm test` (jest globalSetup starts the servers)');
  return url;
}

/** A BullMQ prefix / Redis key prefix private to one test file. */
export function testPrefix(label: string): string {
  return `t_${label.replace(/[^a-z0-9]/gi, '_')}_${uniqueSuffix()}`;
}
