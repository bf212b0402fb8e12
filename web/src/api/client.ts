import createClient from 'openapi-fetch';
import type { components, paths } from './schema';

/** Every refusal of the API: a machine-readable code and a sentence for people. */
export type ApiErrorBody = components['schemas']['ErrorDto'];

/** A refused request, carrying the API's code (e.g. `invalid_credentials`) and its sentence. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** The typed client generated from the served OpenAPI document (`npm run client:generate`). Same origin: the session cookie goes along. */
export const api = createClient<paths>({ baseUrl: window.location.origin, credentials: 'same-origin' });

/** The body of an answer, or an ApiError for a refusal, so TanStack Query sees failures as failures. */
export async function unwrap<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const { data, error, response } = await call;
  if (response.ok) return data as T;
  const body = (error ?? {}) as Partial<ApiErrorBody> & Record<string, unknown>;
  const { code, message, ...details } = body;
  throw new ApiError(
    response.status,
    typeof code === 'string' ? code : `http_${response.status}`,
    typeof message === 'string' ? message : response.statusText,
    details,
  );
}
