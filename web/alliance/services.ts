import type { AllianceDeps } from '../../commands/alliance/deps';
import type { Logger } from '../../infra/logger';
import type { SessionStore } from '../mp/session';

export interface AllianceWebServices {
  deps: AllianceDeps;
  /** ALLIANCE_API_TOKEN; unset closes the command-centre API. */
  token: string | undefined;
  /** The mini-program's sessions, so a resident's token works on the volunteer routes. */
  sessions: SessionStore;
  logger: Logger;
}
