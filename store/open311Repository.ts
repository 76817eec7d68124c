import { createHash, randomBytes } from 'node:crypto';
import type { Connection } from 'mongoose';
import { isDuplicateKeyError } from './caseStoreErrors';
import { open311Models, type Open311ClientDoc, type Open311Models, type Open311RequestDoc } from './models/open311';

export type Open311Client = Omit<Open311ClientDoc, '_id'>;
export type Open311RequestRecord = Open311RequestDoc;

function keyHash(apiKey: string): string {
  return createHash('sha256').update(apiKey).digest('hex');
}

/** Open311 clients and their keys (only hashes are stored), and the requests they filed. */
export class Open311Repository {
  private readonly models: Open311Models;

  constructor(connection: Connection) {
    this.models = open311Models(connection);
  }

  async ensureIndexes(): Promise<void> {
    await Promise.all([this.models.Client.createIndexes(), this.models.Request.createIndexes()]);
  }

  /** A new key for a client; shown once, stored as its hash. A client may hold several keys (rotation). */
  async issueKey(clientId: string, name: string, now = new Date()): Promise<string> {
    const apiKey = `o311_${randomBytes(24).toString('base64url')}`;
    await this.models.Client.create({ _id: keyHash(apiKey), clientId, name, createdAt: now });
    return apiKey;
  }

  /** Revokes every key of a client at once; answers how many were still valid. */
  async revoke(clientId: string, now = new Date()): Promise<number> {
    const result = await this.models.Client.updateMany({ clientId, revokedAt: { $exists: false } }, { $set: { revokedAt: now } }).exec();
    return result.modifiedCount;
  }

  async clients(): Promise<Open311Client[]> {
    const docs = await this.models.Client.find({}).sort({ clientId: 1, createdAt: 1 }).lean<Open311ClientDoc[]>().exec();
    return docs.map(({ _id, ...client }) => client);
  }

  /** The client a key belongs to, unless it is unknown or revoked. Read by `_id` on every request, so a revocation holds at once. */
  async clientForKey(apiKey: string): Promise<Open311Client | null> {
    const doc = await this.models.Client.findById(keyHash(apiKey)).lean<Open311ClientDoc>().exec();
    if (!doc || doc.revokedAt) return null;
    const { _id, ...client } = doc;
    return client;
  }

  static requestId(districtId: string, clientId: string, fingerprint: string): string {
    return `${districtId}:${clientId}:${fingerprint}`;
  }

  request(id: string): Promise<Open311RequestDoc | null> {
    return this.models.Request.findById(id).lean<Open311RequestDoc>().exec();
  }

  /** True when this call's insert won the request id (a repeat loses and reads the winner's). */
  async claim(record: Open311RequestDoc): Promise<boolean> {
    try {
      await this.models.Request.create(record);
      return true;
    } catch (error) {
      if (isDuplicateKeyError(error)) return false;
      throw error;
    }
  }

  async recordCase(id: string, stored: { caseId: string; number: string }): Promise<void> {
    await this.models.Request.updateOne({ _id: id }, { $set: stored }).exec();
  }

  /** Gives back a claim whose case was never stored, so a retry can create it. */
  async release(id: string): Promise<void> {
    await this.models.Request.deleteOne({ _id: id, caseId: { $exists: false } }).exec();
  }

  async byNumbers(districtId: string, numbers: readonly string[]): Promise<Open311RequestDoc[]> {
    return this.models.Request.find({ districtId, number: { $in: [...numbers] } }).lean<Open311RequestDoc[]>().exec();
  }

  /** Requests filed in [from, to], newest first, at most `limit`. */
  async filedBetween(districtId: string, from: Date, to: Date, limit: number, serviceCodes?: readonly string[]): Promise<Open311RequestDoc[]> {
    const services = serviceCodes === undefined ? {} : { serviceCode: { $in: [...serviceCodes] } };
    return this.models.Request.find({ districtId, claimedAt: { $gte: from, $lte: to }, caseId: { $exists: true }, ...services }).sort({ claimedAt: -1 }).limit(limit).lean<Open311RequestDoc[]>().exec();
  }
}
