// The form builder: request schemas (as the served OpenAPI document states them) → fields, empty
// values, validation before sending, and the request body.
import { describe, expect, test } from '@jest/globals';
import type { OpenApiDocument } from './openapi-schema';
import { creatableProcesses } from './openapi-processes';
import { bodyOf, fieldsOf, initialValues, validateValues, type FormValues } from './schema-fields';

const SHA = 'a'.repeat(64);
/** What the API puts on free text (api/common/control-characters.pipe.ts). */
const NO_CONTROL_CHARACTERS = '^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]*$';

/** Shaped like the served document: $refs, a nested object, enums, lists, a file hash and a date. */
const document: OpenApiDocument = {
  paths: {
    '/api/change-controls': {
      get: { summary: 'Change control records, filtered and paged (GET /api/records?type=change_control)' },
      post: { requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/CreateChangeControlDto' } } } } },
    },
    '/api/change-controls/{id}/submit': {
      post: { requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/ChangeControlFieldsDto' } } } } },
    },
    '/api/document-revisions': {
      get: { summary: 'Document revision records, filtered and paged' },
      post: { requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/CreateDocumentRevisionDto' } } } } },
    },
    '/api/document-revisions/{id}/submit': {
      post: { requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/DocumentRevisionFieldsDto' } } } } },
    },
    // Not a process: no submit.
    '/api/documents': { post: { requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/RegisterDocumentDto' } } } } } },
    '/api/admin/users': { post: { requestBody: { content: { 'application/json': { schema: { type: 'object' } } } } } },
  },
  components: {
    schemas: {
      CreateChangeControlDto: {
        type: 'object',
        properties: {
          title: { type: 'string', minLength: 3, maxLength: 200 },
          description: { type: 'string', minLength: 1, maxLength: 20000 },
          riskLevel: { type: 'string', enum: ['low', 'medium', 'high'] },
        },
        required: ['title', 'description', 'riskLevel'],
      },
      ImpactAssessmentDto: {
        type: 'object',
        properties: {
          affectedDocuments: { type: 'array', items: { type: 'string' }, description: 'Numbers of controlled documents' },
          affectedAreas: { type: 'array', items: { type: 'string', enum: ['engineering', 'production'] } },
          validationRequired: { type: 'boolean' },
          riskLevel: { type: 'string', enum: ['low', 'medium', 'high'] },
        },
        required: ['affectedDocuments', 'affectedAreas', 'validationRequired', 'riskLevel'],
      },
      ChangeControlFieldsDto: {
        allOf: [
          { type: 'object', properties: { title: { type: 'string', maxLength: 200 } } },
          {
            type: 'object',
            properties: {
              impact: { $ref: '#/components/schemas/ImpactAssessmentDto' },
              implementationTasks: { type: 'array', items: { $ref: '#/components/schemas/PlannedTaskDto' } },
            },
          },
        ],
      },
      PlannedTaskDto: { type: 'object', properties: { title: { type: 'string' } } },
      CreateDocumentRevisionDto: {
        type: 'object',
        properties: {
          documentNumber: { type: 'string', pattern: '^[A-Z0-9][A-Z0-9-]{1,39}$' },
          changeSummary: { type: 'string', maxLength: 4000, pattern: NO_CONTROL_CHARACTERS },
        },
        required: ['documentNumber', 'changeSummary'],
      },
      DocumentRevisionFieldsDto: {
        type: 'object',
        properties: {
          fileSha256: { type: 'string', pattern: '^[0-9a-f]{64}$', description: 'SHA-256 of a file uploaded with POST /api/documents/files' },
          effectiveDate: { type: 'string' },
          reviewerRoles: { type: 'array', items: { type: 'string' } },
          changeSummary: { type: 'string', maxLength: 4000 },
          copies: { type: 'integer', minimum: 1, maximum: 9 },
        },
      },
      RegisterDocumentDto: { type: 'object', properties: { number: { type: 'string' } } },
    },
  },
};

const processes = creatableProcesses(document);
const changeControl = processes.find((p) => p.route === 'change-controls')!;
const revision = processes.find((p) => p.route === 'document-revisions')!;

describe('the processes one can create, from the document', () => {
  test('every POST /api/<route> with a submit per record, labelled from its list summary; registers and admin are not processes', () => {
    expect(processes.map((p) => [p.route, p.label])).toEqual([
      ['change-controls', 'Change control'],
      ['document-revisions', 'Document revision'],
    ]);
    expect(changeControl.create.properties).toHaveProperty('riskLevel');
    expect(changeControl.submit?.properties).toHaveProperty('impact');
  });
});

describe('schema → fields', () => {
  test('strings by length, enums as choices, requiredness from the schema', () => {
    expect(fieldsOf(document, changeControl.create)).toEqual([
      { name: 'title', kind: 'text', required: true, minLength: 3, maxLength: 200 },
      { name: 'description', kind: 'textarea', required: true, minLength: 1, maxLength: 20000 },
      { name: 'riskLevel', kind: 'select', required: true, options: ['low', 'medium', 'high'] },
    ]);
  });

  test('allOf merged, $ref followed into a nested group; lists, multiple choice, checkboxes; a list of objects is not drawn', () => {
    const fields = fieldsOf(document, changeControl.submit);
    expect(fields.map((f) => [f.name, f.kind])).toEqual([
      ['title', 'text'],
      ['impact', 'object'],
      ['implementationTasks', 'unsupported'],
    ]);
    expect(fields[1]!.fields!.map((f) => [f.name, f.kind, f.required])).toEqual([
      ['affectedDocuments', 'list', true],
      ['affectedAreas', 'multiselect', true],
      ['validationRequired', 'boolean', true],
      ['riskLevel', 'select', true],
    ]);
    expect(fields[1]!.fields![1]!.options).toEqual(['engineering', 'production']);
  });

  test('a file hash becomes an upload, a date an instant, an integer a number; fields of another form can be left out', () => {
    const fields = fieldsOf(document, revision.submit, ['changeSummary']);
    expect(fields.map((f) => [f.name, f.kind])).toEqual([
      ['fileSha256', 'file'],
      ['effectiveDate', 'datetime'],
      ['reviewerRoles', 'list'],
      ['copies', 'number'],
    ]);
    expect(fields[0]!.description).toContain('POST /api/documents/files');
  });
});

describe('validation and the request body', () => {
  const fields = fieldsOf(document, changeControl.create);

  test('an empty form names every required field; too short, not an option', () => {
    expect(validateValues(fields, initialValues(fields))).toEqual({
      title: { code: 'required' },
      description: { code: 'required' },
      riskLevel: { code: 'required' },
    });
    expect(validateValues(fields, { title: ' ab ', description: 'x', riskLevel: 'extreme' })).toEqual({
      title: { code: 'tooShort', limit: 3 },
      riskLevel: { code: 'notAnOption' },
    });
  });

  test('lengths count characters, not UTF-16 units: a Chinese title of 3 characters is long enough', () => {
    expect(validateValues(fields, { title: '更换圈', description: '说明', riskLevel: 'low' })).toEqual({});
    expect(bodyOf(fields, { title: ' 更换外壳 O 形圈供应商 ', description: '说明', riskLevel: 'low' })).toEqual({
      title: '更换外壳 O 形圈供应商',
      description: '说明',
      riskLevel: 'low',
    });
  });

  test('a pattern is checked; a patterned string is one line whatever its length', () => {
    const create = fieldsOf(document, revision.create);
    expect(create.map((f) => [f.name, f.kind])).toEqual([
      ['documentNumber', 'text'],
      ['changeSummary', 'textarea'],
    ]);
    expect(validateValues(create, { documentNumber: 'wi-1', changeSummary: 'x' })).toEqual({ documentNumber: { code: 'pattern' } });
    expect(validateValues(create, { documentNumber: 'WI-PRD-0100', changeSummary: 'line one\nline two' })).toEqual({});
    expect(validateValues(create, { documentNumber: 'WI-PRD-0100', changeSummary: 'bell \u0007' })).toEqual({ changeSummary: { code: 'pattern' } });
  });

  test('optional fields left empty are not sent; a nested group left empty is not sent, a started one is checked', () => {
    const submit = fieldsOf(document, changeControl.submit);
    const empty = initialValues(submit);
    expect(validateValues(submit, empty)).toEqual({});
    expect(bodyOf(submit, empty)).toEqual({});

    const started: FormValues = { ...empty, impact: { ...(empty.impact as FormValues), affectedDocuments: 'SOP-1\n\n  WI-2 ' } };
    expect(validateValues(submit, started)).toEqual({ 'impact.riskLevel': { code: 'required' } });
    (started.impact as FormValues).riskLevel = 'high';
    (started.impact as FormValues).affectedAreas = ['production'];
    expect(bodyOf(submit, started)).toEqual({
      impact: { affectedDocuments: ['SOP-1', 'WI-2'], affectedAreas: ['production'], validationRequired: false, riskLevel: 'high' },
    });
  });

  test('numbers within their bounds; instants sent as ISO 8601; the file as its hash', () => {
    const submit = fieldsOf(document, revision.submit);
    const values: FormValues = { ...initialValues(submit), copies: '12', effectiveDate: 'soon' };
    expect(validateValues(submit, values)).toEqual({ copies: { code: 'tooLarge', limit: 9 }, effectiveDate: { code: 'notADate' } });
    const body = bodyOf(submit, { ...values, copies: '2', effectiveDate: '2026-12-07T10:30', fileSha256: SHA, reviewerRoles: 'approver_engineering' });
    expect(body).toEqual({
      fileSha256: SHA,
      effectiveDate: new Date('2026-12-07T10:30').toISOString(),
      reviewerRoles: ['approver_engineering'],
      copies: 2,
    });
  });
});
