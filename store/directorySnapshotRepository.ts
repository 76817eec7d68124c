import type { Connection, Model } from 'mongoose';
import type { DistrictSeed } from '../config/district';
import type { Directory, DirectoryBindings } from '../src/directory/types';
import { directorySnapshotModel, type DirectorySnapshotDoc } from './models/directorySnapshot';

export interface DirectorySnapshot {
  districtId: string;
  version: number;
  syncedAt: Date;
  source: string;
  directory: Directory;
  bindings: DirectoryBindings;
  /** The organisation built from `directory`: what the org collections were set to. */
  seed: DistrictSeed;
}

/** Another process wrote a newer snapshot between our read and our write. */
export class SnapshotConflictError extends Error {
  constructor(districtId: string, expected: number) {
    super(`The directory snapshot of ${districtId} is no longer at version ${expected}: another sync or callback wrote first. Run the sync again.`);
    this.name = 'SnapshotConflictError';
  }
}

function isDuplicateKey(error: unknown): boolean {
  // FerretDB answers some duplicates with code 1 rather than 11000 (see FERRETDB-NOTES.md).
  return typeof error === 'object' && error !== null && 'code' in error && (error.code === 11000 || (error.code === 1 && /duplicate/i.test(String((error as { message?: unknown }).message))));
}

/** The last directory sync of each district, shared by every process through the store. */
export class DirectorySnapshotRepository {
  private readonly model: Model<DirectorySnapshotDoc>;

  constructor(connection: Connection) {
    this.model = directorySnapshotModel(connection);
  }

  async latest(districtId: string): Promise<DirectorySnapshot | undefined> {
    const doc = await this.model.findById(districtId).lean<DirectorySnapshotDoc>().exec();
    if (!doc) return undefined;
    const payload = JSON.parse(doc.payload) as Pick<DirectorySnapshot, 'directory' | 'bindings' | 'seed'>;
    return { districtId: doc._id, version: doc.version, syncedAt: doc.syncedAt, source: doc.source, ...payload };
  }

  /**
   * Writes the next snapshot in one operation, only if the stored one is still at `expectedVersion`
   * (0: none yet). Returns the new version.
   */
  async replace(expectedVersion: number, next: Omit<DirectorySnapshot, 'version'>): Promise<number> {
    const version = expectedVersion + 1;
    const doc: DirectorySnapshotDoc = {
      _id: next.districtId,
      version,
      syncedAt: next.syncedAt,
      source: next.source,
      payload: JSON.stringify({ directory: next.directory, bindings: next.bindings, seed: next.seed }),
    };
    if (expectedVersion === 0) {
      try {
        await this.model.create(doc);
        return version;
      } catch (error) {
        if (isDuplicateKey(error)) throw new SnapshotConflictError(next.districtId, expectedVersion);
        throw error;
      }
    }
    const result = await this.model.replaceOne({ _id: next.districtId, version: expectedVersion }, doc).exec();
    if (result.matchedCount !== 1) throw new SnapshotConflictError(next.districtId, expectedVersion);
    return version;
  }
}
