import { z } from 'zod';
import type { CaseCommand } from '../../src/cases';
import { parseInChinese } from '../chineseValidation';
import { ValidationError } from '../errors';

const reason = z.string().trim().min(1).max(500);
const departments = z.array(z.string().trim().min(1).max(32)).min(1).max(10);

export const actionSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('whistle'), departments }),
  z.object({ type: z.literal('reassign'), departments }),
  z.object({ type: z.literal('accept') }),
  z.object({ type: z.literal('return'), reason }),
  z.object({ type: z.literal('decideExtension'), deptCode: z.string().min(1).max(32), approve: z.boolean(), note: z.string().trim().max(500).optional() }),
  z.object({ type: z.literal('verify'), outcome: z.enum(['solved', 'reopen', 'unsolvable']), note: z.string().trim().max(500).optional() }),
  z.object({ type: z.literal('rateDepartment'), deptCode: z.string().trim().min(1).max(32), value: z.enum(['satisfied', 'basically', 'dissatisfied']), comment: z.string().trim().max(500).optional() }),
  z.object({ type: z.literal('escalateToDistrict'), reason }),
  z.object({ type: z.literal('markHardCase'), reason }),
  z.object({ type: z.literal('resolveHardCase'), reason }),
  z.object({ type: z.literal('releaseReporter'), reason }),
  z.object({ type: z.literal('cancel'), reason }),
]);

const LABELS = { type: '操作', departments: '部门', reason: '理由', deptCode: '部门', approve: '是否同意', note: '说明', outcome: '核实结果', value: '评价', comment: '评价说明' };

/** A console action as the lifecycle command it is; the optional `commandId` makes a retried click harmless. */
export function parseAction(body: unknown): { command: CaseCommand; commandId?: string } {
  const commandId = typeof body === 'object' && body !== null && 'commandId' in body && typeof body.commandId === 'string' && /^[A-Za-z0-9_-]{8,64}$/.test(body.commandId) ? body.commandId : undefined;
  const command = parseInChinese(actionSchema, body, { labels: LABELS, invalid: (issues) => new ValidationError(issues.map((i) => i.message).join('；'), { issues }) }) as CaseCommand;
  return commandId === undefined ? { command } : { command, commandId };
}
