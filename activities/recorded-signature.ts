// A signature id names one signature for ever. When a signing activity finds its id already
// stored, it is either its own earlier attempt (a retry after a lost answer: the same record, signer,
// step, meaning and signed manifest) or someone else's use of that id, which is refused and changes
// nothing: the workflow must not advance on a signature that belongs to another record.
import { canonicalHash, type JsonValue } from '../signatures';
import type { SignatureRow } from '../db/schema';
import { RefusalCodes, type SignedManifest } from '../workflows/contracts/common';
import { refusal } from './refusal';

export interface SignatureBinding {
  recordId: string;
  signerId: string;
  step: string;
  meaning: string;
  signed: SignedManifest;
}

/** True when `existing` is exactly the signature this request makes; a refusal when the id is taken otherwise. */
export function assertSameSignature(existing: SignatureRow, request: SignatureBinding): true {
  const same =
    existing.recordId === request.recordId &&
    existing.signerId === request.signerId &&
    existing.step === request.step &&
    existing.meaning === request.meaning &&
    existing.manifest !== null &&
    canonicalHash(existing.manifest as JsonValue) === canonicalHash(request.signed.manifest as unknown as JsonValue);
  if (!same) {
    throw refusal(RefusalCodes.signatureIdConflict, `Signature id ${existing.id} is already used by another signature; nothing was signed. Choose a new id.`);
  }
  return true;
}
