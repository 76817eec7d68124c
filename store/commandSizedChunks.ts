/**
 * How many upserts one write command may carry. FerretDB v1 keeps each statement's cursor of an
 * update command open until the command ends, one pooled SQLite connection each, 100 per database:
 * a command upserting over 100 existing rows, or a few large ones at once (a city's processes
 * loading one seed together), wait for a free connection forever. At 16 a statement, six such
 * commands fit in one pool. MongoDB does not care; the cost there is a round trip per 16 rows.
 */
export const UPSERTS_PER_COMMAND = 16;

/** Writes `rows` a command-sized chunk at a time, in order; `write` sends one command. */
export async function writeInCommandSizedChunks<Row>(rows: readonly Row[], write: (chunk: Row[]) => Promise<unknown>): Promise<void> {
  for (let start = 0; start < rows.length; start += UPSERTS_PER_COMMAND) {
    await write(rows.slice(start, start + UPSERTS_PER_COMMAND));
  }
}
