/**
 * Why the material side refused a change. The codes are the API's error codes too
 * (api/common/app-error.ts; api/material/material-error.ts checks the two lists agree at compile
 * time), so a process effect that calls these functions gets the same codes the API answers with.
 */
export const MATERIAL_REFUSAL_CODES = [
  'unknown_item',
  'unknown_lot',
  'unknown_record',
  'unknown_user',
  'item_exists',
  'lot_exists',
  'serial_exists',
  'serials_mismatch',
  'unit_mismatch',
  'transition_not_allowed',
  'lot_held_by_record',
  'lot_held',
  'lot_not_released',
  'lot_expired',
  'insufficient_quantity',
  'not_on_bill_of_materials',
  'trace_too_large',
  'unknown_defect_code',
  'defect_code_changed',
] as const;
export type MaterialRefusalCode = (typeof MATERIAL_REFUSAL_CODES)[number];

/** A refusal: nothing was written (the caller's transaction is rolled back by the throw). */
export class MaterialRefusal extends Error {
  constructor(
    readonly code: MaterialRefusalCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'MaterialRefusal';
  }
}
