import type { AllianceRefusal } from '../../src/alliance/refusals';

/** A use case's answer: what was done, or the refusal (and then nothing changed). */
export type Outcome<T> = ({ ok: true } & T) | AllianceRefusal;
