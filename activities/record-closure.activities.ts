import { sql } from 'drizzle-orm';
import type { Database } from '../db/client';
import { findLatestVersion, findRecord, latestRecordArtifact } from '../db/repositories';
import { renderRecordPdf } from '../templates/record.template';
import type { RecordClosureActivities } from './record-closure.contracts';
import { checkpointForPdf, loadRecordPdfInput, sealAs, storeArtifact, type SealingIdentity } from './controlled-record';

export const CLOSURE_REASON = 'Controlled record at closure';

export function createRecordClosureActivities({ db, identity }: { db: Database; identity: SealingIdentity }): RecordClosureActivities {
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
      const pdf = await renderRecordPdf({ organisation: identity.organisation, generatedAt, timeZone: identity.timeZone, ...data, auditCheckpoint });
      const sealed = await sealAs(identity, pdf, `${CLOSURE_REASON}: ${record.number}`, generatedAt);
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
