import type { Connection } from 'mongoose';
import { withSubscribers, type CaseChangeSubscriber } from '../../../commands/caseSubscribers';
import { CaseWriteTurns } from '../../../commands/caseWriteTurns';
import type { CaseStore, DeadlineSync, LifecycleConfig, LifecycleDeps, OrgDirectory, PendingEffects } from '../../../commands/deps';
import type { Logger } from '../../../infra/logger';
import type { CardActionEvent } from '../events';
import { CardStore } from './cardStore';
import { CardUpdates } from './cardUpdates';
import { WecomLifecycleNotifier } from './notifier';
import type { LifecycleOutbox, ResidentMilestoneNotifier } from './ports';
import { LifecycleSender } from './sender';
import type { TapDeps } from './tapContext';
import { handleCardTap } from './tapHandlers';

export interface WecomLifecycleOptions {
  mongo: Connection;
  cases: CaseStore;
  org: OrgDirectory;
  outbox: LifecycleOutbox;
  deadlines: DeadlineSync;
  config: LifecycleConfig;
  residents?: ResidentMilestoneNotifier;
  /** Outside platforms told of each change (the hotline's progress pushes). */
  subscribers?: readonly CaseChangeSubscriber[];
  clock?: () => Date;
  logger?: Logger;
  /** Where each change's side effects wait until they ran (`store/pendingEffects.ts`). */
  pendingEffects?: PendingEffects;
}

export interface WecomLifecycle {
  /** What `submitReport` / `runCaseCommand` take. */
  deps: LifecycleDeps;
  cards: CardStore;
  /** Handles a template card tap; false when the card is not one of the lifecycle's. */
  handleTap(event: CardActionEvent): Promise<boolean>;
}

/** The lifecycle commands with the WeCom notifier and tap handlers around them. */
export function createWecomLifecycle(options: WecomLifecycleOptions): WecomLifecycle {
  const clock = options.clock ?? (() => new Date());
  const cards = new CardStore(options.mongo);
  const sender = new LifecycleSender(options.outbox, cards, clock);
  const wecomNotifier = new WecomLifecycleNotifier({
    sender,
    org: options.org,
    ...(options.residents !== undefined && { residents: options.residents }),
    ...(options.logger !== undefined && { logger: options.logger }),
  });
  const notifier = withSubscribers(wecomNotifier, options.subscribers ?? []);
  const deps: LifecycleDeps = {
    cases: options.cases,
    org: options.org,
    notifier,
    deadlines: options.deadlines,
    clock,
    config: options.config,
    caseTurns: new CaseWriteTurns(),
    ...(options.pendingEffects !== undefined && { pendingEffects: options.pendingEffects }),
    sideEffectFailed: ({ step, case: c, error }) =>
      options.logger?.error({ err: error, caseId: c.id, caseNumber: c.number, step }, 'a side effect failed after the case change was stored; the change stands (deadlines are re-synced by the sweeper, notices can be re-sent from the case)'),
  };
  const tapDeps: TapDeps = { lifecycle: deps, cards, sender, updates: new CardUpdates(options.outbox), ...(options.logger !== undefined && { logger: options.logger }) };
  return { deps, cards, handleTap: (event) => handleCardTap(tapDeps, event) };
}
