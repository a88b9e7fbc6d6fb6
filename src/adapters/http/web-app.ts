import { readFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Middleware } from 'koa';
import type { HttpState } from './http-state';

/** Where `npm run build` puts the web app: dist/web, from dist/adapters/http and from src/adapters/http alike. */
export const WEB_APP_DIR = resolve(__dirname, '..', '..', '..', 'dist', 'web');

const ASSETS: Record<string, string> = {
  '/main.js': 'text/javascript; charset=utf-8',
  '/main.js.map': 'application/json; charset=utf-8',
  '/app.css': 'text/css; charset=utf-8',
  '/app.css.map': 'application/json; charset=utf-8',
  '/favicon.svg': 'image/svg+xml',
};

/** Paths browsers ask for on their own, answered with a file of the list: an SVG icon serves /favicon.ico too. */
const ALIASES: Record<string, string> = { '/favicon.ico': '/favicon.svg' };

/** The page's paths: the home page and a meeting's link. */
const PAGE = /^\/(?:m\/[^/]{1,1024}\/?)?$/;
/** No file is served below it: API requests skip the lookup. */
const API = '/api/';
const HOST = /^[a-z0-9.-]+(?::\d{1,5})?$|^\[[0-9a-f:.]+\](?::\d{1,5})?$/i;

/**
 * The page's own policy: scripts and styles from this origin only, connections to this origin (its Socket.IO
 * endpoint, by WebSocket too: older browsers do not count ws: as 'self'), media from this origin or blobs.
 */
export function webAppPolicy(host: string): string {
  const sockets = HOST.test(host) ? ` ws://${host} wss://${host}` : '';
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    `connect-src 'self'${sockets}`,
    "media-src 'self' blob:",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/**
 * Serves the built web app: index.html for `/` and `/m/<code>`, and the fixed list of bundle files, read once at
 * start (a handful of small files; a fixed list leaves no path to traverse). Without a build it serves nothing.
 */
export function webApp(dir = WEB_APP_DIR): Middleware<HttpState> {
  const files = new Map<string, { body: Buffer; type: string }>();
  const index = join(dir, 'index.html');
  if (existsSync(index)) {
    files.set('/', { body: readFileSync(index), type: 'text/html; charset=utf-8' });
    for (const [path, type] of Object.entries(ASSETS)) {
      const file = join(dir, path.slice(1));
      if (existsSync(file)) files.set(path, { body: readFileSync(file), type });
    }
    for (const [alias, path] of Object.entries(ALIASES)) {
      const file = files.get(path);
      if (file) files.set(alias, file);
    }
  }
  // Not async: a request that is no file is passed on without a frame of its own.
  return (ctx, next) => {
    const file = (ctx.method === 'GET' || ctx.method === 'HEAD') && !ctx.path.startsWith(API) ? files.get(PAGE.test(ctx.path) ? '/' : ctx.path) : undefined;
    if (!file) return next();
    ctx.set('Content-Security-Policy', webAppPolicy(ctx.host));
    ctx.set('Cache-Control', 'no-cache');
    ctx.type = file.type;
    ctx.body = file.body;
  };
}
