import { api, unwrap } from './client';

// Routes the generated client cannot name statically, still called through it (same origin, the
// session cookie, the same refusals as ApiError): the OpenAPI document itself, and the routes of a
// process chosen at run time from that document (POST /api/<route>, …/{id}/submit).
type UntypedCall = (path: string, init?: { body?: unknown }) => Promise<{ data?: unknown; error?: unknown; response: Response }>;
const get = api.GET as unknown as UntypedCall;
const post = api.POST as unknown as UntypedCall;

export const getUntyped = <T>(path: string): Promise<T> => unwrap(get(path)) as Promise<T>;
export const postUntyped = <T>(path: string, body: unknown): Promise<T> => unwrap(post(path, { body })) as Promise<T>;
