import { enumPathsOf } from './enum-paths';

test('every property stating an enum, nested and in lists, by dotted path without indices', () => {
  const paths = enumPathsOf({
    type: 'object',
    properties: {
      title: { type: 'string' },
      riskLevel: { type: 'string', enum: ['low', 'medium', 'high'] },
      impact: {
        type: 'object',
        properties: {
          affectedAreas: { type: 'array', items: { type: 'string', enum: ['engineering', 'production'] } },
          riskRationale: { type: 'string' },
        },
      },
      dispositions: { type: 'array', items: { type: 'object', properties: { decision: { type: 'string', enum: ['scrap'] }, note: { type: 'string' } } } },
    },
  });
  expect([...paths].sort()).toEqual(['dispositions.decision', 'impact.affectedAreas', 'riskLevel']);
});

test('a schema with no choices has none; a bare enum at the top names no field', () => {
  expect(enumPathsOf({ type: 'object', properties: { note: { type: 'string' } } }).size).toBe(0);
  expect(enumPathsOf({ type: 'string', enum: ['a'] }).size).toBe(0);
});
