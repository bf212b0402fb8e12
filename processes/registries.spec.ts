// The two registries name every process once, under its own type, with the same declaration.
import { PROCESS_WORKFLOWS, type ProcessType } from '../workflows/contracts/process-contracts';
import { PROCESS_DECLARATIONS } from './declarations';
import { processLabels, processNoun } from './labels';
import { PROCESS_MODULES } from './modules';

const types = Object.keys(PROCESS_WORKFLOWS) as ProcessType[];

test('every process type has its declaration and its module, filed under its own type', () => {
  expect(Object.keys(PROCESS_DECLARATIONS).sort()).toEqual([...types].sort());
  expect(Object.keys(PROCESS_MODULES).sort()).toEqual([...types].sort());
  for (const type of types) {
    expect(PROCESS_DECLARATIONS[type].type).toBe(type);
    expect(PROCESS_MODULES[type].definition).toBe(PROCESS_DECLARATIONS[type]);
  }
});

test('every module has its own route, and each declaration its own record number prefix', () => {
  const routes = Object.values(PROCESS_MODULES).map((m) => m.route);
  expect(new Set(routes).size).toBe(routes.length);
  for (const route of routes) expect(route).toMatch(/^[a-z]+(-[a-z]+)*$/);
  const prefixes = Object.values(PROCESS_DECLARATIONS).map((d) => d.prefix);
  expect(new Set(prefixes).size).toBe(prefixes.length);
});

test('labels and nouns come from the declarations', () => {
  expect(processLabels('change_control').type).toBe('Change control');
  expect(processNoun('change_control')).toBe('change control');
  expect(processNoun('document_revision')).toBe('document revision');
  expect(processNoun('capa')).toBe('CAPA');
});
