import { join } from 'node:path';
import { z } from 'zod';
import { CATEGORY_CODES } from '../src/taxonomy';
import { parseWith, readJsonFile } from './jsonFile';

const seconds = z.number().int().positive();

export const conversationConfigSchema = z
  .object({
    about: z.string().optional(),
    /** Pieces (photo, text, location) closer together than this belong to one draft. */
    gatherWindowSeconds: seconds,
    /** How long a draft waits for a tap on its confirmation card or an answer to our question. */
    draftTtlSeconds: seconds,
    /** A department's feedback waits this long for photos sent just after the text. */
    feedbackWindowSeconds: seconds,
    myReportsLimit: z.number().int().min(1).max(20),
    textPreviewChars: z.number().int().min(10).max(500),
    defaultExtensionDays: z.number().int().min(1).max(60),
    /** Categories offered by "修改类别" (the card shows at most 10 options). */
    categoryChoices: z
      .array(z.string().refine((code) => CATEGORY_CODES.includes(code), 'must be a category code from config/taxonomy.json'))
      .min(1)
      .max(9),
  })
  .refine((c) => c.draftTtlSeconds >= c.gatherWindowSeconds, { message: 'must be at least gatherWindowSeconds', path: ['draftTtlSeconds'] })
  // A department's held feedback lives in its draft, which must not be replaced before it is sent.
  .refine((c) => c.feedbackWindowSeconds < c.gatherWindowSeconds, { message: 'must be shorter than gatherWindowSeconds', path: ['feedbackWindowSeconds'] });

export type ConversationConfig = z.infer<typeof conversationConfigSchema>;

export const DEFAULT_CONVERSATION_CONFIG_PATH = join(__dirname, 'conversation.json');

/** Reads and validates the conversation settings; errors name the file and the bad key. */
export function loadConversationConfig(path: string = DEFAULT_CONVERSATION_CONFIG_PATH): ConversationConfig {
  return parseConversationConfig(readJsonFile(path), path);
}

export function parseConversationConfig(raw: unknown, source = 'conversation config'): ConversationConfig {
  return parseWith(conversationConfigSchema, raw, source);
}
