import { auditChangeLines } from './audit-changes';
import { labellerFor } from './labels';
import { timeFormatter } from './format';

const label = labellerFor({
  record: { id: 'r', number: 'CC-1', type: 'change_control', title: '', status: 'closed', version: 2, contentHash: '', createdAt: new Date(0), createdBy: '' },
  labels: {
    type: 'Change control',
    statuses: { impact_assessment: 'Impact assessment', effectiveness_verification: 'Effectiveness verification' },
    fields: { riskLevel: 'Risk level (change request)', impact: 'Impact assessment', 'impact.riskLevel': 'Risk level (impact assessment)' },
  },
});

test('a transition: the state by its label, the fields it set with their values', () => {
  expect(auditChangeLines({ status: 'draft' }, { status: 'impact_assessment', version: 1, contentHash: 'abc' }, label)).toEqual([
    'Status: Draft → Impact assessment',
    'Version: 1',
    'Content hash: abc',
  ]);
});

test('an amendment: only the changed content fields, named as in the content, long text as text', () => {
  const long = 'word '.repeat(400).trim();
  const before = { version: 1, content: { title: 'T', riskLevel: 'low', impact: { riskLevel: 'low', items: ['a'] }, description: 'short' } };
  const after = { version: 2, content: { title: 'T', riskLevel: 'high', impact: { riskLevel: 'medium', items: ['a', 'b'] }, description: long } };
  expect(auditChangeLines(before, after, label)).toEqual([
    'Version: 1 → 2',
    'Risk level (change request): low → high',
    'Impact assessment › Risk level (impact assessment): low → medium',
    'Impact assessment › Items: a → a, b',
    `Description: short → ${long}`,
  ]);
});

test('a creation lists every field; items of lists of objects are numbered; removed fields say so', () => {
  expect(auditChangeLines(null, { tasks: [{ title: 'A', owner: 'Pedro Rossi' }], flag: true, none: null }, label)).toEqual([
    'Tasks 1 › Title: A',
    'Tasks 1 › Owner: Pedro Rossi',
    'Flag: Yes',
    'None: —',
  ]);
  expect(auditChangeLines({ a: 1, b: 2 }, { a: 1 }, label)).toEqual(['B: 2 → (removed)']);
  expect(auditChangeLines(null, null, label)).toEqual([]);
  expect(auditChangeLines({ note: 'x' }, undefined, label)).toEqual(['Note: x → —']);
});

test('instants inside values are printed in the PDF’s zone, like the time column; other text stays as it is', () => {
  const time = timeFormatter('Asia/Shanghai');
  expect(
    auditChangeLines(
      { dueAt: '2026-03-14T01:26:53.120Z' },
      { dueAt: '2026-03-15T01:26:53Z', effectiveDate: '2026-04-01', note: 'due 2026-03-15T01:26:53Z as agreed', times: ['2026-03-16T00:00:00+00:00'] },
      label,
      time,
    ),
  ).toEqual([
    'Due at: 2026-03-14 09:26:53 +08:00 → 2026-03-15 09:26:53 +08:00',
    'Effective date: 2026-04-01',
    'Note: due 2026-03-15T01:26:53Z as agreed',
    'Times: 2026-03-16 08:00:00 +08:00',
  ]);
});
