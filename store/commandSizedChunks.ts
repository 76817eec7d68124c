/**
 * How many upserts one write command may carry. FerretDB v1 keeps each statement's cursor of an
 * update command open until the command ends, one pooled SQLite connection each, 100 per database:
 * a command upserting over 100 existing rows, or a few large ones at once (a city's processes
 * loading one seed together), wait for a free connection forever. At 16 a statement, six such
 * commands fit in one pool. MongoDB does not care; the cost there is a round trip per 16 rows.
 */
export const UPSERTS_PER_COMMAND = 16;

/** One bulk write's statements: each row replaces the document with its `_id`, or is inserted. */
export type ReplacementsById<Row extends { _id: unknown }> = { replaceOne: { filter: { _id: Row['_id'] }; replacement: Row; upsert: true } }[];

/** Replaces (or inserts) `rows` by `_id`, in order, a command-sized chunk at a time; `send` sends one bulk write. */
export async function replaceByIdInCommandSizedChunks<Row extends { _id: unknown }>(rows: readonly Row[], send: (replacements: ReplacementsById<Row>) => Promise<unknown>): Promise<void> {
  for (let start = 0; start < rows.length; start += UPSERTS_PER_COMMAND) {
    await send(rows.slice(start, start + UPSERTS_PER_COMMAND).map((row) => ({ replaceOne: { filter: { _id: row._id }, replacement: row, upsert: true } })));
  }
}
