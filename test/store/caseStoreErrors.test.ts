import { Schema, type Connection, type Model } from 'mongoose';
import { insertUnlessPresent, isDuplicateKeyError } from '../../store/caseStoreErrors';
import { connectMongo } from '../../store/connection';
import { testMongoUri } from '../support/isolation';

let connection: Connection;

beforeAll(async () => {
  connection = await connectMongo(testMongoUri('dup-key'));
});

afterAll(async () => {
  await connection.dropDatabase();
  await connection.close();
});

describe('recognising a duplicate key, as the test server really reports it', () => {
  test('an insert of a taken _id', async () => {
    const items = connection.collection('dup_insert');
    await items.insertOne({ _id: 'a' as never, n: 1 });
    const error = await items.insertOne({ _id: 'a' as never, n: 2 }).catch((e: unknown) => e);
    expect(isDuplicateKeyError(error)).toBe(true);
  });

  test('an update that makes a unique field collide', async () => {
    const items = connection.collection('dup_update');
    await items.createIndex({ k: 1 }, { unique: true });
    await items.insertMany([{ _id: 'a' as never, k: 1 }, { _id: 'b' as never, k: 2 }]);
    const error = await items.updateOne({ _id: 'b' as never }, { $set: { k: 1 } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(isDuplicateKeyError(error)).toBe(true);
  });

  test('other failures are not taken for one', async () => {
    const error = await connection.collection('dup_other').updateOne({ _id: 'x' as never }, { $bogus: { k: 1 } } as never).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(isDuplicateKeyError(error)).toBe(false);
    expect(isDuplicateKeyError(null)).toBe(false);
    expect(isDuplicateKeyError('E11000')).toBe(false);
  });

  test('insertUnlessPresent: true once, then false', async () => {
    interface Probe {
      _id: string;
      v: number;
    }
    const model: Model<Probe> = connection.model<Probe>('DupKeyProbe', new Schema<Probe>({ _id: String, v: Number }, { versionKey: false }));
    expect(await insertUnlessPresent(model, { _id: 'once', v: 1 })).toBe(true);
    expect(await insertUnlessPresent(model, { _id: 'once', v: 2 })).toBe(false);
    expect((await model.findById('once').lean().exec())?.v).toBe(1);
  });
});
