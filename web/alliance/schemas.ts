import { z } from 'zod';
import { participantSchema } from '../../config/alliance';
import { LIST_KINDS, PARTICIPANT_KINDS } from '../../src/alliance/types';

const id = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);
const latitude = z.number().min(-90).max(90);
const longitude = z.number().min(-180).max(180);
const instant = z.iso.datetime({ offset: true }).transform((s) => new Date(s));
const skills = z.array(z.string().trim().min(1).max(20)).max(20).default([]);

export { participantSchema };

export const listItemSchema = z.object({
  title: z.string().trim().min(1).max(100),
  description: z.string().trim().max(2000).default(''),
  ownerId: z.string().trim().min(1).max(64),
  communityId: id.optional(),
  skills,
});

export const activitySchema = z.object({
  title: z.string().trim().min(1).max(60),
  description: z.string().trim().max(2000).default(''),
  organiser: z.object({ level: z.enum(['street', 'community']), id, userId: z.string().min(1).max(64) }),
  kind: z.string().regex(/^[a-z_]{1,32}$/).default('service'),
  venue: z.object({ name: z.string().trim().min(1).max(100), latitude, longitude, radiusMeters: z.number().int().min(10).max(5000).optional() }),
  startsAt: instant,
  endsAt: instant,
  capacity: z.number().int().min(1).max(500),
  waitlistCapacity: z.number().int().min(0).max(500).optional(),
  skills,
  targetKinds: z.array(z.enum(PARTICIPANT_KINDS)).max(PARTICIPANT_KINDS.length).default([]),
  targetIds: z.array(id).max(500).default([]),
  listItemId: id.optional(),
});

export const confirmSchema = z.object({ participantId: id, by: z.string().min(1).max(64) });

export const correctionSchema = z.object({ participantId: id, hours: z.number().min(0).max(24).multipleOf(0.5), reason: z.string().trim().min(2).max(200), by: z.string().min(1).max(64) });

export const exchangeSchema = z.object({ participantId: id, reward: z.string().trim().min(1).max(60), points: z.number().int().min(1).max(100_000), by: z.string().min(1).max(64) });

/** Where the person is, or the code they scanned on site: exactly one. */
export const evidenceSchema = z.union([z.object({ latitude, longitude }).strict(), z.object({ qrToken: z.string().min(1).max(200) }).strict()]);

export const listKindSchema = z.enum(LIST_KINDS);

export const yearSchema = z.coerce.number().int().min(2000).max(2100);

export const volunteerSchema = z.object({ name: z.string().trim().min(1).max(30), skills, communityId: id.optional(), streetId: id.optional() });

/** The organiser's edit: any of time, place and capacity; `by` is who changed it (recorded). */
export const activityEditSchema = z
  .object({
    startsAt: instant.optional(),
    endsAt: instant.optional(),
    venue: z.object({ name: z.string().trim().min(1).max(100), latitude, longitude, radiusMeters: z.number().int().min(10).max(5000) }).optional(),
    capacity: z.number().int().min(1).max(500).optional(),
    waitlistCapacity: z.number().int().min(0).max(500).optional(),
    by: z.string().min(1).max(64),
  })
  .strict();

export const activityCancelSchema = z.object({ reason: z.string().trim().min(2).max(200), by: z.string().min(1).max(64) });

/** The template ids wx.requestSubscribeMessage answered 'accept' for. */
export const subscriptionsSchema = z.object({ templateIds: z.array(z.string().min(1).max(128)).min(1).max(10) });
