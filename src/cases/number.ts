const CASE_NUMBER = /^(\d{4})-(\d{6,})$/;

/** `2026-000123`: year and a per-district, per-year sequence (allocated by the store). */
export function formatCaseNumber(year: number, sequence: number): string {
  if (!Number.isInteger(year) || year < 1000 || year > 9999) throw new RangeError(`case number year must have 4 digits, got ${year}`);
  if (!Number.isInteger(sequence) || sequence < 1) throw new RangeError(`case number sequence must be a positive integer, got ${sequence}`);
  return `${year}-${String(sequence).padStart(6, '0')}`;
}

export function parseCaseNumber(text: string): { year: number; sequence: number } | undefined {
  const match = CASE_NUMBER.exec(text.trim());
  if (!match?.[1] || !match[2]) return undefined;
  const sequence = Number(match[2]);
  return sequence >= 1 ? { year: Number(match[1]), sequence } : undefined;
}

/** Counter document id for the case numbers of one district in one year. */
export function caseCounterId(districtId: string, year: number): string {
  return `case:${districtId}:${year}`;
}
