// Nonconforming material (DESIGN.md, NCMR): reported on one or more lots, which go on hold at once
// → the material review board (MRB) decides a disposition per lot → the disposition is signed (MRB;
// use-as-is also QA and engineering) → rework tasks and a re-inspection, back to the MRB, as often
// as it takes → closed, opening a CAPA first when the MRB asked for one. On every end (cancellation
// included) each held lot gets the status its disposition decided, or its previous status back.
// Pure: imported by the workflow bundle (no Node, no NestJS).
import type { JsonContent } from '../../workflows/contracts/process-contracts';
import type { ChildSpec, ImplementationTask, ProcessDefinition } from '../../workflows/steps/definition';

export const DETECTION_POINTS = ['incoming', 'in_process', 'final', 'customer'] as const;
export type DetectionPoint = (typeof DETECTION_POINTS)[number];

export const DISPOSITION_DECISIONS = ['use_as_is', 'rework', 'return_to_supplier', 'scrap'] as const;
export type DispositionDecision = (typeof DISPOSITION_DECISIONS)[number];

/** A lot the report is about, as the resolver found it (lot number → id). */
export interface NcmrLot {
  lotId: string;
  lotNumber: string;
  partNumber: string;
  /** Decimal text in the lot's unit, as the material side writes quantities. */
  nonconformingQuantity: string;
  unit: string;
}

/** The MRB's decision on one lot. */
export interface NcmrDisposition {
  lotId: string;
  /** The lot's number, as the resolver found it, so the record names the lot as people do. */
  lotNumber?: string | null;
  decision: DispositionDecision;
  /** Use as is: why the material is fit for use (signed by QA and engineering too). */
  justification?: string | null;
  reworkInstructions?: string | null;
  reworkOwnerId?: string | null;
  reworkOwnerName?: string | null;
  /** ISO date-time. */
  reworkDueAt?: string | null;
  /** Return to supplier: the supplier's return authorisation. */
  rmaNumber?: string | null;
  /** Scrap: how much is scrapped (decimal text, at most the nonconforming quantity). */
  scrapQuantity?: string | null;
}

export interface NcmrContent extends JsonContent {
  title: string;
  description: string;
  detectionPoint: DetectionPoint;
  /** From the managed list (db/material/defect-codes.ts). */
  defectCode: string;
  lots: NcmrLot[];
  dispositions?: NcmrDisposition[];
  /** The MRB asks for a CAPA: it is started, linked as this NCMR's child, when the NCMR closes. */
  capa?: { title: string; description: string } | null;
}

/** The relation of the CAPA an NCMR starts (record link NCMR → CAPA). */
export const RESULTING_CAPA = 'resulting_capa';
/** Raised by ncmr.hold_lots when a lot cannot be held (another NCMR holds it since the API checked). */
export const HOLD_REFUSED_EVENT = 'hold_refused';

const dispositionsOf = (content: NcmrContent) => content.dispositions ?? [];
const decided = (content: NcmrContent, decision: DispositionDecision) => dispositionsOf(content).some((d) => d.decision === decision);
const blank = (text: string | null | undefined) => !text?.trim();
const positive = (quantity: string | null | undefined) => !!quantity && /^\d+(\.\d+)?$/.test(quantity) && Number(quantity) > 0;

/** What the report still lacks (a sentence), or null. */
export function reportMissing(content: NcmrContent): string | null {
  const { title, defectCode, detectionPoint, lots } = content;
  if (blank(title)) return 'the title is missing.';
  if (blank(defectCode)) return 'the defect code is missing.';
  if (!DETECTION_POINTS.includes(detectionPoint)) return 'the detection point is missing.';
  if (!lots?.length) return 'no lot is named.';
  return null;
}

/** What the MRB's dispositions still lack (a sentence naming the lot), or null. */
export function dispositionMissing(content: NcmrContent): string | null {
  const { lots = [] } = content;
  const dispositions = dispositionsOf(content);
  for (const disposition of dispositions) {
    if (!lots.some((l) => l.lotId === disposition.lotId))
      return `a disposition names lot ${disposition.lotNumber ?? disposition.lotId}, which the report does not.`;
  }
  for (const lot of lots) {
    const mine = dispositions.filter((d) => d.lotId === lot.lotId);
    const name = `lot ${lot.lotNumber}`;
    if (mine.length === 0) return `${name} has no disposition.`;
    if (mine.length > 1) return `${name} has ${mine.length} dispositions; it takes one.`;
    const d = mine[0]!;
    switch (d.decision) {
      case 'use_as_is':
        if (blank(d.justification)) return `use as is for ${name} needs a justification.`;
        break;
      case 'rework':
        if (blank(d.reworkInstructions)) return `rework of ${name} needs rework instructions.`;
        if (blank(d.reworkOwnerId)) return `rework of ${name} needs an owner.`;
        if (blank(d.reworkDueAt) || Number.isNaN(Date.parse(d.reworkDueAt!))) return `rework of ${name} needs a due date.`;
        break;
      case 'return_to_supplier':
        if (blank(d.rmaNumber)) return `return to supplier of ${name} needs the supplier's RMA number.`;
        break;
      case 'scrap':
        if (!positive(d.scrapQuantity)) return `scrapping ${name} needs the quantity scrapped.`;
        if (positive(lot.nonconformingQuantity) && Number(d.scrapQuantity) > Number(lot.nonconformingQuantity))
          return `scrapping ${name}: ${d.scrapQuantity} is more than the ${lot.nonconformingQuantity} ${lot.unit} reported nonconforming.`;
        break;
      default:
        return `${name} has no known decision (use_as_is, rework, return_to_supplier or scrap).`;
    }
  }
  return null;
}

/** Who signs the disposition: the MRB always; QA and engineering too when any lot is used as is. */
export function dispositionQuorum(content: NcmrContent): string[] {
  return decided(content, 'use_as_is') ? ['mrb', 'qa', 'approver_engineering'] : ['mrb'];
}

/** One rework task per lot the MRB sent to rework, owned and due as the MRB said. */
export function reworkTasks(content: NcmrContent): ImplementationTask[] {
  const { lots = [] } = content;
  return dispositionsOf(content)
    .filter((d) => d.decision === 'rework')
    .map((d) => {
      const lot = lots.find((l) => l.lotId === d.lotId);
      return {
        // The interpreter gives every task it opens a new id on each entry into the step (and a
        // task is completed by that id), so the key may repeat from one rework round to the next.
        key: `rework:${d.lotId}`,
        title: `Rework lot ${lot?.lotNumber ?? d.lotId}: ${d.reworkInstructions ?? ''}`,
        ownerId: d.reworkOwnerId!,
        dueAt: d.reworkDueAt ?? null,
      };
    });
}

/** The CAPA the MRB asked for, as a child; its source names the NCMR's lots (the record link names the NCMR). */
export function requestedCapa(content: NcmrContent): ChildSpec[] {
  const { capa, lots = [], title } = content;
  if (!capa) return [];
  return [
    {
      type: 'capa',
      relation: RESULTING_CAPA,
      content: {
        title: capa.title,
        description: capa.description,
        source: { kind: 'ncmr', reference: `Nonconforming material "${title}" (lots ${lots.map((l) => l.lotNumber).join(', ')})` },
        investigation: null,
        actions: [],
      },
    },
  ];
}

const afterApproval = (content: NcmrContent) => {
  if (decided(content, 'rework')) return 'actions';
  return content.capa ? 'opening_capa' : 'closed';
};

export const ncmrProcess: ProcessDefinition<NcmrContent> = {
  type: 'ncmr',
  label: 'Nonconforming material',
  prefix: 'NCMR',
  fieldLabels: {
    'lots.nonconformingQuantity': 'Nonconforming quantity',
    'dispositions.rmaNumber': 'RMA number',
    'dispositions.reworkOwnerId': 'Rework owner',
    capa: 'CAPA to open',
    'capa.title': 'CAPA title',
    'capa.description': 'CAPA description',
  },
  initial: 'reported',
  cancelRoles: ['qa', 'mrb'],
  doneForParent: ['closed'],
  // Every end, cancellation included: each held lot gets its disposition's status, or its previous one back.
  onExit: ['ncmr.settle_lots'],
  steps: {
    reported: {
      kind: 'author',
      title: 'Report the nonconformance and submit it to the MRB',
      label: 'Reported',
      performer: 'author',
      next: 'mrb_review',
      amendable: true,
      missing: reportMissing,
      // At creation: the lots go on hold (quarantine of the nonconforming material).
      onEnter: ['ncmr.hold_lots'],
      events: {
        [HOLD_REFUSED_EVENT]: {
          to: 'cancelled',
          auditAction: 'record.cancelled',
          reason: 'A lot could not be put on hold (another NCMR holds it, or it is scrapped or consumed)',
        },
      },
    },
    mrb_review: {
      kind: 'author',
      title: 'Decide the disposition of each lot',
      label: 'MRB review',
      performer: ['mrb'],
      next: 'disposition_approval',
      missing: dispositionMissing,
    },
    disposition_approval: {
      kind: 'signoff',
      title: 'Approve the disposition',
      quorum: dispositionQuorum,
      outcomes: {
        approve: { meaning: 'approved', next: afterApproval },
        reject: { meaning: 'rejected', quorum: 'any', next: 'mrb_review', auditAction: 'record.rejected', reasonRequired: true },
      },
      authorMayNotSign: true,
    },
    actions: {
      kind: 'tasks',
      title: 'Rework the lots',
      label: 'Rework',
      next: 're_inspection',
      tasks: reworkTasks,
    },
    re_inspection: {
      kind: 'signoff',
      title: 'Re-inspect the reworked lots',
      label: 'Re-inspection',
      quorum: () => ['qa'],
      // The MRB decides again on the reworked lots.
      outcomes: { reinspected: { meaning: 'reinspected', next: 'mrb_review', auditAction: 'record.reinspected' } },
      authorMayNotSign: false,
    },
    // Entered once, on the way to closed: a tasks step starts its children each time it is entered,
    // so the rework loop must not pass through here.
    opening_capa: {
      kind: 'tasks',
      title: 'Open the CAPA the MRB asked for',
      label: 'Opening the CAPA',
      next: 'closed',
      tasks: () => [],
      children: requestedCapa,
    },
    closed: { kind: 'final', title: 'Closed', sealRecord: true },
    cancelled: { kind: 'final', title: 'Cancelled', sealRecord: false },
  },
};
