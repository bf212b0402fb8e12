import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useMemo, useSyncExternalStore } from 'react';
import { api, unwrap } from '../../api/client';
import { actionPath, creationPath, getOpenApiDocument, getProcessRecord, recordPdfExists, type ProcessRecord } from '../../api/process-api';
import { enumPathsOf } from '../../forms/enum-paths';
import { requestSchemaOf } from '../../forms/json-schema';
import type { components } from '../../api/schema';
import { ME_QUERY_KEY } from '../../session/session';

export type { ProcessRecord } from '../../api/process-api';
export type AuditEvent = components['schemas']['AuditEventView'];

/**
 * After an action the process may move on by itself (a step with nothing to do, the sealed PDF
 * rendered after closing): the page reads the record again every FOLLOW_INTERVAL_MS for
 * FOLLOW_FOR_MS, so the person sees where it went without reloading.
 */
const FOLLOW_INTERVAL_MS = 1500;
const FOLLOW_FOR_MS = 120_000;
let followUntil = 0;
const listeners = new Set<() => void>();
const subscribe = (listener: () => void) => {
  listeners.add(listener);
  return () => listeners.delete(listener);
};
const following = () => Date.now() < followUntil;

function useFollowing(): boolean {
  return useSyncExternalStore(subscribe, following);
}

/** One record of any process, with what the reader may do now (the workflow's allowedActions). */
export function useProcessRecord(type: string, id: string) {
  useFollowing(); // re-renders when following starts, so the query reads its interval again
  return useQuery({
    queryKey: ['record', type, id],
    queryFn: (): Promise<ProcessRecord> => getProcessRecord(type, id),
    refetchInterval: () => (following() ? FOLLOW_INTERVAL_MS : false),
  });
}

export function useAuditTrail(id: string) {
  return useQuery({ queryKey: ['record', id, 'audit'], queryFn: () => unwrap(api.GET('/api/records/{id}/audit', { params: { path: { id } } })) });
}

/** Whether the record has a controlled-record PDF yet (it is rendered after the record closes). */
export function useRecordPdf(id: string, status: string | undefined) {
  useFollowing();
  return useQuery({
    queryKey: ['record', id, 'pdf', status],
    enabled: status !== undefined,
    queryFn: () => recordPdfExists(id),
    refetchInterval: (query) => (query.state.data !== true && following() ? FOLLOW_INTERVAL_MS : false),
  });
}

/** The OpenAPI document, read once per page load (the action forms come from its request schemas). */
export function useOpenApiDocument() {
  return useQuery({ queryKey: ['openapi'], queryFn: getOpenApiDocument, staleTime: Infinity });
}

/**
 * The content fields of a process whose values are choices (dotted paths), from the request schemas
 * that write its content (creation and submission); empty until the document is read or for a type
 * the document does not know.
 */
export function useContentChoices(type: string): ReadonlySet<string> | undefined {
  const document = useOpenApiDocument();
  return useMemo(() => {
    if (!document.data) return undefined;
    const choices = new Set<string>();
    try {
      for (const path of [creationPath(type), actionPath(type, 'submit')]) {
        const schema = document.data.paths[path]?.post ? requestSchemaOf(document.data, path) : null;
        if (schema) enumPathsOf(schema, [], choices);
      }
    } catch {
      // A type no process route serves: its values are shown as written.
    }
    return choices;
  }, [document.data, type]);
}

/**
 * What the page does after an action succeeded: reads the record, its audit trail and PDF, the
 * inbox and the person again (the first signature of a session changes what the next one asks),
 * and follows the process for a while.
 */
export function useActionDone(): () => Promise<void> {
  const client = useQueryClient();
  return useCallback(async () => {
    followUntil = Date.now() + FOLLOW_FOR_MS;
    listeners.forEach((listener) => listener());
    await Promise.all([
      client.invalidateQueries({ queryKey: ['record'] }),
      client.invalidateQueries({ queryKey: ['inbox'] }),
      client.invalidateQueries({ queryKey: ME_QUERY_KEY }),
    ]);
  }, [client]);
}

export type SignatureVerification = components['schemas']['RecordSignatureVerificationView'];

/**
 * Whether each signature of the record verifies (11.70), by signature id; read again whenever the
 * record's signatures change (an action invalidates every ['record'] query).
 */
export function useSignatureVerifications(id: string, signatureCount: number) {
  return useQuery({
    queryKey: ['record', id, 'signature-verifications', signatureCount],
    enabled: signatureCount > 0,
    queryFn: async () =>
      new Map(
        (await unwrap(api.GET('/api/records/{id}/signature-verifications', { params: { path: { id } } }))).map((v): [string, SignatureVerification] => [
          v.signatureId,
          v,
        ]),
      ),
  });
}
