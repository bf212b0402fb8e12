import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client';
import type { components } from '../../api/schema';

export type AdminUser = components['schemas']['AdminUserView'];
export type AdminAlert = components['schemas']['AlertView'];
export type PasswordPolicy = components['schemas']['PasswordPolicyView'];
export type RoleName = components['schemas']['SetRolesDto']['roles'][number];
export type PasswordReset = components['schemas']['PasswordResetView'];

/** Every role the API accepts, in the order the administrator reads them (signing roles, then the two that never sign). */
export const ROLE_NAMES = [
  'initiator',
  'qa',
  'approver_engineering',
  'approver_production',
  'approver_quality_control',
  'approver_regulatory',
  'approver_supply_chain',
  'document_controller',
  'mrb',
  'supplier_quality',
  'manager',
  'auditor',
  'administrator',
] as const satisfies readonly RoleName[];
// Fails to compile when the API gains a role this list lacks (regenerate the client, then add it here).
const everyRoleListed: Exclude<RoleName, (typeof ROLE_NAMES)[number]> extends never ? true : false = true;
void everyRoleListed;

export const USERS_PAGE_SIZE = 50;
const USERS_KEY = ['admin', 'users'] as const;
const ALERTS_KEY = ['admin', 'alerts'] as const;

export function useUsers(page: number, text: string) {
  return useQuery({
    queryKey: [...USERS_KEY, page, text],
    queryFn: () =>
      unwrap(api.GET('/api/admin/users', { params: { query: { limit: USERS_PAGE_SIZE, offset: page * USERS_PAGE_SIZE, ...(text ? { q: text } : {}) } } })),
  });
}

/** Alerts, newest first as the API gives them; `openOnly` leaves out the acknowledged ones. */
export function useAlerts(openOnly: boolean) {
  return useQuery({
    queryKey: [...ALERTS_KEY, openOnly],
    queryFn: () => unwrap(api.GET('/api/admin/alerts', { params: { query: openOnly ? { open: 'true' } : {} } })),
    refetchInterval: 60_000,
  });
}

/** The unacknowledged alerts counted for the navigation. */
export function useOpenAlertCount() {
  const open = useAlerts(true);
  return open.data?.length;
}

/** Forgets the users and alerts read so far: a change to one often changes the other (an unlock, a lock). */
function useAdminChanged() {
  const client = useQueryClient();
  return () => client.invalidateQueries({ queryKey: ['admin'] });
}

export interface CreateUserInput {
  username: string;
  printedName: string;
  roles: RoleName[];
  reason: string;
}

export function useCreateUser() {
  const changed = useAdminChanged();
  return useMutation({
    mutationFn: (body: CreateUserInput) => unwrap(api.POST('/api/admin/users', { body })),
    onSuccess: changed,
  });
}

export function useSetRoles() {
  const changed = useAdminChanged();
  return useMutation({
    mutationFn: ({ id, roles, reason }: { id: string; roles: RoleName[]; reason: string }) =>
      unwrap(api.PUT('/api/admin/users/{id}/roles', { params: { path: { id } }, body: { roles, reason } })),
    onSuccess: changed,
  });
}

/** The account actions that take only a reason, each a POST on /api/admin/users/{id}/…. */
export type UserAction = 'disable' | 'enable' | 'unlock' | 'reset-password' | 'reset-password/approve' | 'revoke-sessions';

/** What an action answered: the one-time password of a reset, or how many sessions ended. */
export interface UserActionResult {
  action: UserAction;
  reset?: PasswordReset;
  sessionsEnded?: number;
}

export async function runUserAction(action: UserAction, id: string, reason: string): Promise<UserActionResult> {
  const options = { params: { path: { id } }, body: { reason } };
  switch (action) {
    case 'disable':
      await unwrap(api.POST('/api/admin/users/{id}/disable', options));
      return { action };
    case 'enable':
      await unwrap(api.POST('/api/admin/users/{id}/enable', options));
      return { action };
    case 'unlock':
      await unwrap(api.POST('/api/admin/users/{id}/unlock', options));
      return { action };
    case 'reset-password':
      return { action, reset: await unwrap(api.POST('/api/admin/users/{id}/reset-password', options)) };
    case 'reset-password/approve':
      await unwrap(api.POST('/api/admin/users/{id}/reset-password/approve', options));
      return { action };
    case 'revoke-sessions':
      return { action, sessionsEnded: (await unwrap(api.POST('/api/admin/users/{id}/revoke-sessions', options))).sessionsEnded };
  }
}

export function useUserAction() {
  const changed = useAdminChanged();
  return useMutation({
    mutationFn: ({ action, id, reason }: { action: UserAction; id: string; reason: string }) => runUserAction(action, id, reason),
    onSuccess: changed,
  });
}

export function useAcknowledgeAlert() {
  const changed = useAdminChanged();
  return useMutation({
    mutationFn: ({ id, reason }: { id: string; reason: string }) =>
      unwrap(api.POST('/api/admin/alerts/{id}/acknowledge', { params: { path: { id } }, body: { reason } })),
    onSuccess: changed,
  });
}

export function usePasswordPolicy() {
  return useQuery({ queryKey: ['admin', 'password-policy'], queryFn: () => unwrap(api.GET('/api/admin/password-policy')) });
}

export type PolicyInput = components['schemas']['PasswordPolicyDto'];

export function useSetPasswordPolicy() {
  const changed = useAdminChanged();
  return useMutation({
    mutationFn: ({ policy, reason }: { policy: PolicyInput; reason: string }) => unwrap(api.PUT('/api/admin/password-policy', { body: { policy, reason } })),
    onSuccess: changed,
  });
}

/** Every account at once, to name the people alerts point at (the register of a plant: hundreds, not millions). */
export function useAllUsers(enabled: boolean) {
  return useQuery({ queryKey: [...USERS_KEY, 'all'], queryFn: () => unwrap(api.GET('/api/admin/users')), enabled });
}

export type SignatureMeaning = components['schemas']['SignatureMeaningView'];

export function useSignatureMeanings() {
  return useQuery({ queryKey: ['admin', 'signature-meanings'], queryFn: () => unwrap(api.GET('/api/admin/signature-meanings')) });
}

export function useSetSignatureMeaning() {
  const changed = useAdminChanged();
  return useMutation({
    mutationFn: (body: SignatureMeaning & { reason: string }) => unwrap(api.PUT('/api/admin/signature-meanings', { body })),
    onSuccess: changed,
  });
}

export type TrainingRequirement = components['schemas']['TrainingRequirementView'];
export type TrainingRecordInput = Omit<components['schemas']['TrainingRecordDto'], 'reason'>;

export function useTrainingRequirements() {
  return useQuery({ queryKey: ['admin', 'training-requirements'], queryFn: () => unwrap(api.GET('/api/admin/training-requirements')) });
}

export function useAddTrainingRequirement() {
  const changed = useAdminChanged();
  return useMutation({
    mutationFn: (body: TrainingRequirement & { reason: string }) => unwrap(api.POST('/api/admin/training-requirements', { body })),
    onSuccess: changed,
  });
}

export function useTrainingRecords(userId: string | null) {
  return useQuery({
    queryKey: ['admin', 'training-records', userId],
    queryFn: () => unwrap(api.GET('/api/admin/users/{id}/training-records', { params: { path: { id: userId! } } })),
    enabled: userId !== null,
  });
}

export function useAddTrainingRecord() {
  const changed = useAdminChanged();
  return useMutation({
    mutationFn: (body: TrainingRecordInput & { reason: string }) => unwrap(api.POST('/api/admin/training-records', { body })),
    onSuccess: changed,
  });
}
