import type { Model } from 'mongoose';
import type { MediaStorage } from '../../bots/wecom/mediaStorage';
import type { MpConfig } from '../../config/mp';
import type { Logger } from '../../infra/logger';
import type { ResidentDoc } from '../../store/models/resident';
import type { ResidentCaseDoc } from '../../store/models/residentCase';
import type { ResidentSubscriptionDoc } from '../../store/models/residentSubscription';
import type { OrgRepository } from '../../store/orgRepository';
import type { ResidentCaseGateway } from './caseGateway';
import type { MpDistrict } from './district';
import type { ReportIdempotency } from './idempotency';
import type { MediaUrlSigner } from './mediaUrls';
import type { PhotoUploads } from './photoUploads';
import type { RateLimiter } from '../rateLimit';
import type { RequestSchemas } from './schemas';
import type { ResidentSession, SessionStore } from './session';

/** Exchanges a wx.login code for the resident's identity; absent when MP_APP_ID/MP_APP_SECRET are not set. */
export interface LoginExchange {
  code2Session(code: string): Promise<{ openid: string; unionid?: string }>;
}

/** Everything the mini-program routes use, built once by the module (or a test). */
export interface MpServices {
  config: MpConfig;
  schemas: RequestSchemas;
  sessions: SessionStore;
  limiter: RateLimiter;
  login: LoginExchange | undefined;
  residents: Model<ResidentDoc>;
  residentCases: Model<ResidentCaseDoc>;
  subscriptions: Model<ResidentSubscriptionDoc>;
  media: MediaStorage;
  signer: MediaUrlSigner;
  uploads: PhotoUploads;
  idempotency: ReportIdempotency;
  cases: ResidentCaseGateway;
  org: Pick<OrgRepository, 'departments'>;
  district: MpDistrict;
  clock: () => Date;
  /** Where photo links start (PUBLIC_BASE_URL; the listening address in the sandbox). */
  publicBaseUrl: () => string;
  logger: Logger;
}

/** Koa state on mini-program routes: the resident once the Bearer token was checked. */
export interface MpState {
  resident?: ResidentSession;
}
