import { useQuery } from '@tanstack/react-query';
import { api, ApiError, unwrap } from '../../api/client';
import type { components } from '../../api/schema';
import { PROCESS_ROUTES } from './process-routes';

export type ProcessRecord = components['schemas']['ProcessRecordView'];
export type AuditEvent = components['schemas']['AuditEventView'];

/** One record of any process, with what the reader may do now (the workflow's allowedActions). */
export function useProcessRecord(type: string, id: string) {
  return useQuery({
    queryKey: ['record', type, id],
    queryFn: async (): Promise<ProcessRecord> => {
      const route = PROCESS_ROUTES[type];
      if (!route) throw new ApiError(404, 'not_found', `No process is called "${type}".`);
      // The process routes share one shape (api/processes/process.controller.ts); the generated
      // client types them one by one, so the route is chosen here and the answer typed once.
      const response = await fetch(`/api/${route}/${encodeURIComponent(id)}`, { credentials: 'same-origin' });
      const body: unknown = await response.json();
      if (!response.ok) {
        const { code, message } = body as { code?: string; message?: string };
        throw new ApiError(response.status, code ?? `http_${response.status}`, message ?? response.statusText);
      }
      return body as ProcessRecord;
    },
  });
}

export function useAuditTrail(id: string) {
  return useQuery({ queryKey: ['record', id, 'audit'], queryFn: () => unwrap(api.GET('/api/records/{id}/audit', { params: { path: { id } } })) });
}

/** Whether the record has a controlled-record PDF yet (it is rendered when the record closes). */
export function useRecordPdf(id: string, status: string | undefined) {
  return useQuery({
    queryKey: ['record', id, 'pdf', status],
    enabled: status !== undefined,
    queryFn: async () => (await fetch(`/api/records/${encodeURIComponent(id)}/pdf`, { method: 'HEAD', credentials: 'same-origin' })).ok,
  });
}
