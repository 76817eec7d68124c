import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type Router from '@koa/router';

const PUBLIC_DIR = join(__dirname, 'public');

/** The console's own files, and the map and chart libraries served straight from node_modules (no build step). */
const FILES: Record<string, { path: string; type: string }> = {
  '/console/app.js': { path: join(PUBLIC_DIR, 'app.js'), type: 'application/javascript; charset=utf-8' },
  '/console/app.css': { path: join(PUBLIC_DIR, 'app.css'), type: 'text/css; charset=utf-8' },
  '/console/vendor/leaflet.js': { path: require.resolve('leaflet/dist/leaflet.js'), type: 'application/javascript; charset=utf-8' },
  '/console/vendor/leaflet.css': { path: require.resolve('leaflet/dist/leaflet.css'), type: 'text/css; charset=utf-8' },
  '/console/vendor/leaflet-heat.js': { path: require.resolve('leaflet.heat/dist/leaflet-heat.js'), type: 'application/javascript; charset=utf-8' },
  '/console/vendor/echarts.min.js': { path: require.resolve('echarts/dist/echarts.min.js'), type: 'application/javascript; charset=utf-8' },
};

export const APP_SHELL = join(PUBLIC_DIR, 'index.html');

export function serveStaticFiles(router: Router): void {
  for (const [url, { path, type }] of Object.entries(FILES)) {
    const content = readFileSync(path);
    router.get(url, (ctx) => {
      ctx.type = type;
      ctx.set('Cache-Control', 'public, max-age=300');
      ctx.body = content;
    });
  }
}
