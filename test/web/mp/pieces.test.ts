import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../../../config';
import { loadMpConfig, parseMpConfig } from '../../../config/mp';
import { fitTemplateValue } from '../../../bots/wechat-mp/subscribeMessage';
import { formatChinaTime } from '../../../src/chinaTime';
import type { Case, TimelineEvent } from '../../../src/cases';
import { MP_ERROR_CODES, MP_ERRORS } from '../../../web/mp/errors';
import { OPERATIONS } from '../../../web/mp/openapi';
import { sniffPhotoType } from '../../../web/mp/photos';
import { residentTimeline } from '../../../web/mp/residentTimeline';
import { png } from './support/images';

/** The small pure pieces behind the routes. */
describe('mini-program pieces', () => {
  it('loads the shipped config/mp.json and refuses a bad one naming the key', () => {
    const config = loadMpConfig();
    expect(config.photos.maxCount).toBeGreaterThan(0);
    expect(() => parseMpConfig({ ...config, photos: { ...config.photos, maxCount: -1 } })).toThrow(ConfigError);
    expect(() => parseMpConfig({ ...config, photos: { ...config.photos, maxCount: -1 } })).toThrow(/photos\.maxCount/);
    expect(() => parseMpConfig({ ...config, session: { ttlSeconds: 5 } })).toThrow(/session\.ttlSeconds/);
    const badTemplate = { ...config.subscribe, templates: { closed: { templateId: 't', fields: { thing1: 'weather' } } } };
    expect(() => parseMpConfig({ ...config, subscribe: badTemplate })).toThrow(/subscribe\.templates\.closed\.fields\.thing1/);
  });

  it('sniffs JPEG, PNG and WebP from the bytes and nothing else', async () => {
    expect(sniffPhotoType(Buffer.from([0xff, 0xd8, 0xff, 0xe1, 0, 0]))).toBe('image/jpeg');
    expect(sniffPhotoType(await png())).toBe('image/png');
    expect(sniffPhotoType(Buffer.from('RIFF\0\0\0\0WEBPVP8 ', 'latin1'))).toBe('image/webp');
    expect(sniffPhotoType(Buffer.from('RIFF\0\0\0\0WAVEfmt ', 'latin1'))).toBeUndefined();
    expect(sniffPhotoType(Buffer.from('GIF89a'))).toBeUndefined();
    expect(sniffPhotoType(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBeUndefined();
    expect(sniffPhotoType(Buffer.alloc(0))).toBeUndefined();
  });

  it("fits template values to WeChat's length limits and writes Beijing time", () => {
    expect(fitTemplateValue('phrase3', '已受理')).toBe('已受理');
    expect(fitTemplateValue('phrase3', '正在办理中的')).toBe('正在办理…');
    expect([...fitTemplateValue('thing2', '一'.repeat(30))]).toHaveLength(20);
    expect(fitTemplateValue('time4', '2026-11-23 16:05')).toBe('2026-11-23 16:05');
    expect(formatChinaTime(new Date('2026-11-23T16:05:00Z'), 'full')).toBe('2026-11-24 00:05');
  });

  it('hides internal steps and people from the resident timeline', () => {
    const at = new Date('2026-11-23T08:00:00Z');
    const event = (type: TimelineEvent['type'], extra: Partial<TimelineEvent> = {}): TimelineEvent => ({
      type, at, actorId: 'zhujian-staff', actorName: '王干事（住建局）', actorRole: 'dept_member', channel: 'wecom', details: {}, ...extra,
    });
    const c = {
      timeline: [
        event('created'),
        event('whistled', { details: { departments: 'zhujian,chengguan', lead: 'zhujian' } }),
        event('returned', { deptCode: 'chengguan', details: { reason: '不归我们管，联系人 13900001111' } }),
        event('extension_requested', { deptCode: 'zhujian', details: { reason: '材料未到' } }),
        event('accepted', { deptCode: 'zhujian', details: { role: 'lead' } }),
        event('feedback', { deptCode: 'zhujian', details: { role: 'lead', text: '已修' } }),
        event('reopened', { deptCode: 'zhujian', details: { reason: '没修好' } }),
        event('verified', { deptCode: 'zhujian', details: { resolution: 'solved' } }),
      ],
    } as unknown as Case;
    const names = { department: (code: string) => ({ zhujian: '住建局', chengguan: '城管局' })[code] ?? code };
    const timeline = residentTimeline(c, names);
    expect(timeline.map((t) => t.title)).toEqual([
      '诉求已提交',
      '已转交住建局、城管局办理',
      '住建局已受理',
      '住建局已办理完毕，等待核实',
      '经核实问题尚未解决，已要求重新办理',
      '经核实问题已解决，诉求办结',
    ]);
    const text = JSON.stringify(timeline);
    for (const secret of ['王干事', 'zhujian-staff', '13900001111', '材料未到', '没修好']) expect(text).not.toContain(secret);
  });

  it('docs/mp-api.md lists every error code with its status and message, and every route', () => {
    const guide = readFileSync(join(__dirname, '../../../docs/mp-api.md'), 'utf8');
    for (const code of MP_ERROR_CODES) {
      expect(guide).toContain(`| ${MP_ERRORS[code].status} | \`${code}\` | ${MP_ERRORS[code].message} |`);
    }
    for (const op of OPERATIONS) expect(guide).toContain(op.path.replace('{key}', ''));
  });
});
