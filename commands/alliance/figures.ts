import { pointsBalance, rank, yearlyFigures, type ParticipantYear } from '../../src/alliance/yearlyFigures';
import { zonedInstant } from '../../src/sla/timeZone';
import type { AllianceDeps } from './deps';

function yearBounds(deps: Pick<AllianceDeps, 'config'>, year: number): { from: Date; to: Date } {
  return { from: zonedInstant(`${year}-01-01`, 0, deps.config.timeZone), to: zonedInstant(`${year + 1}-01-01`, 0, deps.config.timeZone) };
}

/** Every participant's year (hours, points, stars, quota progress), ranked. */
export async function figuresOfYear(deps: Pick<AllianceDeps, 'repo' | 'config'>, year: number): Promise<(ParticipantYear & { rank: number })[]> {
  const { from, to } = yearBounds(deps, year);
  const [participants, activities, signups, exchanges] = await Promise.all([deps.repo.participants(), deps.repo.activitiesOfYear(year), deps.repo.signupsOfYear(year), deps.repo.exchangesBetween(from, to)]);
  return rank(yearlyFigures({ participants, activities, signups, exchanges }, { points: deps.config.points, quotas: deps.config.quotas }));
}

/** One participant's year, or undefined when no such participant is registered. */
export async function participantYear(deps: Pick<AllianceDeps, 'repo' | 'config'>, participantId: string, year: number): Promise<(ParticipantYear & { rank: number; balance: number }) | undefined> {
  const figures = await figuresOfYear(deps, year);
  const mine = figures.find((f) => f.participant.id === participantId);
  if (!mine) return undefined;
  return { ...mine, balance: await balanceOf(deps, participantId) };
}

/** Points left to exchange: everything ever earned, less every exchange. */
export async function balanceOf(deps: Pick<AllianceDeps, 'repo' | 'config'>, participantId: string): Promise<number> {
  const signups = await deps.repo.signupsOfParticipant(participantId);
  const activities = await deps.repo.activitiesByIds(signups.map((s) => s.activityId));
  return pointsBalance(participantId, activities, signups, await deps.repo.exchangesOf(participantId), deps.config.points);
}
