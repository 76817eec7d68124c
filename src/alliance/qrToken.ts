import { createHmac, timingSafeEqual } from 'node:crypto';
import { ALLOWED, refuse, type Decision } from './refusals';

export interface QrRotation {
  /** A new code every this many seconds; the one before it still works (someone scanning at the switch). */
  rotateSeconds: number;
  secret: string;
}

function slotAt(now: Date, rotation: QrRotation): number {
  return Math.floor(now.getTime() / 1000 / rotation.rotateSeconds);
}

function mac(activityId: string, slot: number, secret: string): string {
  return createHmac('sha256', secret).update(`${activityId}.${slot}`).digest('base64url').slice(0, 16);
}

/** The code shown on site right now: `<activity>.<slot>.<mac>`, so a code names the activity it belongs to. */
export function currentQrToken(activityId: string, now: Date, rotation: QrRotation): string {
  const slot = slotAt(now, rotation);
  return `${activityId}.${slot}.${mac(activityId, slot, rotation.secret)}`;
}

/** When the code shown now stops being accepted. */
export function qrTokenValidUntil(now: Date, rotation: QrRotation): Date {
  return new Date((slotAt(now, rotation) + 2) * rotation.rotateSeconds * 1000);
}

export function verifyQrToken(token: string, activityId: string, now: Date, rotation: QrRotation): Decision {
  const match = /^([A-Za-z0-9_-]{1,64})\.(\d{1,12})\.([A-Za-z0-9_-]{16})$/.exec(token.trim());
  if (!match) return refuse('qr_invalid', '二维码无法识别，请对准现场展示的签到码重新扫描');
  const [, tokenActivity = '', slotText = '', given = ''] = match;
  const slot = Number(slotText);
  const expected = mac(tokenActivity, slot, rotation.secret);
  if (!timingSafeEqual(Buffer.from(given), Buffer.from(expected))) return refuse('qr_invalid', '二维码无效，请扫描现场展示的签到码');
  if (tokenActivity !== activityId) return refuse('qr_other_activity', '这是另一场活动的签到码，请扫描本活动现场展示的二维码');
  const current = slotAt(now, rotation);
  if (slot > current) return refuse('qr_invalid', '二维码无效，请扫描现场展示的签到码');
  if (slot < current - 1) return refuse('qr_expired', '签到码已过期（每隔一段时间更新），请扫描现场屏幕上最新的二维码');
  return ALLOWED;
}
