import { Schema, type Connection, type Model } from 'mongoose';

/**
 * A case a resident reported from the mini-program: the paging index of "我的诉求" and what the
 * case itself has no field for (the map picker's place name, the optional contact phone).
 */
export interface ResidentCaseDoc {
  /** The case id. */
  _id: string;
  residentId: string;
  number: string;
  address: string;
  placeName?: string;
  contactPhone?: string;
  createdAt: Date;
}

const residentCaseSchema = new Schema<ResidentCaseDoc>(
  {
    _id: String,
    residentId: { type: String, required: true, index: true },
    number: String,
    address: String,
    placeName: String,
    contactPhone: String,
    createdAt: Date,
  },
  { versionKey: false },
);

export function residentCaseModel(connection: Connection): Model<ResidentCaseDoc> {
  return (connection.models.ResidentCase as Model<ResidentCaseDoc> | undefined) ?? connection.model<ResidentCaseDoc>('ResidentCase', residentCaseSchema);
}
