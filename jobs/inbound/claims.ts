import type { RedisClient } from '../../infra/redis';

// SET NX per key; a key this owner set before (its job is being retried) counts as owned again.
const CLAIM_SCRIPT = `
local owned = {}
for i, key in ipairs(KEYS) do
  if redis.call('SET', key, ARGV[1], 'NX', 'EX', ARGV[2]) then
    owned[i] = 1
  elseif redis.call('GET', key) == ARGV[1] then
    owned[i] = 1
  else
    owned[i] = 0
  end
end
return owned
`;

/**
 * Which job handles an inbound event. The gateway may queue one event in several jobs (a WeChat
 * Work retry lands in a later batch than the original); the first job to reach it claims it for
 * as long as a retry can come, and the others skip it. One script call per job.
 */
export class InboundClaims {
  constructor(
    private readonly redis: RedisClient,
    private readonly keyPrefix: string,
    private readonly ttlSeconds: number,
  ) {}

  /** For each dedupe key, true when `owner` (a job id) is the job that handles that event. */
  async claim(owner: string, dedupeKeys: readonly string[]): Promise<boolean[]> {
    if (dedupeKeys.length === 0) return [];
    const keys = dedupeKeys.map((key) => `${this.keyPrefix}${key}`);
    const owned = (await this.redis.eval(CLAIM_SCRIPT, keys.length, ...keys, owner, String(this.ttlSeconds))) as number[];
    return owned.map((flag) => flag === 1);
  }
}
