// The names a record PDF prints for a record's type, states and content fields (RecordLabels).
import { humaniseKey } from './format';
import type { RecordSectionInput } from './types';

export interface Labeller {
  type: string;
  /** A state ("effectiveness_verification") as "Effectiveness verification". */
  status(status: string): string;
  /** A content field by its path of keys (array indices left out): its label, else the humanised key. */
  field(path: readonly string[]): string;
}

/** "impact_assessment" → "Impact assessment" when the process declares no label for it. */
const humaniseName = (name: string): string => humaniseKey(name);

export function labellerFor(input: Pick<RecordSectionInput, 'record' | 'labels'>): Labeller {
  const labels = input.labels;
  return {
    type: labels?.type ?? humaniseName(input.record.type),
    status: (status) => labels?.statuses[status] ?? humaniseName(status),
    field: (path) => labels?.fields[path.join('.')] ?? humaniseKey(path[path.length - 1] ?? ''),
  };
}
