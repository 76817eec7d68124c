// MongoDB says 11000 for a duplicate key; FerretDB v1 says 11000 on insert and 1 when an update makes one.
export function isDuplicateKeyError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 11000 || code === 11001;
}
