/** Who answers a whistle besides departments (双报到、社会力量报到、网格成员报到). */
export const PARTICIPANT_KINDS = ['alliance_unit', 'party_org', 'party_member', 'social_org', 'social_worker', 'volunteer', 'grid_member'] as const;
export type ParticipantKind = (typeof PARTICIPANT_KINDS)[number];

/** Kinds that stand for an organisation: their members' hours count towards them. */
export const ORGANISATION_KINDS: readonly ParticipantKind[] = ['alliance_unit', 'party_org', 'social_org'];

export const PARTICIPANT_KIND_NAMES: Record<ParticipantKind, string> = {
  alliance_unit: '联盟单位',
  party_org: '党组织',
  party_member: '党员',
  social_org: '社会组织',
  social_worker: '社工',
  volunteer: '志愿者',
  grid_member: '网格成员',
};

/** What a participant is told about a 哨令 (the kinds a volunteer's subscribe message can carry). */
export const ACTIVITY_NOTICE_KINDS = ['posted', 'confirmed', 'reminder', 'changed', 'cancelled', 'waitlisted', 'promoted'] as const;
export type ActivityNoticeKind = (typeof ACTIVITY_NOTICE_KINDS)[number];

export interface Participant {
  id: string;
  kind: ParticipantKind;
  name: string;
  /** A WeChat Work member: cards and taps go through the app. */
  wecomUserId?: string;
  /** Someone outside the corp, registered through the residents' mini-program. */
  residentId?: string;
  /** The alliance unit or party organisation (a participant id) this one belongs to. */
  orgId?: string;
  /** 双报到: the member's own organisation elsewhere, which receives the yearly 评价鉴定. */
  homeOrganisation?: string;
  streetId?: string;
  communityId?: string;
  gridId?: string;
  skills: string[];
}

/** The three lists: 需求清单 (居民点单), 资源清单 (what a unit offers), 项目清单 (支部下单、部门接单). */
export const LIST_KINDS = ['needs', 'resources', 'projects'] as const;
export type ListKind = (typeof LIST_KINDS)[number];

export interface ListItem {
  id: string;
  list: ListKind;
  title: string;
  description: string;
  /** needs: the resident or community asking; resources: the offering participant; projects: the organiser. */
  ownerId: string;
  communityId?: string;
  skills: string[];
  createdAt: Date;
}

export interface Venue {
  name: string;
  latitude: number;
  longitude: number;
  radiusMeters: number;
}

/** Who posts a 哨令: a street (街道吹哨) or a community to its grid and members (社区吹哨). */
export interface Organiser {
  level: 'street' | 'community';
  /** Street or community id from the district seed. */
  id: string;
  /** The WeChat Work member who posted it. */
  userId: string;
}

/** A 哨令: a call-out to answer on a day, at a place. */
export interface Activity {
  id: string;
  title: string;
  description: string;
  organiser: Organiser;
  /** Key of the points rule (e.g. `service`, `emergency`, `meeting`). */
  kind: string;
  venue: Venue;
  startsAt: Date;
  endsAt: Date;
  capacity: number;
  waitlistCapacity: number;
  skills: string[];
  targetKinds: ParticipantKind[];
  /** Participants named one by one, whatever their kind. */
  targetIds: string[];
  /** The need, resource or project this call-out serves. */
  listItemId?: string;
  postedAt: Date;
  /** Counts the organiser's edits (0 as posted); change notices are keyed by it. */
  revision?: number;
  /** 撤销哨令: nothing can be signed up, confirmed or checked in after this. */
  cancelledAt?: Date;
  cancelledBy?: string;
  cancelReason?: string;
}

export type CheckMethod = 'location' | 'qr';

export interface Correction {
  hours: number;
  reason: string;
  by: string;
  at: Date;
}

/** One participant's sign-up to one activity, with everything that happened to it. */
export interface Signup {
  activityId: string;
  participantId: string;
  signedUpAt: Date;
  /** 1-based seat number; absent while on the waiting list. */
  seat?: number;
  waitlistedAt?: Date;
  confirmedAt?: Date;
  confirmedBy?: string;
  withdrawnAt?: Date;
  checkedInAt?: Date;
  checkInMethod?: CheckMethod;
  checkedOutAt?: Date;
  corrections: Correction[];
}
