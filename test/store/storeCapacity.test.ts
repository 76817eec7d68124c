import type { Connection } from 'mongoose';
import { connectMongo } from '../../store/connection';
import { caseModel } from '../../store/models/case';
import { measureStoreLoad, storeLoadLevel } from '../../store/storeCapacity';
import { testMongoUri } from '../support/isolation';

let mongo: Connection;

beforeAll(async () => {
  mongo = await connectMongo(testMongoUri('store-capacity'));
});
afterAll(async () => {
  await mongo.dropDatabase();
  await mongo.close();
});

test('ok below 80% of the ceiling, near from there, over at the ceiling; no ceiling, never a warning', () => {
  expect(storeLoadLevel(79, 100)).toBe('ok');
  expect(storeLoadLevel(80, 100)).toBe('near');
  expect(storeLoadLevel(100, 100)).toBe('over');
  expect(storeLoadLevel(5_000_000, null)).toBe('ok');
});

test('counts the cases of the default store without scanning them and says what to do as it fills', async () => {
  expect(await measureStoreLoad(mongo, { ceiling: 100 })).toMatchObject({ server: 'ferretdb', cases: 0, level: 'ok' });
  await caseModel(mongo).collection.insertMany(Array.from({ length: 10 }, (_, i) => ({ _id: `cap-${i}` as never, districtId: 'd1', state: 'closed' })));

  const roomy = await measureStoreLoad(mongo, { ceiling: 100 });
  expect(roomy).toMatchObject({ cases: 10, ceiling: 100, level: 'ok' });
  expect(roomy.advice).toBeUndefined();
  const near = await measureStoreLoad(mongo, { ceiling: 12 });
  expect(near).toMatchObject({ level: 'near', advice: expect.stringContaining('83% of the 12') });
  const over = await measureStoreLoad(mongo, { ceiling: 10 });
  expect(over).toMatchObject({ level: 'over', advice: expect.stringContaining('npm run store:migrate -- --to mongodb://') });
});
