// docs/compliance-matrix.md points each Part 11 / Annex 11 control at its code and its tests. This
// test keeps it pointing at things that exist: every repository path it cites, every function named
// after a path (`file` › `name`) and every test title quoted after a test file (`file` › “title”),
// word for word as the test file writes it. It also checks that every clause of the regulatory
// brief (PART11.md) has a row naming at least one test. It reads files only; no services.
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

const ROOT = path.join(__dirname, '..');
const MATRIX = 'docs/compliance-matrix.md';

/** The clauses of PART11.md's table; each needs a row of the matrix's first table. */
const CLAUSES = [
  '11.10(a)',
  '11.10(b)',
  '11.10(c)',
  '11.10(d)',
  '11.10(e)',
  '11.10(f)',
  '11.10(g)',
  '11.10(h)',
  '11.10(i)',
  '11.10(j)',
  '11.10(k)',
  '11.50',
  '11.70',
  '11.100',
  '11.200(a)',
  '11.300(a)–(b)',
  '11.300(c)',
  '11.300(d)',
  '11.300(e)',
  'Annex 11 §9, §12, §14',
];

/** A code span that is a path in this repository (top-level folders of the project). */
const REPO_PATH = /^(activities|api|bench|bin|cli|config|db|docs|processes|signatures|templates|test|web|workflows)\/[^\s`*]*$/;

/** Calls that declare a Jest test: test(), it(), and the browser journeys' step() (test/support/browser-journey.ts). */
const TEST_CALLS = ['test', 'it', 'step'];

/** The titles of the test(), it() and step() calls of a test file, exactly as written (string literals only). */
function testTitles(file: string): Set<string> {
  const source = ts.createSourceFile(file, fs.readFileSync(path.join(ROOT, file), 'utf8'), ts.ScriptTarget.Latest, true);
  const titles = new Set<string>();
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node)) {
      let callee: ts.Expression = node.expression;
      while (ts.isPropertyAccessExpression(callee) || ts.isCallExpression(callee)) callee = callee.expression;
      const first = node.arguments[0];
      if (ts.isIdentifier(callee) && TEST_CALLS.includes(callee.text) && first && (ts.isStringLiteral(first) || ts.isNoSubstitutionTemplateLiteral(first))) {
        titles.add(first.text);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return titles;
}

/** Whether a source file declares `name`: a function, class, constant, type or method. */
function declares(file: string, name: string): boolean {
  const text = fs.readFileSync(path.join(ROOT, file), 'utf8');
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(function\\*?|class|const|let|type|interface)\\s+${escaped}\\b|^\\s*(public\\s+|private\\s+)?(async\\s+)?${escaped}\\s*[(<]`, 'm').test(
    text,
  );
}

/** The table rows (header and rule lines left out) of a markdown text, split into cells. */
function tableRows(markdown: string): string[][] {
  return markdown
    .split('\n')
    .filter((line) => line.startsWith('|') && !/^\|\s*-/.test(line))
    .map((line) =>
      line
        .trim()
        .replace(/^\||\|$/g, '')
        .split(' | ')
        .map((cell) => cell.trim()),
    );
}

const isFile = (p: string): boolean => fs.existsSync(path.join(ROOT, p)) && fs.statSync(path.join(ROOT, p)).isFile();

/** Everything the matrix cites that does not exist, one sentence each. */
function problemsIn(markdown: string): string[] {
  const problems: string[] = [];
  const titles = new Map<string, Set<string>>();
  for (const row of tableRows(markdown)) {
    const text = row.join(' | ');
    for (const [, cited] of text.matchAll(/`([^`]+)`/g)) {
      if (REPO_PATH.test(cited!) && !fs.existsSync(path.join(ROOT, cited!))) problems.push(`${cited} does not exist`);
    }
    for (const [, file, list] of text.matchAll(/`([^`]+)` › ((?:`[^`/]+`(?:, )?)+)/g)) {
      if (!isFile(file!)) continue;
      for (const [, name] of list!.matchAll(/`([^`]+)`/g)) {
        if (!declares(file!, name!)) problems.push(`${file} declares no ${name}`);
      }
    }
    const titleLists = /`([^`]+\.(?:test|spec)\.ts)` › ((?:“[^”]*”(?:, )?)+)/g;
    for (const [stray] of text.replace(titleLists, '').matchAll(/“[^”]*”/g)) problems.push(`${stray} follows no test file`);
    for (const [, file, list] of text.matchAll(titleLists)) {
      if (!isFile(file!)) continue;
      if (!titles.has(file!)) titles.set(file!, testTitles(file!));
      for (const [, title] of list!.matchAll(/“([^”]*)”/g)) {
        if (!titles.get(file!)!.has(title!)) problems.push(`${file} has no test “${title}”`);
      }
    }
  }
  return problems;
}

const matrix = fs.readFileSync(path.join(ROOT, MATRIX), 'utf8');

test('every path, function and test title the matrix cites exists, word for word', () => {
  expect(problemsIn(matrix)).toEqual([]);
});

test('every clause of PART11.md has a row in the first table, and that row names a test', () => {
  const firstTable = matrix.slice(0, matrix.indexOf('\n## '));
  const rows = tableRows(firstTable).slice(1);
  const missing = CLAUSES.filter((clause) => {
    const row = rows.find((cells) => cells[0]!.startsWith(clause));
    return !row || !/`[^`]+\.(test|spec)\.ts` › “/.test(row[3] ?? '');
  });
  expect(missing).toEqual([]);
});

test('the check finds a missing file, an undeclared function, a test title that is not word for word, and a title after no test file', () => {
  const doctored = [
    '| clause | control | code | test(s) | status |',
    '| --- | --- | --- | --- | --- |',
    '| x | y | `signatures/no-such-file.ts`, `signatures/audit-chain.ts` › `noSuchFunction` | `test/audit-tamper.test.ts` › “a deleted event is named as missing”, “a deleted event is named as missing…”; `test/audit-tamper.test.ts` (by hand) › “an intact trail verifies” | shown |',
  ].join('\n');
  expect(problemsIn(doctored)).toEqual([
    'signatures/no-such-file.ts does not exist',
    'signatures/audit-chain.ts declares no noSuchFunction',
    '“an intact trail verifies” follows no test file',
    'test/audit-tamper.test.ts has no test “a deleted event is named as missing…”',
  ]);
});
