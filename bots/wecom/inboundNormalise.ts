import { createHash } from 'node:crypto';
import { rejectBadRequest } from './callbackErrors';
import { CONTACT_CHANGE_TYPES, type CardSelection, type ContactChangeType, type InboundEvent } from './events';
import { isXmlObject, xmlText, type XmlNode, type XmlObject } from './xml';

/** Turns the decrypted callback XML (children of `<xml>`) into a typed event. */
export function normaliseInbound(xml: XmlObject): InboundEvent {
  const msgType = required(xml, 'MsgType');
  const base = {
    fromUser: required(xml, 'FromUserName'),
    toUser: xmlText(xml, 'ToUserName') ?? '',
    createTime: integer(xml, 'CreateTime'),
    agentId: optionalInteger(xml, 'AgentID'),
  };
  if (msgType === 'event') return normaliseEvent(xml, base);

  const msgId = required(xml, 'MsgId');
  if (!/^[0-9A-Za-z_=+/-]{1,64}$/.test(msgId)) throw rejectBadRequest('bad_message', 'MsgId has an unexpected shape');
  const message = { ...base, msgId, dedupeKey: `msg-${msgId}` };
  switch (msgType) {
    case 'text':
      return { ...message, type: 'text', content: xmlText(xml, 'Content') ?? '' };
    case 'image':
      return { ...message, type: 'image', picUrl: xmlText(xml, 'PicUrl') ?? '', mediaId: required(xml, 'MediaId') };
    case 'voice':
      return { ...message, type: 'voice', mediaId: required(xml, 'MediaId'), format: xmlText(xml, 'Format') ?? '' };
    case 'video':
      return { ...message, type: 'video', mediaId: required(xml, 'MediaId'), thumbMediaId: xmlText(xml, 'ThumbMediaId') ?? '' };
    case 'file':
      return { ...message, type: 'file', mediaId: required(xml, 'MediaId'), fileName: xmlText(xml, 'FileName') ?? xmlText(xml, 'Title') };
    case 'location':
      return {
        ...message,
        type: 'location',
        latitude: decimal(xml, 'Location_X'),
        longitude: decimal(xml, 'Location_Y'),
        scale: optionalInteger(xml, 'Scale') ?? 0,
        label: xmlText(xml, 'Label') ?? '',
      };
    case 'link':
      return {
        ...message,
        type: 'link',
        title: xmlText(xml, 'Title') ?? '',
        description: xmlText(xml, 'Description') ?? '',
        url: xmlText(xml, 'Url') ?? '',
        picUrl: xmlText(xml, 'PicUrl') ?? '',
      };
    default:
      return { ...message, type: 'unknown', msgType, event: undefined };
  }
}

type Base = { fromUser: string; toUser: string; createTime: number; agentId: number | undefined };

function normaliseEvent(xml: XmlObject, base: Base): InboundEvent {
  const event = required(xml, 'Event');
  const eventKey = xmlText(xml, 'EventKey') ?? '';
  const taskId = xmlText(xml, 'TaskId');
  if (event === 'change_contact') return contactChange(xml, base);
  const dedupeKey = eventDedupeKey(base.fromUser, base.createTime, event, eventKey, taskId);
  const withKey = { ...base, dedupeKey };
  switch (event) {
    case 'enter_agent':
      return { ...withKey, type: 'enter_agent' };
    case 'click':
      return { ...withKey, type: 'click', eventKey };
    case 'template_card_event':
      return {
        ...withKey,
        type: 'template_card_event',
        eventKey,
        taskId: taskId ?? '',
        cardType: xmlText(xml, 'CardType') ?? '',
        responseCode: xmlText(xml, 'ResponseCode'),
        selectedItems: selections(xml.SelectedItems),
      };
    default:
      return { ...withKey, type: 'unknown', msgType: 'event', event };
  }
}

const USERID = /^[A-Za-z0-9_.@-]{1,64}$/;

function contactChange(xml: XmlObject, base: Base): InboundEvent {
  const changeType = required(xml, 'ChangeType');
  const detail = { userId: xmlText(xml, 'UserID'), newUserId: xmlText(xml, 'NewUserID'), partyId: optionalInteger(xml, 'Id') };
  const key = (what: string) => eventDedupeKey(base.fromUser, base.createTime, 'change_contact', what, JSON.stringify(detail));
  if (!(CONTACT_CHANGE_TYPES as readonly string[]).includes(changeType)) return { ...base, dedupeKey: key(changeType), type: 'unknown', msgType: 'event', event: `change_contact:${changeType}` };
  const type = changeType as ContactChangeType;
  const isUser = type.endsWith('_user');
  if (isUser && (detail.userId === undefined || !USERID.test(detail.userId))) throw rejectBadRequest('bad_message', `change_contact ${type} lacks a valid <UserID>`);
  if (detail.newUserId !== undefined && !USERID.test(detail.newUserId)) throw rejectBadRequest('bad_message', `change_contact ${type} has an invalid <NewUserID>`);
  if (!isUser && detail.partyId === undefined) throw rejectBadRequest('bad_message', `change_contact ${type} lacks a numeric <Id>`);
  const { agentId, ...rest } = base;
  return {
    ...rest,
    ...(agentId !== undefined && { agentId }),
    dedupeKey: key(type),
    type: 'change_contact',
    changeType: type,
    ...(detail.userId !== undefined && { userId: detail.userId }),
    ...(detail.newUserId !== undefined && { newUserId: detail.newUserId }),
    ...(detail.partyId !== undefined && { partyId: detail.partyId }),
  };
}

/**
 * Events carry no MsgId: a retry repeats sender, CreateTime, event and key (and the card's TaskId).
 * Hashed because EventKeys are free text and the key doubles as a BullMQ jobId (no `:` allowed).
 */
function eventDedupeKey(fromUser: string, createTime: number, event: string, eventKey: string, taskId: string | undefined): string {
  const digest = createHash('sha256').update(JSON.stringify([fromUser, createTime, event, eventKey, taskId ?? null])).digest('hex');
  return `evt-${digest.slice(0, 40)}`;
}

function selections(node: XmlNode | undefined): CardSelection[] {
  if (!isXmlObject(node)) return [];
  return asList(node.SelectedItem).filter(isXmlObject).map((item) => ({
    questionKey: xmlText(item, 'QuestionKey') ?? '',
    optionIds: isXmlObject(item.OptionIds) ? asList(item.OptionIds.OptionId).filter((id): id is string => typeof id === 'string') : [],
  }));
}

function asList(node: XmlNode | undefined): XmlNode[] {
  if (node === undefined) return [];
  return Array.isArray(node) ? node : [node];
}

function required(xml: XmlObject, tag: string): string {
  const value = xmlText(xml, tag);
  if (value === undefined || value === '') throw rejectBadRequest('bad_message', `callback XML lacks <${tag}>`);
  return value;
}

function integer(xml: XmlObject, tag: string): number {
  const value = optionalInteger(xml, tag);
  if (value === undefined) throw rejectBadRequest('bad_message', `callback XML lacks a numeric <${tag}>`);
  return value;
}

function optionalInteger(xml: XmlObject, tag: string): number | undefined {
  const text = xmlText(xml, tag);
  return text !== undefined && /^\d{1,15}$/.test(text) ? Number(text) : undefined;
}

function decimal(xml: XmlObject, tag: string): number {
  const value = Number(xmlText(xml, tag));
  if (!Number.isFinite(value)) throw rejectBadRequest('bad_message', `callback XML lacks a numeric <${tag}>`);
  return value;
}
