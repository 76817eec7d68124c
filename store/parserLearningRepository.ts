import type { Connection, Model } from 'mongoose';
import { isDuplicateKeyError } from './caseStoreErrors';
import { parserExampleModel, parserModelModel, type ParserExampleDoc, type ParserModelDoc } from './models/parserLearning';

export type ParserExample = Omit<ParserExampleDoc, '_id'>;
export type StoredParserModel = Omit<ParserModelDoc, '_id'>;

/** Corrections kept as labelled examples, and the district models retrained from them. */
export class ParserLearningRepository {
  private readonly examples: Model<ParserExampleDoc>;
  private readonly models: Model<ParserModelDoc>;

  constructor(connection: Connection) {
    this.examples = parserExampleModel(connection);
    this.models = parserModelModel(connection);
  }

  async ensureIndexes(): Promise<void> {
    await Promise.all([this.examples.createIndexes(), this.models.createIndexes()]);
  }

  /** Stores the example once: false when the same correction (same id) is already kept. */
  async recordExample(id: string, example: ParserExample): Promise<boolean> {
    try {
      await this.examples.create({ ...example, _id: id });
      return true;
    } catch (error) {
      if (isDuplicateKeyError(error)) return false;
      throw error;
    }
  }

  async examplesOf(districtId: string): Promise<ParserExample[]> {
    const docs = await this.examples.find({ districtId }).sort({ at: 1, _id: 1 }).lean<ParserExampleDoc[]>().exec();
    return docs.map(({ _id, ...rest }) => rest);
  }

  async saveModel(model: StoredParserModel): Promise<void> {
    await this.models.create({ ...model, _id: `${model.districtId}:${model.version}` });
  }

  /** The newest model of the district (the one the service should be using), without its body. */
  async latestVersion(districtId: string): Promise<{ version: string; createdAt: Date } | null> {
    const doc = await this.models
      .findOne({ districtId }, { version: 1, createdAt: 1 })
      .sort({ createdAt: -1 })
      .lean<Pick<ParserModelDoc, 'version' | 'createdAt'>>()
      .exec();
    return doc ? { version: doc.version, createdAt: doc.createdAt } : null;
  }

  async model(districtId: string, version: string): Promise<StoredParserModel | null> {
    const doc = await this.models.findById(`${districtId}:${version}`).lean<ParserModelDoc>().exec();
    if (!doc) return null;
    const { _id, ...rest } = doc;
    return rest;
  }
}
