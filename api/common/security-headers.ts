import type { NextFunction, Request, RequestHandler, Response } from 'express';
import helmet from 'helmet';
import { routePath } from './upload-routes';

/**
 * Security headers on every answer (helmet). One Content-Security-Policy serves the web app under
 * web/ and the Swagger UI at /api/docs: scripts only from this origin, never inline (the Swagger UI
 * loads its init script as a file); inline styles allowed (both pages carry a <style> block);
 * images and fonts from this origin or data: URIs (the Swagger UI's icons); no plugins; no framing
 * by anyone (frame-ancestors 'none', X-Frame-Options DENY). No Referer leaves the app. HSTS and
 * upgrade-insecure-requests only behind HTTPS (COOKIE_SECURE): on a plain-http installation they
 * would lock browsers out.
 */
export function securityHeaders(settings: { cookieSecure: boolean }): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        baseUri: ["'self'"],
        connectSrc: ["'self'"],
        fontSrc: ["'self'", 'data:'],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        imgSrc: ["'self'", 'data:'],
        objectSrc: ["'none'"],
        scriptSrc: ["'self'"],
        scriptSrcAttr: ["'none'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        ...(settings.cookieSecure ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    strictTransportSecurity: settings.cookieSecure ? { maxAge: 365 * 24 * 60 * 60, includeSubDomains: false } : false,
    referrerPolicy: { policy: 'no-referrer' },
    xFrameOptions: { action: 'deny' },
  });
}

/**
 * `Cache-Control: no-store` on every API answer (not on the static web app and the API reference's
 * assets). Answers carrying secrets (one-time passwords at user creation and reset, the TOTP secret
 * and recovery codes at enrolment) must never be kept by a browser or proxy cache; every other API
 * answer is a person's or a regulated record's data, read under an access check that a cached copy
 * would bypass. Marking all of them is simpler to keep right than a list of the secret ones.
 */
export const noStoreOnApi: RequestHandler = (request: Request, response: Response, next: NextFunction) => {
  const path = routePath(request.url);
  if (path.startsWith('/api/') && !path.startsWith('/api/docs')) response.set('Cache-Control', 'no-store');
  next();
};
