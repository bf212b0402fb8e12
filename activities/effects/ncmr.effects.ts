// Nonconforming material's effects on the lots of an NCMR: putting them on hold when the NCMR is
// reported (on entering its first step, at creation), and giving each one its status when the NCMR
// ends by any end (the process's onExit): the disposition's, or on cancellation (or without a
// disposition) the status the lot had before. Both are safe to retry: what they write is found again
// (a lot this NCMR holds already is skipped; a released hold is no longer open).
import { and, eq } from 'drizzle-orm';
import type { Executor } from '../../db/client';
import { holdLotsForNcmr, MaterialRefusal, releaseNcmrHolds, type HoldSettlement, type MaterialActor, type OpenLotHold } from '../../db/material';
import { appendAuditEvent, findLatestVersion, findRecord, findUserById } from '../../db/repositories';
import { auditEvents, type LotStatus } from '../../db/schema';
import { HOLD_REFUSED_EVENT, type DispositionDecision, type NcmrContent } from '../../processes/ncmr/ncmr.process';
import type { JsonValue } from '../../signatures';
import type { ActorContext } from '../../workflows/contracts/process-contracts';
import type { EffectContext, EffectOutcome } from '../../workflows/contracts/effect-activities';
import { SYSTEM_ACTOR_NAME } from '../system-actor';
import type { EffectDeps, EffectRegistry } from './effect-registry';

/** The status a lot is given by a decided disposition; rework (or none) gives its previous status back. */
export const DISPOSITION_STATUS: Readonly<Record<DispositionDecision, LotStatus | null>> = {
  use_as_is: 'released',
  return_to_supplier: 'rejected',
  scrap: 'scrapped',
  rework: null,
};

const DECISION_WORDS: Readonly<Record<DispositionDecision, string>> = {
  use_as_is: 'use as is',
  return_to_supplier: 'return to supplier',
  scrap: 'scrap',
  rework: 'rework',
};

async function ncmrOf(tx: Executor, recordId: string) {
  const record = await findRecord(tx, recordId);
  const version = await findLatestVersion(tx, recordId);
  if (!record || !version) throw new Error(`No NCMR record ${recordId}`);
  return { number: record.number, content: version.content as NcmrContent };
}

/** The person whose action caused the transition, or the process itself. */
async function actorOf(tx: Executor, context: ActorContext | null): Promise<MaterialActor> {
  const person = context ? await findUserById(tx, context.actorId) : undefined;
  return person ? { id: person.id, name: person.printedName } : { id: null, name: SYSTEM_ACTOR_NAME };
}

/** What a lot is given when the NCMR ends in `to`. */
export function settlementFor(number: string, content: NcmrContent, to: string, hold: OpenLotHold): HoldSettlement {
  const back = (why: string): HoldSettlement => ({ status: hold.previousStatus, reason: `${number} ${why}: the lot's status before the hold is given back` });
  if (to === 'cancelled') return back('cancelled');
  const disposition = (content.dispositions ?? []).find((d) => d.lotId === hold.lotId);
  const status = disposition ? DISPOSITION_STATUS[disposition.decision] : null;
  if (!disposition || status === null)
    return back(disposition ? `closed after ${DECISION_WORDS[disposition.decision]}` : 'closed without a disposition for the lot');
  return { status, reason: `${number} disposition: ${DECISION_WORDS[disposition.decision]}` };
}

export function ncmrEffects({ db, now = () => new Date() }: EffectDeps) {
  async function holdLots({ recordId, context }: EffectContext): Promise<EffectOutcome> {
    try {
      await db.transaction(async (tx) => {
        const { number, content } = await ncmrOf(tx, recordId);
        await holdLotsForNcmr(tx, {
          recordId,
          lotIds: (content.lots ?? []).map((l) => l.lotId),
          reason: `On hold by ${number} (nonconforming material, defect ${content.defectCode}): ${content.title}`,
          actor: await actorOf(tx, context),
          at: now(),
        });
      });
      return {};
    } catch (error) {
      if (!(error instanceof MaterialRefusal)) throw error;
      // Nothing was held (the transaction rolled back). Say why once, and end the NCMR.
      await db.transaction(async (tx) => {
        const [said] = await tx
          .select({ seq: auditEvents.seq })
          .from(auditEvents)
          .where(and(eq(auditEvents.recordId, recordId), eq(auditEvents.action, 'ncmr.hold_refused')))
          .limit(1);
        if (said) return;
        const { number } = await ncmrOf(tx, recordId);
        await appendAuditEvent(tx, {
          occurredAt: now(),
          actorId: null,
          actorName: SYSTEM_ACTOR_NAME,
          action: 'ncmr.hold_refused',
          entityType: 'ncmr',
          entityId: number,
          recordId,
          newValue: { code: error.code, details: (error.details ?? null) as JsonValue },
          reason: error.message,
        });
      });
      return { raise: [HOLD_REFUSED_EVENT] };
    }
  }

  async function settleLots({ recordId, to, context }: EffectContext): Promise<EffectOutcome> {
    await db.transaction(async (tx) => {
      const { number, content } = await ncmrOf(tx, recordId);
      await releaseNcmrHolds(tx, {
        recordId,
        actor: await actorOf(tx, context),
        settle: (hold) => settlementFor(number, content, to, hold),
        at: now(),
      });
    });
    return {};
  }

  const effects: EffectRegistry = {
    'ncmr.hold_lots': holdLots,
    'ncmr.settle_lots': settleLots,
  };
  return effects;
}
