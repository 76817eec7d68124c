import { departmentName } from '../../../src/labels';
import type { Assignment, Case, ExtensionRequest } from '../../../src/cases';
import {
  buttonInteractionCard,
  multipleInteractionCard,
  type ButtonInteractionCard,
  type CardButton,
  type CardHorizontalContent,
  type CardSelectOption,
  type MultipleInteractionCard,
} from '../cards';
import { KEY, NO_DEPARTMENT, QUESTION, RETURN_REASONS, UNSOLVED_REASONS, type ReasonOption } from './buttonKeys';
import { caseRows, categoryLabel, excerpt, placeLabel, publicText } from './caseFormat';
import { formatChinaTime } from '../../../src/chinaTime';

const SOURCE = { desc: '街道吹哨 · 部门报到' };

function caseCard(c: Case, taskId: string, view: { title: string; desc?: string; rows?: CardHorizontalContent[]; buttons: CardButton[] }): ButtonInteractionCard {
  return buttonInteractionCard({
    source: SOURCE,
    title: view.title,
    ...(view.desc !== undefined && { desc: view.desc }),
    subTitle: excerpt(publicText(c), 120),
    rows: caseRows(c, view.rows ?? []),
    taskId,
    buttons: view.buttons,
  });
}

function reasonCard(c: Case, taskId: string, title: string, options: readonly ReasonOption[], submitKey: string): MultipleInteractionCard {
  return multipleInteractionCard({
    source: SOURCE,
    title,
    desc: `${c.number} ${categoryLabel(c)} · ${placeLabel(c)}`,
    taskId,
    selects: [{ question_key: QUESTION.reason, title: '原因', option_list: options.map((o) => ({ id: o.id, text: o.text })) }],
    submit: { text: '提交', key: submitKey },
  });
}

/** 吹哨: to the department's leads — 接哨报到 / 退回. */
export function whistleCard(c: Case, a: Assignment, taskId: string, extraRows: CardHorizontalContent[] = []): ButtonInteractionCard {
  const due = a.acceptDueAt ? [{ keyname: '接哨时限', value: formatChinaTime(a.acceptDueAt, 'short') }] : [];
  return caseCard(c, taskId, {
    title: `【吹哨】${categoryLabel(c)}`,
    desc: `${departmentName(a.deptCode)} · ${a.role === 'lead' ? '牵头办理' : '协同办理'}`,
    rows: [...extraRows, ...due],
    buttons: [
      { text: '接哨报到', style: 1, key: KEY.accept },
      { text: '退回', style: 2, key: KEY.return },
    ],
  });
}

/** The whistle card once a lead accepted: who and when, for every recipient. */
export function acceptedWhistleCard(c: Case, a: Assignment, taskId: string): ButtonInteractionCard {
  return whistleCard(c, a, taskId, [
    { keyname: '接哨人', value: a.acceptedByName ?? a.acceptedBy ?? '' },
    { keyname: '接哨时间', value: a.acceptedAt ? formatChinaTime(a.acceptedAt, 'short') : '' },
  ]);
}

export function returnReasonCard(c: Case, taskId: string): MultipleInteractionCard {
  return reasonCard(c, taskId, '【退回】请选择退回理由', RETURN_REASONS, KEY.returnSubmit);
}

export function unsolvedReasonCard(c: Case, taskId: string): MultipleInteractionCard {
  return reasonCard(c, taskId, '【核实未解决】请选择原因', UNSOLVED_REASONS, KEY.unsolvedSubmit);
}

function departmentOptions(codes: readonly string[], max: number): CardSelectOption[] {
  return codes.slice(0, max).map((code) => ({ id: code, text: departmentName(code) }));
}

/**
 * 人工派单: the dispatcher chooses the lead and one assisting department. A select holds at most
 * ten options, so the suggested departments come first, then the rest of the district's.
 */
export function triageCard(c: Case, taskId: string, input: { suggested: readonly string[]; available: readonly string[]; note: string }): MultipleInteractionCard {
  const ordered = [...new Set([...input.suggested, ...input.available])];
  const lead = departmentOptions(ordered, 10);
  const assist = [{ id: NO_DEPARTMENT, text: '无协办部门' }, ...departmentOptions(ordered.filter((d) => d !== input.suggested[0]), 9)];
  return multipleInteractionCard({
    source: SOURCE,
    title: `【待派单】${c.number} ${categoryLabel(c)}`,
    desc: `${placeLabel(c)} · ${input.note} · ${excerpt(publicText(c), 40)}`,
    taskId,
    selects: [
      { question_key: QUESTION.lead, title: '牵头部门', ...(lead[0] && { selected_id: lead[0].id }), option_list: lead },
      { question_key: QUESTION.assist, title: '协办部门', selected_id: assist[1] && input.suggested[1] ? assist[1].id : NO_DEPARTMENT, option_list: assist },
    ],
    submit: { text: '吹哨派单', key: KEY.triageSubmit },
  });
}

/** A community-level case: the grid member's community handles it, or raises it to the street. */
export function communityCard(c: Case, taskId: string): ButtonInteractionCard {
  return caseCard(c, taskId, {
    title: `【社区处理】${categoryLabel(c)}`,
    desc: '该问题由社区先行处理',
    buttons: [
      { text: '社区处理', style: 1, key: KEY.communityAccept },
      { text: '上报街道', style: 2, key: KEY.escalate },
    ],
  });
}

export function verifyCard(c: Case, lead: Assignment, taskId: string): ButtonInteractionCard {
  return caseCard(c, taskId, {
    title: `【待核实】${categoryLabel(c)}`,
    desc: `${departmentName(lead.deptCode)}已反馈办结，请现场核实`,
    rows: [{ keyname: '办理结果', value: excerpt(lead.resultText ?? '', 40) }],
    buttons: [
      { text: '已解决', style: 1, key: KEY.verifySolved },
      { text: '未解决', style: 2, key: KEY.verifyUnsolved },
    ],
  });
}

export function satisfactionCard(c: Case, taskId: string): ButtonInteractionCard {
  return caseCard(c, taskId, {
    title: `【综合评价】${categoryLabel(c)}`,
    desc: '您反映的问题已办结，请评价',
    buttons: [
      { text: '满意', style: 1, key: KEY.rateSatisfied },
      { text: '基本满意', style: 1, key: KEY.rateBasically },
      { text: '不满意', style: 2, key: KEY.rateDissatisfied },
    ],
  });
}

export function whistleRatingCard(c: Case, deptCode: string, taskId: string): ButtonInteractionCard {
  return caseCard(c, taskId, {
    title: `【吹哨评价】${categoryLabel(c)}`,
    desc: `案件已结项，请${departmentName(deptCode)}评价这次吹哨是否合理`,
    buttons: [
      { text: '吹哨合理', style: 1, key: KEY.whistleReasonable },
      { text: '吹哨不合理', style: 2, key: KEY.whistleUnreasonable },
    ],
  });
}

export function extensionCard(c: Case, deptCode: string, request: ExtensionRequest, taskId: string): ButtonInteractionCard {
  return caseCard(c, taskId, {
    title: `【延期申请】${departmentName(deptCode)}`,
    desc: `申请延期至 ${formatChinaTime(request.requestedDueAt, 'short')}`,
    rows: [{ keyname: '延期理由', value: excerpt(request.reason, 40) }],
    buttons: [
      { text: '同意延期', style: 1, key: KEY.extensionApprove },
      { text: '不同意', style: 2, key: KEY.extensionRefuse },
    ],
  });
}
