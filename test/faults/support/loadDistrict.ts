import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CityDistrict } from './cityLoad';

/** Grid members reporting under a fault: two communities of REPORTERS / 2 grids, one reporter a grid. */
export const REPORTERS = 8;

/**
 * The district a fault test loads: the lead department (城管) with two leads tapping every whistle and a
 * member sending the feedback, an assisting 住建, a dispatcher and the grid members. `prefix` keeps each
 * test's ids and webhook keys its own.
 */
export function faultDistrict(prefix: string): { seed: Record<string, unknown>; people: CityDistrict; leadWebhook: string } {
  const reporters = Array.from({ length: REPORTERS }, (_, i) => `${prefix}-grid-${i}`);
  const leads = [`${prefix}-cg-lead1`, `${prefix}-cg-lead2`];
  const member = `${prefix}-cg-staff`;
  const communities = [0, 1].map((c) => ({ id: `${prefix}-c${c}`, name: `城市社区${c}`, grids: Array.from({ length: REPORTERS / 2 }, (_, g) => ({ id: `${prefix}-c${c}-g${g}`, name: `网格${c}-${g}` })) }));
  const seed = {
    district: { id: `${prefix}-district`, name: '城市区', leadershipChat: { kind: 'webhook', key: `wh-${prefix}-leaders` } },
    streets: [{ id: `${prefix}-street`, name: '城市街道', communities }],
    departments: [
      { code: 'chengguan', chat: { kind: 'webhook', key: `wh-${prefix}-chengguan` } },
      { code: 'zhujian', chat: { kind: 'webhook', key: `wh-${prefix}-zhujian` } },
    ],
    users: [
      { userId: leads[0], name: '城管甲', roles: ['dept_lead'], deptCode: 'chengguan' },
      { userId: leads[1], name: '城管乙', roles: ['dept_lead'], deptCode: 'chengguan' },
      { userId: member, name: '城管丙', roles: ['dept_member'], deptCode: 'chengguan' },
      { userId: `${prefix}-zj-lead`, name: '住建甲', roles: ['dept_lead'], deptCode: 'zhujian' },
      { userId: `${prefix}-dispatcher`, name: '调度员', roles: ['dispatcher'], streetId: `${prefix}-street` },
      ...reporters.map((userId, i) => ({ userId, name: `网格员${i}`, roles: ['grid_member'], gridId: `${prefix}-c${i % 2}-g${Math.floor(i / 2)}` })),
    ],
  };
  return { seed, people: { reporters, leads, member }, leadWebhook: `wh-${prefix}-chengguan` };
}

/**
 * Writes the district and a quick conversation config (a 1 s feedback window) under `dir`; returns the app
 * environment that points at them, and at `dir`'s media folder.
 */
export function writeCityConfig(dir: string, seed: Record<string, unknown>): { DISTRICT_CONFIG: string; CONVERSATION_CONFIG: string; MEDIA_DIR: string } {
  const files = { DISTRICT_CONFIG: join(dir, 'district.json'), CONVERSATION_CONFIG: join(dir, 'conversation.json'), MEDIA_DIR: join(dir, 'media') };
  writeFileSync(files.DISTRICT_CONFIG, JSON.stringify(seed));
  writeFileSync(files.CONVERSATION_CONFIG, JSON.stringify({ gatherWindowSeconds: 180, draftTtlSeconds: 1800, feedbackWindowSeconds: 1, myReportsLimit: 5, textPreviewChars: 60, defaultExtensionDays: 3, categoryChoices: ['road', 'street_light', 'other'] }));
  return files;
}
