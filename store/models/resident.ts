import { randomBytes } from 'node:crypto';
import { Schema, type Connection, type Model } from 'mongoose';

/** A mini-program user. The openid never leaves the server; everything else refers to `_id`. */
export interface ResidentDoc {
  _id: string;
  openid: string;
  unionid?: string;
  createdAt: Date;
  lastLoginAt: Date;
}

const residentSchema = new Schema<ResidentDoc>(
  {
    _id: String,
    openid: { type: String, required: true, unique: true },
    unionid: String,
    createdAt: Date,
    lastLoginAt: Date,
  },
  { versionKey: false },
);

export function residentModel(connection: Connection): Model<ResidentDoc> {
  return (connection.models.Resident as Model<ResidentDoc> | undefined) ?? connection.model<ResidentDoc>('Resident', residentSchema);
}

export function newResidentId(): string {
  return `r_${randomBytes(10).toString('hex')}`;
}

function isDuplicateKey(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === 11000;
}

/** The resident for an openid, created on first login; two simultaneous first logins end on one record. */
export async function residentForOpenid(model: Model<ResidentDoc>, openid: string, now: Date, unionid?: string): Promise<ResidentDoc> {
  const touched = await model.findOneAndUpdate({ openid }, { $set: { lastLoginAt: now, ...(unionid ? { unionid } : {}) } }, { returnDocument: 'after' }).lean<ResidentDoc>().exec();
  if (touched) return touched;
  try {
    const created = await model.create({ _id: newResidentId(), openid, createdAt: now, lastLoginAt: now, ...(unionid ? { unionid } : {}) });
    return created.toObject();
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
    const existing = await model.findOne({ openid }).lean<ResidentDoc>().exec();
    if (!existing) throw error;
    return existing;
  }
}
