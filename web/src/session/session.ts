import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ApiError, unwrap } from '../api/client';
import type { components } from '../api/schema';

export type Me = components['schemas']['UserView'];

export const ME_QUERY_KEY = ['me'] as const;

/** The signed-in person, or null when nobody is (401). */
export function useMe() {
  return useQuery({
    queryKey: ME_QUERY_KEY,
    queryFn: async (): Promise<Me | null> => {
      try {
        return await unwrap(api.GET('/api/auth/me'));
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) return null;
        throw error;
      }
    },
    staleTime: 60_000,
    retry: false,
  });
}

/** Forgets everything read under the old session, then reads who is signed in now. */
export function useSessionChanged(): (me?: Me | null) => void {
  const client = useQueryClient();
  return (me) => {
    client.removeQueries({ predicate: (query) => query.queryKey[0] !== ME_QUERY_KEY[0] });
    if (me === undefined) void client.invalidateQueries({ queryKey: ME_QUERY_KEY });
    else client.setQueryData(ME_QUERY_KEY, me);
  };
}

/** Roles that may use each part of the app (the API checks every request again). */
export const hasAnyRole = (me: Me, roles: readonly string[]) => me.roles.some((role) => roles.includes(role));
export const SIGNER_ROLES = ['initiator', 'qa', 'document_controller', 'mrb', 'supplier_quality', 'manager'] as const;
export const isSigner = (me: Me) => me.roles.some((role) => (SIGNER_ROLES as readonly string[]).includes(role) || role.startsWith('approver_'));
