// The one form builder over the creation pages' schemas (as the served OpenAPI document states
// them): the processes one can create, fields, empty values, the checks before sending, and the
// request body. Moved from the creation pages' own builder (web/src/forms/creation/, merged into
// this one); the record page's action forms are in form-fields.spec.ts.
import { describe, expect, test } from '@jest/globals';
import type { OpenApiDocument } from './json-schema';
import { creatableProcesses } from './openapi-processes';
import {
  bodyOf,
  fieldsOf,
  initialValues,
  problemsOf,
  widgetKeyOf,
  widgetOf,
  type Field,
  type FormValues,
  type GroupField,
  type RowsField,
  type WidgetRegistry,
} from './form-fields';

const SHA = 'a'.repeat(64);
/** What the API puts on free text (api/common/control-characters.pipe.ts). */
const NO_CONTROL_CHARACTERS = '^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]*$';

/** Shaped like the served document: $refs, nested objects, enums, lists, lists of objects, a file hash and a date. */
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
    '/api/capas': {
      get: { summary: 'CAPA records, filtered and paged' },
      post: { requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/CreateCapaDto' } } } } },
    },
    '/api/capas/{id}/submit': {
      post: { requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/CapaFieldsDto' } } } } },
    },
    '/api/ncmrs': {
      post: { requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/CreateNcmrDto' } } } } },
    },
    '/api/ncmrs/{id}/submit': {
      post: { requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/NcmrFieldsDto' } } } } },
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
      CreateCapaDto: {
        type: 'object',
        properties: {
          title: { type: 'string', minLength: 3, maxLength: 200 },
          source: { $ref: '#/components/schemas/CapaSourceDto' },
        },
        required: ['title', 'source'],
      },
      CapaSourceDto: {
        type: 'object',
        properties: { kind: { type: 'string', enum: ['ncmr', 'complaint'] }, reference: { type: 'string', minLength: 1, maxLength: 200 } },
        required: ['kind', 'reference'],
      },
      CapaFieldsDto: {
        type: 'object',
        properties: {
          title: { type: 'string', minLength: 3, maxLength: 200 },
          investigation: { $ref: '#/components/schemas/InvestigationDto' },
          actions: { type: 'array', items: { $ref: '#/components/schemas/CapaActionDto' }, maxItems: 100 },
        },
      },
      InvestigationDto: {
        type: 'object',
        properties: { rootCause: { type: 'string', minLength: 1, maxLength: 20000 }, method: { type: 'string', minLength: 1, maxLength: 200 } },
        required: ['rootCause', 'method'],
      },
      CapaActionDto: {
        type: 'object',
        properties: {
          title: { type: 'string', minLength: 3, maxLength: 300 },
          ownerUsername: { type: 'string', minLength: 1, maxLength: 64 },
          dueAt: { type: 'string', description: 'ISO 8601 date-time' },
          changeControl: { description: 'When set, the action starts this change control', allOf: [{ $ref: '#/components/schemas/CreateChangeControlDto' }] },
        },
        required: ['title', 'ownerUsername'],
      },
      CreateNcmrDto: {
        type: 'object',
        properties: {
          title: { type: 'string', minLength: 3, maxLength: 200 },
          lots: {
            type: 'array',
            minItems: 1,
            maxItems: 50,
            items: {
              type: 'object',
              properties: {
                lotId: { type: 'string', format: 'uuid', 'x-attestflow-reference': 'lot', description: 'The lot (GET /api/lots)' },
                nonconformingQuantity: { type: 'number', minimum: 0, exclusiveMinimum: true, maximum: 99999999999999 },
              },
              required: ['lotId', 'nonconformingQuantity'],
            },
          },
        },
        required: ['title', 'lots'],
      },
      NcmrFieldsDto: { type: 'object', properties: { title: { type: 'string', minLength: 3, maxLength: 200 } } },
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
const byRoute = (route: string) => processes.find((p) => p.route === route)!;
const changeControl = byRoute('change-controls');
const revision = byRoute('document-revisions');
const capa = byRoute('capas');
const ncmr = byRoute('ncmrs');
const byName = (fields: readonly Field[], name: string) => fields.find((f) => f.name === name)!;
/** The draft's own fields, as the creation page offers them: the submission schema less what creation asks. */
const draftOf = (process: typeof capa) => fieldsOf(process.submit!, { omit: fieldsOf(process.create).map((f) => f.name) });

describe('the processes one can create, from the document', () => {
  test('every POST /api/<route> with a submit per record, labelled from its list summary (else its route); registers and admin are not processes', () => {
    expect(processes.map((p) => [p.route, p.label])).toEqual([
      ['capas', 'CAPA'],
      ['change-controls', 'Change control'],
      ['document-revisions', 'Document revision'],
      ['ncmrs', 'Ncmrs'],
    ]);
    expect(changeControl.create.properties).toHaveProperty('riskLevel');
    expect(changeControl.submit?.properties).toHaveProperty('impact');
  });
});

describe('schema → fields', () => {
  test('strings by length, enums as choices, requiredness from the schema', () => {
    expect(fieldsOf(changeControl.create)).toEqual([
      { name: 'title', path: 'title', kind: 'text', required: true, minLength: 3, maxLength: 200 },
      { name: 'description', path: 'description', kind: 'textarea', required: true, minLength: 1, maxLength: 20000 },
      { name: 'riskLevel', path: 'riskLevel', kind: 'select', required: true, options: ['low', 'medium', 'high'] },
    ]);
  });

  test('allOf merged (properties of every part), $ref followed into a nested group; lists, multiple choice, checkboxes; a list of objects is rows', () => {
    const fields = fieldsOf(changeControl.submit!);
    expect(fields.map((f) => [f.name, f.kind])).toEqual([
      ['title', 'text'],
      ['impact', 'group'],
      ['implementationTasks', 'rows'],
    ]);
    const impact = fields[1] as GroupField;
    expect(impact.fields.map((f) => [f.name, f.kind, f.required])).toEqual([
      ['affectedDocuments', 'lines', true],
      ['affectedAreas', 'choices', true],
      ['validationRequired', 'boolean', true],
      ['riskLevel', 'select', true],
    ]);
    expect(byName(impact.fields, 'affectedAreas')).toMatchObject({ options: ['engineering', 'production'] });
    expect((fields[2] as RowsField).fields.map((f) => [f.path, f.kind])).toEqual([['title', 'text']]);
  });

  test('a file hash becomes an upload, a date an instant, an integer a number; fields of another form can be left out', () => {
    const fields = fieldsOf(revision.submit!, { omit: ['changeSummary'] });
    expect(fields.map((f) => [f.name, f.kind])).toEqual([
      ['fileSha256', 'file'],
      ['effectiveDate', 'datetime'],
      ['reviewerRoles', 'lines'],
      ['copies', 'number'],
    ]);
    expect(fields[0]!.description).toContain('POST /api/documents/files');
    expect(byName(fields, 'copies')).toMatchObject({ integer: true, minimum: 1, maximum: 9 });
  });

  test('a CAPA: its source is a required group at creation; its draft adds the investigation and the actions, each action with an optional change control', () => {
    expect(fieldsOf(capa.create).map((f) => [f.name, f.kind, f.required])).toEqual([
      ['title', 'text', true],
      ['source', 'group', true],
    ]);
    const draft = draftOf(capa);
    expect(draft.map((f) => [f.name, f.kind])).toEqual([
      ['investigation', 'group'],
      ['actions', 'rows'],
    ]);
    const actions = byName(draft, 'actions') as RowsField;
    expect(actions.fields.map((f) => [f.path, f.kind, f.required])).toEqual([
      ['title', 'text', true],
      ['ownerUsername', 'text', true],
      ['dueAt', 'datetime', false],
      ['changeControl', 'group', false],
    ]);
    const changeControlGroup = byName(actions.fields, 'changeControl') as GroupField;
    expect(changeControlGroup.description).toBe('When set, the action starts this change control');
    expect(changeControlGroup.fields.map((f) => f.path)).toEqual(['changeControl.title', 'changeControl.description', 'changeControl.riskLevel']);
  });

  test('an NCMR: its lots are required rows (at least one), a quantity above zero', () => {
    const lots = byName(fieldsOf(ncmr.create), 'lots') as RowsField;
    expect(lots).toMatchObject({ kind: 'rows', required: true, minItems: 1, maxItems: 50 });
    expect(lots.fields.map((f) => [f.name, f.kind])).toEqual([
      ['lotId', 'reference'],
      ['nonconformingQuantity', 'number'],
    ]);
    expect(byName(lots.fields, 'nonconformingQuantity')).toMatchObject({ minimum: 0, exclusiveMinimum: true });
  });
});

describe('validation and the request body', () => {
  const fields = fieldsOf(changeControl.create);

  test('an empty form names every required field; too short (counted trimmed), not an option', () => {
    expect(problemsOf(fields, initialValues(fields))).toEqual({
      title: { key: 'required' },
      description: { key: 'required' },
      riskLevel: { key: 'required' },
    });
    expect(problemsOf(fields, { title: ' ab ', description: 'x', riskLevel: 'extreme' })).toEqual({
      title: { key: 'tooShort', values: { min: 3 } },
      riskLevel: { key: 'notAnOption' },
    });
  });

  test('a preset (from the address) fills a text; it fills nothing else', () => {
    expect(initialValues(fields, { title: 'From the link', riskLevel: 'high' })).toEqual({ title: 'From the link', description: '', riskLevel: null });
  });

  test('lengths count characters, not UTF-16 units: a Chinese title of 3 characters is long enough; texts are sent trimmed', () => {
    expect(problemsOf(fields, { title: '更换圈', description: '说明', riskLevel: 'low' })).toEqual({});
    expect(bodyOf(fields, { title: ' 更换外壳 O 形圈供应商 ', description: '说明', riskLevel: 'low' })).toEqual({
      title: '更换外壳 O 形圈供应商',
      description: '说明',
      riskLevel: 'low',
    });
  });

  test('a pattern is checked; a patterned string is one line whatever its length', () => {
    const create = fieldsOf(revision.create);
    expect(create.map((f) => [f.name, f.kind])).toEqual([
      ['documentNumber', 'text'],
      ['changeSummary', 'textarea'],
    ]);
    expect(problemsOf(create, { documentNumber: 'wi-1', changeSummary: 'x' })).toEqual({ documentNumber: { key: 'pattern' } });
    expect(problemsOf(create, { documentNumber: 'WI-PRD-0100', changeSummary: 'line one\nline two' })).toEqual({});
    expect(problemsOf(create, { documentNumber: 'WI-PRD-0100', changeSummary: 'bell \u0007' })).toEqual({ changeSummary: { key: 'pattern' } });
  });

  test('optional fields left empty are not sent; a nested group left empty is not sent, a started one is checked', () => {
    const submit = fieldsOf(changeControl.submit!);
    const empty = initialValues(submit);
    expect(problemsOf(submit, empty)).toEqual({});
    expect(bodyOf(submit, empty)).toEqual({});

    const started: FormValues = { ...empty, impact: { ...(empty.impact as FormValues), affectedDocuments: 'SOP-1\n\n  WI-2 ' } };
    expect(problemsOf(submit, started)).toEqual({ 'impact.riskLevel': { key: 'required' } });
    (started.impact as FormValues).riskLevel = 'high';
    (started.impact as FormValues).affectedAreas = ['production'];
    expect(bodyOf(submit, started)).toEqual({
      impact: { affectedDocuments: ['SOP-1', 'WI-2'], affectedAreas: ['production'], validationRequired: false, riskLevel: 'high' },
    });
    (started.impact as FormValues).affectedAreas = ['marketing'];
    expect(problemsOf(submit, started)).toEqual({ 'impact.affectedAreas': { key: 'notAnOption' } });
  });

  test('numbers within their bounds; instants sent as ISO 8601; the file as its hash', () => {
    const submit = fieldsOf(revision.submit!);
    const values: FormValues = { ...initialValues(submit), copies: '12', effectiveDate: 'soon' };
    expect(problemsOf(submit, values)).toEqual({ copies: { key: 'tooLarge', values: { max: 9 } }, effectiveDate: { key: 'notADate' } });
    const body = bodyOf(submit, { ...values, copies: '2', effectiveDate: '2026-12-07T10:30', fileSha256: SHA, reviewerRoles: 'approver_engineering' });
    expect(body).toEqual({
      fileSha256: SHA,
      effectiveDate: new Date('2026-12-07T10:30').toISOString(),
      reviewerRoles: ['approver_engineering'],
      copies: 2,
    });
  });

  test('a CAPA with two actions: its source sent as a group, the actions in order, an untouched change control and due date left out', () => {
    const create = fieldsOf(capa.create);
    expect(problemsOf(create, initialValues(create))).toEqual({
      title: { key: 'required' },
      'source.kind': { key: 'required' },
      'source.reference': { key: 'required' },
    });
    const draft = draftOf(capa);
    const actions = byName(draft, 'actions') as RowsField;
    const row = (title: string, ownerUsername: string) => ({ ...initialValues(actions.fields), title, ownerUsername });
    const values: FormValues = {
      ...initialValues(draft),
      actions: [row('Replace the seal supplier', 'engineering'), row('Retrain the assemblers', 'production')],
    };
    expect(problemsOf(draft, values)).toEqual({});
    expect(bodyOf(draft, values)).toEqual({
      actions: [
        { title: 'Replace the seal supplier', ownerUsername: 'engineering' },
        { title: 'Retrain the assemblers', ownerUsername: 'production' },
      ],
    });
    // A change control started in one action must be complete; its problems are named by row.
    (values.actions as FormValues[])[1]!.changeControl = { title: 'New seal', description: '', riskLevel: null };
    expect(problemsOf(draft, values)).toEqual({
      'actions.1.changeControl.description': { key: 'required' },
      'actions.1.changeControl.riskLevel': { key: 'required' },
    });
  });

  test('an NCMR without a lot is refused (at least one); a quantity must be above zero', () => {
    const create = fieldsOf(ncmr.create);
    expect(problemsOf(create, { title: 'Burrs', lots: [] })).toEqual({ lots: { key: 'required' } });
    const lot = (nonconformingQuantity: string) => ({ lotId: '0b3c4a3e-55a4-4a41-9b7f-1f3d5c1e2a10', nonconformingQuantity });
    expect(problemsOf(create, { title: 'Burrs', lots: [lot('0')] })).toEqual({ 'lots.0.nonconformingQuantity': { key: 'notAbove', values: { min: 0 } } });
    expect(bodyOf(create, { title: 'Burrs', lots: [lot('40')] })).toEqual({ title: 'Burrs', lots: [{ lotId: lot('').lotId, nonconformingQuantity: 40 }] });
  });
});

describe('a reference to another register, and the widget a page registers for it', () => {
  /** Stand-ins for the pages' React inputs: the builder only hands back what the page registered. */
  const LOT_PICKER = 'lot picker';
  const FILE_UPLOAD = 'file upload';
  const registry: WidgetRegistry<string> = { file: FILE_UPLOAD, 'reference:lot': LOT_PICKER };
  const lotId = () => byName((byName(fieldsOf(ncmr.create), 'lots') as RowsField).fields, 'lotId');

  test("the schema marker (x-attestflow-reference) makes the field a reference to its register, and the page's lot picker draws it", () => {
    expect(lotId()).toEqual({ name: 'lotId', path: 'lotId', required: true, description: 'The lot (GET /api/lots)', kind: 'reference', reference: 'lot' });
    expect(widgetKeyOf(lotId())).toBe('reference:lot');
    expect(widgetOf(lotId(), registry)).toBe(LOT_PICKER);
    // The widgets by kind still apply: a revision's file hash is the file upload's.
    expect(widgetOf(byName(fieldsOf(revision.submit!), 'fileSha256'), registry)).toBe(FILE_UPLOAD);
  });

  test('no guessing by name: a uuid without the marker is text, whatever it is called; a register no page knows falls back to the id as text', () => {
    const unmarked = fieldsOf({ type: 'object', properties: { lotId: { type: 'string', format: 'uuid' } } });
    expect(unmarked.map((f) => [f.name, f.kind])).toEqual([['lotId', 'text']]);
    expect(widgetOf(unmarked[0]!, registry)).toBeUndefined();
    const [supplier] = fieldsOf({ type: 'object', properties: { supplierId: { type: 'string', format: 'uuid', 'x-attestflow-reference': 'supplier' } } });
    expect(supplier).toMatchObject({ kind: 'reference', reference: 'supplier' });
    expect(widgetOf(supplier!, registry)).toBeUndefined();
    expect(widgetOf(lotId(), undefined)).toBeUndefined();
  });

  test('the chosen id is the value: required until chosen, sent as it is, and a link may preset it', () => {
    const create = fieldsOf(ncmr.create);
    const id = '0b3c4a3e-55a4-4a41-9b7f-1f3d5c1e2a10';
    expect(problemsOf(create, { title: 'Burrs', lots: [{ lotId: '', nonconformingQuantity: '4' }] })).toEqual({ 'lots.0.lotId': { key: 'required' } });
    expect(bodyOf(create, { title: 'Burrs', lots: [{ lotId: id, nonconformingQuantity: '4' }] })).toEqual({
      title: 'Burrs',
      lots: [{ lotId: id, nonconformingQuantity: 4 }],
    });
    const [reference] = fieldsOf({ type: 'object', properties: { lotId: { type: 'string', format: 'uuid', 'x-attestflow-reference': 'lot' } } });
    expect(initialValues([reference!], { lotId: id })).toEqual({ lotId: id });
  });
});
