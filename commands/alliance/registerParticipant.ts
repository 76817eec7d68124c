import { randomUUID } from 'node:crypto';
import type { Participant } from '../../src/alliance/types';
import type { AllianceDeps } from './deps';

/** Registers (or updates) someone who answers whistles; `by` is who registered them (config, the command centre, the mini-program). */
export async function registerParticipant(deps: Pick<AllianceDeps, 'repo' | 'clock'>, participant: Participant, by: string): Promise<Participant> {
  return deps.repo.registerParticipant(participant, by, deps.clock());
}

/** A resident signing up as a volunteer in the mini-program: one participant per resident, updated on a repeat. */
export async function registerVolunteer(
  deps: Pick<AllianceDeps, 'repo' | 'clock'>,
  residentId: string,
  details: Pick<Participant, 'name' | 'skills'> & Partial<Pick<Participant, 'communityId' | 'streetId'>>,
): Promise<Participant> {
  const existing = await deps.repo.participantByResident(residentId);
  const participant: Participant = { ...(existing ?? { kind: 'volunteer' as const }), ...details, id: existing?.id ?? `vol-${randomUUID().slice(0, 8)}`, residentId };
  return deps.repo.registerParticipant(participant, 'mini-program', deps.clock());
}
