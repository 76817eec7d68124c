import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RedisClient } from '../../../../../infra/redis';
import type { Connection } from 'mongoose';
import type { Worker } from 'bullmq';
import { createWecomCallbackRouter } from '../../../../../bots/wecom/callbackRouter';
import type { ConversationDeps } from '../../../../../bots/wecom/conversation/deps';
import { registerConversation } from '../../../../../bots/wecom/conversation/register';
import type { CardSelection } from '../../../../../bots/wecom/events';
import { KEY_PREFIX } from '../../../../../bots/wecom/lifecycle/buttonKeys';
import type { WecomLifecycle } from '../../../../../bots/wecom/lifecycle/wiring';
import { CallbackSender, type CallbackResponse } from '../../../../../fakes/wecom/callbackSender';
import type { FakeWecomServer, InboxMessage } from '../../../../../fakes/wecom';
import type { Logger } from '../../../../../infra/logger';
import { QueueFirstAcceptor } from '../../../../../jobs/inbound/acceptors';
import { InboundDispatcher } from '../../../../../jobs/inbound/dispatcher';
import { InboundEventStore } from '../../../../../jobs/inbound/eventStore';
import { InboundQueue } from '../../../../../jobs/inbound/queue';
import { createInboundWorker } from '../../../../../jobs/inbound/worker';
import { bullConnection } from '../../../../../jobs/outbox';
import { createWebApp } from '../../../../../web/app';
import { testRedisUrl } from '../../../../support/isolation';

export interface InboundDriverOptions {
  fake: FakeWecomServer;
  deps: ConversationDeps;
  lifecycle: WecomLifecycle;
  mongo: Connection;
  redis: RedisClient;
  prefix: string;
  logger: Logger;
}

/**
 * Members talking to the bot as WeChat Work carries it: `CallbackSender` encrypts and signs each
 * message or tap and POSTs it to our callback route (Koa, port 0); the route queues it, the inbound
 * worker dispatches it to the conversation (and card taps of the lifecycle to the lifecycle).
 * Each send resolves once the worker has handled everything queued.
 */
export class InboundDriver {
  private createTimeOffset = 0;

  private constructor(
    private readonly fake: FakeWecomServer,
    private readonly sender: CallbackSender,
    private readonly queue: InboundQueue,
    private readonly closers: (() => Promise<void>)[],
  ) {}

  static async start(options: InboundDriverOptions): Promise<InboundDriver> {
    const { fake, logger } = options;
    const dispatcher = new InboundDispatcher(logger);
    registerConversation(dispatcher, options.deps);
    dispatcher.onAction(KEY_PREFIX, async (event) => {
      if (event.type === 'template_card_event') await options.lifecycle.handleTap(event);
    });

    const connection = bullConnection(testRedisUrl());
    const queue = new InboundQueue({ connection, prefix: options.prefix });
    const store = new InboundEventStore(options.mongo);
    const worker: Worker = createInboundWorker({ connection, redis: options.redis, prefix: options.prefix, store, dispatcher, logger });

    const secrets = { token: randomBytes(12).toString('hex'), encodingAesKey: randomBytes(32).toString('base64').slice(0, 43), corpId: fake.corpId };
    const router = createWecomCallbackRouter({
      config: { ...secrets, maxBodyBytes: 1024 * 1024, timestampWindowSeconds: 300 },
      logger,
      inbound: new QueueFirstAcceptor(queue, options.redis),
    });
    const server: Server = createServer(createWebApp({ logger, routers: [router] }).callback());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const sender = new CallbackSender({ url: `http://127.0.0.1:${port}/wecom/callback`, agentId: fake.agentId, ...secrets });

    const closers = [
      () => new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
      () => worker.close(true),
      () => queue.close(),
    ];
    return new InboundDriver(fake, sender, queue, closers);
  }

  async stop(): Promise<void> {
    for (const close of this.closers) await close().catch(() => undefined);
  }

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
  async tap(fromUser: string, card: InboxMessage, eventKey: string, selectedItems: CardSelection[] = []): Promise<void> {
    const template = card.body.template_card as { task_id: string; card_type: string };
    const createTime = Math.floor(Date.now() / 1000) + this.createTimeOffset++;
    const response = await this.sender.sendCardEvent({
      fromUser,
      eventKey,
      taskId: template.task_id,
      cardType: template.card_type,
      responseCode: this.fake.issueResponseCode(card.msgid),
      selectedItems,
      createTime,
    });
    await this.handled(response);
  }

  /** The route queued the event before answering; wait until the worker has drained the queue. */
  private async handled(response: CallbackResponse): Promise<void> {
    if (response.status !== 200 || response.body !== '') throw new Error(`callback refused: ${response.status} ${response.body}`);
    const deadline = Date.now() + 15_000;
    for (;;) {
      const counts = await this.queue.queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
      if (Object.values(counts).every((n) => n === 0)) return;
      if (Date.now() > deadline) {
        const failed = (await this.queue.queue.getFailed()).map((job) => `${job.id}: ${job.failedReason}`);
        throw new Error(`inbound events still pending after 15 s: ${JSON.stringify(counts)}; failed: ${failed.join('; ') || 'none'}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}
