import { Schema, type Connection, type Model } from 'mongoose';

/** A client (a reporting app such as FixMyStreet) allowed to file requests; `_id` is the SHA-256 of its key. */
export interface Open311ClientDoc {
  _id: string;
  clientId: string;
  name: string;
  createdAt: Date;
  revokedAt?: Date;
}

/** Who filed a request: kept here only, never on the case, so no department sees it. */
export interface Open311Contact {
  email?: string;
  firstName?: string;
  lastName?: string;
  phone?: string;
  deviceId?: string;
  accountId?: string;
}

/**
 * One service request. `_id` is `<districtId>:<clientId>:<fingerprint>`: the unique insert lets exactly
 * one of a client's repeats of the same request create the case, on FerretDB v1 as on MongoDB.
 */
export interface Open311RequestDoc {
  _id: string;
  districtId: string;
  clientId: string;
  serviceCode: string;
  claimedAt: Date;
  caseId?: string;
  /** The case number, which is the service_request_id clients see. */
  number?: string;
  contact: Open311Contact;
  addressString?: string;
  lat?: number;
  lng?: number;
  mediaUrl?: string;
}

const clientSchema = new Schema<Open311ClientDoc>(
  { _id: String, clientId: { type: String, required: true, index: true }, name: { type: String, required: true }, createdAt: { type: Date, required: true }, revokedAt: Date },
  { versionKey: false, collection: 'open311_clients' },
);

const requestSchema = new Schema<Open311RequestDoc>(
  {
    _id: String,
    districtId: { type: String, required: true },
    clientId: { type: String, required: true },
    serviceCode: { type: String, required: true },
    claimedAt: { type: Date, required: true },
    caseId: String,
    number: String,
    contact: { type: Schema.Types.Mixed, default: {} },
    addressString: String,
    lat: Number,
    lng: Number,
    mediaUrl: String,
  },
  { versionKey: false, collection: 'open311_requests', minimize: false },
);
requestSchema.index({ districtId: 1, number: 1 });
requestSchema.index({ districtId: 1, claimedAt: -1 });

export interface Open311Models {
  Client: Model<Open311ClientDoc>;
  Request: Model<Open311RequestDoc>;
}

export function open311Models(connection: Connection): Open311Models {
  const model = <T>(name: string, schema: Schema<T>): Model<T> => (connection.models[name] as Model<T> | undefined) ?? connection.model<T>(name, schema);
  return { Client: model('Open311Client', clientSchema), Request: model('Open311Request', requestSchema) };
}
