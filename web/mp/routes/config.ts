import Router from '@koa/router';
import { taxonomy } from '../../../src/taxonomy';
import { limitByIp } from '../middleware';
import { SATISFACTION_NAMES } from '../../../src/labels';
import { SATISFACTION_VALUES, type ConfigView } from '../schemas';
import type { MpServices, MpState } from '../services';

const MILESTONE_TITLES: Record<string, string> = {
  whistled: '诉求已派发',
  accepted: '诉求已受理',
  done: '诉求已处理',
  closed: '诉求已办结',
  merged: '诉求合并办理',
  cancelled: '诉求已撤销',
};

export function presentConfig(services: MpServices): ConfigView {
  const { config, district } = services;
  return {
    categories: taxonomy.categories.map((c) => ({ code: c.code, name: c.name })),
    satisfaction: SATISFACTION_VALUES.map((value) => ({ value, name: SATISFACTION_NAMES[value] })),
    photos: { maxCount: config.photos.maxCount, maxBytes: config.photos.maxBytes, types: ['image/jpeg', 'image/png', 'image/webp'] },
    report: { maxTextLength: config.report.maxTextLength, maxAddressLength: config.report.maxAddressLength, maxCommentLength: config.report.maxCommentLength },
    subscribeTemplates: Object.entries(config.subscribe.templates).flatMap(([milestone, template]) =>
      template ? [{ milestone, templateId: template.templateId, title: MILESTONE_TITLES[milestone] ?? milestone }] : [],
    ),
    communities: district.communities.map((c) => ({ id: c.id, name: c.name, streetName: c.streetName })),
  };
}

/** GET /api/mp/config: what the front end needs before the first screen (no login needed). */
export function configRoutes(services: MpServices): Router<MpState> {
  const router = new Router<MpState>({ prefix: '/api/mp' });
  router.get('/config', limitByIp(services, 'read'), (ctx) => {
    ctx.body = presentConfig(services);
  });
  return router;
}
