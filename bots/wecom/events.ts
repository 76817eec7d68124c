/**
 * What the rest of the app sees of a WeChat Work callback: a typed, JSON-safe event.
 * Nothing outside `bots/wecom` reads callback XML.
 */
interface InboundBase {
  /** WeChat Work userid of the sender. */
  fromUser: string;
  /** Corp (or app) the callback was addressed to: `ToUserName`. */
  toUser: string;
  /** Seconds since the epoch, as WeChat Work stamps it. */
  createTime: number;
  agentId: number | undefined;
  /**
   * Same for every retry of one callback, distinct otherwise: `msg-<MsgId>` or `evt-<hash>`.
   * The queue's jobId and the store's key (so it never contains `:`).
   */
  dedupeKey: string;
}

interface MessageBase extends InboundBase {
  /** 64-bit id, kept as a string. */
  msgId: string;
}

export interface TextEvent extends MessageBase { type: 'text'; content: string }
export interface ImageEvent extends MessageBase { type: 'image'; picUrl: string; mediaId: string }
export interface VoiceEvent extends MessageBase { type: 'voice'; mediaId: string; format: string }
export interface VideoEvent extends MessageBase { type: 'video'; mediaId: string; thumbMediaId: string }
export interface FileEvent extends MessageBase { type: 'file'; mediaId: string; fileName: string | undefined }
export interface LocationEvent extends MessageBase {
  type: 'location';
  /** Latitude (`Location_X`). */
  latitude: number;
  /** Longitude (`Location_Y`). */
  longitude: number;
  scale: number;
  label: string;
}
export interface LinkEvent extends MessageBase { type: 'link'; title: string; description: string; url: string; picUrl: string }

export interface EnterAgentEvent extends InboundBase { type: 'enter_agent' }
/** A tap on the app's custom menu (`Event=click`). */
export interface MenuClickEvent extends InboundBase { type: 'click'; eventKey: string }

export interface CardSelection {
  questionKey: string;
  optionIds: string[];
}

/** A tap on a template card button, or a submitted vote / multiple_interaction card. */
export interface CardActionEvent extends InboundBase {
  type: 'template_card_event';
  eventKey: string;
  taskId: string;
  cardType: string;
  /** One-shot code for updating the card (valid 72 h); absent on some card types. */
  responseCode: string | undefined;
  selectedItems: CardSelection[];
}

export const CONTACT_CHANGE_TYPES = ['create_user', 'update_user', 'delete_user', 'create_party', 'update_party', 'delete_party'] as const;
export type ContactChangeType = (typeof CONTACT_CHANGE_TYPES)[number];

/**
 * A change to WeChat Work's directory (`Event=change_contact`), from "sys". Callbacks set since 2022
 * carry ids only, so listeners re-read the member (user/get) or the departments (department/list).
 */
export interface ContactChangeEvent extends Omit<InboundBase, 'agentId'> {
  type: 'change_contact';
  /** Absent keys rather than undefined values: the event is stored as JSON and must read back equal. */
  agentId?: number;
  changeType: ContactChangeType;
  /** create/update/delete_user: the member's userid (`UserID`). */
  userId?: string;
  /** update_user when the userid itself changed (`NewUserID`). */
  newUserId?: string;
  /** create/update/delete_party: the department id (`Id`). */
  partyId?: number;
}

/** Anything else WeChat Work sends: logged and acknowledged, never an error. */
export interface UnknownInboundEvent extends InboundBase {
  type: 'unknown';
  msgType: string;
  event: string | undefined;
}

export type InboundEvent =
  | TextEvent
  | ImageEvent
  | VoiceEvent
  | VideoEvent
  | FileEvent
  | LocationEvent
  | LinkEvent
  | EnterAgentEvent
  | MenuClickEvent
  | CardActionEvent
  | ContactChangeEvent
  | UnknownInboundEvent;

export type InboundEventType = InboundEvent['type'];
export type InboundEventOf<T extends InboundEventType> = Extract<InboundEvent, { type: T }>;
