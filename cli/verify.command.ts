import fs from 'node:fs';
import type { AttestflowConfig } from '../config/config';
import { connectDatabase } from '../db/client';
import { findSignature, findSignedRecordVersion, revokedSerials, toStoredSignature } from '../db/repositories';
import { auditCheckpointDirectory, checkpointsInFile, readCheckpointFiles, verifyAuditTrail, type CheckpointSource } from '../activities/audit-checkpoint';
import { describeCheckpoint } from '../signatures/audit-checkpoint';
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

/**
 * `attestflow audit verify [--checkpoint <file.pdf | checkpoint.json | checkpoints.jsonl>]... [--ca ca.pem]`:
 * walks the hash chain and names the first broken or missing link, then checks the chain against the
 * latest signed checkpoint of the database, of DATA_DIR/audit-checkpoints and of every given file
 * (e.g. a sealed PDF an auditor holds): a chain that ends before a checkpoint lost its last events.
 */
export async function verifyAuditCommand(config: AttestflowConfig, args: string[] = []): Promise<number> {
  const caIndex = args.indexOf('--ca');
  const caCertificatePem = caIndex >= 0 && args[caIndex + 1] ? fs.readFileSync(args[caIndex + 1]!, 'utf8') : existingCaCertificate(config);
  const sources: CheckpointSource[] = [];
  const directory = auditCheckpointDirectory(config.dataDir);
  const local = readCheckpointFiles(directory);
  sources.push({ source: directory, checkpoints: local.checkpoints, unreadable: local.unreadable });
  args.forEach((arg, i) => {
    if (arg !== '--checkpoint') return;
    const file = args[i + 1];
    if (!file) throw new Error('Usage: attestflow audit verify [--checkpoint <file.pdf | checkpoint.json>]... [--ca ca.pem]');
    sources.push({ source: file, checkpoints: checkpointsInFile(file) });
  });
  const handle = connectDatabase(config.databaseUrl, { max: 2 });
  try {
    const started = performance.now();
    const report = await verifyAuditTrail(handle.db, { caCertificatePem, sources });
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
