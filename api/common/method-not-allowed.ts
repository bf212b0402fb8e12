import type { OpenAPIObject } from '@nestjs/swagger';
import type { NextFunction, Request, RequestHandler, Response } from 'express';

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

interface DeclaredPath {
  matcher: RegExp;
  methods: Set<string>;
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** `/api/records/{id}/audit` → a matcher for one concrete path of that template. */
function matcherOf(template: string): RegExp {
  const pattern = template
    .split(/(\{[^}]+\})/)
    .map((part) => (part.startsWith('{') ? '[^/]+' : escape(part)))
    .join('');
  return new RegExp(`^${pattern}/?$`, 'i');
}

/**
 * A request on a path the OpenAPI document declares, with a method it does not declare there,
 * answers 405 `method_not_allowed` with an Allow header (RFC 9110 §15.5.6), before any route runs;
 * a path no operation declares goes on to the router and answers 404 `not_found`. The document is
 * built from the controllers, so it is the route table. HEAD is allowed wherever GET is.
 */
export function methodNotAllowed(document: OpenAPIObject): RequestHandler {
  const declared: DeclaredPath[] = Object.entries(document.paths).map(([template, item]) => {
    const methods = new Set(METHODS.filter((m) => (item as Record<string, unknown>)[m] !== undefined).map((m) => m.toUpperCase()));
    if (methods.has('GET')) methods.add('HEAD');
    return { matcher: matcherOf(template), methods };
  });
  return (request: Request, response: Response, next: NextFunction) => {
    const path = request.path;
    if (!path.toLowerCase().startsWith('/api/')) return next();
    const matching = declared.filter((d) => d.matcher.test(path));
    if (matching.length === 0 || matching.some((d) => d.methods.has(request.method))) return next();
    const allow = [...new Set(matching.flatMap((d) => [...d.methods]))].sort();
    response
      .status(405)
      .set('allow', allow.join(', '))
      .json({ code: 'method_not_allowed', message: `${request.method} is not an operation of ${path}; it allows ${allow.join(', ')}.` });
  };
}
