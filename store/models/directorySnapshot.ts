import { Schema, type Connection, type Model } from 'mongoose';

/**
 * The organisation as the last directory sync read it from WeChat Work, one document per district:
 * written in one operation, so every process either sees the whole previous sync or the whole new one.
 * `payload` is JSON (directory, bindings, built seed): one string keeps it clear of FerretDB's
 * limits on nested documents, and nothing queries inside it.
 */
export interface DirectorySnapshotDoc {
  /** The district id. */
  _id: string;
  /** 1 for the first sync, +1 for each one after; a write expecting another version is refused. */
  version: number;
  syncedAt: Date;
  /** What produced it: a full sync, or a change_contact callback. */
  source: string;
  payload: string;
}

const snapshotSchema = new Schema<DirectorySnapshotDoc>(
  { _id: String, version: { type: Number, required: true }, syncedAt: { type: Date, required: true }, source: { type: String, required: true }, payload: { type: String, required: true } },
  { versionKey: false, collection: 'directory_snapshots' },
);

export function directorySnapshotModel(connection: Connection): Model<DirectorySnapshotDoc> {
  return (connection.models.DirectorySnapshot as Model<DirectorySnapshotDoc> | undefined) ?? connection.model<DirectorySnapshotDoc>('DirectorySnapshot', snapshotSchema);
}
