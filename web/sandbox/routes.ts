import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Router from '@koa/router';
import type { Context } from 'koa';
import { z } from 'zod';
import { CallbackSender } from '../../fakes/wecom/callbackSender';
import type { InboxMessage } from '../../fakes/wecom/inbox';
import type { FakeWecomServer } from '../../fakes/wecom/server';
import type { UserDoc } from '../../store/models/org';
import type { OrgRepository } from '../../store/orgRepository';
import { NotFoundError, ValidationError } from '../errors';
import { readJsonBody } from '../jsonBody';
import { sandboxRequestGuard } from './requestGuard';
import { groupLine, presentInboxMessage, type ConsoleMessage } from './views';

export interface SandboxConsoleDeps {
  fake: FakeWecomServer;
  org: OrgRepository;
  districtId: string;
  callback: { corpId: string; token: string; encodingAesKey: string; agentId: number };
  /** A small JPEG used when the console sends a photo without choosing a file. */
  demoPhoto: () => Promise<Buffer>;
  /** The fake mini-program server, when residents log in against it (what wx.login would give). */
  mp?: { issueLoginCode(openid: string): string };
  /** Host names besides loopback the console answers for (from HOST and PUBLIC_BASE_URL). */
  allowedHosts: readonly string[];
}

const PUBLIC_DIR = join(__dirname, 'public');
const STATIC_FILES: Record<string, { file: string; type: string }> = {
  '/sandbox': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/sandbox/console.js': { file: 'console.js', type: 'application/javascript; charset=utf-8' },
  '/sandbox/console.css': { file: 'console.css', type: 'text/css; charset=utf-8' },
};

const PEOPLE_GROUPS: { title: string; role: UserDoc['roles'][number] }[] = [
  { title: '网格员', role: 'grid_member' },
  { title: '街道调度员', role: 'dispatcher' },
  { title: '社区', role: 'community_worker' },
  { title: '部门负责人', role: 'dept_lead' },
  { title: '部门工作人员', role: 'dept_member' },
];

const sendSchema = z
  .object({
    as: z.string().min(1),
    text: z.string().trim().min(1).max(2000).optional(),
    imageBase64: z.string().max(8_000_000).optional(),
    location: z.object({ label: z.string().min(1).max(200), latitude: z.number().min(-90).max(90), longitude: z.number().min(-180).max(180) }).optional(),
  })
  .refine((b) => [b.text, b.imageBase64, b.location].filter((v) => v !== undefined).length === 1, 'send exactly one of text, imageBase64, location');

const loginCodeSchema = z.object({ resident: z.string().trim().min(1).max(32).default('demo') });

const tapSchema = z.object({
  as: z.string().min(1),
  msgid: z.string().min(1),
  key: z.string().min(1),
  selected: z.array(z.object({ questionKey: z.string(), optionIds: z.array(z.string()) })).optional(),
});

function parse<T>(schema: z.ZodType<T>, body: unknown): T {
  const result = schema.safeParse(body);
  if (!result.success) throw new ValidationError(result.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '));
  return result.data;
}

/** What each sandbox person typed, kept in memory to show their side of the chat. */
class SentLog {
  private readonly byUser = new Map<string, ConsoleMessage[]>();
  private seq = 0;

  add(userId: string, kind: ConsoleMessage['kind'], text: string): void {
    const list = this.byUser.get(userId) ?? [];
    list.push({ id: `me-${++this.seq}`, from: 'me', at: new Date(), kind, text });
    this.byUser.set(userId, list);
  }

  of(userId: string): ConsoleMessage[] {
    return this.byUser.get(userId) ?? [];
  }
}

/** Our own callback URL, as seen from the request that reached us (works on any PORT, including 0). */
function ownCallbackUrl(ctx: Context): string {
  return `http://127.0.0.1:${ctx.req.socket.localPort}/wecom/callback`;
}

/**
 * The sandbox console: a page that plays WeChat Work. Messages and taps go through the real,
 * encrypted callback path; what the bot sent is read back from the fake WeChat Work server.
 */
export function sandboxConsoleRouter(deps: SandboxConsoleDeps): Router {
  const router = new Router();
  const sent = new SentLog();
  const sender = (ctx: Context) => new CallbackSender({ url: ownCallbackUrl(ctx), ...deps.callback });
  router.use(sandboxRequestGuard(deps.allowedHosts));

  for (const [path, { file, type }] of Object.entries(STATIC_FILES)) {
    const content = readFileSync(join(PUBLIC_DIR, file));
    router.get(path, (ctx) => {
      ctx.type = type;
      ctx.set('Cache-Control', 'no-store');
      ctx.body = content;
    });
  }

  router.get('/sandbox/api/people', async (ctx) => {
    const groups = await Promise.all(
      PEOPLE_GROUPS.map(async ({ title, role }) => ({
        title,
        people: (await deps.org.usersWithRole(deps.districtId, role)).map((u) => ({ userId: u._id, name: u.name, roles: u.roles })),
      })),
    );
    ctx.body = { groups: groups.filter((g) => g.people.length > 0) };
  });

  router.get('/sandbox/api/conversation', async (ctx) => {
    const userId = typeof ctx.query.as === 'string' ? ctx.query.as : '';
    if (!(await deps.org.user(userId))) throw new NotFoundError(`沙盒里没有用户 ${userId}`, 'unknown_user');
    const fromBot = deps.fake.inbox.user(userId).map((m) => presentInboxMessage(m, userId));
    const messages = [...fromBot, ...sent.of(userId)].sort((a, b) => a.at.getTime() - b.at.getTime());
    ctx.body = { messages };
  });

  router.get('/sandbox/api/groups', async (ctx) => {
    const chats = await groupChats(deps);
    ctx.body = { chats: chats.filter((c) => c.messages.length > 0) };
  });

  // What wx.login gives a resident's phone: a one-time code for POST /api/mp/session.
  router.post('/sandbox/api/mp/login-code', async (ctx) => {
    const mp = deps.mp;
    if (!mp) throw new NotFoundError('MP_APP_ID 已设置：请从真实小程序登录', 'mp_sandbox_off');
    const { resident } = parse(loginCodeSchema, await readJsonBody(ctx, 1024));
    ctx.status = 201;
    ctx.body = { code: mp.issueLoginCode(`sandbox-resident-${resident}`) };
  });

  router.post('/sandbox/api/send', async (ctx) => {
    const body = parse(sendSchema, await readJsonBody(ctx, 10 * 1024 * 1024));
    const callback = sender(ctx);
    let response;
    if (body.text !== undefined) {
      sent.add(body.as, 'text', body.text);
      response = await callback.sendText(body.as, body.text);
    } else if (body.location) {
      sent.add(body.as, 'location', `[位置] ${body.location.label}`);
      response = await callback.sendLocation(body.as, body.location);
    } else {
      const data = body.imageBase64 ? Buffer.from(body.imageBase64, 'base64') : await deps.demoPhoto();
      const mediaId = deps.fake.putMedia({ data, contentType: 'image/jpeg', filename: 'photo.jpg', type: 'image' });
      sent.add(body.as, 'image', '[照片]');
      response = await callback.sendImage(body.as, { mediaId, picUrl: `${deps.fake.baseUrl}/media/${mediaId}` });
    }
    ctx.body = { delivered: response.status === 200, status: response.status };
  });

  router.post('/sandbox/api/tap', async (ctx) => {
    const body = parse(tapSchema, await readJsonBody(ctx));
    const message = deps.fake.inbox.message(body.msgid);
    const card = message ? cardOf(message) : undefined;
    if (!message || !card) throw new NotFoundError('找不到这张卡片', 'unknown_card');
    const response = await sender(ctx).sendCardEvent({
      fromUser: body.as,
      eventKey: body.key,
      taskId: String(card.task_id ?? ''),
      cardType: String(card.card_type ?? ''),
      responseCode: deps.fake.issueResponseCode(body.msgid),
      ...(body.selected ? { selectedItems: body.selected } : {}),
    });
    ctx.body = { delivered: response.status === 200, status: response.status };
  });

  return router;
}

function cardOf(message: InboxMessage): Record<string, unknown> | undefined {
  const card = message.body.template_card;
  return typeof card === 'object' && card !== null ? (card as Record<string, unknown>) : undefined;
}

async function groupChats(deps: SandboxConsoleDeps): Promise<{ id: string; title: string; messages: { at: Date; text: string }[] }[]> {
  const [district, departments, streets] = await Promise.all([
    deps.org.district(deps.districtId),
    deps.org.departments(deps.districtId),
    deps.org.streetsOf(deps.districtId),
  ]);
  const rooms: { title: string; chat: { kind: 'appchat'; chatId: string } | { kind: 'webhook'; key: string } | undefined }[] = [
    { title: `${district?.name ?? ''}领导群`, chat: district?.leadershipChat },
    ...streets.map((s) => ({ title: `${s.name}工作群`, chat: s.chat })),
    ...departments.map((d) => ({ title: `${d.name}群`, chat: d.chat })),
  ];
  return rooms.flatMap(({ title, chat }) => {
    if (!chat) return [];
    const messages = chat.kind === 'appchat' ? deps.fake.inbox.appChat(chat.chatId) : deps.fake.inbox.webhook(chat.key);
    const id = chat.kind === 'appchat' ? `appchat:${chat.chatId}` : `webhook:${chat.key}`;
    return [{ id, title, messages: messages.map(groupLine) }];
  });
}
