import Router from '@koa/router';
import type { Context } from 'koa';
import { checkIn, checkOut } from '../../commands/alliance/attendance';
import type { Participant } from '../../src/alliance/types';
import { AuthenticationError } from '../errors';
import { readJsonBody } from '../jsonBody';
import { attendSignatureValid } from './attendLink';
import { unwrap } from './errors';
import { evidenceFrom } from './evidence';
import type { AllianceWebServices } from './services';

const PAGE = `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>活动签到</title>
<style>body{font-family:sans-serif;margin:24px;max-width:480px}button{font-size:18px;padding:10px 16px;margin:6px 0;width:100%}input{font-size:16px;width:100%;padding:8px;box-sizing:border-box}#answer{margin-top:16px;font-size:16px}</style></head>
<body><h1>活动签到</h1><button id="in">用当前位置签到</button><button id="out">用当前位置签退</button>
<p>或输入 / 扫描现场签到码：</p><input id="qr" placeholder="现场二维码内容"><button id="qrin">用签到码签到</button><button id="qrout">用签到码签退</button><p id="answer"></p>
<script>
const base = location.pathname.replace('/alliance/attend/', '/api/alliance/attend/');
const say = (t) => { document.getElementById('answer').textContent = t; };
async function send(step, body) {
  const r = await fetch(base + '/' + step + location.search, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const j = await r.json();
  say(r.ok ? (step === 'check-in' ? '签到成功' : '签退成功，本次计 ' + j.hours + ' 小时、' + j.points + ' 积分') : j.message);
}
function byLocation(step) {
  if (!navigator.geolocation) return say('无法获取位置，请使用现场签到码');
  navigator.geolocation.getCurrentPosition((p) => send(step, { latitude: p.coords.latitude, longitude: p.coords.longitude }), () => say('无法获取位置，请允许定位或使用现场签到码'), { enableHighAccuracy: true, timeout: 10000 });
}
document.getElementById('in').onclick = () => byLocation('check-in');
document.getElementById('out').onclick = () => byLocation('check-out');
document.getElementById('qrin').onclick = () => send('check-in', { qrToken: document.getElementById('qr').value });
document.getElementById('qrout').onclick = () => send('check-out', { qrToken: document.getElementById('qr').value });
</script></body></html>`;

async function linkedParticipant(ctx: Context, services: AllianceWebServices): Promise<{ activityId: string; participant: Participant }> {
  const activityId = ctx.params.activityId ?? '';
  const participantId = ctx.params.participantId ?? '';
  const signature = typeof ctx.query.s === 'string' ? ctx.query.s : '';
  if (!attendSignatureValid(services.deps.secret, activityId, participantId, signature)) throw new AuthenticationError('签到链接无效，请使用组织方发送的个人签到链接', 'invalid_link');
  const participant = await services.deps.repo.participant(participantId);
  if (!participant) throw new AuthenticationError('签到链接无效，请使用组织方发送的个人签到链接', 'invalid_link');
  return { activityId, participant };
}

/**
 * Check-in and check-out for WeChat Work members and anyone without the mini-program: a personal
 * signed link opens a page that sends the phone's location or the code scanned on site.
 */
export function allianceAttendRouter(services: AllianceWebServices): Router {
  const router = new Router();
  router.get('/alliance/attend/:activityId/:participantId', async (ctx) => {
    await linkedParticipant(ctx, services);
    ctx.type = 'text/html; charset=utf-8';
    ctx.body = PAGE;
  });
  router.post('/api/alliance/attend/:activityId/:participantId/check-in', async (ctx) => {
    const { activityId, participant } = await linkedParticipant(ctx, services);
    const { at } = unwrap(await checkIn(services.deps, activityId, participant, evidenceFrom(await readJsonBody(ctx))));
    ctx.body = { checkedInAt: at.toISOString() };
  });
  router.post('/api/alliance/attend/:activityId/:participantId/check-out', async (ctx) => {
    const { activityId, participant } = await linkedParticipant(ctx, services);
    const { at, hours, points } = unwrap(await checkOut(services.deps, activityId, participant, evidenceFrom(await readJsonBody(ctx))));
    ctx.body = { checkedOutAt: at.toISOString(), hours, points };
  });
  return router;
}
