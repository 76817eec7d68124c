import { randomBytes } from 'node:crypto';
import { encryptCallback, signCallback } from '../../bots/wecom/crypto';
import type { CardSelection } from '../../bots/wecom/events';
import { buildCallbackXml, type XmlValue } from '../../bots/wecom/xml';
import type { ContactChange } from './directory';

export interface CallbackSenderOptions {
  /** Full callback URL, e.g. http://127.0.0.1:3000/wecom/callback */
  url: string;
  corpId: string;
  token: string;
  encodingAesKey: string;
  agentId: number;
  /** Clock for CreateTime and the signed timestamp (ms). */
  now?: () => number;
}

export interface CallbackResponse {
  status: number;
  body: string;
}

/** What to tamper with when sending a deliberately bad callback. */
export interface RawCallback {
  /** The inner (decrypted) XML; ignored when `encrypted` is given. */
  xml?: string;
  /** Ciphertext to send as-is in <Encrypt>. */
  encrypted?: string;
  /** Body to POST as-is (skips the envelope). */
  body?: string;
  /** Receive id to encrypt with (defaults to our corp). */
  receiveId?: string;
  timestamp?: string;
  nonce?: string;
  signature?: string;
  contentType?: string;
}

export interface CardEventInput {
  fromUser: string;
  eventKey: string;
  taskId: string;
  cardType?: string;
  responseCode?: string;
  selectedItems?: CardSelection[];
  createTime?: number;
}

interface Common {
  fromUser: string;
  createTime?: number;
}

/**
 * Sends callbacks to our server exactly as WeChat Work does: XML in CDATA, encrypted with the
 * corp's EncodingAESKey, wrapped in `<xml><ToUserName/><AgentID/><Encrypt/></xml>`, signed, and
 * POSTed with msg_signature/timestamp/nonce. Used by tests and the sandbox console.
 */
export class CallbackSender {
  private msgSeq = BigInt(Date.now()) * 1000n;

  constructor(private readonly options: CallbackSenderOptions) {}

  /** A fresh MsgId (64-bit decimal, as WeChat Work uses). */
  nextMsgId(): string {
    this.msgSeq += 1n;
    return this.msgSeq.toString();
  }

  sendText(fromUser: string, content: string, extra: { msgId?: string; createTime?: number } = {}): Promise<CallbackResponse> {
    return this.sendMessage({ fromUser, ...extra }, 'text', { Content: content });
  }

  sendImage(fromUser: string, image: { picUrl: string; mediaId: string; msgId?: string }): Promise<CallbackResponse> {
    return this.sendMessage({ fromUser, msgId: image.msgId }, 'image', { PicUrl: image.picUrl, MediaId: image.mediaId });
  }

  sendVoice(fromUser: string, voice: { mediaId: string; format?: string; msgId?: string }): Promise<CallbackResponse> {
    return this.sendMessage({ fromUser, msgId: voice.msgId }, 'voice', { MediaId: voice.mediaId, Format: voice.format ?? 'amr' });
  }

  sendVideo(fromUser: string, video: { mediaId: string; thumbMediaId: string; msgId?: string }): Promise<CallbackResponse> {
    return this.sendMessage({ fromUser, msgId: video.msgId }, 'video', { MediaId: video.mediaId, ThumbMediaId: video.thumbMediaId });
  }

  sendFile(fromUser: string, file: { mediaId: string; fileName?: string; msgId?: string }): Promise<CallbackResponse> {
    return this.sendMessage({ fromUser, msgId: file.msgId }, 'file', { MediaId: file.mediaId, FileName: file.fileName });
  }

  sendLocation(
    fromUser: string,
    location: { latitude: number; longitude: number; scale?: number; label: string; msgId?: string },
  ): Promise<CallbackResponse> {
    return this.sendMessage({ fromUser, msgId: location.msgId }, 'location', {
      Location_X: String(location.latitude),
      Location_Y: String(location.longitude),
      Scale: location.scale ?? 15,
      Label: location.label,
      AppType: 'wxwork',
    });
  }

  sendLink(fromUser: string, link: { title: string; description: string; url: string; picUrl: string; msgId?: string }): Promise<CallbackResponse> {
    return this.sendMessage({ fromUser, msgId: link.msgId }, 'link', {
      Title: link.title,
      Description: link.description,
      Url: link.url,
      PicUrl: link.picUrl,
    });
  }

  sendEnterAgent(fromUser: string, createTime?: number): Promise<CallbackResponse> {
    return this.sendEvent({ fromUser, createTime }, 'enter_agent', { EventKey: '' });
  }

  sendMenuClick(fromUser: string, eventKey: string, createTime?: number): Promise<CallbackResponse> {
    return this.sendEvent({ fromUser, createTime }, 'click', { EventKey: eventKey });
  }

  /** A button tap (no selections) or a submitted vote / multiple_interaction card. */
  sendCardEvent(input: CardEventInput): Promise<CallbackResponse> {
    const selected = input.selectedItems ?? [];
    return this.sendEvent({ fromUser: input.fromUser, createTime: input.createTime }, 'template_card_event', {
      EventKey: input.eventKey,
      TaskId: input.taskId,
      CardType: input.cardType ?? (selected.length > 0 ? 'multiple_interaction' : 'button_interaction'),
      ResponseCode: input.responseCode ?? randomBytes(12).toString('hex'),
      SelectedItems:
        selected.length === 0
          ? undefined
          : {
              SelectedItem: selected.map((item) => ({ QuestionKey: item.questionKey, OptionIds: { OptionId: item.optionIds } })),
            },
    });
  }

  /**
   * A change_contact event as WeChat Work pushes it for a directory change (from "sys"), with ids
   * only, as callbacks set since 2022 carry: the receiver has to re-read the member or department.
   */
  sendContactChange(change: ContactChange, createTime?: number): Promise<CallbackResponse> {
    return this.sendXml(this.contactChangeXml(change, createTime));
  }

  contactChangeXml(change: ContactChange, createTime?: number): string {
    const ids = 'partyId' in change ? { Id: change.partyId } : { UserID: change.userId, NewUserID: 'newUserId' in change ? change.newUserId : undefined };
    return buildCallbackXml({
      ToUserName: this.options.corpId,
      FromUserName: 'sys',
      CreateTime: createTime ?? this.nowSeconds(),
      MsgType: 'event',
      Event: 'change_contact',
      ChangeType: change.changeType,
      ...ids,
    });
  }

  /** Builds the inner XML of a message callback (exposed for retries and tampering). */
  messageXml(common: Common & { msgId?: string }, msgType: string, fields: Record<string, XmlValue | undefined>): string {
    return buildCallbackXml({
      ToUserName: this.options.corpId,
      FromUserName: common.fromUser,
      CreateTime: common.createTime ?? this.nowSeconds(),
      MsgType: msgType,
      ...fields,
      MsgId: common.msgId ?? this.nextMsgId(),
      AgentID: this.options.agentId,
    });
  }

  eventXml(common: Common, event: string, fields: Record<string, XmlValue | undefined>): string {
    return buildCallbackXml({
      ToUserName: this.options.corpId,
      FromUserName: common.fromUser,
      CreateTime: common.createTime ?? this.nowSeconds(),
      MsgType: 'event',
      Event: event,
      ...fields,
      AgentID: this.options.agentId,
    });
  }

  /** POSTs an inner XML document, encrypted and signed as WeChat Work would (or tampered via `raw`). */
  async sendXml(xml: string, raw: Omit<RawCallback, 'xml'> = {}): Promise<CallbackResponse> {
    return this.sendRaw({ ...raw, xml });
  }

  async sendRaw(raw: RawCallback): Promise<CallbackResponse> {
    const { corpId, token, encodingAesKey, agentId } = this.options;
    const timestamp = raw.timestamp ?? String(this.nowSeconds());
    const nonce = raw.nonce ?? randomBytes(5).toString('hex');
    const encrypted = raw.encrypted ?? encryptCallback(encodingAesKey, raw.xml ?? '', raw.receiveId ?? corpId);
    const signature = raw.signature ?? signCallback(token, timestamp, nonce, encrypted);
    const body = raw.body ?? buildCallbackXml({ ToUserName: corpId, AgentID: agentId, Encrypt: encrypted });
    const response = await fetch(`${this.options.url}?${query({ msg_signature: signature, timestamp, nonce })}`, {
      method: 'POST',
      headers: { 'content-type': raw.contentType ?? 'text/xml' },
      body,
    });
    return { status: response.status, body: await response.text() };
  }

  /** The GET WeChat Work sends when an admin saves the callback URL; answers the decrypted echostr. */
  async verifyUrl(options: { echo?: string; timestamp?: string; nonce?: string } = {}): Promise<CallbackResponse & { expected: string }> {
    const expected = options.echo ?? randomBytes(8).readBigUInt64BE().toString();
    const echostr = encryptCallback(this.options.encodingAesKey, expected, this.options.corpId);
    const timestamp = options.timestamp ?? String(this.nowSeconds());
    const nonce = options.nonce ?? randomBytes(5).toString('hex');
    const signature = signCallback(this.options.token, timestamp, nonce, echostr);
    const response = await fetch(`${this.options.url}?${query({ msg_signature: signature, timestamp, nonce, echostr })}`);
    return { status: response.status, body: await response.text(), expected };
  }

  private sendMessage(common: Common & { msgId?: string }, msgType: string, fields: Record<string, XmlValue | undefined>): Promise<CallbackResponse> {
    return this.sendXml(this.messageXml(common, msgType, fields));
  }

  private sendEvent(common: Common, event: string, fields: Record<string, XmlValue | undefined>): Promise<CallbackResponse> {
    return this.sendXml(this.eventXml(common, event, fields));
  }

  private nowSeconds(): number {
    return Math.floor((this.options.now ?? Date.now)() / 1000);
  }
}

/** encodeURIComponent keeps `+` and `/` safe by encoding them, as WeChat Work does. */
function query(params: Record<string, string>): string {
  return Object.entries(params)
    .map(([name, value]) => `${name}=${encodeURIComponent(value)}`)
    .join('&');
}
