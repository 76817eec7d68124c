import type { Connection } from 'mongoose';
import { connectMongo } from '../../store/connection';
import { CaseVersionClaims } from '../../store/caseVersionClaims';
import { caseModel, caseTransitionModel } from '../../store/models/case';
import { testMongoUri } from '../support/isolation';

let connection: Connection;
let clock = 0;
const STALE_MS = 1_000;

beforeAll(async () => {
  connection = await connectMongo(testMongoUri('case-version-claims'));
});

afterAll(async () => {
  await connection.dropDatabase();
  await connection.close();
});

const claims = () => new CaseVersionClaims(caseTransitionModel(connection), caseModel(connection), STALE_MS, () => clock);

test('a claim younger than half the stale age is held without reading it back', async () => {
  clock = 1_000_000;
  const ticket = await claims().claim('case-young', 3, []);
  if (!ticket) throw new Error('the first claim of a version must be won');
  // Nobody may clear a claim this young; were it gone, the writer would still count it held.
  await caseTransitionModel(connection).deleteOne({ _id: ticket.id });
  clock += STALE_MS / 2 - 1;
  expect(await claims().held(ticket)).toBe(true);
});

test('an older claim is read back: taken over by another writer, it is no longer held', async () => {
  clock = 2_000_000;
  const ticket = await claims().claim('case-old', 3, []);
  if (!ticket) throw new Error('the first claim of a version must be won');
  clock += STALE_MS / 2;
  expect(await claims().held(ticket)).toBe(true);
  await caseTransitionModel(connection).updateOne({ _id: ticket.id }, { $set: { holder: 'another-writer' } });
  expect(await claims().held(ticket)).toBe(false);
});

test('a version already claimed is not won again', async () => {
  clock = 3_000_000;
  expect(await claims().claim('case-raced', 5, [])).toBeDefined();
  expect(await claims().claim('case-raced', 5, [])).toBeUndefined();
});
