import { departmentName } from '../../../src/labels';
import type { CaseChange, LifecycleNotifier, OrgDirectory } from '../../../commands/deps';
import { Recipients } from '../../../commands/recipients';
import { activeLead, type Assignment, type Case, type TimelineEvent } from '../../../src/cases';
import type { Logger } from '../../../infra/logger';
import { communityCard, extensionCard, satisfactionCard, triageCard, verifyCard, whistleCard, whistleRatingCard } from './cardViews';
import { notices } from './notices';
import type { ResidentMilestoneNotifier } from './ports';
import type { ResidentMilestone } from '../../../src/cases/milestones';
import type { LifecycleSender } from './sender';
import { taskIdFor } from './taskIds';
import { formatChinaTime } from '../../../src/chinaTime';

export interface WecomNotifierDeps {
  sender: LifecycleSender;
  org: OrgDirectory;
  residents?: ResidentMilestoneNotifier;
  logger?: Logger;
}

function text(e: TimelineEvent, key: string): string {
  const value = e.details[key];
  return typeof value === 'string' ? value : '';
}

/** Reacts to each timeline event of a change with the cards, card notices and milestones it calls for. */
export class WecomLifecycleNotifier implements LifecycleNotifier {
  private readonly recipients: Recipients;

  constructor(private readonly deps: WecomNotifierDeps) {
    this.recipients = new Recipients(deps.org);
  }

  async caseChanged(change: CaseChange): Promise<void> {
    for (const event of change.events) await this.onEvent(event, change);
  }

  async duplicateMerged(duplicate: Case, target: Case): Promise<void> {
    await this.milestone(duplicate, 'merged', notices.reporterMerged(duplicate, target));
  }

  private async onEvent(e: TimelineEvent, { before, after }: CaseChange): Promise<void> {
    switch (e.type) {
      case 'created':
        if (after.state === 'triage') await this.triage(after, '请人工派单');
        if (after.state === 'community') await this.community(after);
        return;
      case 'whistled':
        return this.whistled(after, after.assignments.slice(before?.assignments.length ?? 0));
      case 'accepted':
        return this.accepted(after, e);
      case 'returned':
        return this.returned(after, e);
      case 'feedback':
        return this.feedback(after, e);
      case 'reopened':
        return this.reopened(after, e);
      case 'verified':
        return this.closed(after);
      case 'extension_requested':
        return this.extensionRequested(after, e);
      case 'extension_decided':
        return this.extensionDecided(after, e);
      case 'escalated_to_street':
        return this.triage(after, `社区上报：${text(e, 'reason')}`);
      case 'escalated_to_district':
        return this.escalatedToDistrict(after, e);
      case 'cancelled':
        return this.milestone(after, 'cancelled', notices.reporterCancelled(after, text(e, 'reason')));
      case 'merged':
      case 'duplicate_merged_in':
      case 'rated':
      case 'whistle_rated':
        return;
    }
  }

  private key(c: Case, step: string): string {
    return `case:${c.id}:${step}:v${c.version}`;
  }

  private async triage(c: Case, note: string): Promise<void> {
    const suggested = c.routedDepartments ?? [];
    const available = await this.recipients.departments(c);
    const taskId = taskIdFor('triage', c.id, c.version);
    await this.deps.sender.card(c, { kind: 'triage', taskId, card: triageCard(c, taskId, { suggested, available, note }), recipients: await this.recipients.dispatchers(c) });
  }

  private async community(c: Case): Promise<void> {
    const taskId = taskIdFor('community', c.id, c.version);
    await this.deps.sender.card(c, { kind: 'community', taskId, card: communityCard(c, taskId), recipients: await this.recipients.communityHandlers(c) });
  }

  private async whistled(c: Case, fresh: Assignment[]): Promise<void> {
    const offset = c.assignments.length - fresh.length;
    for (const [i, a] of fresh.entries()) {
      const assignmentIndex = offset + i;
      const taskId = taskIdFor('whistle', c.id, c.version, a.deptCode);
      const leads = await this.recipients.departmentLeads(c, a.deptCode);
      await this.deps.sender.card(c, { kind: 'whistle', taskId, card: whistleCard(c, a, taskId), recipients: leads, deptCode: a.deptCode, assignmentIndex });
      const dept = await this.recipients.department(c, a.deptCode);
      if (dept) await this.deps.sender.groupNotice(dept.chat, notices.whistledGroup(c, a.deptCode, a.role), this.key(c, `whistle-notice:${a.deptCode}`), leads);
    }
    await this.milestone(c, 'whistled', notices.reporterWhistled(c, fresh.map((a) => a.deptCode)));
  }

  private async accepted(c: Case, e: TimelineEvent): Promise<void> {
    const deptCode = e.deptCode ?? '';
    if (c.level === 'street') {
      const dept = await this.recipients.department(c, deptCode);
      if (dept) await this.deps.sender.groupNotice(dept.chat, notices.acceptedGroup(c, deptCode, e.actorName ?? e.actorId, e.at), this.key(c, `accept-notice:${deptCode}`));
    }
    if (e.details.role === 'lead') await this.milestone(c, 'accepted', notices.reporterAccepted(c, deptCode));
  }

  private async returned(c: Case, e: TimelineEvent): Promise<void> {
    const deptCode = e.deptCode ?? '';
    const reason = text(e, 'reason');
    if (e.details.role === 'lead') return this.triage(c, `${departmentName(deptCode)}退回：${reason}`);
    await this.deps.sender.textToUsers(await this.recipients.dispatchers(c), notices.returnedAssist(c, deptCode, reason), this.key(c, `assist-return:${deptCode}`));
  }

  private async feedback(c: Case, e: TimelineEvent): Promise<void> {
    const deptCode = e.deptCode ?? '';
    if (e.details.role !== 'lead') {
      const lead = activeLead(c);
      const leadDept = lead ? await this.recipients.department(c, lead.deptCode) : null;
      if (leadDept) await this.deps.sender.groupNotice(leadDept.chat, notices.assistDoneGroup(c, deptCode, text(e, 'text')), this.key(c, `assist-done:${deptCode}`));
      return;
    }
    const lead = activeLead(c);
    if (!lead) return;
    const verifiers = await this.recipients.verifiers(c);
    const taskId = taskIdFor('verify', c.id, c.version);
    await this.deps.sender.card(c, { kind: 'verify', taskId, card: verifyCard(c, lead, taskId), recipients: verifiers, deptCode });
    const reporter = this.recipients.reporterUser(c);
    if (reporter === undefined || !verifiers.includes(reporter)) await this.milestone(c, 'done', notices.reporterDone(c, deptCode, text(e, 'text')));
  }

  private async reopened(c: Case, e: TimelineEvent): Promise<void> {
    const deptCode = e.deptCode ?? '';
    const message = notices.reopenedLeads(c, text(e, 'reason'));
    await this.deps.sender.textToUsers(await this.recipients.departmentLeads(c, deptCode), message, this.key(c, `reopened:${deptCode}`));
    const dept = await this.recipients.department(c, deptCode);
    if (dept) await this.deps.sender.groupNotice(dept.chat, message, this.key(c, `reopened-notice:${deptCode}`));
  }

  private async closed(c: Case): Promise<void> {
    const solved = c.verification?.resolution === 'solved';
    await this.milestone(c, 'closed', notices.reporterClosed(c, solved));
    const reporter = this.recipients.reporterUser(c);
    if (reporter !== undefined && c.source === 'grid') {
      const taskId = taskIdFor('satisfaction', c.id, c.version);
      await this.deps.sender.card(c, { kind: 'satisfaction', taskId, card: satisfactionCard(c, taskId), recipients: [reporter] });
    }
    const rated = new Set<string>();
    for (const a of c.assignments) {
      if (a.state !== 'done' || rated.has(a.deptCode)) continue;
      rated.add(a.deptCode);
      const taskId = taskIdFor('whistle_rating', c.id, c.version, a.deptCode);
      await this.deps.sender.card(c, { kind: 'whistle_rating', taskId, card: whistleRatingCard(c, a.deptCode, taskId), recipients: await this.recipients.departmentLeads(c, a.deptCode), deptCode: a.deptCode });
    }
  }

  /**
   * 提请区级督办: the district's leaders hear of it in person and in the district's leadership chat;
   * each department still working on the case hears it in its group chat, its leads @-mentioned.
   */
  private async escalatedToDistrict(c: Case, e: TimelineEvent): Promise<void> {
    const reason = text(e, 'reason');
    const working = [...new Set(c.assignments.filter((a) => a.state === 'pending' || a.state === 'accepted').map((a) => a.deptCode))];
    const [street, district, leaders] = await Promise.all([this.deps.org.street(c.streetId), this.deps.org.district(c.districtId), this.recipients.districtLeaders(c)]);
    const message = notices.escalatedToDistrict(c, street?.name ?? '街道', e.actorName ?? e.actorId, reason, working);
    await this.deps.sender.textToUsers(leaders, message, this.key(c, 'district-escalation:leaders'));
    if (district?.leadershipChat) await this.deps.sender.groupNotice(district.leadershipChat, message, this.key(c, 'district-escalation:leadership-chat'));
    for (const deptCode of working) {
      const dept = await this.recipients.department(c, deptCode);
      if (dept) await this.deps.sender.groupNotice(dept.chat, notices.escalatedToDistrictGroup(c, deptCode, reason), this.key(c, `district-escalation:${deptCode}`), await this.recipients.departmentLeads(c, deptCode));
    }
  }

  private async extensionRequested(c: Case, e: TimelineEvent): Promise<void> {
    const deptCode = e.deptCode ?? '';
    const a = c.assignments.find((x) => x.deptCode === deptCode && x.state === 'accepted');
    const request = a?.extensions[a.extensions.length - 1];
    if (!request) return;
    const taskId = taskIdFor('extension', c.id, c.version, deptCode);
    await this.deps.sender.card(c, { kind: 'extension', taskId, card: extensionCard(c, deptCode, request, taskId), recipients: await this.recipients.dispatchers(c), deptCode });
  }

  private async extensionDecided(c: Case, e: TimelineEvent): Promise<void> {
    const deptCode = e.deptCode ?? '';
    const due = text(e, 'finishDueAt');
    const message = notices.extensionDecided(c, e.details.approved === true, due ? formatChinaTime(new Date(due), 'short') : undefined, text(e, 'note') || undefined);
    await this.deps.sender.textToUsers(await this.recipients.departmentLeads(c, deptCode), message, this.key(c, `extension-decided:${deptCode}`));
  }

  /** The reporter hears of each milestone: in WeCom for staff, through the mini-program for residents. */
  private async milestone(c: Case, milestone: ResidentMilestone, message: string): Promise<void> {
    if (c.source === 'resident') {
      if (this.deps.residents) await this.deps.residents(c, milestone);
      else this.deps.logger?.debug({ caseId: c.id, milestone }, 'no resident milestone notifier wired');
      return;
    }
    const reporter = this.recipients.reporterUser(c);
    if (reporter !== undefined) await this.deps.sender.textToUsers([reporter], message, this.key(c, `reporter:${milestone}`));
  }
}
