import sharp from 'sharp';
import type { WecomApiClient } from '../bots/wecom/apiClient';
import { appChatCreateBody } from '../bots/wecom/messages';
import type { GroupChat } from '../config/district';
import type { OrgRepository } from '../store/orgRepository';
import { configuredSandboxHosts } from '../web/sandbox/requestGuard';
import { sandboxConsoleRouter } from '../web/sandbox/routes';
import type { AppModule, Infrastructure } from './runtime';
import type { Sandbox } from './sandbox';

/** A grey 320×240 JPEG standing in for a grid member's photo. */
function demoPhoto(): Promise<Buffer> {
  return sharp({ create: { width: 320, height: 240, channels: 3, background: { r: 150, g: 150, b: 150 } } }).jpeg().toBuffer();
}

interface PlannedChat {
  chatId: string;
  name: string;
  members: string[];
}

/** The app-owned group chats the district file names, with who should be in each. */
async function plannedAppChats(org: OrgRepository, districtId: string): Promise<PlannedChat[]> {
  const [district, streets, departments, admins] = await Promise.all([
    org.district(districtId),
    org.streetsOf(districtId),
    org.departments(districtId),
    org.usersWithRole(districtId, 'admin'),
  ]);
  const dispatchers = streets.flatMap((s) => s.dispatcherUserIds);
  const planned: { chat: GroupChat | undefined; name: string; members: string[] }[] = [
    { chat: district?.leadershipChat, name: `${district?.name ?? ''}领导群`, members: [...admins.map((a) => a._id), ...dispatchers] },
    ...streets.map((s) => ({ chat: s.chat, name: `${s.name}工作群`, members: [...s.dispatcherUserIds, ...admins.map((a) => a._id)] })),
    ...departments.map((d) => ({ chat: d.chat, name: `${d.name}群`, members: d.memberUserIds })),
  ];
  return planned.flatMap(({ chat, name, members }) =>
    chat?.kind === 'appchat' && members.length >= 2 ? [{ chatId: chat.chatId, name, members: [...new Set(members)] }] : [],
  );
}

async function createAppChats(client: WecomApiClient, org: OrgRepository, districtId: string): Promise<number> {
  const chats = await plannedAppChats(org, districtId);
  for (const chat of chats) {
    await client.createAppChat(appChatCreateBody({ chatId: chat.chatId, name: chat.name, owner: chat.members[0], userIds: chat.members }));
  }
  return chats.length;
}

/**
 * Sandbox mode: the console at /sandbox (web role) and, at start, the district's app chats
 * created on the fake WeChat Work server through the real API client (worker role).
 */
export function sandboxModule(infra: Infrastructure, sandbox: Sandbox, client: WecomApiClient, districtId: string): AppModule {
  return {
    routers: () => [
      sandboxConsoleRouter({
        fake: sandbox.fake,
        org: infra.org,
        districtId,
        callback: {
          corpId: sandbox.credentials.corpId,
          token: sandbox.credentials.token,
          encodingAesKey: sandbox.credentials.encodingAesKey,
          agentId: sandbox.credentials.agentId,
        },
        demoPhoto,
        allowedHosts: configuredSandboxHosts(infra.env),
        ...(sandbox.mp && { mp: sandbox.mp }),
      }),
    ],
    async startWorkers() {
      const created = await createAppChats(client, infra.org, districtId);
      infra.logger.info({ created }, 'sandbox: app chats created on the fake WeChat Work server');
      return [];
    },
  };
}
