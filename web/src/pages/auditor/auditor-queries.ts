import { useMutation, useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client';
import type { components, operations } from '../../api/schema';

export type RecordListFilters = NonNullable<operations['RecordsController_list']['parameters']['query']>;
export type RecordStatus = NonNullable<RecordListFilters['status']>;
export type RecordType = NonNullable<RecordListFilters['type']>;
export type RecordSummary = components['schemas']['RecordSummaryView'];
export type DossierStatus = components['schemas']['DossierStatusView'];
export type DossierSelection = components['schemas']['DossierSelectionDto'];
export type PdfVerification = components['schemas']['PdfVerificationView'];

export const SEARCH_PAGE_SIZE = 25;

/** Every process type the list endpoint accepts; typed against the OpenAPI document, so a missing or extra one fails the typecheck. */
const TYPES = { change_control: 1, capa: 1, document_revision: 1, ncmr: 1 } satisfies Record<RecordType, 1>;
export const RECORD_TYPES = Object.keys(TYPES) as RecordType[];

/** Every status the list endpoint accepts (a state of some process), checked the same way. */
const STATUSES = {
  draft: 1,
  reported: 1,
  initiated: 1,
  impact_assessment: 1,
  investigation: 1,
  review: 1,
  approval: 1,
  plan_approval: 1,
  mrb_review: 1,
  disposition_approval: 1,
  opening_capa: 1,
  actions: 1,
  implementation: 1,
  re_inspection: 1,
  training: 1,
  pending_effective: 1,
  becoming_effective: 1,
  effective: 1,
  effectiveness_wait: 1,
  effectiveness_check: 1,
  effectiveness_verification: 1,
  superseded: 1,
  obsolete: 1,
  closed: 1,
  cancelled: 1,
} satisfies Record<RecordStatus, 1>;
export const RECORD_STATUSES = Object.keys(STATUSES) as RecordStatus[];

/** One page of records matching the filters; `cursor` is the previous page's nextCursor. */
export function useRecordSearch(filters: RecordListFilters, cursor: string | undefined) {
  return useQuery({
    queryKey: ['records', 'search', filters, cursor],
    queryFn: () => unwrap(api.GET('/api/records', { params: { query: { ...filters, cursor, limit: SEARCH_PAGE_SIZE } } })),
    placeholderData: (previous) => previous,
  });
}

export function useRequestDossier() {
  return useMutation({
    mutationFn: (body: { title: string; selection: DossierSelection }) => unwrap(api.POST('/api/dossiers', { body })),
  });
}

export const DOSSIER_LIST_PAGE_SIZE = 20;

/** A page of the dossiers this person may read, newest first. */
export function useDossierList(offset: number) {
  return useQuery({
    queryKey: ['dossiers', offset],
    queryFn: () => unwrap(api.GET('/api/dossiers', { params: { query: { limit: DOSSIER_LIST_PAGE_SIZE, offset } } })),
    placeholderData: (previous) => previous,
  });
}

const UNFINISHED: DossierStatus['status'][] = ['queued', 'rendering'];

/** A dossier's status, read again every second while it is queued or rendering, and no more once it is done or failed. */
export function useDossier(id: string) {
  return useQuery({
    queryKey: ['dossier', id],
    queryFn: () => unwrap(api.GET('/api/dossiers/{id}', { params: { path: { id } } })),
    refetchInterval: (query) => (query.state.data && !UNFINISHED.includes(query.state.data.status) ? false : 1_000),
  });
}

/** Sends the PDF's bytes as they are (application/pdf) to the server's verification: the same checks as `attestflow verify`. */
export function useVerifyPdf() {
  return useMutation({
    mutationFn: (file: File) =>
      unwrap(
        api.POST('/api/verify/pdf', {
          // The document types the body as a binary string; the browser sends a File's bytes unchanged.
          body: file as unknown as string,
          bodySerializer: (body) => body as unknown as File,
          headers: { 'Content-Type': 'application/pdf' },
        }),
      ),
  });
}

/** The organisation CA certificate as PEM, and its SHA-256 fingerprint as `openssl x509 -fingerprint -sha256` prints it. */
export function useCaCertificate() {
  return useQuery({
    queryKey: ['pki', 'ca'],
    queryFn: async () => {
      const pem = await unwrap(api.GET('/api/pki/ca.pem', { parseAs: 'text' }));
      return { pem, fingerprint: await certificateFingerprint(pem) };
    },
    staleTime: Infinity,
  });
}

/** SHA-256 over the certificate's DER, upper-case hex pairs joined by colons; undefined where the page has no WebCrypto (plain http off localhost). */
export async function certificateFingerprint(pem: string): Promise<string | undefined> {
  if (!globalThis.crypto?.subtle) return undefined;
  const base64 = pem.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, '');
  const der = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', der));
  return [...digest].map((b) => b.toString(16).padStart(2, '0').toUpperCase()).join(':');
}
