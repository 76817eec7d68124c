import { departmentName } from '../../../src/labels';
import { buttonInteractionCard, multipleInteractionCard, type ButtonInteractionCard, type CardHorizontalContent, type MultipleInteractionCard } from '../cards';
import { category as categoryInfo, taxonomy, urgencyName, type Urgency } from '../../../src/taxonomy';
import { CATEGORY_QUESTION, URGENCY_QUESTION, draftActionKey } from './actionKey';
import type { DraftSummary } from './summarise';

/** WeChat Work shows about 26 characters of a row's value. */
const ROW_VALUE_CHARS = 26;

function clip(text: string, max: number): string {
  const chars = [...text.replace(/\s+/g, ' ').trim()];
  return chars.length <= max ? chars.join('') : `${chars.slice(0, max - 1).join('')}…`;
}

function rows(summary: DraftSummary, departmentCodes: readonly string[], decided: boolean): CardHorizontalContent[] {
  const departments = departmentCodes.map(departmentName).join('、') || '由街道调度员确定';
  const list: CardHorizontalContent[] = [
    { keyname: '类别', value: categoryInfo(summary.category).name },
    { keyname: '地点', value: clip(summary.location ?? '已发送定位', ROW_VALUE_CHARS) },
    { keyname: '紧急程度', value: urgencyName(summary.urgency) },
    { keyname: decided ? '承办部门' : '建议部门', value: clip(departments, ROW_VALUE_CHARS) },
  ];
  if (summary.media.length > 0) list.push({ keyname: '照片', value: `${summary.media.length} 张` });
  return list;
}

export interface DraftCardInput {
  draftId: string;
  taskId: string;
  summary: DraftSummary;
  previewChars: number;
  /** Who will take it, lead first (from the routing preview). */
  departments: readonly string[];
  /** False when the dispatcher or the community decides: the departments are only a suggestion. */
  whistles: boolean;
  /** The line under the title: what confirming does. */
  note: string;
}

/** 请确认上报: what we understood, with buttons to confirm, correct or cancel. */
export function confirmationCard(input: DraftCardInput): ButtonInteractionCard {
  const { draftId, summary } = input;
  return buttonInteractionCard({
    title: '请确认上报内容',
    desc: input.note,
    subTitle: clip(summary.text, input.previewChars),
    rows: rows(summary, input.departments, input.whistles),
    taskId: input.taskId,
    buttons: [
      { text: '确认上报', style: 1, key: draftActionKey(draftId, 'confirm') },
      { text: '修改类别', style: 2, key: draftActionKey(draftId, 'category') },
      { text: '修改紧急程度', style: 2, key: draftActionKey(draftId, 'urgency') },
      { text: '取消', style: 3, key: draftActionKey(draftId, 'cancel') },
    ],
  });
}

/** The confirmed card: same content, the buttons replaced by what happened. */
export function settledCard(input: DraftCardInput & { title: string }): ButtonInteractionCard {
  const card = confirmationCard(input);
  return { ...card, main_title: { title: input.title, desc: input.note } };
}

/** `choices`: the parser's alternatives, then the configured frequent ones; the current one first. */
export function categoryChooser(draftId: string, taskId: string, current: string, choices: readonly string[]): MultipleInteractionCard {
  const codes = [...new Set([current, ...choices])].slice(0, 10);
  return multipleInteractionCard({
    title: '修改类别',
    desc: '选择正确的类别后点“确定”',
    taskId,
    selects: [{ question_key: CATEGORY_QUESTION, title: '类别', selected_id: current, option_list: codes.map((code) => ({ id: code, text: categoryInfo(code).name })) }],
    submit: { text: '确定', key: draftActionKey(draftId, 'pick-category') },
  });
}

export function urgencyChooser(draftId: string, taskId: string, current: Urgency): MultipleInteractionCard {
  return multipleInteractionCard({
    title: '修改紧急程度',
    desc: '应急哨：危及生命财产；攻坚哨：久拖未决或需多部门；日常哨：其他',
    taskId,
    selects: [{ question_key: URGENCY_QUESTION, title: '紧急程度', selected_id: current, option_list: taxonomy.urgency.map((u) => ({ id: u.code, text: u.name })) }],
    submit: { text: '确定', key: draftActionKey(draftId, 'pick-urgency') },
  });
}
