// A nonconformance report's fields as people send them → its content: lots checked and described
// (number, part number, unit), the defect code checked against the managed list, rework owners
// resolved from their usernames. A lot another NCMR holds is refused here, before any workflow runs.
import { AppError } from '../../api/common/app-error';
import { quantityText } from '../../api/material/material.dto';
import { refusalsAsAppErrors } from '../../api/material/material-error';
import type { Database } from '../../db/client';
import { assertActiveDefectCode, assertLotsMayBeHeld, findLotEntry } from '../../db/material';
import { resolvePlannedTasks, sentFields } from '../shared/planned-tasks.resolver';
import type { NcmrContent, NcmrDisposition, NcmrLot } from './ncmr.process';
import type { CreateNcmrDto, NcmrDispositionDto, NcmrFieldsDto } from './ncmr.schemas';

async function describedLots(db: Database, sent: CreateNcmrDto['lots']): Promise<NcmrLot[]> {
  const seen = new Set<string>();
  const lots: NcmrLot[] = [];
  for (const { lotId, nonconformingQuantity } of sent) {
    if (seen.has(lotId)) throw new AppError('validation_failed', `Lot ${lotId} is named twice; name each lot once.`, { lotId });
    seen.add(lotId);
    const entry = await findLotEntry(db, lotId);
    if (!entry) throw new AppError('unknown_lot', `No lot with id ${lotId}.`, { lotId });
    if (nonconformingQuantity > Number(entry.lot.quantity)) {
      throw new AppError(
        'validation_failed',
        `Lot ${entry.lot.lotNumber}: ${nonconformingQuantity} ${entry.item.unitOfMeasure} nonconforming is more than the lot's ${entry.lot.quantity}.`,
        { lotId },
      );
    }
    lots.push({
      lotId,
      lotNumber: entry.lot.lotNumber,
      partNumber: entry.item.partNumber,
      nonconformingQuantity: quantityText(nonconformingQuantity),
      unit: entry.item.unitOfMeasure,
    });
  }
  return lots;
}

export async function resolveCreateNcmr(db: Database, body: CreateNcmrDto): Promise<NcmrContent> {
  await refusalsAsAppErrors(() => assertActiveDefectCode(db, body.defectCode));
  const lots = await describedLots(db, body.lots);
  await refusalsAsAppErrors(() =>
    assertLotsMayBeHeld(
      db,
      lots.map((l) => l.lotId),
    ),
  );
  return {
    title: body.title,
    description: body.description,
    detectionPoint: body.detectionPoint,
    defectCode: body.defectCode,
    lots,
    dispositions: [],
    capa: null,
  };
}

async function resolvedDisposition(db: Database, sent: NcmrDispositionDto): Promise<NcmrDisposition> {
  const { reworkOwnerUsername, scrapQuantity, ...rest } = sent;
  const disposition: NcmrDisposition = { ...sentFields(rest), lotId: sent.lotId, decision: sent.decision };
  // The lot by its number too, as the record PDF prints it (a lot the report does not name is refused at submission).
  const entry = await findLotEntry(db, sent.lotId);
  if (entry) disposition.lotNumber = entry.lot.lotNumber;
  if (scrapQuantity !== undefined) disposition.scrapQuantity = quantityText(scrapQuantity);
  if (reworkOwnerUsername !== undefined) {
    // The owner is checked as every task owner is: active, and holding no role that never owns a task.
    const [task] = await resolvePlannedTasks(
      db,
      [{ title: `Rework of lot ${sent.lotId}`, ownerUsername: reworkOwnerUsername, dueAt: sent.reworkDueAt }],
      'rework',
    );
    disposition.reworkOwnerId = task!.ownerId;
    disposition.reworkOwnerName = task!.ownerName;
    if (task!.dueAt) disposition.reworkDueAt = task!.dueAt;
  }
  return disposition;
}

export async function resolveNcmrFields(db: Database, fields: NcmrFieldsDto): Promise<Partial<NcmrContent>> {
  const { dispositions, capa, ...rest } = fields;
  const content: Partial<NcmrContent> = sentFields(rest);
  if (fields.defectCode !== undefined) await refusalsAsAppErrors(() => assertActiveDefectCode(db, fields.defectCode!));
  if (dispositions) content.dispositions = await Promise.all(dispositions.map((d) => resolvedDisposition(db, d)));
  if (capa) content.capa = { title: capa.title, description: capa.description };
  return content;
}
