// Every name a registered process shows a person has its words in both languages: each step (which
// is also a record status), each sign-off outcome's meaning and its statement, each signature meaning
// the migrations seed, and the process type; and the two translation files hold the same keys. A
// process added to processes/declarations.ts without its translations fails here, not on a page.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROCESS_DECLARATIONS } from '../../../processes/declarations';
import { humaniseName } from '../../../processes/labels';
import en from './en.json';
import zhCN from './zh-CN.json';

type Tree = { [key: string]: string | Tree };
const LOCALES: Record<string, Tree> = { en: en as Tree, 'zh-CN': zhCN as Tree };
const DECLARATIONS = Object.values(PROCESS_DECLARATIONS);

const branch = (tree: Tree, key: string): Tree => {
  const value = tree[key];
  return typeof value === 'object' ? value : {};
};
const leaf = (tree: Tree, key: string): string | undefined => {
  const value = tree[key];
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
};

/** As the app looks a step up (web/src/pages/record/action-labels.ts): the process's own wording, else the shared one. */
const stepLabel = (tree: Tree, type: string, step: string) => leaf(branch(branch(tree, 'steps'), type), step) ?? leaf(branch(tree, 'steps'), step);

/** The signature meanings the migrations seed (INSERT INTO signature_meanings (name, description) VALUES …), by name. */
function seededMeanings(): Map<string, string> {
  const dir = join(__dirname, '../../../db/migrations');
  const seeded = new Map<string, string>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.sql'))) {
    const sql = readFileSync(join(dir, file), 'utf8');
    for (const insert of sql.matchAll(/INSERT INTO signature_meanings \(name, description\) VALUES([\s\S]*?);/g))
      for (const row of insert[1]!.matchAll(/\('([a-z_]+)',\s*'((?:[^']|'')*)'\)/g)) seeded.set(row[1]!, row[2]!.replace(/''/g, "'"));
  }
  return seeded;
}

const outcomeMeanings = () =>
  DECLARATIONS.flatMap((d) => Object.values(d.steps).flatMap((step) => (step.kind === 'signoff' ? Object.values(step.outcomes).map((o) => o.meaning) : [])));

/** Every audit action a declaration names (an outcome's, a rejection's, an event's, a step's), wherever it sits. */
function declaredAuditActions(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(declaredAuditActions);
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, v]) => (key === 'auditAction' && typeof v === 'string' ? [v] : declaredAuditActions(v)));
}

/** Every key as a dotted path; plural forms (i18next's _one, _other…) count as their base key, since languages differ in how many they have. */
function keysOf(tree: Tree, prefix = ''): string[] {
  return Object.entries(tree).flatMap(([key, value]) =>
    typeof value === 'object' ? keysOf(value, `${prefix}${key}.`) : [`${prefix}${key.replace(/_(zero|one|two|few|many|other)$/, '')}`],
  );
}

/**
 * Translations of the API's own English (a schema's description, a process's field label): the app
 * shows the API's words in English, so only the other languages carry these (web/src/forms/field-label.ts,
 * web/src/pages/record/record-content.tsx).
 */
const API_ENGLISH = ['fieldHelp.', 'processFields.'];

test('the migrations seed signature meanings, and the declarations have sign-off outcomes', () => {
  expect(seededMeanings().get('approved')).toBe('I approve this record');
  expect(seededMeanings().has('reinspected')).toBe(true);
  expect(outcomeMeanings()).toEqual(expect.arrayContaining(['approved', 'rejected', 'verified']));
});

describe.each(Object.keys(LOCALES))('%s', (locale) => {
  const tree = LOCALES[locale]!;

  test.each(DECLARATIONS.map((d) => [d.type, d] as const))('every step of %s has a label, and the process its name', (type, definition) => {
    const missing = Object.keys(definition.steps).filter((step) => stepLabel(tree, type, step) === undefined);
    expect(missing).toEqual([]);
    expect(leaf(branch(tree, 'recordTypes'), type)).toBeDefined();
  });

  test('every audit action a declaration names has a label', () => {
    const actions = [...new Set(DECLARATIONS.flatMap(declaredAuditActions))].sort();
    expect(actions).toEqual(expect.arrayContaining(['record.rejected', 'record.reopened', 'record.superseded']));
    const label = (action: string) =>
      action.split('.').reduce<string | Tree | undefined>((node, key) => (typeof node === 'object' ? node[key] : undefined), branch(tree, 'auditActions'));
    expect(actions.filter((a) => typeof label(a) !== 'string')).toEqual([]);
  });

  test('every meaning a sign-off outcome carries or the migrations seed has a label and a statement', () => {
    const meanings = [...new Set([...outcomeMeanings(), ...seededMeanings().keys()])].sort();
    expect(meanings.filter((m) => leaf(branch(tree, 'meanings'), m) === undefined)).toEqual([]);
    expect(meanings.filter((m) => leaf(branch(tree, 'meaningStatements'), m) === undefined)).toEqual([]);
  });
});

test('in English, a step the declaration names, a seeded meaning’s statement and a process type read as the API says them', () => {
  const tree = LOCALES.en!;
  for (const definition of DECLARATIONS) {
    expect(leaf(branch(tree, 'recordTypes'), definition.type)).toBe(definition.label ?? humaniseName(definition.type));
    for (const [name, step] of Object.entries(definition.steps))
      if (step.label) expect([definition.type, name, stepLabel(tree, definition.type, name)]).toEqual([definition.type, name, step.label]);
  }
  for (const [name, description] of seededMeanings()) expect([name, leaf(branch(tree, 'meaningStatements'), name)]).toEqual([name, `${description}.`]);
});

test('no step is named as a process type, so `steps.<type>` (a process’s own wording) never hides a step', () => {
  const types = DECLARATIONS.map((d) => d.type as string);
  expect(DECLARATIONS.flatMap((d) => Object.keys(d.steps)).filter((step) => types.includes(step))).toEqual([]);
});

test('en.json and zh-CN.json have the same keys (but for translations of the API’s own English)', () => {
  const en = new Set(keysOf(LOCALES.en!));
  const zh = new Set(keysOf(LOCALES['zh-CN']!));
  expect([...en].filter((key) => !zh.has(key))).toEqual([]);
  expect([...zh].filter((key) => !en.has(key) && !API_ENGLISH.some((prefix) => key.startsWith(prefix)))).toEqual([]);
});
