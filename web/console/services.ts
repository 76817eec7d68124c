import type { StoreLoad } from '../../store/storeCapacity';
import type { LifecycleDeps } from '../../commands/deps';
import type { ConsoleConfig } from '../../config/console';
import type { MediaStorage } from '../../bots/wecom/mediaStorage';
import type { Logger } from '../../infra/logger';
import type { Case } from '../../src/cases/types';
import type { CaseSummaryIndex } from '../../store/caseSummaryIndex';
import type { ConsoleAuditLog } from '../../store/consoleAudit';
import type { UserDoc } from '../../store/models/org';
import type { ConsoleEventStreams } from './eventStream';
import type { PlaceNames } from './presenters';
import type { ConsoleSessions } from './sessions';

/** Everything the console's routes use, wired once in `web/console/module.ts`. */
export interface ConsoleServices {
  districtId: string;
  timeZone: string;
  config: ConsoleConfig;
  login: { corpId: string; agentId: number; oauthBase: string; ssoBase: string };
  /** auth/getuserinfo: who a login code belongs to. */
  identity(code: string): Promise<{ userId: string } | { openid: string }>;
  user(userId: string): Promise<UserDoc | undefined>;
  sessions: ConsoleSessions;
  index: CaseSummaryIndex;
  loadCase(id: string): Promise<Case | undefined>;
  lifecycle: LifecycleDeps;
  audit: ConsoleAuditLog;
  streams: ConsoleEventStreams;
  media: MediaStorage;
  places: PlaceNames & { streets: { id: string; name: string; communities: { id: string; name: string }[] }[] };
  logger: Logger;
  now(): Date;
  /** How full the store is against the default store's ceiling (undefined until measured). */
  storeLoad(): StoreLoad | undefined;
}
