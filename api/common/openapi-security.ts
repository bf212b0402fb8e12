import { RequestMethod, type INestApplication } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { ModulesContainer } from '@nestjs/core';
import type { OpenAPIObject } from '@nestjs/swagger';
import { PUBLIC_ROUTE } from '../auth/auth.decorators';

/** The security scheme of the session cookie (DocumentBuilder.addCookieAuth's default name). */
export const SESSION_SECURITY = 'cookie';

const join = (...parts: Array<string | undefined>) =>
  `/${parts
    .flatMap((p) => (p ?? '').split('/'))
    .filter(Boolean)
    .map((segment) => segment.replace(/^:(.+)$/, '{$1}'))
    .join('/')}`;

/** Every route handler of the application: its OpenAPI path and method, and whether it is @Public(). */
function routes(app: INestApplication): Array<{ path: string; method: string; isPublic: boolean }> {
  const found: Array<{ path: string; method: string; isPublic: boolean }> = [];
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as (new (...args: never[]) => unknown) | null;
      if (!controller) continue;
      const base = Reflect.getMetadata(PATH_METADATA, controller) as string | undefined;
      const seen = new Set<string>();
      for (let proto = controller.prototype as object | null; proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto) as object | null) {
        for (const name of Object.getOwnPropertyNames(proto)) {
          if (name === 'constructor' || seen.has(name)) continue;
          seen.add(name);
          const handler = (proto as Record<string, unknown>)[name];
          if (typeof handler !== 'function') continue;
          const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
          if (method === undefined) continue;
          const isPublic = Boolean(Reflect.getMetadata(PUBLIC_ROUTE, handler) ?? Reflect.getMetadata(PUBLIC_ROUTE, controller));
          found.push({
            path: join(base, Reflect.getMetadata(PATH_METADATA, handler) as string | undefined),
            method: RequestMethod[method].toLowerCase(),
            isPublic,
          });
        }
      }
    }
  }
  return found;
}

/**
 * Every operation the session guard protects (all but @Public() routes, api/auth/session.guard.ts)
 * requires the session cookie in the document, from the same metadata the guard reads, so that the
 * document cannot say an operation is open when it is not, or the other way round.
 */
export function declareSessionSecurity(app: INestApplication, document: OpenAPIObject): OpenAPIObject {
  for (const route of routes(app)) {
    const operation = (document.paths[route.path] as Record<string, { security?: unknown[] }> | undefined)?.[route.method];
    if (!operation) continue;
    if (route.isPublic) delete operation.security;
    else operation.security = [{ [SESSION_SECURITY]: [] }];
  }
  return document;
}
