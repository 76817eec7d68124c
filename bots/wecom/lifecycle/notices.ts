import { departmentName } from '../../../src/labels';
import type { Case } from '../../../src/cases';
import { categoryLabel, departmentsLabel, excerpt, placeLabel } from './caseFormat';
import { formatChinaTime } from '../../../src/chinaTime';

/** The one-line texts of group notices and reporter milestones. */
export const notices = {
  whistledGroup: (c: Case, deptCode: string, role: 'lead' | 'assisting') =>
    `【吹哨】${c.number} ${categoryLabel(c)}（${placeLabel(c)}）已吹哨给${departmentName(deptCode)}${role === 'lead' ? '牵头' : '协同'}办理，请负责人在卡片上接哨报到。`,
  acceptedGroup: (c: Case, deptCode: string, by: string, at: Date) => `【报到】${c.number} 已由${by}于${formatChinaTime(at, 'short')}代表${departmentName(deptCode)}接哨报到。`,
  assistDoneGroup: (c: Case, deptCode: string, result: string) => `【协办反馈】${c.number} ${departmentName(deptCode)}已反馈：${excerpt(result, 80)}`,
  reopenedLeads: (c: Case, reason: string) => `【核实未解决】${c.number} ${categoryLabel(c)}（${placeLabel(c)}）核实未解决：${reason}。请继续处理，处理后回复“${c.number} 处理结果”。`,
  returnedAssist: (c: Case, deptCode: string, reason: string) => `【协办退回】${c.number} ${departmentName(deptCode)}退回：${reason}`,
  extensionDecided: (c: Case, approved: boolean, due: string | undefined, note: string | undefined) =>
    `【延期审批】${c.number} 延期申请${approved ? `已同意，新的办结时限 ${due ?? ''}` : '未同意，请按原时限办结'}${note ? `（${note}）` : ''}。`,

  escalatedToDistrict: (c: Case, streetName: string, by: string, reason: string, departments: readonly string[]) =>
    `【提请区级督办】${c.number} ${categoryLabel(c)}（${placeLabel(c)}）${streetName}${by}提请区级督办：${reason}。${departments.length > 0 ? `承办部门：${departmentsLabel(departments)}。` : ''}请在指挥中心查看并督办。`,
  escalatedToDistrictGroup: (c: Case, deptCode: string, reason: string) =>
    `【区级督办】${c.number} ${categoryLabel(c)}（${placeLabel(c)}）已由街道提请区级督办（${reason}），区指挥中心将跟踪${departmentName(deptCode)}的办理，请抓紧办理并及时反馈。`,

  reporterWhistled: (c: Case, departments: readonly string[]) => `您反映的问题（${c.number}）已吹哨派给${departmentsLabel(departments)}办理。`,
  reporterAccepted: (c: Case, deptCode: string) => `您反映的问题（${c.number}）${departmentName(deptCode)}已接哨报到，正在处理。`,
  reporterDone: (c: Case, deptCode: string, result: string) => `您反映的问题（${c.number}）${departmentName(deptCode)}已处理完毕：${excerpt(result, 80)}。等待核实。`,
  reporterClosed: (c: Case, solved: boolean) => `您反映的问题（${c.number}）已核实结项${solved ? '，问题已解决' : ''}。感谢您的反映！`,
  reporterMerged: (c: Case, target: Case) => `您反映的问题（${c.number}）与正在办理的案件 ${target.number} 是同一问题，已合并办理，结果会一并告知您。`,
  reporterCancelled: (c: Case, reason: string) => `您反映的问题（${c.number}）已撤销：${reason}`,
};
