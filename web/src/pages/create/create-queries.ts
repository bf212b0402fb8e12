import { useMemo } from 'react';
import { postUntyped } from '../../api/untyped-routes';
import type { components } from '../../api/schema';
import { creatableProcesses } from '../../forms/openapi-processes';
import { useOpenApiDocument } from '../record/record-queries';

export type CreatedRecord = components['schemas']['ProcessRecordView'];

/** The processes one can create records of, as the served OpenAPI document states them (read once, shared with the record page's action forms). */
export function useCreatableProcesses() {
  const document = useOpenApiDocument();
  const processes = useMemo(() => (document.data ? creatableProcesses(document.data) : undefined), [document.data]);
  return { ...document, processes };
}

export const createRecord = (route: string, body: unknown) => postUntyped<CreatedRecord>(`/api/${route}`, body);
export const submitRecord = (route: string, id: string, body: unknown) => postUntyped<CreatedRecord>(`/api/${route}/${encodeURIComponent(id)}/submit`, body);
