import type { AllianceDeps } from '../../commands/alliance/deps';
import type { Model } from 'mongoose';
import type { MpConfig } from '../../config/mp';
import type { Logger } from '../../infra/logger';
import type { ResidentSubscriptionDoc } from '../../store/models/residentSubscription';
import type { SessionStore } from '../mp/session';

export interface AllianceWebServices {
  deps: AllianceDeps;
  /** ALLIANCE_API_TOKEN; unset closes the command-centre API. */
  token: string | undefined;
  /** The mini-program's sessions, so a resident's token works on the volunteer routes. */
  sessions: SessionStore;
  logger: Logger;
  /** Volunteers' subscribe-message templates and the store of their one-time grants. */
  subscribe: Pick<MpConfig['subscribe'], 'volunteerTemplates'>;
  subscriptions: Model<ResidentSubscriptionDoc>;
}
