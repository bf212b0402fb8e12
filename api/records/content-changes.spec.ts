import { contentChanges, sameJson, type JsonValue } from './content-changes';

const TASKS = [
  { title: 'Update drawing', ownerUsername: 'engineering' },
  { title: 'Qualify supplier', ownerUsername: 'production' },
];

describe('contentChanges', () => {
  test('equal content has no changes, whatever the key order', () => {
    const a: JsonValue = { title: 'O-ring', impact: { riskLevel: 'low', affectedAreas: ['engineering'] }, tasks: TASKS };
    const b: JsonValue = { tasks: TASKS, impact: { affectedAreas: ['engineering'], riskLevel: 'low' }, title: 'O-ring' };
    expect(contentChanges(a, b)).toEqual([]);
    expect(sameJson(a, b)).toBe(true);
  });

  test('a changed field is named by its path, with the value before and after', () => {
    const changes = contentChanges(
      { title: 'A', impact: { riskLevel: 'low', riskRationale: 'x' } },
      { title: 'A', impact: { riskLevel: 'high', riskRationale: 'x' } },
    );
    expect(changes).toEqual([{ path: ['impact', 'riskLevel'], kind: 'changed', before: 'low', after: 'high' }]);
  });

  test('fields added and removed carry only the value they have', () => {
    expect(contentChanges({ title: 'A', reason: 'old' }, { title: 'A', description: 'new' })).toEqual([
      { path: ['description'], kind: 'added', after: 'new' },
      { path: ['reason'], kind: 'removed', before: 'old' },
    ]);
  });

  test('a list of plain values is one field: the whole list before and after', () => {
    expect(contentChanges({ items: ['4711-02', '4711-03'] }, { items: ['4711-01', '4711-02', '4711-03'] })).toEqual([
      { path: ['items'], kind: 'changed', before: ['4711-02', '4711-03'], after: ['4711-01', '4711-02', '4711-03'] },
    ]);
  });

  test('a list of objects is compared entry by entry: a changed owner, an entry added at the end, one removed', () => {
    const moved = [TASKS[0]!, { ...TASKS[1]!, ownerUsername: 'qa' }, { title: 'Train operators', ownerUsername: 'production' }];
    expect(contentChanges({ tasks: TASKS }, { tasks: moved })).toEqual([
      { path: ['tasks', '1', 'ownerUsername'], kind: 'changed', before: 'production', after: 'qa' },
      { path: ['tasks', '2'], kind: 'added', after: { title: 'Train operators', ownerUsername: 'production' } },
    ]);
    expect(contentChanges({ tasks: TASKS }, { tasks: [TASKS[0]!] })).toEqual([{ path: ['tasks', '1'], kind: 'removed', before: TASKS[1]! }]);
  });

  test('a value that changes kind (null, number, object, list) is reported whole', () => {
    expect(contentChanges({ dueAt: null }, { dueAt: '2027-01-01' })).toEqual([{ path: ['dueAt'], kind: 'changed', before: null, after: '2027-01-01' }]);
    expect(contentChanges({ q: 1 }, { q: '1' })).toEqual([{ path: ['q'], kind: 'changed', before: 1, after: '1' }]);
    expect(contentChanges({ x: { a: 1 } }, { x: [{ a: 1 }] })).toEqual([{ path: ['x'], kind: 'changed', before: { a: 1 }, after: [{ a: 1 }] }]);
    expect(contentChanges('a', 'b')).toEqual([{ path: [], kind: 'changed', before: 'a', after: 'b' }]);
  });

  test('false, 0 and the empty string are values, not absences', () => {
    expect(contentChanges({ v: false, n: 0, s: '' }, { v: true, n: 0, s: 'x' })).toEqual([
      { path: ['v'], kind: 'changed', before: false, after: true },
      { path: ['s'], kind: 'changed', before: '', after: 'x' },
    ]);
  });
});
