import { Writable } from 'node:stream';
import pino from 'pino';
import type { Logger } from '../../infra/logger';

export interface LogLine {
  level: number;
  msg: string;
  reason?: string;
  [field: string]: unknown;
}

/** A logger whose JSON lines land in `logs`, so tests can assert the one structured line they expect. */
export function captureLogger(logs: LogLine[]): Logger {
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) logs.push(JSON.parse(line) as LogLine);
      done();
    },
  });
  return pino({ level: 'info' }, sink);
}
