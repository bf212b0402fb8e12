// Audit checkpoints outside the audit table (21 CFR 11.10(a), 11.10(e)): written on a timer by the
// API and whenever a record PDF or dossier is sealed; kept in three places an attacker must all
// reach to hide a deleted tail: the append-only audit_checkpoints table, append-only JSON lines in
// DATA_DIR/audit-checkpoints/, and the sealed PDFs the auditors hold. `verifyAuditTrail` walks the
// chain and checks it against the latest checkpoint of each place.
import fs from 'node:fs';
import path from 'node:path';
import type { DatabaseHandle, Executor } from '../db/client';
import {
  auditChainHead,
  auditEventHashesAt,
  describeChainBreak,
  insertAuditCheckpoint,
  listContradictedAuditCheckpoints,
  listLatestAuditCheckpoints,
  storedCheckpointKeys,
  toSignedAuditCheckpoint,
  verifyAuditChain,
  type AuditChainReport,
  type VerifyAuditChainOptions,
} from '../db/repositories';
import {
  compareWithCheckpoint,
  describeCheckpoint,
  describeCheckpointBreak,
  parseSignedAuditCheckpoint,
  signAuditCheckpoint,
  verifyAuditCheckpoint,
  type AuditCheckpoint,
  type CheckpointBreak,
  type SignedAuditCheckpoint,
} from '../signatures/audit-checkpoint';
import { listPdfAttachments } from '../signatures/pades';
import type { CertificateAndKey } from '../signatures/pki';

/** The name of the checkpoint a sealed PDF embeds. */
export const CHECKPOINT_ATTACHMENT = 'audit-checkpoint.json';

export interface CheckpointSigner {
  organisation: string;
  seal: CertificateAndKey;
  caCertificatePem: string;
  /** DATA_DIR/audit-checkpoints; unset: the checkpoint goes to the database only. */
  auditCheckpointDir?: string;
}

export const auditCheckpointDirectory = (dataDir: string): string => path.join(dataDir, 'audit-checkpoints');

/** One file per UTC month, so that a verifier reads the newest file, not years of lines. */
const monthFile = (directory: string, at: Date): string => path.join(directory, `checkpoints-${at.toISOString().slice(0, 7)}.jsonl`);

/** Appends one signed checkpoint as a JSON line (O_APPEND: concurrent writers do not interleave a line). */
export function appendCheckpointFile(directory: string, signed: SignedAuditCheckpoint): void {
  fs.mkdirSync(directory, { recursive: true, mode: 0o700 });
  fs.appendFileSync(monthFile(directory, new Date(signed.checkpoint.checkpointedAt)), `${JSON.stringify(signed)}\n`, { mode: 0o600 });
}

/** Every checkpoint of the JSON-lines files (one per month), and the lines that are not checkpoints. */
export function readCheckpointFiles(directory: string): { checkpoints: SignedAuditCheckpoint[]; unreadable: string[]; files: string[] } {
  const checkpoints: SignedAuditCheckpoint[] = [];
  const unreadable: string[] = [];
  if (!fs.existsSync(directory)) return { checkpoints, unreadable, files: [] };
  const files = fs
    .readdirSync(directory)
    .filter((n) => /^checkpoints-\d{4}-\d{2}\.jsonl$/.test(n))
    .sort();
  for (const name of files) {
    fs.readFileSync(path.join(directory, name), 'utf8')
      .split('\n')
      .forEach((line, i) => {
        if (line.trim() === '') return;
        try {
          checkpoints.push(parseSignedAuditCheckpoint(line));
        } catch {
          unreadable.push(`${name} line ${i + 1}`);
        }
      });
  }
  return { checkpoints, unreadable, files };
}

/**
 * Signs the chain's head and stores it in the database and in DATA_DIR. With `onlyIfMoved`, returns
 * the latest stored checkpoint instead when the head has not moved since (an idle system does not
 * grow its checkpoint log). Returns undefined for an empty trail.
 */
export async function writeAuditCheckpoint(
  db: Executor,
  signer: CheckpointSigner,
  at: Date,
  options: { onlyIfMoved?: boolean } = {},
): Promise<SignedAuditCheckpoint | undefined> {
  const head = await auditChainHead(db);
  if (!head) return undefined;
  if (options.onlyIfMoved) {
    const [latest] = await listLatestAuditCheckpoints(db, 1);
    if (latest && latest.seq === head.seq && latest.hash === head.hash) return toSignedAuditCheckpoint(latest);
  }
  const signed = signAuditCheckpoint({ head, at, organisation: signer.organisation, seal: signer.seal, caCertificatePem: signer.caCertificatePem });
  await insertAuditCheckpoint(db, signed);
  if (signer.auditCheckpointDir) appendCheckpointFile(signer.auditCheckpointDir, signed);
  return signed;
}

/**
 * Writes a checkpoint now and then every `intervalMs` (each time only when the head moved); returns
 * a stop function that waits for a write under way. Never throws: errors go to `onError`.
 */
export function startAuditCheckpointTimer(
  db: Executor,
  signer: CheckpointSigner,
  intervalMs: number,
  onError: (error: unknown) => void = () => undefined,
): { stop(): Promise<void> } {
  let running: Promise<unknown> = Promise.resolve();
  const tick = () => {
    running = running.then(() => writeAuditCheckpoint(db, signer, new Date(), { onlyIfMoved: true })).catch(onError);
  };
  tick();
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}

/** The checkpoint a sealed PDF carries, or undefined (files sealed before checkpoints existed). */
export function checkpointInPdf(pdf: Buffer): SignedAuditCheckpoint | undefined {
  const file = listPdfAttachments(pdf).find((a) => a.name === CHECKPOINT_ATTACHMENT);
  return file ? parseSignedAuditCheckpoint(file.data.toString('utf8')) : undefined;
}

/** Checkpoints from a file an auditor holds: a sealed PDF, one checkpoint JSON, or a JSON-lines log. */
export function checkpointsInFile(file: string): SignedAuditCheckpoint[] {
  const bytes = fs.readFileSync(file);
  if (bytes.subarray(0, 5).toString('latin1') === '%PDF-') {
    const found = checkpointInPdf(bytes);
    if (!found) throw new Error(`${file} carries no audit checkpoint (${CHECKPOINT_ATTACHMENT})`);
    return [found];
  }
  const text = bytes.toString('utf8').trim();
  try {
    return [parseSignedAuditCheckpoint(text)];
  } catch {
    return text
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => parseSignedAuditCheckpoint(l));
  }
}

export interface CheckpointSource {
  /** Where the checkpoints come from, in words ("the database", "DATA_DIR/…", a file name). */
  source: string;
  checkpoints: SignedAuditCheckpoint[];
  /** Entries that could not be read as checkpoints. */
  unreadable?: string[];
}

export interface CheckedCheckpoint {
  source: string;
  /** The latest (highest seq) checkpoint of the source whose seal verifies; null when none. */
  checkpoint: AuditCheckpoint | null;
  /** How the live chain disagrees with it; null when it agrees. */
  break: CheckpointBreak | null;
}

export interface AuditTrailReport {
  chain: AuditChainReport;
  checkpoints: CheckedCheckpoint[];
  /** Every finding that makes the trail untrustworthy, in words; empty when intact. */
  problems: string[];
  /** Findings that do not fail the verification (e.g. no checkpoint yet). */
  warnings: string[];
  intact: boolean;
}

/** At most this many contradicted (or badly sealed) checkpoints are examined per source. */
const MAX_EXAMINED = 20;

/**
 * Walks the whole chain (every link), then checks it against the signed checkpoints of the database
 * table and of each given source (DATA_DIR, files the auditor holds). Every checkpoint whose
 * (seq, hash) the live chain contradicts — no event at its seq any more, or another hash there — is
 * evidence of deleted (and perhaps re-appended) events once its seal verifies; the highest is
 * named. Checkpoints the chain agrees with need no seal check (they assert nothing false), except
 * the latest of each source, which is reported. A sealed checkpoint from DATA_DIR or a file that the
 * table lacks means checkpoint rows were deleted; a checkpoint whose seal fails is itself a finding.
 */
export async function verifyAuditTrail(
  database: Pick<DatabaseHandle, 'db' | 'pool'>,
  options: { caCertificatePem: string; sources?: CheckpointSource[]; chain?: VerifyAuditChainOptions },
): Promise<AuditTrailReport> {
  const problems: string[] = [];
  const warnings: string[] = [];
  const { caCertificatePem } = options;
  const { db } = database;
  const chain = await verifyAuditChain(database.pool, options.chain);
  if (chain.firstBreak) problems.push(describeChainBreak(chain.firstBreak));
  const lastSeq = (await auditChainHead(db))?.seq ?? 0;

  const [latestRow] = await listLatestAuditCheckpoints(db, 1);
  const contradictedRows = await listContradictedAuditCheckpoints(db, MAX_EXAMINED);
  const databaseCheckpoints = [...(latestRow ? [latestRow] : []), ...contradictedRows.filter((r) => r.id !== latestRow?.id)].map(toSignedAuditCheckpoint);
  const sources: CheckpointSource[] = [{ source: 'the database', checkpoints: databaseCheckpoints }, ...(options.sources ?? [])];

  const checked: CheckedCheckpoint[] = [];
  for (const [index, { source, checkpoints, unreadable = [] }] of sources.entries()) {
    for (const entry of unreadable) problems.push(`${entry} (${source}) is not a readable audit checkpoint`);
    const live = await auditEventHashesAt(
      db,
      checkpoints.map((c) => c.checkpoint.seq),
    );
    const bySeq = [...checkpoints].sort(
      (a, b) => b.checkpoint.seq - a.checkpoint.seq || b.checkpoint.checkpointedAt.localeCompare(a.checkpoint.checkpointedAt),
    );
    const seals = new Map<SignedAuditCheckpoint, boolean>();
    const sealed = (signed: SignedAuditCheckpoint): boolean => {
      const known = seals.get(signed);
      if (known !== undefined) return known;
      const result = verifyAuditCheckpoint(signed, { caCertificatePem });
      if (!result.ok) problems.push(`the checkpoint of ${describeCheckpoint(signed.checkpoint)} (${source}) has no valid seal: ${result.problems.join('; ')}`);
      seals.set(signed, result.ok);
      return result.ok;
    };
    let found: CheckpointBreak | null = null;
    let examined = 0;
    for (const signed of bySeq) {
      const broken = compareWithCheckpoint({ lastSeq, hashAt: live.get(signed.checkpoint.seq) }, signed.checkpoint);
      if (!broken) continue;
      if (++examined > MAX_EXAMINED) break;
      if (sealed(signed)) {
        found = broken;
        break;
      }
    }
    if (found) problems.push(describeCheckpointBreak(found, source));
    // The latest checkpoint of the source with a valid seal, for the report.
    const latest = bySeq.slice(0, MAX_EXAMINED).find(sealed)?.checkpoint ?? null;
    checked.push({ source, checkpoint: latest, break: found });

    if (index === 0 || !checkpoints.length) continue;
    // The table is append-only and written first: a sealed checkpoint it lacks means rows were deleted.
    const stored = await storedCheckpointKeys(
      db,
      checkpoints.map((c) => c.checkpoint.seq),
    );
    const lacking = bySeq.filter((c) => !stored.has(`${c.checkpoint.seq}:${c.checkpoint.hash}:${new Date(c.checkpoint.checkpointedAt).toISOString()}`));
    const proven = lacking.slice(0, MAX_EXAMINED).find((c) => verifyAuditCheckpoint(c, { caCertificatePem }).ok);
    if (proven) {
      problems.push(
        `the checkpoint of ${proven.checkpoint.checkpointedAt} (event ${proven.checkpoint.seq}, ${source}) is missing from the database` +
          `${lacking.length > 1 ? ` (with ${lacking.length - 1} more)` : ''}: checkpoint rows were deleted`,
      );
    }
  }
  if (!checked.some((c) => c.checkpoint) && lastSeq > 0) {
    warnings.push('no audit checkpoint found: a deletion of the last events could not be detected');
  }
  return { chain, checkpoints: checked, problems, warnings, intact: problems.length === 0 };
}
