import type { AllianceConfig } from '../../config/alliance';
import type { Activity, ActivityNoticeKind, Participant } from '../../src/alliance/types';

export interface ActivityNotice {
  kind: ActivityNoticeKind;
  activity: Activity;
}
import type { ParticipantYear } from '../../src/alliance/yearlyFigures';
import type { AllianceRepository } from '../../store/alliance/allianceRepository';

/** What the alliance tells people; the WeCom side sends cards and texts, residents read the API. */
export interface AllianceNotifier {
  /** The 哨令 card to every target that can receive one. */
  activityPosted(activity: Activity, targets: readonly Participant[]): Promise<void>;
  /**
   * A plain answer to one participant (the outcome of a tap, a promotion, a confirmation, a reminder);
   * `about` says which 哨令 and what kind of news, for channels that send structured messages (a
   * volunteer's mini-program subscribe message).
   */
  tell(participant: Participant, text: string, idempotencyKey: string, about?: ActivityNotice): Promise<void>;
  /** The organiser's card to confirm one seated participant (a 确认参加 button). */
  confirmRequest(activity: Activity, participant: Participant, text: string, idempotencyKey: string): Promise<void>;
  /** A notice to the organiser who posted the 哨令. */
  tellOrganiser(activity: Activity, text: string, idempotencyKey: string): Promise<void>;
}

/** The reminders before an activity starts (BullMQ delayed jobs in production). */
export interface ReminderScheduler {
  schedule(activity: Activity): Promise<void>;
  /** Removes the activity's pending reminders (before a reschedule, or on cancellation). */
  cancel(activity: Activity): Promise<void>;
}

export interface AllianceDeps {
  repo: AllianceRepository;
  notifier: AllianceNotifier;
  reminders: ReminderScheduler;
  config: AllianceConfig;
  /** Signs QR codes and personal check-in links. */
  secret: string;
  clock: () => Date;
}

export type { ParticipantYear };
