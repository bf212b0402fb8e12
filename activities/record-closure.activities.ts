import { sql } from 'drizzle-orm';
import type { Database } from '../db/client';
import { findLatestVersion, findRecord, latestRecordArtifact } from '../db/repositories';
import type { RecordClosureActivities } from '../workflows/contracts/record-closure-activities';
import { checkpointForPdf, loadRecordPdfInput, storeArtifact, type SealingIdentity } from './controlled-record';
import { sealInThisThread, type RecordPdfSealer } from './pdf-thread/pdf-threads';

export const CLOSURE_REASON = 'Controlled record at closure';

/**
 * `pdf` renders and seals: the Temporal worker passes its PDF threads (pdf-thread/pdf-threads.ts) so
 * that no closure PDF blocks its event loop, or the API's beside it.
 */
export function createRecordClosureActivities({
  db,
  identity,
  pdf = sealInThisThread,
}: {
  db: Database;
  identity: SealingIdentity;
  pdf?: RecordPdfSealer;
}): RecordClosureActivities {
  return {
    async produceClosureRecord({ recordId }) {
      const existing = async () => {
        const [artifact, version] = await Promise.all([latestRecordArtifact(db, recordId), findLatestVersion(db, recordId)]);
        return artifact && artifact.reason === CLOSURE_REASON && artifact.recordVersion === version?.version
          ? { artifactId: artifact.id, sha256: artifact.sha256 }
          : undefined;
      };
      const done = await existing();
      if (done) return done;
      const record = (await findRecord(db, recordId))!;
      const generatedAt = new Date();
      const data = await loadRecordPdfInput(db, recordId);
      const auditCheckpoint = await checkpointForPdf(db, identity, generatedAt);
      const sealed = await pdf.sealedRecordPdf(
        { organisation: identity.organisation, generatedAt, timeZone: identity.timeZone, ...data, auditCheckpoint },
        identity,
        `${CLOSURE_REASON}: ${record.number}`,
      );
      return db.transaction(async (tx) => {
        // One closure artifact per version even when a retried attempt overlaps the first.
        await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext(${`closure:${recordId}`}))`);
        const raced = await existing();
        if (raced) return raced;
        const stored = await storeArtifact(tx, {
          kind: 'record_pdf',
          recordId,
          recordVersion: data.record.version,
          dossierId: null,
          fileName: `${record.number}-v${data.record.version}.pdf`,
          bytes: sealed,
          reason: CLOSURE_REASON,
          createdBy: { id: null, printedName: 'system (closure)' },
        });
        return { artifactId: stored.id, sha256: stored.sha256 };
      });
    },
  };
}
