import { Schema, type Connection, type Model } from 'mongoose';

/**
 * One attempt at turning a 12345 hotline work order into a case. `_id` is
 * `<districtId>:<orderNo>#<attempt>`: the unique `_id` lets exactly one request create the case of
 * an order even on FerretDB v1 (no transactions, non-atomic conditional updates), and a later
 * attempt can only be claimed by one request when an earlier one was abandoned by a crash.
 * Also what the case has no field for: the caller's phone, the hotline's own times.
 */
export interface HotlineOrderDoc {
  _id: string;
  districtId: string;
  orderNo: string;
  attempt: number;
  /** SHA-256 of the order as validated: a repeat with another body is a conflict. */
  fingerprint: string;
  claimedAt: Date;
  caseId?: string;
  number?: string;
  /** How the case was handled when it was created: whistled, triage, community or merged. */
  outcome?: string;
  /** The caller's phone as the hotline sent it; shown masked everywhere. */
  callerPhone?: string;
  receivedAt?: Date;
  /** The hotline's own deadline, kept for the status answer; the SLA policy sets the case's deadlines. */
  dueAt?: Date;
  completedAt?: Date;
  /** The hotline platform the order came from (HOTLINE_WEBHOOKS_CONFIG); absent: the default platform. */
  platform?: string;
}

const hotlineOrderSchema = new Schema<HotlineOrderDoc>(
  {
    _id: { type: String, required: true },
    districtId: { type: String, required: true },
    orderNo: { type: String, required: true },
    attempt: { type: Number, required: true },
    fingerprint: { type: String, required: true },
    claimedAt: { type: Date, required: true },
    caseId: String,
    number: String,
    outcome: String,
    callerPhone: String,
    receivedAt: Date,
    dueAt: Date,
    completedAt: Date,
    platform: String,
  },
  { versionKey: false, collection: 'hotline_orders' },
);

hotlineOrderSchema.index({ districtId: 1, orderNo: 1, attempt: -1 });
hotlineOrderSchema.index({ caseId: 1 });

export function hotlineOrderModel(connection: Connection): Model<HotlineOrderDoc> {
  return (connection.models.HotlineOrder as Model<HotlineOrderDoc> | undefined) ?? connection.model<HotlineOrderDoc>('HotlineOrder', hotlineOrderSchema);
}
