import type { OpenApiDocument } from '../forms/json-schema';
import { api, ApiError, unwrap } from './client';
import type { components } from './schema';

export type ProcessRecord = components['schemas']['ProcessRecordView'];
export type AllowedAction = components['schemas']['AllowedActionView'];
export type SignedRecord = components['schemas']['SignedRecordView'];
export type EsignaturePolicy = components['schemas']['EsignaturePolicyView'];

/**
 * The API route of each process's records (`processes/<name>/<name>.module.ts` declares the same
 * `route`). A process added later needs its line here until the API serves records generically.
 */
export const PROCESS_ROUTES: Record<string, string> = {
  change_control: 'change-controls',
  capa: 'capas',
  document_revision: 'document-revisions',
  ncmr: 'ncmrs',
};

function routeOf(type: string): string {
  const route = PROCESS_ROUTES[type];
  if (!route) throw new ApiError(404, 'not_found', `No process is called "${type}".`);
  return route;
}

/** The operation that creates a record of the process: `/api/change-controls`. */
export const creationPath = (type: string): string => `/api/${routeOf(type)}`;

/** The operation of an action, as the OpenAPI document names it: `/api/change-controls/{id}/submit`, `…/tasks/{taskId}/complete`. */
export function actionPath(type: string, action: AllowedAction['action']): string {
  const suffix = action === 'complete_task' ? 'tasks/{taskId}/complete' : action;
  return `/api/${routeOf(type)}/{id}/${suffix}`;
}

// Every process route has one shape (api/processes/process.controller.ts); the generated client
// types each process's paths separately, so one of them stands for all here and the answers are
// typed once. The client substitutes the path parameters as for any other call.
type AnyProcessPath = '/api/change-controls/{id}';
type AnyProcessActionPath = '/api/change-controls/{id}/submit';

/** One record of any process, with what the reader may do now (the workflow's allowedActions). */
export function getProcessRecord(type: string, id: string): Promise<ProcessRecord> {
  const path = `/api/${routeOf(type)}/{id}` as AnyProcessPath;
  return unwrap(api.GET(path, { params: { path: { id } } }));
}

/** Submit, amend, cancel, complete a task, make obsolete: the body as the action's request schema states it. */
export function postProcessAction(type: string, action: AllowedAction, id: string, body: Record<string, unknown>): Promise<ProcessRecord> {
  const path = actionPath(type, action.action) as AnyProcessActionPath;
  const params = { path: { id, ...(action.taskId ? { taskId: action.taskId } : {}) } };
  return unwrap(api.POST(path, { params, body: body as never }));
}

/** Sign or reject a sign-off step (an e-signature: password, and the username on the session's first signature). */
export function postSignature(type: string, action: 'sign' | 'reject', id: string, body: Record<string, unknown>): Promise<SignedRecord> {
  const path = actionPath(type, action) as AnyProcessActionPath;
  return unwrap(api.POST(path, { params: { path: { id } }, body: body as never })) as unknown as Promise<SignedRecord>;
}

export function getEsignaturePolicy(): Promise<EsignaturePolicy> {
  return unwrap(api.GET('/api/esignature-policy'));
}

export function acknowledgeEsignaturePolicy(body: { signatureId: string; password: string; username?: string }) {
  return unwrap(api.POST('/api/esignature-policy/acknowledgements', { body }));
}

/** The OpenAPI document the API serves: the action forms are built from its request schemas. */
export async function getOpenApiDocument(): Promise<OpenApiDocument> {
  const response = await fetch('/api/docs/openapi.json', { credentials: 'same-origin' });
  if (!response.ok) throw new ApiError(response.status, `http_${response.status}`, response.statusText);
  return (await response.json()) as OpenApiDocument;
}

/** Whether the record's sealed PDF exists yet (HEAD; the typed client has no HEAD operations). */
export async function recordPdfExists(id: string): Promise<boolean> {
  return (await fetch(`/api/records/${encodeURIComponent(id)}/pdf`, { method: 'HEAD', credentials: 'same-origin' })).ok;
}
