import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { AppError } from './app-error';
import { mediaTypeOf, routePath, UPLOAD_ROUTES } from './upload-routes';

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);
const ANY_ADDRESS = new Set(['0.0.0.0', '::', '[::]', '']);

export interface WriteRequestSettings {
  /** The origins a browser may write from (PUBLIC_URL); undefined: derived from HOST and the listening port. */
  publicOrigins: string[] | undefined;
  host: string;
}

function originOf(value: string): string | undefined {
  try {
    const origin = new URL(value).origin;
    return origin === 'null' ? undefined : origin;
  } catch {
    return undefined;
  }
}

/** Whether a browser page at `origin` is this installation's own web app. */
function isOwnOrigin(origin: string, request: Request, settings: WriteRequestSettings): boolean {
  if (settings.publicOrigins) return settings.publicOrigins.includes(origin);
  // Unset PUBLIC_URL: plain http on this machine (or on HOST when it names one), at the port the
  // request came in on (so PORT=0 works too).
  const url = new URL(origin);
  const hosts = new Set(LOCAL_HOSTS);
  if (!ANY_ADDRESS.has(settings.host))
    hosts.add(settings.host.includes(':') && !settings.host.startsWith('[') ? `[${settings.host}]` : settings.host.toLowerCase());
  return url.protocol === 'http:' && hosts.has(url.hostname) && url.port === String(request.socket.localPort ?? '');
}

/**
 * Cross-site request forgery defence for writes (POST, PUT, PATCH, DELETE under /api), beside the
 * SameSite=Strict session cookie:
 *
 * - the body is application/json, or one of the media types an upload route declares; a request
 *   with a body and another type (what an HTML form or a "simple" cross-origin fetch can send) is
 *   refused with 415 `unsupported_media_type`. A cross-origin page can send JSON or a PDF only after
 *   a CORS preflight, which this API never grants;
 * - when the request names where it comes from (`Origin`, else the origin of `Referer`), that must
 *   be this installation's public URL, else 403 `origin_not_allowed`. Browsers send `Origin` on every
 *   cross-origin write (`null` from an opaque origin, which is refused too).
 *
 * A request with neither header is allowed, with or without a session cookie: that is what curl,
 * scripts and server-to-server callers send, a browser does not send it for a cross-origin write,
 * and the media-type rule above already keeps a forged one from carrying a body the API accepts.
 */
export function refuseForeignWrites(settings: WriteRequestSettings): RequestHandler {
  return (request: Request, _response: Response, next: NextFunction) => {
    if (!WRITE_METHODS.has(request.method) || !routePath(request.url).startsWith('/api/')) return next();
    const claimed = request.get('origin') ?? request.get('referer');
    if (claimed !== undefined) {
      const origin = originOf(claimed);
      if (origin === undefined || !isOwnOrigin(origin, request, settings)) {
        return next(
          new AppError(
            'origin_not_allowed',
            `Writes are accepted only from this installation's own pages (${settings.publicOrigins?.join(', ') ?? 'PUBLIC_URL is not set: http://127.0.0.1 or localhost at the API port'}); this one came from ${origin ?? 'an opaque origin'}. Nothing was changed.`,
          ),
        );
      }
    }
    const allowed = UPLOAD_ROUTES[`${request.method} ${routePath(request.url)}`] ?? ['application/json'];
    const type = mediaTypeOf(request.get('content-type'));
    const hasBody = request.get('transfer-encoding') !== undefined || Number(request.get('content-length') ?? 0) > 0;
    if (type === undefined ? hasBody : !allowed.includes(type)) {
      return next(new AppError('unsupported_media_type', `This request's body must be sent as ${allowed.join(' or ')}; nothing was changed.`));
    }
    next();
  };
}
