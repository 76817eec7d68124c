import { randomBytes } from 'node:crypto';
import { refuse } from '../../src/alliance/refusals';
import { targetsOf } from '../../src/alliance/targeting';
import type { Activity, Organiser, ParticipantKind } from '../../src/alliance/types';
import type { AllianceDeps } from './deps';
import type { Outcome } from './outcome';
import { yearOf } from './year';

export interface ActivityRequest {
  title: string;
  description: string;
  organiser: Organiser;
  kind: string;
  venue: { name: string; latitude: number; longitude: number; radiusMeters?: number };
  startsAt: Date;
  endsAt: Date;
  capacity: number;
  waitlistCapacity?: number;
  skills: string[];
  targetKinds: ParticipantKind[];
  targetIds: string[];
  listItemId?: string;
}

function newActivityId(): string {
  return `A${randomBytes(6).toString('hex')}`;
}

/**
 * Posts a 哨令: checks it, stores it, sends its card to every target and schedules the reminders
 * before it starts. A community posting to `grid_member` is 社区吹哨、网格成员报到.
 */
export async function postActivity(deps: AllianceDeps, request: ActivityRequest): Promise<Outcome<{ activity: Activity; targets: number }>> {
  const now = deps.clock();
  if (request.endsAt.getTime() <= request.startsAt.getTime()) return refuse('invalid_activity', '结束时间必须晚于开始时间');
  if (request.startsAt.getTime() <= now.getTime()) return refuse('invalid_activity', '开始时间必须晚于现在，已开始的活动无法再召集报到');
  if (request.targetKinds.length === 0 && request.targetIds.length === 0) return refuse('invalid_activity', '请至少选择一类报到对象（targetKinds）或指定报到对象（targetIds）');
  if (request.listItemId !== undefined && !(await deps.repo.listItem(request.listItemId))) return refuse('invalid_activity', `清单条目 ${request.listItemId} 不存在，请先在需求、资源或项目清单中登记`);
  const participants = await deps.repo.participants();
  const known = new Set(participants.map((p) => p.id));
  const unknown = request.targetIds.filter((id) => !known.has(id));
  if (unknown.length > 0) return refuse('invalid_activity', `指定的报到对象不存在：${unknown.join('、')}，请先登记`);

  const { radiusMeters, ...venue } = request.venue;
  const { waitlistCapacity, listItemId, ...rest } = request;
  const activity: Activity = {
    ...rest,
    id: newActivityId(),
    venue: { ...venue, radiusMeters: radiusMeters ?? deps.config.checkIn.defaultRadiusMeters },
    waitlistCapacity: waitlistCapacity ?? Math.floor(request.capacity * deps.config.waitlistCapacityRatio),
    postedAt: now,
    ...(listItemId !== undefined && { listItemId }),
  };
  const targets = targetsOf(activity, participants);
  await deps.repo.createActivity(activity, yearOf(deps, activity.startsAt));
  await deps.notifier.activityPosted(activity, targets);
  await deps.reminders.schedule(activity);
  return { ok: true, activity, targets: targets.length };
}
