import { randomBytes } from 'node:crypto';
import type { CardSelection } from '../../bots/wecom/events';
import type { FakeWecomServer, InboxMessage } from '../../fakes/wecom';
import type { CallbackResponse, CallbackSender } from '../../fakes/wecom/callbackSender';
import type { InboundQueue } from '../../jobs/inbound/queue';

type InboxMessageLike = Pick<InboxMessage, 'msgid' | 'body'>;

let createTimeOffset = 0;

/**
 * Members talking to the app as WeChat Work carries it: each message or tap is encrypted, signed and
 * POSTed to the app's callback URL; every call resolves once the app's inbound worker has handled
 * everything queued (what the app sends in answer may still be on its way: read the fake's inbox).
 */
export class MemberCallbacks {
  constructor(
    private readonly fake: FakeWecomServer,
    private readonly sender: CallbackSender,
    private readonly queue: InboundQueue,
  ) {}

  async text(fromUser: string, content: string): Promise<void> {
    await this.handled(await this.sender.sendText(fromUser, content));
  }

  /** A photo: stored on the fake server as a member's upload, then sent with its MediaId (or with `mediaId` as given). */
  async image(fromUser: string, options: { bytes?: Buffer; mediaId?: string } = {}): Promise<void> {
    const bytes = options.bytes ?? Buffer.from(`photo-${randomBytes(4).toString('hex')}-jpeg-bytes`);
    const mediaId = options.mediaId ?? this.fake.putMedia({ data: bytes, contentType: 'image/jpeg', filename: 'photo.jpg' });
    await this.handled(await this.sender.sendImage(fromUser, { mediaId, picUrl: `https://fake.invalid/${mediaId}` }));
  }

  async location(fromUser: string, label: string, latitude: number, longitude: number): Promise<void> {
    await this.handled(await this.sender.sendLocation(fromUser, { latitude, longitude, label }));
  }

  /**
   * A tap on a delivered card's button, or its submit button with selections, carrying a fresh
   * response code. Each tap gets its own CreateTime: two taps stamped alike would be one callback
   * retried, which the gateway rightly drops.
   */
  async tap(fromUser: string, card: InboxMessageLike, eventKey: string, selectedItems: CardSelection[] = []): Promise<void> {
    const template = card.body.template_card as { task_id?: string; card_type: string };
    const response = await this.sender.sendCardEvent({
      fromUser,
      eventKey,
      taskId: String(template.task_id ?? ''),
      cardType: String(template.card_type),
      responseCode: this.fake.issueResponseCode(card.msgid),
      selectedItems,
      createTime: Math.floor(Date.now() / 1000) + ++createTimeOffset,
    });
    await this.handled(response);
  }

  /** The callback route queued the event before answering; waits until the worker has drained the queue. */
  private async handled(response: CallbackResponse, timeoutMs = 15_000): Promise<void> {
    if (response.status !== 200 || response.body !== '') throw new Error(`callback refused: ${response.status} ${response.body}`);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const counts = await this.queue.queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
      if (Object.values(counts).every((n) => n === 0)) return;
      if (Date.now() > deadline) {
        const failed = (await this.queue.queue.getFailed()).map((job) => `${job.id}: ${job.failedReason}`);
        throw new Error(`inbound events still pending after ${timeoutMs} ms: ${JSON.stringify(counts)}; failed: ${failed.join('; ') || 'none'}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}
