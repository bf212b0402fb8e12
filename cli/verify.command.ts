import fs from 'node:fs';
import type { AttestflowConfig } from '../config/config';
import { connectDatabase } from '../db/client';
import { describeChainBreak, findSignature, findSignedRecordVersion, revokedSerials, toStoredSignature, verifyAuditChain } from '../db/repositories';
import { describeVerification, verifyStoredSignature, type StoredSignature } from '../signatures/verify-signature';
import { existingCaCertificate } from '../config/pki-store';
import { describePdfVerification, verifyControlledPdf } from '../signatures/verify-controlled-pdf';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * `attestflow verify <signature id | exported.json> [--ca ca.pem]`: the signer's CMS against the
 * organisation CA (revocation as of the signing time), the manifest against the stored signature,
 * the content hash against the record version. Prints a verdict; exit code 1 when invalid.
 */
export async function verifySignatureCommand(config: AttestflowConfig, args: string[]): Promise<number> {
  const target = args.find((a) => !a.startsWith('--'));
  const caIndex = args.indexOf('--ca');
  if (!target) throw new Error('Name a signature id or an exported signature JSON file: attestflow verify <id | file.json> [--ca ca.pem]');
  const caCertificatePem = caIndex >= 0 && args[caIndex + 1] ? fs.readFileSync(args[caIndex + 1]!, 'utf8') : existingCaCertificate(config);
  const handle = connectDatabase(config.databaseUrl, { max: 2 });
  try {
    let signature: StoredSignature;
    if (UUID.test(target)) {
      const row = await findSignature(handle.db, target);
      if (!row) {
        process.stdout.write(`No signature with id ${target}.\n`);
        return 1;
      }
      signature = toStoredSignature(row);
    } else {
      signature = (JSON.parse(fs.readFileSync(target, 'utf8')) as { signature: StoredSignature }).signature;
    }
    const [recordVersion, revoked] = await Promise.all([
      findSignedRecordVersion(handle.db, signature.recordId, signature.recordVersion),
      revokedSerials(handle.db),
    ]);
    const result = verifyStoredSignature({ signature, recordVersion, caCertificatePem, revokedSerials: revoked });
    process.stdout.write(`${describeVerification(signature, result)}\n`);
    return result.valid ? 0 : 1;
  } finally {
    await handle.close();
  }
}

/** `attestflow audit verify`: walks the hash chain and names the first broken or missing link. */
export async function verifyAuditCommand(config: AttestflowConfig): Promise<number> {
  const handle = connectDatabase(config.databaseUrl, { max: 2 });
  try {
    const started = performance.now();
    const report = await verifyAuditChain(handle.db);
    const seconds = ((performance.now() - started) / 1000).toFixed(2);
    if (report.intact) {
      process.stdout.write(`Audit trail intact: ${report.eventsChecked} events, last seq ${report.lastSeq}, every link verified (${seconds} s).\n`);
      return 0;
    }
    process.stdout.write(
      `AUDIT TRAIL BROKEN: ${describeChainBreak(report.firstBreak!)}.\nChecked ${report.eventsChecked} events before stopping (${seconds} s).\n`,
    );
    return 1;
  } finally {
    await handle.close();
  }
}

/**
 * `attestflow verify <file.pdf> [--ca ca.pem]`: the seal, the chain to the organisation CA, every
 * embedded hash against the manifest, and every embedded per-signer CMS. Works without a database
 * when --ca is given (revocations are then not consulted).
 */
export async function verifyPdfCommand(config: AttestflowConfig, args: string[]): Promise<number> {
  const file = args[0]!;
  const caIndex = args.indexOf('--ca');
  const pdf = fs.readFileSync(file);
  let caCertificatePem: string;
  let revoked: { serialHex: string; revokedAt: Date }[] = [];
  if (caIndex >= 0 && args[caIndex + 1]) {
    caCertificatePem = fs.readFileSync(args[caIndex + 1]!, 'utf8');
  } else {
    caCertificatePem = existingCaCertificate(config);
    const handle = connectDatabase(config.databaseUrl, { max: 1 });
    try {
      revoked = await revokedSerials(handle.db);
    } catch {
      process.stdout.write('(database not reachable: certificate revocations not consulted)\n');
    } finally {
      await handle.close();
    }
  }
  let result;
  try {
    result = verifyControlledPdf(pdf, { caCertificatePem, revokedSerials: revoked });
  } catch (error) {
    process.stdout.write(`${file}: not a readable sealed PDF (${(error as Error).message}).\nVERDICT: INVALID\n`);
    return 1;
  }
  process.stdout.write(`${describePdfVerification(file, result)}\n`);
  return result.valid ? 0 : 1;
}
