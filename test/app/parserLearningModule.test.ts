import type { Connection } from 'mongoose';
import pino from 'pino';
import { parserExampleRecorder, reporterCorrection } from '../../commands/parserExamples';
import { startParserModelWatcher } from '../../app/parserModelWatcher';
import { returnCase, whistle, type Case } from '../../src/cases';
import { activeModelVersion, baseModel, installModel } from '../../src/parser';
import { connectMongo } from '../../store/connection';
import { ParserLearningRepository } from '../../store/parserLearningRepository';
import { testMongoUri } from '../support/isolation';
import { actors, ctx, newCase, ok } from '../src/cases/fixtures';

const silent = pino({ level: 'silent' });

describe('learning from the street: corrections kept, retrained models picked up while running', () => {
  let connection: Connection;
  let learning: ParserLearningRepository;

  beforeAll(async () => {
    connection = await connectMongo(testMongoUri('parser_learning'));
    learning = new ParserLearningRepository(connection);
    await learning.ensureIndexes();
  });
  afterAll(async () => {
    installModel(null);
    await connection.dropDatabase();
    await connection.close();
  });

  it('keeps the triage pick, the lead department\'s return and the reassignment, each once', async () => {
    const record = parserExampleRecorder(learning);
    const fresh = newCase({ districtId: 'learn-1', text: '幸福路12号门口路面塌陷', parsed: { category: 'road', urgency: 'daily', confidence: 0.5 } }, 'case-learn-1');
    const whistleCtx = ctx(actors.dispatcher);
    const first = whistle(fresh, { departments: ['zhujian'] }, whistleCtx);
    const whistled = ok(first);
    const change = { before: fresh, after: whistled, events: first.ok ? first.events : [] };
    await record(change);
    await record(change); // a replayed change records nothing twice
    const returned = returnCase(whistled, { reason: '不归我们管' }, ctx(actors.lisi));
    const afterReturn = ok(returned);
    await record({ before: whistled, after: afterReturn, events: returned.ok ? returned.events : [] });
    const again = whistle(afterReturn, { departments: ['shuiwu'] }, ctx(actors.dispatcher));
    await record({ before: afterReturn, after: ok(again), events: again.ok ? again.events : [] });

    const kept = await learning.examplesOf('learn-1');
    expect(kept.map((e) => [e.kind, e.department ?? e.rejectedDepartment])).toEqual([
      ['triage', 'zhujian'],
      ['return', 'zhujian'],
      ['reassignment', 'shuiwu'],
    ]);
    expect(kept.every((e) => e.text === '幸福路12号门口路面塌陷' && e.parsedCategory === 'road' && e.caseId === 'case-learn-1')).toBe(true);
  });

  it('keeps a reporter\'s 修改类别 only when the category differs from the parser\'s', async () => {
    const c: Case = newCase({ districtId: 'learn-2', text: '楼下一直在滴水', parsed: { category: 'water_supply', urgency: 'daily', confidence: 1 } }, 'case-learn-2');
    expect(reporterCorrection(c, 'water_supply', new Date())).toBeNull();
    const correction = reporterCorrection(c, 'drainage', new Date());
    expect(correction).not.toBeNull();
    if (!correction) return;
    expect(await learning.recordExample(...correction)).toBe(true);
    expect(await learning.recordExample(...correction)).toBe(false);
    expect(await learning.examplesOf('learn-2')).toEqual([expect.objectContaining({ kind: 'reporter_correction', category: 'water_supply', parsedCategory: 'drainage' })]);
  });

  it('installs the newest district model without a restart and keeps the current one when a stored model does not load', async () => {
    installModel(null);
    const watcher = startParserModelWatcher({ learning, districtId: 'learn-3', intervalMs: 60_000, logger: silent });
    try {
      expect(await watcher.refresh()).toBe(baseModel().version);
      const retrained = { ...baseModel(), version: 'learn-3-v2' };
      await learning.saveModel({ districtId: 'learn-3', version: 'learn-3-v2', createdAt: new Date(), model: JSON.stringify(retrained), metrics: { heldBackAccuracy: 1 } });
      expect(await watcher.refresh()).toBe('learn-3-v2');
      expect(activeModelVersion()).toBe('learn-3-v2');

      await learning.saveModel({ districtId: 'learn-3', version: 'learn-3-broken', createdAt: new Date(Date.now() + 1000), model: '{"format":"nope"}', metrics: {} });
      expect(await watcher.refresh()).toBe('learn-3-v2');
      expect(activeModelVersion()).toBe('learn-3-v2');
    } finally {
      await watcher.close();
    }
  });
});
