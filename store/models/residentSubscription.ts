import { Schema, type Connection, type Model } from 'mongoose';

/**
 * One-time subscribe-message grants: each "允许" a resident taps in wx.requestSubscribeMessage lets
 * us send exactly one message with that template, so grants are counted per case and template.
 */
export interface ResidentSubscriptionDoc {
  /** `${caseId}/${templateId}` */
  _id: string;
  caseId: string;
  residentId: string;
  templateId: string;
  remaining: number;
  updatedAt: Date;
}

const residentSubscriptionSchema = new Schema<ResidentSubscriptionDoc>(
  {
    _id: String,
    caseId: { type: String, index: true },
    residentId: String,
    templateId: String,
    remaining: Number,
    updatedAt: Date,
  },
  { versionKey: false },
);

export function residentSubscriptionModel(connection: Connection): Model<ResidentSubscriptionDoc> {
  return (
    (connection.models.ResidentSubscription as Model<ResidentSubscriptionDoc> | undefined) ??
    connection.model<ResidentSubscriptionDoc>('ResidentSubscription', residentSubscriptionSchema)
  );
}

export function subscriptionId(caseId: string, templateId: string): string {
  return `${caseId}/${templateId}`;
}

/** Records `count` more grants (a resident may tap 允许 again later). */
export async function addGrants(model: Model<ResidentSubscriptionDoc>, grant: { caseId: string; residentId: string; templateId: string }, count: number, now: Date): Promise<void> {
  await model
    .updateOne(
      { _id: subscriptionId(grant.caseId, grant.templateId) },
      { $inc: { remaining: count }, $set: { updatedAt: now }, $setOnInsert: { caseId: grant.caseId, residentId: grant.residentId, templateId: grant.templateId } },
      { upsert: true },
    )
    .exec();
}

/** Uses one grant if there is one left (atomic conditional update); false when none is left. */
export async function takeGrant(model: Model<ResidentSubscriptionDoc>, caseId: string, templateId: string, now: Date): Promise<boolean> {
  const result = await model.updateOne({ _id: subscriptionId(caseId, templateId), remaining: { $gt: 0 } }, { $inc: { remaining: -1 }, $set: { updatedAt: now } }).exec();
  return result.modifiedCount === 1;
}
