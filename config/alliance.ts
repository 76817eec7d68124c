import { join } from 'node:path';
import { z } from 'zod';
import { PARTICIPANT_KINDS } from '../src/alliance/types';
import { isValidTimeZone } from '../src/sla/timeZone';
import { parseWith, readJsonFile } from './jsonFile';

const id = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1-64 of A-Z a-z 0-9 _ -');
const rule = z.object({ perAttendance: z.number().min(0), perHour: z.number().min(0) });

export const participantSchema = z.object({
  id,
  kind: z.enum(PARTICIPANT_KINDS),
  name: z.string().trim().min(1).max(60),
  wecomUserId: z.string().min(1).max(64).optional(),
  residentId: z.string().min(1).max(64).optional(),
  orgId: id.optional(),
  homeOrganisation: z.string().trim().min(1).max(100).optional(),
  streetId: id.optional(),
  communityId: id.optional(),
  gridId: id.optional(),
  skills: z.array(z.string().trim().min(1).max(20)).max(20).default([]),
});

export const allianceConfigSchema = z.object({
  about: z.string().optional(),
  timeZone: z.string().refine(isValidTimeZone, 'must be an IANA time zone such as Asia/Shanghai'),
  checkIn: z.object({
    opensMinutesBefore: z.number().int().min(0).max(24 * 60),
    checkOutClosesMinutesAfter: z.number().int().min(0).max(24 * 60),
    defaultRadiusMeters: z.number().int().min(10).max(5000),
    qrRotateSeconds: z.number().int().min(10).max(3600),
  }),
  /** Reminders to those with a seat, this many minutes before the start. */
  remindBeforeStartMinutes: z.array(z.number().int().min(1).max(7 * 24 * 60)).max(5),
  points: z.object({
    default: rule,
    byKind: z.record(z.string(), rule),
    maxPerActivity: z.number().min(0),
    stars: z.array(z.number().min(0)).max(5).refine((s) => s.every((v, i) => i === 0 || v > (s[i - 1] ?? 0)), 'must ascend'),
  }),
  quotas: z.partialRecord(z.enum(PARTICIPANT_KINDS), z.object({ measure: z.enum(['activities', 'hours']), required: z.number().positive() })),
  /** Waiting-list places as a share of the capacity, when a 哨令 does not say. */
  waitlistCapacityRatio: z.number().min(0).max(10),
  participants: z.array(participantSchema).superRefine((list, ctx) => {
    const ids = new Set<string>();
    list.forEach((p, i) => {
      if (ids.has(p.id)) ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `participant "${p.id}" is listed twice` });
      ids.add(p.id);
    });
    list.forEach((p, i) => {
      if (p.orgId !== undefined && !ids.has(p.orgId)) ctx.addIssue({ code: 'custom', path: [i, 'orgId'], message: `unknown participant "${p.orgId}"` });
    });
  }),
});

export type AllianceConfig = z.infer<typeof allianceConfigSchema>;

export const DEFAULT_ALLIANCE_CONFIG_PATH = join(__dirname, 'alliance.json');

/** Reads and validates the alliance rules; errors name the file and the bad key. */
export function loadAllianceConfig(path: string = DEFAULT_ALLIANCE_CONFIG_PATH): AllianceConfig {
  return parseWith(allianceConfigSchema, readJsonFile(path, 'ALLIANCE_CONFIG'), path);
}
