/** What the fake does instead of answering normally. */
/**
 * rate-limit: errcode 45009; errcode: any errcode you name; server-error: HTTP 5xx; hang: never
 * answer (nothing delivered); answer-lost: deliver the message, then never answer (WeChat Work
 * did the work but the answer never reached the sender: a timeout, a dropped connection).
 */
export type FailureKind = 'rate-limit' | 'errcode' | 'server-error' | 'hang' | 'answer-lost';

export interface FailureRule {
  kind: FailureKind;
  remaining: number;
  /** Only calls to this path (e.g. '/cgi-bin/message/send'); every path when absent. */
  path?: string;
  /** For 'rate-limit' (default 45009) and 'errcode': the errcode to answer. */
  errcode?: number;
  /** For 'server-error': the HTTP status (502 by default). */
  status?: number;
  /** Calls (matching `path`) that succeed before this rule starts failing them. */
  skip?: number;
}

/** Failures armed by tests: "the next N calls (to path P) fail like this". Path-specific rules win over global ones. */
export class FailurePlan {
  private rules: FailureRule[] = [];

  add(rule: FailureRule): void {
    if (rule.remaining > 0) this.rules.push(rule);
  }

  /** Consumes one failure for this call, if any is armed. */
  take(path: string): FailureRule | undefined {
    const rule = this.rules.find((r) => r.path === path) ?? this.rules.find((r) => r.path === undefined);
    if (!rule) return undefined;
    if (rule.skip !== undefined && rule.skip > 0) {
      rule.skip -= 1;
      return undefined;
    }
    rule.remaining -= 1;
    if (rule.remaining <= 0) this.rules = this.rules.filter((r) => r !== rule);
    return rule;
  }

  clear(): void {
    this.rules = [];
  }

  pending(): FailureRule[] {
    return this.rules.map((r) => ({ ...r }));
  }
}
