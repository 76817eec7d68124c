import { Schema, Types, type Connection, type Model } from 'mongoose';

/** One line of the command centre's audit log: who did what, when, from where, and how it ended. */
export interface AuditEntry {
  at: Date;
  userId: string;
  userName?: string;
  action: string;
  target?: string;
  outcome: 'ok' | 'refused';
  detail?: string;
  ip: string;
  userAgent?: string;
}

interface AuditDoc extends AuditEntry {
  _id: string;
}

const auditSchema = new Schema<AuditDoc>(
  {
    _id: { type: String, required: true },
    at: { type: Date, required: true },
    userId: { type: String, required: true },
    userName: String,
    action: { type: String, required: true },
    target: String,
    outcome: { type: String, enum: ['ok', 'refused'], required: true },
    detail: String,
    ip: { type: String, required: true },
    userAgent: String,
  },
  { versionKey: false, collection: 'console_audit' },
);
auditSchema.index({ at: -1 });

function auditModel(connection: Connection): Model<AuditDoc> {
  return (connection.models.ConsoleAudit as Model<AuditDoc> | undefined) ?? connection.model<AuditDoc>('ConsoleAudit', auditSchema);
}

export class ConsoleAuditLog {
  private readonly entries: Model<AuditDoc>;

  constructor(connection: Connection) {
    this.entries = auditModel(connection);
  }

  async record(entry: AuditEntry): Promise<void> {
    // ObjectIds sort by time, so the id alone orders the log.
    await this.entries.create({ _id: new Types.ObjectId().toHexString(), ...entry });
  }

  /** Newest first. */
  async latest(limit: number, userId?: string): Promise<AuditEntry[]> {
    const docs = await this.entries.find(userId === undefined ? {} : { userId }).sort({ at: -1 }).limit(limit).lean<AuditDoc[]>().exec();
    return docs.map(({ _id: _ignored, ...entry }) => entry);
  }
}
