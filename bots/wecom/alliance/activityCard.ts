import { formatChinaTime } from '../../../src/chinaTime';
import { buttonInteractionCard, type ButtonInteractionCard } from '../cards';
import { PARTICIPANT_KIND_NAMES, type Activity, type Participant } from '../../../src/alliance/types';
import { ALLIANCE_KEY, activityTaskId, confirmTaskId } from './keys';

export function when(activity: Activity, timeZone: string): string {
  return `${formatChinaTime(activity.startsAt, 'brief', timeZone)}–${formatChinaTime(activity.endsAt, 'clock', timeZone)}`;
}

/** The 哨令 card: what, where, when, how many, which skills, for whom; 报到 and 取消报名 buttons. */
export function activityCard(activity: Activity, timeZone: string): ButtonInteractionCard {
  const who = activity.targetKinds.map((k) => PARTICIPANT_KIND_NAMES[k]).join('、') || '指定对象';
  const rows = [
    { keyname: '时间', value: when(activity, timeZone) },
    { keyname: '地点', value: activity.venue.name },
    { keyname: '人数', value: `${activity.capacity} 人（候补 ${activity.waitlistCapacity} 人）` },
    { keyname: '报到对象', value: who },
  ];
  if (activity.skills.length > 0) rows.push({ keyname: '所需技能', value: activity.skills.join('、') });
  return buttonInteractionCard({
    title: `【${activity.organiser.level === 'community' ? '社区吹哨' : '街道吹哨'}】${activity.title}`,
    desc: activity.description.slice(0, 120) || undefined,
    source: { desc: activity.organiser.level === 'community' ? '社区吹哨、网格成员报到' : '街道吹哨、联盟单位报到', desc_color: 2 },
    taskId: activityTaskId(activity.id),
    rows,
    buttons: [
      { text: '报到', style: 1, key: ALLIANCE_KEY.signUp },
      { text: '取消报名', style: 2, key: ALLIANCE_KEY.withdraw },
    ],
  });
}

/** The organiser's card for one seated participant: who, which seat, and a 确认参加 button. */
export function confirmCard(activity: Activity, participant: Participant, content: string, timeZone: string, at: Date): ButtonInteractionCard {
  return buttonInteractionCard({
    title: `【报到待确认】${activity.title}`,
    subTitle: content,
    source: { desc: '联盟报到', desc_color: 2 },
    taskId: confirmTaskId(activity.id, participant.id, at),
    rows: [
      { keyname: '报到对象', value: `${participant.name}（${PARTICIPANT_KIND_NAMES[participant.kind]}）` },
      { keyname: '时间', value: when(activity, timeZone) },
      { keyname: '地点', value: activity.venue.name },
    ],
    buttons: [{ text: '确认参加', style: 1, key: ALLIANCE_KEY.confirm }],
  });
}
