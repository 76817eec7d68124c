import { departmentName } from '../../../src/labels';
import { reporterActor } from '../../../commands/actors';
import { retryWhenBusy } from '../../../commands/caseBusy';
import { runCommandOn } from '../../../commands/runCaseCommand';
import { mayVerify, notVerifierReason, type Satisfaction } from '../../../src/cases';
import type { CardActionEvent } from '../events';
import { KEY, NO_DEPARTMENT, QUESTION, RETURN_REASONS, TYPED_REASON, UNSOLVED_REASONS, reasonText } from './buttonKeys';
import type { CardKind } from './cardKinds';
import { acceptedWhistleCard, returnReasonCard, unsolvedReasonCard } from './cardViews';
import { departmentsLabel } from './caseFormat';
import { runTapCommand, tapActor } from './runTap';
import { answerTapper, selected, type Tap, type TapDeps } from './tapContext';
import { taskIdFor } from './taskIds';
import { formatChinaTime } from '../../../src/chinaTime';

const DEPARTMENT_ROLES = ['dept_lead', 'dept_member'] as const;
const STREET_ROLES = ['dispatcher', 'leader'] as const;
const VERIFIER_ROLES = ['grid', 'dispatcher', 'leader'] as const;

function respond(deps: TapDeps, tap: Tap, text: string): Promise<void> {
  const code = tap.event.responseCode;
  return code === undefined ? Promise.resolve() : deps.updates.forAll(tap.case, code, text, tap.event.dedupeKey);
}

async function onWhistleCard(deps: TapDeps, tap: Tap): Promise<void> {
  const { card } = tap;
  if (tap.event.eventKey === KEY.accept) {
    return runTapCommand(deps, tap, {
      roles: DEPARTMENT_ROLES,
      sameDepartment: true,
      command: { type: 'accept' },
      onSuccess: async (after, actor) => {
        const a = after.assignments[card.assignmentIndex ?? -1];
        const code = tap.event.responseCode;
        if (!a || code === undefined) return;
        const replaceText = `已由${actor.name ?? actor.userId}于${formatChinaTime(a.acceptedAt ?? after.updatedAt, 'short')}接哨`;
        await deps.updates.redrawForAll(after, code, acceptedWhistleCard(after, a, card.taskId), replaceText, tap.event.dedupeKey);
      },
    });
  }
  if (tap.event.eventKey === KEY.return) {
    const actor = await tapActor(deps, tap, DEPARTMENT_ROLES, true);
    if (!actor) return;
    const c = tap.case;
    const taskId = taskIdFor('return_reason', c.id, c.version, `${card.deptCode ?? ''}-${actor.userId}`);
    await deps.sender.card(c, {
      kind: 'return_reason',
      taskId,
      card: returnReasonCard(c, taskId),
      recipients: [actor.userId],
      ...(card.deptCode !== undefined && { deptCode: card.deptCode }),
      ...(card.assignmentIndex !== undefined && { assignmentIndex: card.assignmentIndex }),
    });
  }
}

async function onReturnReason(deps: TapDeps, tap: Tap): Promise<void> {
  const choice = selected(tap, QUESTION.reason);
  if (choice === TYPED_REASON) return answerTapper(deps, tap, `请回复：退回 ${tap.case.number} 理由`);
  const reason = reasonText(RETURN_REASONS, choice);
  if (reason === undefined) return answerTapper(deps, tap, '请选择退回理由');
  return runTapCommand(deps, tap, {
    roles: DEPARTMENT_ROLES,
    sameDepartment: true,
    command: { type: 'return', reason },
    onSuccess: () => respond(deps, tap, `已退回：${reason}`),
  });
}

async function onTriage(deps: TapDeps, tap: Tap): Promise<void> {
  const lead = selected(tap, QUESTION.lead);
  const assist = selected(tap, QUESTION.assist);
  if (lead === undefined) return answerTapper(deps, tap, '请选择牵头部门');
  const departments = assist === undefined || assist === NO_DEPARTMENT || assist === lead ? [lead] : [lead, assist];
  return runTapCommand(deps, tap, {
    roles: STREET_ROLES,
    command: { type: 'whistle', departments },
    onSuccess: () => respond(deps, tap, `已吹哨：${departmentsLabel(departments)}`),
  });
}

async function onCommunity(deps: TapDeps, tap: Tap): Promise<void> {
  if (tap.event.eventKey === KEY.communityAccept) {
    return runTapCommand(deps, tap, {
      roles: ['grid'],
      command: { type: 'accept' },
      onSuccess: (_after, actor) => respond(deps, tap, `社区处理中（${actor.name ?? actor.userId}）`),
    });
  }
  if (tap.event.eventKey === KEY.escalate) {
    return runTapCommand(deps, tap, {
      roles: ['grid', ...STREET_ROLES],
      command: { type: 'escalateToStreet', reason: '社区无法解决，上报街道' },
      onSuccess: () => respond(deps, tap, '已上报街道'),
    });
  }
}

async function onVerify(deps: TapDeps, tap: Tap): Promise<void> {
  if (tap.event.eventKey === KEY.verifySolved) {
    return runTapCommand(deps, tap, { roles: VERIFIER_ROLES, command: { type: 'verify', outcome: 'solved' }, onSuccess: () => respond(deps, tap, '已核实：问题已解决') });
  }
  if (tap.event.eventKey === KEY.verifyUnsolved) {
    const actor = await tapActor(deps, tap, VERIFIER_ROLES);
    if (!actor) return;
    const c = tap.case;
    if (!mayVerify(actor, c)) {
      deps.logger?.warn({ caseId: c.id, taskId: tap.card.taskId, userId: actor.userId, eventKey: tap.event.eventKey, code: 'not_allowed' }, 'card tap refused: not allowed');
      return answerTapper(deps, tap, notVerifierReason(c));
    }
    const taskId = taskIdFor('unsolved_reason', c.id, c.version, actor.userId);
    await deps.sender.card(c, { kind: 'unsolved_reason', taskId, card: unsolvedReasonCard(c, taskId), recipients: [actor.userId], ...(tap.card.deptCode !== undefined && { deptCode: tap.card.deptCode }) });
  }
}

async function onUnsolvedReason(deps: TapDeps, tap: Tap): Promise<void> {
  const note = reasonText(UNSOLVED_REASONS, selected(tap, QUESTION.reason));
  if (note === undefined) return answerTapper(deps, tap, '请选择未解决的原因');
  return runTapCommand(deps, tap, { roles: VERIFIER_ROLES, command: { type: 'verify', outcome: 'reopen', note }, onSuccess: () => respond(deps, tap, `核实未解决：${note}`) });
}

const SATISFACTION: Record<string, { value: Satisfaction; label: string }> = {
  [KEY.rateSatisfied]: { value: 'satisfied', label: '满意' },
  [KEY.rateBasically]: { value: 'basically', label: '基本满意' },
  [KEY.rateDissatisfied]: { value: 'dissatisfied', label: '不满意' },
};

/** The reporter is not an org role: the domain checks that the tapper is the case's reporter. */
async function onSatisfaction(deps: TapDeps, tap: Tap): Promise<void> {
  const choice = SATISFACTION[tap.event.eventKey];
  if (!choice) return;
  const user = await deps.lifecycle.org.user(tap.event.fromUser);
  const ran = await runCommandOn(deps.lifecycle, tap.case, { type: 'rate', value: choice.value }, {
    actor: reporterActor(tap.event.fromUser, user?.name),
    channel: 'wecom',
    now: deps.lifecycle.clock(),
    commandId: `tap:${tap.event.dedupeKey}`,
  });
  const result = retryWhenBusy(ran, tap.case.number);
  if (result.ok) return respond(deps, tap, `已评价：${choice.label}`);
  if (result.code !== 'already_applied') await answerTapper(deps, tap, result.reason);
}

async function onWhistleRating(deps: TapDeps, tap: Tap): Promise<void> {
  const reasonable = tap.event.eventKey === KEY.whistleReasonable;
  if (!reasonable && tap.event.eventKey !== KEY.whistleUnreasonable) return;
  return runTapCommand(deps, tap, {
    roles: DEPARTMENT_ROLES,
    sameDepartment: true,
    command: { type: 'rateWhistle', reasonable },
    onSuccess: () => respond(deps, tap, `已评价：吹哨${reasonable ? '合理' : '不合理'}`),
  });
}

async function onExtension(deps: TapDeps, tap: Tap): Promise<void> {
  const approve = tap.event.eventKey === KEY.extensionApprove;
  if ((!approve && tap.event.eventKey !== KEY.extensionRefuse) || tap.card.deptCode === undefined) return;
  const deptCode = tap.card.deptCode;
  return runTapCommand(deps, tap, {
    roles: STREET_ROLES,
    command: { type: 'decideExtension', deptCode, approve },
    onSuccess: () => respond(deps, tap, `${approve ? '已同意' : '未同意'}${departmentName(deptCode)}延期`),
  });
}

const HANDLERS: Record<CardKind, (deps: TapDeps, tap: Tap) => Promise<void>> = {
  whistle: onWhistleCard,
  return_reason: onReturnReason,
  triage: onTriage,
  community: onCommunity,
  verify: onVerify,
  unsolved_reason: onUnsolvedReason,
  satisfaction: onSatisfaction,
  whistle_rating: onWhistleRating,
  extension: onExtension,
};

/** Handles a tap on one of the lifecycle's cards; taps on cards we never sent are ignored. */
export async function handleCardTap(deps: TapDeps, event: CardActionEvent): Promise<boolean> {
  const card = await deps.cards.find(event.taskId);
  if (!card) return false;
  const c = await deps.lifecycle.cases.findById(card.caseId);
  if (!c) {
    deps.logger?.warn({ taskId: event.taskId, caseId: card.caseId }, 'card tap for a case that no longer exists');
    return true;
  }
  await HANDLERS[card.kind](deps, { event, card, case: c });
  return true;
}
