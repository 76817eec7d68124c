import { Schema, type Connection, type Model } from 'mongoose';
import type { StreetExample } from '../../src/parser/learned/district';

/**
 * A dispatcher's or reporter's correction of the parser, kept as a labelled example for the district's
 * retraining (`npm run parser:train -- --district <id>`). `_id` is derived from the case and the event,
 * so a replayed change records nothing twice.
 */
export interface ParserExampleDoc extends StreetExample {
  _id: string;
  districtId: string;
  caseId: string;
  at: Date;
}

const parserExampleSchema = new Schema<ParserExampleDoc>(
  {
    _id: { type: String, required: true },
    districtId: { type: String, required: true, index: true },
    caseId: { type: String, required: true },
    kind: { type: String, required: true },
    text: { type: String, required: true },
    parsedCategory: String,
    category: String,
    department: String,
    rejectedDepartment: String,
    at: { type: Date, required: true },
  },
  { versionKey: false, collection: 'parser_examples' },
);

/** A district's retrained parser model; the newest accepted one is what the running service uses. */
export interface ParserModelDoc {
  _id: string;
  districtId: string;
  version: string;
  createdAt: Date;
  /** The model as JSON (config/parser/model.json's format). */
  model: string;
  /** Held-back scores of this model and of the one it replaced. */
  metrics: Record<string, number>;
}

const parserModelSchema = new Schema<ParserModelDoc>(
  {
    _id: { type: String, required: true },
    districtId: { type: String, required: true },
    version: { type: String, required: true },
    createdAt: { type: Date, required: true },
    model: { type: String, required: true },
    metrics: { type: Schema.Types.Mixed, default: {} },
  },
  { versionKey: false, collection: 'parser_models' },
);
parserModelSchema.index({ districtId: 1, createdAt: -1 });

export function parserExampleModel(connection: Connection): Model<ParserExampleDoc> {
  return (connection.models.ParserExample as Model<ParserExampleDoc> | undefined) ?? connection.model<ParserExampleDoc>('ParserExample', parserExampleSchema);
}

export function parserModelModel(connection: Connection): Model<ParserModelDoc> {
  return (connection.models.ParserModel as Model<ParserModelDoc> | undefined) ?? connection.model<ParserModelDoc>('ParserModel', parserModelSchema);
}
