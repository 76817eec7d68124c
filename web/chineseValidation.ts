import { z } from 'zod';
import type { HttpError } from './errors';

export interface FieldIssue {
  field: string;
  message: string;
}

const zhCN = z.locales.zhCN().localeError;

/**
 * Parses with zod's Chinese messages; on failure `invalid` builds the 400 from each issue, worded
 * "<label>：<message>" (or "<label>（<key>）：<message>" with `showKey`) using the top-level field labels.
 */
export function parseInChinese<S extends z.ZodType>(
  schema: S,
  input: unknown,
  options: { labels: Record<string, string>; showKey?: boolean; invalid: (issues: FieldIssue[]) => HttpError },
): z.output<S> {
  const parsed = schema.safeParse(input, { error: zhCN });
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((issue) => {
    const field = issue.path.map(String).join('.');
    const label = options.labels[String(issue.path[0] ?? '')] ?? field;
    const prefix = options.showKey ? `${label}（${field}）` : label;
    return { field, message: label ? `${prefix}：${issue.message}` : issue.message };
  });
  throw options.invalid(issues);
}
