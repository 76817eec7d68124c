import type { DistrictSeed } from '../../config/district';
import type { Logger } from '../../infra/logger';
import type { Participant } from '../../src/alliance/types';
import { ParticipantKeyTaken } from '../../store/alliance/allianceRepository';
import type { AllianceDeps } from './deps';

/** The district's grid members as participants, for 社区吹哨、网格成员报到 (id `grid-<userid>`). */
export function gridMembersOf(seed: DistrictSeed): Participant[] {
  const placeOfGrid = new Map(seed.streets.flatMap((s) => s.communities.flatMap((c) => c.grids.map((g) => [g.id, { streetId: s.id, communityId: c.id }] as const))));
  return seed.users
    .filter((u) => u.roles.includes('grid_member') && u.gridId !== undefined)
    .map((u) => {
      const place = placeOfGrid.get(u.gridId ?? '');
      return { id: `grid-${u.userId}`, kind: 'grid_member' as const, name: u.name, wecomUserId: u.userId, gridId: u.gridId, ...place, skills: [] };
    });
}

/** Registers the participants of the config and the seed; one that clashes with an earlier registration is logged and skipped. */
export async function registerSeedParticipants(deps: Pick<AllianceDeps, 'repo' | 'clock'>, participants: readonly Participant[], logger: Logger): Promise<number> {
  const results = await Promise.all(
    participants.map(async (participant) => {
      try {
        await deps.repo.registerParticipant(participant, 'config', deps.clock());
        return 1;
      } catch (error) {
        if (!(error instanceof ParticipantKeyTaken)) throw error;
        logger.warn({ participantId: participant.id, key: error.key, holder: error.participantId }, 'alliance participant from config skipped: its WeChat Work member or resident is registered as another participant');
        return 0;
      }
    }),
  );
  return results.reduce<number>((a, b) => a + b, 0);
}
