import type { DeadlinePlanner, DuplicateRule } from '../src/cases';
import { defaultRoutingTable, duplicateRule, type RoutingTable } from '../src/routing';
import type { LifecycleConfig } from './deps';

/** The shipped routing table (with its duplicate window); each piece can be replaced (tests, district tuning). */
export function lifecycleConfig(overrides: { routing?: RoutingTable; duplicates?: DuplicateRule; plan?: DeadlinePlanner; maxConflictRetries?: number } = {}): LifecycleConfig {
  const routing = overrides.routing ?? defaultRoutingTable();
  return {
    routing,
    duplicates: overrides.duplicates ?? duplicateRule(routing),
    maxConflictRetries: overrides.maxConflictRetries ?? 8,
    ...(overrides.plan !== undefined && { plan: overrides.plan }),
  };
}
