import { useQuery } from '@tanstack/react-query';
import { getUntyped, postUntyped } from '../../api/untyped-routes';
import type { components } from '../../api/schema';
import type { OpenApiDocument } from '../../forms/creation/openapi-schema';
import { creatableProcesses } from '../../forms/creation/openapi-processes';

export type CreatedRecord = components['schemas']['ProcessRecordView'];

/** The served OpenAPI document: the creation and submission schemas the forms are built from. It changes only with a new release. */
export function useOpenApiDocument() {
  return useQuery({ queryKey: ['openapi'], queryFn: () => getUntyped<OpenApiDocument>('/api/docs/openapi.json'), staleTime: Infinity });
}

/** The processes one can create records of, as the document states them. */
export function useCreatableProcesses() {
  const document = useOpenApiDocument();
  return { ...document, processes: document.data ? creatableProcesses(document.data) : undefined };
}

export const createRecord = (route: string, body: unknown) => postUntyped<CreatedRecord>(`/api/${route}`, body);
export const submitRecord = (route: string, id: string, body: unknown) => postUntyped<CreatedRecord>(`/api/${route}/${encodeURIComponent(id)}/submit`, body);
