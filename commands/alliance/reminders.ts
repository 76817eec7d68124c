import { formatChinaTime } from '../../src/chinaTime';
import { zonedParts } from '../../src/sla/timeZone';
import { isLastQuarter } from '../../src/alliance/quotas';
import { behindQuota } from '../../src/alliance/yearlyFigures';
import type { AllianceDeps } from './deps';
import { figuresOfYear } from './figures';

/** Tells everyone holding a seat that the activity starts soon (once per activity and lead time). */
export async function remindBeforeStart(deps: AllianceDeps, activityId: string, minutesBefore: number): Promise<number> {
  const activity = await deps.repo.activity(activityId);
  if (!activity || activity.cancelledAt !== undefined || activity.startsAt.getTime() <= deps.clock().getTime()) return 0;
  const seated = (await deps.repo.signupsOf(activityId)).filter((s) => s.seat !== undefined && s.withdrawnAt === undefined);
  const when = formatChinaTime(activity.startsAt, 'brief', deps.config.timeZone);
  let told = 0;
  for (const signup of seated) {
    const participant = await deps.repo.participant(signup.participantId);
    if (!participant) continue;
    const unconfirmed = signup.confirmedAt === undefined ? '（组织方尚未确认，确认后才能签到）' : '';
    await deps.notifier.tell(participant, `【活动提醒】「${activity.title}」${when} 在「${activity.venue.name}」开始，请按时到场签到${unconfirmed}`, `al-remind:${activity.id}:${minutesBefore}:${participant.id}`, { kind: 'reminder', activity });
    told += 1;
  }
  return told;
}

/**
 * In the last quarter, those behind their yearly quota hear where they stand ("今年已报到 1 次，共需 2 次"),
 * at most once a month each. Outside the last quarter nothing is sent.
 */
export async function remindBehindQuota(deps: AllianceDeps): Promise<{ lastQuarter: boolean; reminded: string[] }> {
  const now = deps.clock();
  const { year, month } = zonedParts(now, deps.config.timeZone);
  if (!isLastQuarter(month)) return { lastQuarter: false, reminded: [] };
  const reminded: string[] = [];
  for (const behind of behindQuota(await figuresOfYear(deps, year))) {
    const { participant, quota } = behind;
    if (!quota || !(await deps.repo.claimOnce(`quota-reminder:${year}-${month}:${participant.id}`, participant.id, now))) continue;
    await deps.notifier.tell(participant, `【年度报到提醒】${participant.name}：${quota.text}。本年度只剩最后一个季度，请关注并响应街道、社区的哨令。`, `al-quota:${year}-${month}:${participant.id}`);
    reminded.push(participant.id);
  }
  return { lastQuarter: true, reminded };
}
