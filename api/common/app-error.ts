import type { RefusalCode } from '../../workflows/contracts/common';

/** Every refusal the API can give, with the HTTP status it maps to. One place, one table. */
export const ERROR_STATUS = {
  validation_failed: 400,
  control_character: 400,
  password_rejected: 400,
  empty_selection: 400,
  dossier_too_large: 400,
  pdf_unreadable: 400,
  username_required: 400,
  password_required: 400,
  unknown_meaning: 400,
  empty_file: 400,
  invalid_credentials: 401,
  totp_required: 401,
  not_authenticated: 401,
  session_expired: 401,
  not_authorised: 403,
  self_approval: 403,
  user_inactive: 403,
  training_required: 403,
  policy_not_acknowledged: 403,
  record_not_readable: 403,
  password_change_required: 403,
  totp_enrolment_required: 403,
  own_roles: 403,
  reset_pending: 403,
  reset_factor_required: 403,
  same_administrator: 403,
  origin_not_allowed: 403,
  not_found: 404,
  unknown_record: 404,
  unknown_document: 404,
  unknown_revision: 404,
  unknown_version: 404,
  no_effective_revision: 404,
  no_file: 404,
  unknown_item: 404,
  unknown_lot: 404,
  unknown_production_record: 404,
  method_not_allowed: 405,
  step_not_allowed: 409,
  already_signed: 409,
  stale_version: 409,
  signature_id_conflict: 409,
  no_signing_key: 409,
  username_taken: 409,
  document_exists: 409,
  children_open: 409,
  last_administrator: 409,
  task_not_open: 409,
  item_exists: 409,
  lot_exists: 409,
  serial_exists: 409,
  transition_not_allowed: 409,
  lot_held_by_record: 409,
  lot_held: 409,
  defect_code_changed: 409,
  defect_code_unchanged: 409,
  lot_not_released: 409,
  lot_expired: 409,
  insufficient_quantity: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  unknown_user: 422,
  unknown_file: 422,
  incomplete_content: 422,
  role_may_not_sign: 422,
  role_may_not_own_task: 422,
  duty_conflict: 422,
  invalid_data: 422,
  serials_mismatch: 422,
  unit_mismatch: 422,
  not_on_bill_of_materials: 422,
  trace_too_large: 422,
  ambiguous_lot: 422,
  unknown_defect_code: 422,
  account_locked: 423,
  service_unavailable: 503,
  internal_error: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

/**
 * Every code a workflow refuses with (RefusalCodes, workflows/contracts/common.ts) has its HTTP
 * status here: a refusal code added without one fails typecheck, naming it.
 */
const _everyRefusalCodeHasAStatus: Record<RefusalCode, number> = ERROR_STATUS;

export function isErrorCode(value: string | undefined | null): value is ErrorCode {
  return value !== undefined && value !== null && Object.prototype.hasOwnProperty.call(ERROR_STATUS, value);
}

/** The API's one error type: a stable machine-readable code and a sentence for a person. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'AppError';
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }
}
