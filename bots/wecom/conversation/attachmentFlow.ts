import type { MediaRef } from '../../../src/cases';
import { isTransientWecomError } from '../apiErrors';
import type { FileEvent, ImageEvent, LocationEvent, VideoEvent, VoiceEvent } from '../events';
import type { ConversationDeps } from './deps';
import { addDepartmentPhoto } from './departmentFlow';
import { Replier } from './reply';
import { replies } from './replies';
import { addReportPiece } from './reportFlow';
import { canReport, departmentActor } from './sender';

export type MediaEvent = ImageEvent | VoiceEvent | VideoEvent | FileEvent;

/**
 * A photo, voice note, video or file: copied into our media storage at once (WeChat Work keeps it three
 * days), then part of a grid member's report or of a department's coming feedback.
 */
export async function handleMedia(deps: ConversationDeps, event: MediaEvent): Promise<void> {
  const reply = new Replier(deps.outbound, event.fromUser, event.dedupeKey);
  const user = await deps.org.user(event.fromUser);
  if (!user) return reply.text(replies.unknownSender);
  const reporter = canReport(user);
  const department = departmentActor(user) !== undefined;
  if (!reporter && !department) return reply.text(replies.notAReporter);

  let media: MediaRef;
  try {
    media = await deps.fetchMedia(event.mediaId, event.type);
  } catch (error) {
    // A busy or unreachable WeChat Work fails the inbound job, which is retried with backoff.
    if (isTransientWecomError(error)) throw error;
    deps.logger.warn({ err: error, userId: user._id, msgId: event.msgId }, 'could not copy media from WeChat Work');
    return reply.text(replies.mediaFailed, 'media-failed');
  }
  if (department && !reporter) return addDepartmentPhoto(deps, reply, user, media, event.dedupeKey);
  return addReportPiece(deps, reply, user, { kind: 'media', media, at: deps.clock().getTime() }, event.dedupeKey);
}

/** A location pin: the place of a grid member's report. */
export async function handleLocation(deps: ConversationDeps, event: LocationEvent): Promise<void> {
  const reply = new Replier(deps.outbound, event.fromUser, event.dedupeKey);
  const user = await deps.org.user(event.fromUser);
  if (!user) return reply.text(replies.unknownSender);
  if (!canReport(user)) return reply.text(replies.notAReporter);
  const piece = { kind: 'location' as const, label: event.label, lat: event.latitude, lng: event.longitude, at: deps.clock().getTime() };
  return addReportPiece(deps, reply, user, piece, event.dedupeKey);
}
