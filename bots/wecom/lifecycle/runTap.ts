import { actorForUser } from '../../../commands/actors';
import { retryWhenBusy } from '../../../commands/caseBusy';
import { runCommandOn } from '../../../commands/runCaseCommand';
import { wasApplied, type Actor, type ActorRole, type Case, type CaseCommand } from '../../../src/cases';
import { staleReason } from './staleness';
import { answerTapper, type Tap, type TapDeps } from './tapContext';

export const NOT_YOURS = '非本部门案件，您无权操作';

export interface TapCommandSpec {
  /** Capacities the tapper may act in, most specific first. */
  roles: readonly ActorRole[];
  /** The tapper must belong to the department the card was sent to. */
  sameDepartment?: boolean;
  command: CaseCommand;
  onSuccess(after: Case, actor: Actor): Promise<void>;
}

/** Who the tapper is, if they may act on this card at all; otherwise they are told and undefined comes back. */
export async function tapActor(deps: TapDeps, tap: Tap, roles: readonly ActorRole[], sameDepartment = false): Promise<Actor | undefined> {
  const actor = await actorForUser(deps.lifecycle.org, tap.event.fromUser, roles);
  if (!actor || (sameDepartment && actor.deptCode !== tap.card.deptCode)) {
    await answerTapper(deps, tap, NOT_YOURS);
    return undefined;
  }
  const stale = staleReason(tap.card, tap.case);
  if (stale !== undefined) {
    await answerTapper(deps, tap, stale);
    return undefined;
  }
  return actor;
}

/**
 * Runs the command a tap stands for. The callback's dedupe key is the command id, so a replayed
 * callback is refused as already applied and changes nothing (and is not answered twice).
 */
export async function runTapCommand(deps: TapDeps, tap: Tap, spec: TapCommandSpec): Promise<void> {
  const commandId = `tap:${tap.event.dedupeKey}`;
  if (wasApplied(tap.case, commandId)) return answerAppliedTap(deps, tap, spec);
  const actor = await tapActor(deps, tap, spec.roles, spec.sameDepartment);
  if (!actor) return;
  const ran = await runCommandOn(deps.lifecycle, tap.case, spec.command, {
    actor,
    channel: 'wecom',
    now: deps.lifecycle.clock(),
    commandId,
  });
  const result = retryWhenBusy(ran, tap.case.number);
  if (result.ok) return spec.onSuccess(result.case, actor);
  if (result.code === 'already_applied') return;
  const line = { caseId: tap.case.id, taskId: tap.card.taskId, userId: actor.userId, eventKey: tap.event.eventKey, code: result.code };
  // Someone tapping a card that is not theirs (a forged or forwarded TaskId) is worth a warning.
  if (result.code === 'not_allowed') deps.logger?.warn(line, 'card tap refused: not allowed');
  else deps.logger?.info(line, 'card tap refused');
  await answerTapper(deps, tap, result.reason);
}

/**
 * The retry of a tap whose command is already stored: the process that stored it may have died
 * before redrawing the card, so the redraw runs again. Its outbox key is the tap's, so a redraw that
 * did go out is not sent twice. The staleness check is skipped: the case moved on because of this
 * very tap, and answering "already accepted" would spend the card's single-use response code.
 */
async function answerAppliedTap(deps: TapDeps, tap: Tap, spec: TapCommandSpec): Promise<void> {
  const actor = await actorForUser(deps.lifecycle.org, tap.event.fromUser, spec.roles);
  if (!actor) return;
  deps.logger?.info({ caseId: tap.case.id, taskId: tap.card.taskId, userId: actor.userId }, 'card tap already applied; its answer is sent again');
  await spec.onSuccess(tap.case, actor);
}
