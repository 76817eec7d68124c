import { Schema, type Connection, type Model } from 'mongoose';

/**
 * Lookup documents whose `_id` is the key, so every read is by `_id` alone: the only filter
 * FerretDB v1 answers without reading the whole collection (MongoDB answers either way).
 */
export interface CaseKeyDoc {
  _id: string;
  caseId: string;
  /** Number keys: when filed. Place keys: the case's creation time (by which they are pruned). */
  filedAt: Date;
}

function caseKeySchema(collection: string): Schema<CaseKeyDoc> {
  return new Schema<CaseKeyDoc>(
    {
      _id: { type: String, required: true },
      caseId: { type: String, required: true },
      filedAt: { type: Date, required: true },
    },
    { versionKey: false, collection },
  );
}

function keyModel(connection: Connection, name: string, collection: string): Model<CaseKeyDoc> {
  return (connection.models[name] as Model<CaseKeyDoc> | undefined) ?? connection.model<CaseKeyDoc>(name, caseKeySchema(collection));
}

/** `<district>|<category>|<place token>|<time bucket>#<slot>` → a case filed there (see `duplicateFilingKeys`). */
export const casePlaceKeyModel = (connection: Connection) => keyModel(connection, 'CasePlaceKey', 'case_place_keys');

/** `<district>|<case number>` → the case with that number. */
export const caseNumberKeyModel = (connection: Connection) => keyModel(connection, 'CaseNumberKey', 'case_number_keys');

/** `<reporter id>#<n>` → the reporter's n-th case (n from 1; the count is the counter `reporter|<id>`). */
export const caseReporterKeyModel = (connection: Connection) => keyModel(connection, 'CaseReporterKey', 'case_reporter_keys');

/** `<case id>` → an open case (the sweeper's and the one-time filings' list of open cases: it holds no closed case). */
export const caseOpenKeyModel = (connection: Connection) => keyModel(connection, 'CaseOpenKey', 'case_open_keys');
