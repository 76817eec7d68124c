import type { Connection } from 'mongoose';
import { CardStore } from '../../../../bots/wecom/lifecycle/cardStore';
import type { CardRecord } from '../../../../bots/wecom/lifecycle/cardKinds';
import { connectMongo } from '../../../../store/connection';
import { testMongoUri } from '../../../support/isolation';

let connection: Connection;

beforeAll(async () => {
  connection = await connectMongo(testMongoUri('lifecycle-card-store'));
});

afterAll(async () => {
  await connection.dropDatabase();
  await connection.close();
});

const stored = () => connection.collection('lifecycle_cards');

function card(taskId: string, extra: Partial<CardRecord> = {}): CardRecord {
  return { taskId, kind: 'whistle', caseId: `case-${taskId}`, caseNumber: '2026-000001', deptCode: 'zhujian', assignmentIndex: 0, timelineLength: 3, recipients: ['lead1', 'lead2'], createdAt: new Date('2026-12-06T00:00:00Z'), ...extra };
}

test('a card this process recorded is answered without reading the store', async () => {
  const cards = new CardStore(connection);
  await cards.record(card('kept-1'));
  await stored().deleteOne({ _id: 'kept-1' as never });
  expect(await cards.find('kept-1')).toEqual(card('kept-1'));
});

test('a card another process recorded first is read from the store, as that process stored it', async () => {
  const other = new CardStore(connection);
  const ours = new CardStore(connection);
  await other.record(card('first-1', { recipients: ['lead1'] }));
  await ours.record(card('first-1', { recipients: ['lead2'] }));
  expect(await ours.find('first-1')).toEqual(card('first-1', { recipients: ['lead1'] }));
  expect(await new CardStore(connection).find('first-1')).toEqual(card('first-1', { recipients: ['lead1'] }));
});

test('only the most recent recorded cards are kept; older ones are read again', async () => {
  const cards = new CardStore(connection, 2);
  for (const id of ['old-1', 'old-2', 'old-3']) await cards.record(card(id));
  await stored().deleteMany({ _id: { $in: ['old-1', 'old-2', 'old-3'] as never[] } });
  expect(await cards.find('old-1')).toBeNull();
  expect(await cards.find('old-2')).toEqual(card('old-2'));
  expect(await cards.find('old-3')).toEqual(card('old-3'));
});

test('a card never recorded is not found', async () => {
  expect(await new CardStore(connection).find('never-sent')).toBeNull();
});
