import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client';
import type { components } from '../../api/schema';

export type DocumentEntry = components['schemas']['DocumentView'];
export type DocumentDetail = components['schemas']['DocumentDetailView'];
export type DocumentRevision = components['schemas']['DocumentRevisionView'];
export type DocumentFile = components['schemas']['DocumentFileView'];

export const DOCUMENTS_PAGE_SIZE = 50;

/** A page of the register by number; `q` looks in the number and the title. One entry more than shown tells whether a next page exists. */
export function useDocumentRegister(q: string, page: number) {
  return useQuery({
    queryKey: ['documents', q, page],
    queryFn: async () => {
      const entries = await unwrap(
        api.GET('/api/documents', { params: { query: { q: q || undefined, limit: DOCUMENTS_PAGE_SIZE + 1, offset: page * DOCUMENTS_PAGE_SIZE } } }),
      );
      return { entries: entries.slice(0, DOCUMENTS_PAGE_SIZE), more: entries.length > DOCUMENTS_PAGE_SIZE };
    },
    placeholderData: keepPreviousData,
  });
}

export function useDocument(number: string) {
  return useQuery({ queryKey: ['documents', 'one', number], queryFn: () => unwrap(api.GET('/api/documents/{number}', { params: { path: { number } } })) });
}

/** The address that downloads a revision's file (the effective one without `revision`); a download is a navigation, not a fetch. */
export const documentFileHref = (number: string, revision?: number) =>
  `/api/documents/${encodeURIComponent(number)}/file${revision === undefined ? '' : `?revision=${revision}`}`;

/** Uploads a file for a revision's content: the body is the bytes; the answer names them by SHA-256. */
export function uploadDocumentFile(file: File): Promise<DocumentFile> {
  const mediaType = file.type === 'application/pdf' ? 'application/pdf' : 'application/octet-stream';
  return unwrap(
    api.POST('/api/documents/files', {
      params: { query: { fileName: file.name } },
      body: file as unknown as string,
      bodySerializer: (body: unknown) => body as BodyInit,
      headers: { 'content-type': mediaType },
    }),
  );
}
