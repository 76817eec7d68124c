import { createHash } from 'node:crypto';
import type { CardKind } from './cardKinds';

const SAFE = /[^A-Za-z0-9_\-@]/g;
const MAX = 128;

/**
 * A WeChat Work task id (1-128 of A-Z a-z 0-9 _ - @, unique per app) that is deterministic for
 * one card of one case version, so re-running a notification produces the same card.
 */
export function taskIdFor(kind: CardKind, caseId: string, version: number, discriminator = ''): string {
  const raw = [kind, caseId, discriminator, `v${version}`].filter((p) => p !== '').join('-').replace(SAFE, '_');
  if (raw.length <= MAX) return raw;
  return `${kind}-${createHash('sha256').update(raw).digest('hex').slice(0, 48)}`;
}
