import { ALLOWED, refuse, type Decision } from './refusals';

/** Points can be exchanged for a reward only out of what is left of the points earned. */
export function exchangeDecision(balance: number, cost: number, name: string): Decision {
  if (cost > balance) return refuse('insufficient_points', `${name}的可用积分为 ${balance}，兑换需要 ${cost} 积分，积分不足`);
  return ALLOWED;
}
