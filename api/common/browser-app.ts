import fs from 'node:fs';
import path from 'node:path';
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { routePath } from './upload-routes';

/** The browser app's sources (web/) and the build in web/dist that the API serves from its own origin. */
export const WEB_SOURCE_DIR = path.join(__dirname, '..', '..', 'web');
export const WEB_BUILD_DIR = path.join(WEB_SOURCE_DIR, 'dist');

const NOT_BUILT = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Attestflow</title></head><body>
<h1>Attestflow</h1><p>The browser app is not built on this installation. <code>npm start</code> builds it (or <code>npx vite build web</code>).
The API reference is at <a href="/api/docs">/api/docs</a>.</p></body></html>`;

/**
 * The browser app: its hashed assets as files (cached for a year: a new build has new names), and
 * index.html for every other page address outside /api, so that a bookmarked or reloaded page
 * (/records/change_control/…) opens the app, whose router shows it. index.html itself is never
 * cached, so a new build reaches the next page load.
 */
export function browserApp(): RequestHandler[] {
  const assets = express.static(WEB_BUILD_DIR, {
    index: false,
    setHeaders: (response, file) => {
      if (file.includes(`${path.sep}assets${path.sep}`)) response.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
    },
  });
  const page = (request: Request, response: Response, next: NextFunction) => {
    const where = routePath(request.url);
    // A file that is not there (a stale asset name, say) is a 404, not the app.
    if ((request.method !== 'GET' && request.method !== 'HEAD') || where.startsWith('/api') || /\.[a-z0-9]+$/i.test(where)) return next();
    const index = path.join(WEB_BUILD_DIR, 'index.html');
    response.setHeader('Cache-Control', 'no-cache');
    if (!fs.existsSync(index)) return void response.status(503).type('html').send(NOT_BUILT);
    response.sendFile(index);
  };
  return [assets, page];
}
