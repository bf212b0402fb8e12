import { ParseUUIDPipe, RequestMethod, type INestApplication } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { ModulesContainer } from '@nestjs/core';
import type { OpenAPIObject } from '@nestjs/swagger';
import type { OperationObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { PUBLIC_ROUTE } from '../auth/auth.decorators';

/** The security scheme of the session cookie (DocumentBuilder.addCookieAuth's default name). */
export const SESSION_SECURITY = 'cookie';

const join = (...parts: Array<string | undefined>) =>
  `/${parts
    .flatMap((p) => (p ?? '').split('/'))
    .filter(Boolean)
    .map((segment) => segment.replace(/^:(.+)$/, '{$1}'))
    .join('/')}`;

interface Route {
  path: string;
  method: string;
  isPublic: boolean;
  /** Path parameters parsed by ParseUUIDPipe (api/common/uuid.pipe.ts). */
  uuidParameters: string[];
}

interface RouteArgument {
  index: number;
  data?: unknown;
  pipes?: unknown[];
}

function uuidParameters(controller: object, name: string): string[] {
  const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller.constructor, name) ?? {}) as Record<string, RouteArgument>;
  return Object.entries(args)
    .filter(([key, arg]) => key.startsWith(`${RouteParamtypes.PARAM}:`) && typeof arg.data === 'string' && arg.pipes?.some((p) => p instanceof ParseUUIDPipe))
    .map(([, arg]) => arg.data as string);
}

/** Every route handler of the application: its OpenAPI path and method, whether it is @Public(), its UUID parameters. */
function routes(app: INestApplication): Route[] {
  const found: Route[] = [];
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
            uuidParameters: uuidParameters(proto, name),
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
 * document cannot say an operation is open when it is not, or the other way round. Path ids parsed
 * by the UUID pipe are declared `format: uuid`, from the route's own pipes.
 */
export function declareSessionSecurity(app: INestApplication, document: OpenAPIObject): OpenAPIObject {
  for (const route of routes(app)) {
    const operation = (document.paths[route.path] as Record<string, OperationObject> | undefined)?.[route.method];
    if (!operation) continue;
    if (route.isPublic) delete operation.security;
    else operation.security = [{ [SESSION_SECURITY]: [] }];
    // Path ids go through the UUID pipe (anything else: 400 before any lookup): say so.
    for (const parameter of operation.parameters ?? []) {
      if ('in' in parameter && parameter.in === 'path' && route.uuidParameters.includes(parameter.name) && parameter.schema && !('$ref' in parameter.schema)) {
        parameter.schema.format = 'uuid';
      }
    }
  }
  return document;
}
