import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Database } from '../db/client';
import { findDossier, findRecordsByIds, findUserById, lockDossier, recordDossierProgress, startDossierRendering, updateDossier } from '../db/repositories';
import { renderDossierPdfToFile, type DossierRecordSummary } from '../templates/dossier.template';
import { checkpointForPdf, loadRecordPdfInput, loadRecordSummary, sealFileAs, storeArtifact, type SealingIdentity } from './controlled-record';

/**
 * Renders one dossier: every selected record as in its record PDF, a cover, contents, a signature
 * index and a manifest of embedded hashes; sealed; stored; progress written to the dossier row.
 * The PDF is laid out into a temporary file record by record (each record read from the database
 * when it is drawn) and sealed in that file, so rendering takes memory flat in the record count.
 */
export async function renderDossier(
  db: Database,
  identity: SealingIdentity,
  dossierId: string,
  onProgress: (done: number, total: number) => Promise<void> | void = () => undefined,
): Promise<void> {
  const dossier = await findDossier(db, dossierId);
  if (!dossier) throw new Error(`No dossier ${dossierId}`);
  if (dossier.status === 'done') return;
  const total = dossier.recordIds.length;
  if (!(await startDossierRendering(db, dossierId, total))) return;
  const requester = await findUserById(db, dossier.requestedBy);
  const generatedAt = new Date();
  let lastWrite = 0;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'attestflow-dossier-'));
  try {
    const file = path.join(dir, `dossier-${dossierId}.pdf`);
    // Every record is read in one snapshot (a read-only REPEATABLE READ transaction held for the
    // rendering): the contents list and each record's pages show the records as they all were at
    // one moment, even when one of them is signed or amended while the dossier renders.
    await db.transaction(
      async (snapshot) => {
        // Only the ids (in record number order) are kept; each record is read in full when it is drawn.
        const ids = (await findRecordsByIds(snapshot, dossier.recordIds)).map((record) => record.id);
        // The contents list every record before the first one is drawn: their summaries are read
        // first. They are kept for the whole render, so records of one type share one set of labels.
        const labelsByType = new Map<string, DossierRecordSummary['labels']>();
        const summaries: DossierRecordSummary[] = [];
        for (const id of ids) {
          const summary = await loadRecordSummary(snapshot, id);
          if (!labelsByType.has(summary.record.type)) labelsByType.set(summary.record.type, summary.labels);
          summaries.push({ record: summary.record, labels: labelsByType.get(summary.record.type) });
        }
        // Written on its own connection after the snapshot was taken: it covers every event the dossier shows.
        const auditCheckpoint = await checkpointForPdf(db, identity, generatedAt);
        await renderDossierPdfToFile(
          {
            organisation: identity.organisation,
            generatedAt,
            timeZone: identity.timeZone,
            dossierId,
            title: dossier.title,
            requestedBy: requester?.printedName ?? dossier.requestedBy,
            selectionDescription: describeSelection(dossier.selection),
            records: { summaries, load: (i) => loadRecordPdfInput(snapshot, ids[i]!) },
            auditCheckpoint,
          },
          file,
          (done, all) => {
            if (done === all || Date.now() - lastWrite > 250) {
              lastWrite = Date.now();
              // Progress is best effort: rendering must not wait for, or fail with, a progress write.
              void Promise.resolve(onProgress(done, all)).catch(() => undefined);
              void recordDossierProgress(db, dossierId, done, all).catch(() => undefined);
            }
          },
        );
      },
      { isolationLevel: 'repeatable read', accessMode: 'read only' },
    );
    sealFileAs(identity, file, `Dossier ${dossier.title}`, generatedAt);
    // The artifact is a bytea column: the sealed file is read whole to be stored.
    const sealed = fs.readFileSync(file);
    await db.transaction(async (tx) => {
      // Two generators can render one dossier at once (BullMQ hands a job on when the first one's lock
      // expires while it still works): the first to get here stores its PDF, the other stores nothing.
      if ((await lockDossier(tx, dossierId))?.status === 'done') return;
      const stored = await storeArtifact(tx, {
        kind: 'dossier_pdf',
        recordId: null,
        recordVersion: null,
        dossierId,
        fileName: `dossier-${dossierId}.pdf`,
        bytes: sealed,
        reason: `Dossier requested by ${requester?.printedName ?? dossier.requestedBy}: ${dossier.title}`,
        createdBy: { id: requester?.id ?? null, printedName: requester?.printedName ?? 'system' },
      });
      await updateDossier(tx, dossierId, { status: 'done', progressDone: total, progressTotal: total, artifactId: stored.id });
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export function describeSelection(selection: unknown): string {
  const s = selection as { numbers?: string[]; recordAndLinked?: string; type?: string; from?: string; to?: string; lot?: string; item?: string };
  if (s.numbers) return `Records ${s.numbers.join(', ')}`;
  if (s.recordAndLinked) return `${s.recordAndLinked} and every record linked to it`;
  if (s.lot) return `Records on lot ${s.lot}${s.item ? ` of ${s.item}` : ''} and on every lot in its genealogy`;
  if (s.type) return `All ${s.type} records created from ${s.from} to ${s.to}`;
  return JSON.stringify(selection);
}
