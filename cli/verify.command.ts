import fs from 'node:fs';
import type { AttestflowConfig } from '../config/config';
import { connectDatabase } from '../db/client';
import { findSignature, findSignedRecordVersion, revokedSerials, toStoredSignature } from '../db/repositories';
import { auditCheckpointDirectory, checkpointsInFile, readCheckpointFiles, verifyAuditTrail, type CheckpointSource } from '../activities/audit-checkpoint';
import { describeCheckpoint } from '../signatures/audit-checkpoint';
import { describeVerification, verifyStoredSignature, type StoredSignature } from '../signatures/verify-signature';
import { organisationCaCertificatePath } from '../config/pki-store';
import { describePdfVerification, verifyControlledPdf } from '../signatures/verify-controlled-pdf';
import { readUserFile, UserError } from './user-error';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface CaOption {
  /** --ca: the organisation CA certificate (PEM); unset: the one under DATA_DIR (or SIGNING_CA_CERT_FILE). */
  ca?: string;
}

/** The organisation CA certificate to verify against: --ca, else the configured one. */
function caCertificate(config: AttestflowConfig, caFile: string | undefined): string {
  if (caFile) return readUserFile(caFile, 'CA certificate').toString('utf8');
  const file = organisationCaCertificatePath(config);
  if (!fs.existsSync(file)) throw new UserError(`No organisation CA certificate at ${file}; pass --ca <ca.pem> (from GET /api/pki/ca.pem) or set DATA_DIR.`);
  return readUserFile(file, 'CA certificate').toString('utf8');
}

function exportedSignature(file: string): StoredSignature {
  if (!fs.existsSync(file)) throw new UserError(`"${file}" is neither a signature id (a UUID) nor an existing file.`);
  const text = readUserFile(file, 'exported signature').toString('utf8');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new UserError(`${file} is neither a signature id nor an exported signature JSON file (not JSON).`);
  }
  const signature = (parsed as { signature?: StoredSignature } | null)?.signature;
  if (!signature || typeof signature !== 'object') throw new UserError(`${file} is not an exported signature: it has no "signature" object.`);
  return signature;
}

/**
 * `attestflow verify <signature id | exported.json> [--ca ca.pem]`: the signer's CMS against the
 * organisation CA (revocation as of the signing time), the manifest against the stored signature,
 * the content hash against the record version. Prints a verdict; exit code 1 when invalid.
 */
export async function verifySignatureCommand(config: AttestflowConfig, target: string, options: CaOption = {}): Promise<number> {
  const signatureFromFile = UUID.test(target) ? undefined : exportedSignature(target);
  const caCertificatePem = caCertificate(config, options.ca);
  const handle = connectDatabase(config.databaseUrl, { max: 2 });
  try {
    let signature = signatureFromFile;
    if (!signature) {
      const row = await findSignature(handle.db, target);
      if (!row) {
        process.stdout.write(`No signature with id ${target}.\n`);
        return 1;
      }
      signature = toStoredSignature(row);
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

/**
 * `attestflow audit verify [--checkpoint <file.pdf | checkpoint.json | checkpoints.jsonl>]... [--ca ca.pem] [--threads n]`:
 * walks the hash chain and names the first broken or missing link, then checks the chain against the
 * latest signed checkpoint of the database, of DATA_DIR/audit-checkpoints and of every given file
 * (e.g. a sealed PDF an auditor holds): a chain that ends before a checkpoint lost its last events.
 * `threads`: worker threads walking seq ranges side by side (default: one per core on a long trail).
 */
export async function verifyAuditCommand(config: AttestflowConfig, options: CaOption & { checkpoint?: string[]; threads?: number } = {}): Promise<number> {
  const caCertificatePem = caCertificate(config, options.ca);
  const sources: CheckpointSource[] = [];
  const directory = auditCheckpointDirectory(config.dataDir);
  const local = readCheckpointFiles(directory);
  sources.push({ source: directory, checkpoints: local.checkpoints, unreadable: local.unreadable });
  for (const file of options.checkpoint ?? []) {
    readUserFile(file, 'checkpoint file');
    try {
      sources.push({ source: file, checkpoints: checkpointsInFile(file) });
    } catch (error) {
      throw new UserError(`${file} holds no readable audit checkpoint: ${(error as Error).message}`);
    }
  }
  const handle = connectDatabase(config.databaseUrl, { max: 2 });
  try {
    const started = performance.now();
    const report = await verifyAuditTrail(handle, { caCertificatePem, sources, chain: { threads: options.threads } });
    const seconds = ((performance.now() - started) / 1000).toFixed(2);
    const lines: string[] = [];
    for (const c of report.checkpoints) {
      lines.push(`  checkpoint (${c.source}): ${c.checkpoint ? `${describeCheckpoint(c.checkpoint)}${c.break ? ' — NOT MATCHED' : ' — matched'}` : 'none'}`);
    }
    for (const w of report.warnings) lines.push(`  warning: ${w}`);
    const { chain } = report;
    if (report.intact) {
      process.stdout.write(
        `Audit trail intact: ${chain.eventsChecked} events, last seq ${chain.lastSeq}, every link verified, no event missing after the latest checkpoints (${seconds} s).\n${lines.join('\n')}\n`,
      );
      return 0;
    }
    process.stdout.write(
      `AUDIT TRAIL BROKEN: ${report.problems.join('.\nAUDIT TRAIL BROKEN: ')}.\nChecked ${chain.eventsChecked} events${chain.intact ? '' : ' before stopping'} (${seconds} s).\n${lines.join('\n')}\n`,
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
export async function verifyPdfCommand(config: AttestflowConfig, file: string, options: CaOption = {}): Promise<number> {
  const pdf = readUserFile(file, 'PDF');
  const caCertificatePem = caCertificate(config, options.ca);
  let revoked: { serialHex: string; revokedAt: Date }[] = [];
  if (!options.ca) {
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
