import { Queue } from 'bullmq';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { InboxMessage } from '../../fakes/wecom';
import { KEY } from '../../bots/wecom/lifecycle/buttonKeys';
import { SWEEP_QUEUE_NAME } from '../../jobs/deadlines/names';
import { PLACE_KEY_PRUNE_QUEUE } from '../../jobs/housekeeping/placeKeyPruner';
import { bullConnection } from '../../jobs/outbox';
import sandboxSla from '../../config/sla.sandbox.json';
import { CodeWalk } from '../support/codeWalk';
import { testDistrictApp } from '../bots/wecom/lifecycle/support/district';
import { taskIdOf, TestApp } from '../support/testApp';
import { waitFor } from '../support/wait';

/**
 * The walk of one report that docs/ARCHITECTURE.md describes, measured: a grid member's text →
 * the confirmation card → 确认上报 → a case whistled to its lead department → the lead's 接哨 →
 * the finish deadline's jobs → a 催办 firing. Which of the service's files ran is read from V8's
 * coverage (test/support/codeWalk.ts) and must be the list the document gives, so the document
 * cannot go stale: after a change that moves code, `npm run docs:walk` prints the new list.
 */
const ARCHITECTURE = join(__dirname, '../../docs/ARCHITECTURE.md');
const WALK_START = '<!-- report-walk:start -->';
const WALK_END = '<!-- report-walk:end -->';

/** The sandbox's minute-scale policy with a 6-second finish limit, so the reminder at half of it fires during the test. */
const quickSla = {
  ...sandboxSla,
  policies: Object.fromEntries(Object.entries(sandboxSla.policies).map(([urgency, p]) => [urgency, { ...p, finish: { duration: '0.1m', clock: 'calendar' } }])),
};

function documentedWalk(): string[] {
  const text = readFileSync(ARCHITECTURE, 'utf8');
  const start = text.indexOf(WALK_START);
  const end = text.indexOf(WALK_END);
  if (start < 0 || end < start) throw new Error(`docs/ARCHITECTURE.md has no ${WALK_START} … ${WALK_END} block`);
  return [...text.slice(start, end).matchAll(/`([a-z][\w/.-]*\.ts)`/g)].map((m) => m[1] as string).sort();
}

async function first<T>(what: string, find: () => T | undefined, timeoutMs?: number): Promise<T> {
  let found: T | undefined;
  await waitFor(what, () => (found = find()) !== undefined, timeoutMs);
  return found as T;
}

function writeDocumentedWalk(block: string): void {
  const text = readFileSync(ARCHITECTURE, 'utf8');
  const start = text.indexOf(WALK_START);
  const end = text.indexOf(WALK_END);
  if (start < 0 || end < start) throw new Error(`docs/ARCHITECTURE.md has no ${WALK_START} … ${WALK_END} block to rewrite`);
  writeFileSync(ARCHITECTURE, text.slice(0, start) + block + text.slice(end + WALK_END.length));
}

/** The block docs/ARCHITECTURE.md carries: each step with the files it is the first to run. */
function walkMarkdown(steps: { step: string; files: string[] }[]): string {
  const seen = new Set<string>();
  const lines = [WALK_START];
  for (const [i, { step, files }] of steps.entries()) {
    const fresh = files.filter((f) => !seen.has(f));
    fresh.forEach((f) => seen.add(f));
    lines.push('', `**${i + 1}. ${step}** — ${fresh.length} more files:`, fresh.map((f) => `\`${f}\``).join(' · '));
  }
  lines.push('', `In all: ${seen.size} files.`, WALK_END);
  return lines.join('\n');
}

function buttonKeyOf(card: InboxMessage, text: string): string {
  const buttons = (card.body.template_card as { button_list?: { text: string; key: string }[] }).button_list ?? [];
  const button = buttons.find((b) => b.text === text);
  if (!button) throw new Error(`no ${text} button on ${JSON.stringify(card.body)}`);
  return button.key;
}

describe('the walk of one report', () => {
  const app = new TestApp('report_walk', { ...testDistrictApp, sla: quickSla });
  beforeAll(() => app.start());
  afterAll(() => app.stop());

  /** Periodic work runs once at start-up, then on its own schedule: not part of a report's walk, so the walk starts after it. */
  async function startUpWorkDone(): Promise<void> {
    for (const name of ['alliance-quota-reminders', SWEEP_QUEUE_NAME, PLACE_KEY_PRUNE_QUEUE]) {
      const queue = new Queue(name, { connection: bullConnection(app.env.REDIS_URL), prefix: app.env.QUEUE_PREFIX });
      try {
        await waitFor(`the start-up run of ${name}`, async () => {
          const counts = await queue.getJobCounts('waiting', 'active', 'delayed');
          return counts.waiting === 0 && counts.active === 0 && (counts.delayed ?? 0) > 0;
        });
      } finally {
        await queue.close();
      }
    }
    await app.settle();
  }

  it('crosses exactly the files docs/ARCHITECTURE.md lists', async () => {
    await startUpWorkDone();
    const walk = await CodeWalk.start();
    const steps: { step: string; files: string[] }[] = [];
    const step = async (name: string, run: () => Promise<void>) => {
      await run();
      steps.push({ step: name, files: await walk.filesRun() });
    };
    try {
      let draftCard: InboxMessage | undefined;
      let whistleCard: InboxMessage | undefined;
      await step('A grid member writes; the bot answers with a confirmation card', async () => {
        await app.sendText('grid-zhang', '人民路有人乱扔垃圾，堆了好几天');
        draftCard = app.fake.inbox.user('grid-zhang').filter((m) => m.msgtype === 'template_card').at(-1);
      });
      if (!draftCard) throw new Error('no confirmation card');
      const confirmation = draftCard;
      await step('确认上报: the case is filed, routed and whistled; cards and notices go out', async () => {
        await app.tap('grid-zhang', confirmation, buttonKeyOf(confirmation, '确认上报'));
        whistleCard = await first('the whistle card', () => app.fake.inbox.all().find((m) => m.msgtype === 'template_card' && taskIdOf(m).startsWith('whistle-')));
      });
      if (!whistleCard) throw new Error('no whistle card');
      const card = whistleCard;
      await step("The lead department's 接哨: the case is accepted and its finish deadline's jobs are planned", async () => {
        await app.tap(String(card.body.touser).split('|')[0] ?? '', card, KEY.accept);
      });
      await step('A reminder (催办) fires and reaches the department', async () => {
        const reminder = await first('a 催办', () => app.fake.inbox.all().find((m) => m.msgtype === 'text' && JSON.stringify(m.body).includes('催办')), 20_000);
        expect(JSON.stringify(reminder.body)).toContain('催办');
        await app.settle();
      });

      const crossed = [...new Set(steps.flatMap((s) => s.files))].sort();
      if (process.env.WALK_WRITE) writeDocumentedWalk(walkMarkdown(steps));
      const documented = documentedWalk();
      const missing = crossed.filter((f) => !documented.includes(f));
      const stale = documented.filter((f) => !crossed.includes(f));
      if (missing.length + stale.length > 0) {
        throw new Error(`docs/ARCHITECTURE.md's walk is out of date (\`npm run docs:walk\` rewrites it): not listed ${JSON.stringify(missing)}, listed but not crossed ${JSON.stringify(stale)}`);
      }
    } finally {
      await walk.stop();
    }
  }, 60_000);
});
