import type { CallbackResponse, CallbackSender } from '../../../fakes/wecom/callbackSender';
import type { FakeWecomServer, InboxMessage } from '../../../fakes/wecom';
import { KEY } from '../../../bots/wecom/lifecycle/buttonKeys';
import mongoose from 'mongoose';
import { sleep } from '../../support/wait';

/**
 * A lifecycle load driven the way WeChat Work and its members drive a city: every message and tap
 * is a signed callback to one of the web processes, taken in turn as a load balancer would; a
 * callback that is not answered 200 (the process died, the connection was reset) is sent again,
 * unchanged (same MsgId / CreateTime, as WeChat Work retries), to the next web process.
 */
export interface CityDistrict {
  reporters: string[];
  leads: string[];
  member: string;
}

export interface CaseFlow {
  n: number;
  reporter: string;
  text: string;
  number?: string;
  /** The step it reached (for a failure's message). */
  step: string;
  error?: string;
}

export class CityLoad {
  private turn = 0;
  private createTimeOffset = 0;
  /** Callbacks the load balancer sent again because a web process did not answer. */
  resent = 0;
  confirmed = 0;
  closed = 0;
  private aborted = false;

  /**
   * Every reporter's `casesPerReporter` street-light reports, each reporter's one after another and all
   * reporters at once; a line of progress under `tag` every 5 s until `done` settles. A flow's failure is
   * kept on it (`error`), not thrown.
   */
  runFlows(casesPerReporter: number, tag: string): { flows: CaseFlow[]; done: Promise<void>; startedAt: number } {
    const flows: CaseFlow[] = this.district.reporters.flatMap((reporter, r) =>
      Array.from({ length: casesPerReporter }, (_, k) => ({ n: r * casesPerReporter + k, reporter, text: `幸福路${r * casesPerReporter + k + 1}号路灯不亮了，晚上很黑`, step: 'not started' })),
    );
    const startedAt = Date.now();
    const progress = setInterval(() => process.stderr.write(`[${tag}] ${((Date.now() - startedAt) / 1000).toFixed(0)} s: ${this.confirmed} confirmed, ${this.closed} closed; steps: ${flows.filter((f) => f.step !== 'closed' && f.step !== 'not started').map((f) => `${f.n}@${f.step}`).join(', ')}\n`), 5_000);
    const running = this.district.reporters.map(async (reporter) => {
      for (const flow of flows.filter((f) => f.reporter === reporter)) {
        try {
          await this.caseFlow(flow);
        } catch (error) {
          flow.error = error instanceof Error ? error.message : String(error);
        }
      }
    });
    const done = Promise.all(running).then(() => undefined).finally(() => clearInterval(progress));
    return { flows, done, startedAt };
  }

  /** Each case's whistle card a lead did not get, as `<number> → <lead>`. */
  whistleCardsMissing(cases: ReadonlyArray<{ number: string }>): string[] {
    return cases.flatMap((c) =>
      this.district.leads
        .filter((lead) => !this.fake.inbox.user(lead).some((m) => m.msgtype === 'template_card' && String((m.body.template_card as { task_id?: string }).task_id).startsWith('whistle-') && JSON.stringify(m.body).includes(c.number)))
        .map((lead) => `${c.number} → ${lead}`),
    );
  }

  /** Every flow still waiting gives up at its next poll (a failed test's clean-up). */
  abort(): void {
    this.aborted = true;
  }

  constructor(
    private readonly fake: FakeWecomServer,
    private readonly webs: CallbackSender[],
    private readonly district: CityDistrict,
    private readonly stepTimeoutMs: number,
  ) {}

  /** One callback, to the web processes in turn, sent again to the next one until one answers 200 with an empty body. */
  private async post(send: (sender: CallbackSender) => Promise<CallbackResponse>): Promise<void> {
    const deadline = Date.now() + this.stepTimeoutMs;
    for (let attempt = 0; ; attempt += 1) {
      const sender = this.webs[this.turn++ % this.webs.length] as CallbackSender;
      const answer = await send(sender).catch((error: unknown) => ({ status: 0, body: String(error) }));
      if (answer.status === 200 && answer.body === '') return;
      if (Date.now() > deadline || this.aborted) throw new Error(`no web process took the callback: ${answer.status} ${answer.body}`);
      this.resent += 1;
      await sleep(Math.min(1_000, 100 * (attempt + 1)));
    }
  }

  private async text(fromUser: string, content: string): Promise<void> {
    const msgId = (this.webs[0] as CallbackSender).nextMsgId();
    const createTime = Math.floor(Date.now() / 1000);
    await this.post((s) => s.sendText(fromUser, content, { msgId, createTime }));
  }

  private async tap(fromUser: string, card: InboxMessage, eventKey: string): Promise<void> {
    const template = card.body.template_card as { task_id?: string; card_type: string };
    const input = {
      fromUser,
      eventKey,
      taskId: String(template.task_id ?? ''),
      cardType: String(template.card_type),
      responseCode: this.fake.issueResponseCode(card.msgid),
      selectedItems: [],
      createTime: Math.floor(Date.now() / 1000) + ++this.createTimeOffset,
    };
    await this.post((s) => s.sendCardEvent(input));
  }

  private async waitFor<T>(flow: CaseFlow, step: string, find: () => T | undefined): Promise<T> {
    flow.step = step;
    const deadline = Date.now() + this.stepTimeoutMs;
    for (;;) {
      const found = find();
      if (found !== undefined) return found;
      if (Date.now() > deadline || this.aborted) throw new Error(`case ${flow.n} (${flow.number ?? 'no number yet'}) stuck at: ${step}`);
      await sleep(50);
    }
  }

  /** A grid member's report through to its close: report → 确认上报 → whistle → 接哨 → feedback → 已解决. */
  async caseFlow(flow: CaseFlow): Promise<void> {
    const { reporter } = flow;
    const { leads, member } = this.district;
    const seen = this.fake.inbox.user(reporter).length;
    await this.text(reporter, flow.text);
    const draftCard = await this.waitFor(flow, 'the confirmation card', () =>
      this.fake.inbox.user(reporter).slice(seen).find((m) => m.msgtype === 'template_card' && /"draft:[A-Za-z0-9]+:confirm"/.test(JSON.stringify(m.body))),
    );
    const confirmKey = /"(draft:[A-Za-z0-9]+:confirm)"/.exec(JSON.stringify(draftCard.body))?.[1] ?? '';
    await this.tap(reporter, draftCard, confirmKey);
    flow.number = await this.waitFor(flow, 'the confirmation card naming its case (已上报)', () => {
      for (const update of draftCard.updates) {
        const number = /已上报 (\d{4}-\d{6})/.exec(JSON.stringify(update.body))?.[1];
        if (number) return number;
      }
      return undefined;
    });
    this.confirmed += 1;
    const number = flow.number;
    const whistleCard = await this.waitFor(flow, `the whistle card reaching ${leads[0]}`, () =>
      this.fake.inbox.user(leads[0] as string).find((m) => m.msgtype === 'template_card' && String((m.body.template_card as { task_id?: string }).task_id).startsWith('whistle-') && JSON.stringify(m.body).includes(number)),
    );
    await this.tap(leads[0] as string, whistleCard, KEY.accept);
    await this.waitFor(flow, 'the whistle card updated 已…接哨', () => (whistleCard.updates.some((u) => u.for === 'all' && JSON.stringify(u.body).includes('接哨')) ? true : undefined));
    await this.text(member, `${number} 已处理完毕，路灯已修复`);
    const verifyCard = await this.waitFor(flow, 'the verification card reaching the reporter', () =>
      this.fake.inbox.user(reporter).find((m) => m.msgtype === 'template_card' && String((m.body.template_card as { task_id?: string }).task_id).startsWith('verify-') && JSON.stringify(m.body).includes(number)),
    );
    await this.tap(reporter, verifyCard, KEY.verifySolved);
    await this.waitFor(flow, 'the satisfaction card (the case closed)', () =>
      this.fake.inbox.user(reporter).find((m) => m.msgtype === 'template_card' && String((m.body.template_card as { task_id?: string }).task_id).startsWith('satisfaction-') && JSON.stringify(m.body).includes(number)),
    );
    flow.step = 'closed';
    this.closed += 1;
  }
}

/**
 * Deliveries beyond the first of the same thing to the same recipient: a card by its task id, a
 * text by its content, per member, group robot and app chat.
 */
export function repeatedDeliveries(fake: FakeWecomServer, recipients: { users: string[]; webhooks: string[] }): { deliveries: number; repeated: string[] } {
  const keyOf = (m: InboxMessage): string => {
    if (m.msgtype === 'template_card') return `card ${String((m.body.template_card as { task_id?: string }).task_id)}`;
    const text = (m.body.text as { content?: string } | undefined)?.content ?? (m.body.markdown as { content?: string } | undefined)?.content ?? JSON.stringify(m.body);
    return `${m.msgtype} ${text}`;
  };
  const repeated: string[] = [];
  let deliveries = 0;
  const count = (box: string, messages: InboxMessage[]) => {
    const seen = new Set<string>();
    for (const m of messages) {
      deliveries += 1;
      const key = keyOf(m);
      if (seen.has(key)) repeated.push(`${box}: ${key}`);
      seen.add(key);
    }
  };
  for (const user of recipients.users) count(user, fake.inbox.user(user));
  for (const key of recipients.webhooks) count(`robot ${key}`, fake.inbox.webhook(key));
  return { deliveries, repeated };
}

export interface StoredCase {
  number: string;
  text: string;
  state: string;
}

/** The cases the city's store holds, read straight from it by a client of the test's own. */
export async function storedCases(storeUri: string): Promise<StoredCase[]> {
  const client = new mongoose.mongo.MongoClient(storeUri, { serverSelectionTimeoutMS: 5_000 });
  try {
    await client.connect();
    return (await client.db().collection('cases').find({}, { projection: { number: 1, text: 1, state: 1 } }).toArray()) as never;
  } finally {
    await client.close();
  }
}
