import type { Evidence } from '../../src/alliance/attendanceRules';
import { parseRequest } from './errors';
import { evidenceSchema } from './schemas';

export function evidenceFrom(body: unknown): Evidence {
  const parsed = parseRequest(evidenceSchema, body);
  return 'qrToken' in parsed ? { method: 'qr', token: parsed.qrToken } : { method: 'location', point: { latitude: parsed.latitude, longitude: parsed.longitude } };
}
