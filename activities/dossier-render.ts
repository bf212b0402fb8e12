import type { Database } from '../db/client';
import { findDossier, findRecordsByIds, findUserById, lockDossier, recordDossierProgress, startDossierRendering, updateDossier } from '../db/repositories';
import { renderDossierPdf } from '../templates/dossier.template';
import { checkpointForPdf, loadRecordPdfInput, sealAs, storeArtifact, type SealingIdentity } from './controlled-record';

/**
 * Renders one dossier: every selected record as in its record PDF, a cover, contents, a signature
 * index and a manifest of embedded hashes; sealed; stored; progress written to the dossier row.
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
  const records = await findRecordsByIds(db, dossier.recordIds);
  const inputs = [];
  for (const record of records) inputs.push(await loadRecordPdfInput(db, record.id));
  const generatedAt = new Date();
  const auditCheckpoint = await checkpointForPdf(db, identity, generatedAt);
  let lastWrite = 0;
  const pdf = await renderDossierPdf(
    {
      organisation: identity.organisation,
      generatedAt,
      timeZone: identity.timeZone,
      dossierId,
      title: dossier.title,
      requestedBy: requester?.printedName ?? dossier.requestedBy,
      selectionDescription: describeSelection(dossier.selection),
      records: inputs,
      auditCheckpoint,
    },
    (done, all) => {
      if (done === all || Date.now() - lastWrite > 250) {
        lastWrite = Date.now();
        // Progress is best effort: rendering must not wait for, or fail with, a progress write.
        void Promise.resolve(onProgress(done, all)).catch(() => undefined);
        void recordDossierProgress(db, dossierId, done, all).catch(() => undefined);
      }
    },
  );
  const sealed = await sealAs(identity, pdf, `Dossier ${dossier.title}`, generatedAt);
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
}

export function describeSelection(selection: unknown): string {
  const s = selection as { numbers?: string[]; recordAndLinked?: string; type?: string; from?: string; to?: string };
  if (s.numbers) return `Records ${s.numbers.join(', ')}`;
  if (s.recordAndLinked) return `${s.recordAndLinked} and every record linked to it`;
  if (s.type) return `All ${s.type} records created from ${s.from} to ${s.to}`;
  return JSON.stringify(selection);
}
