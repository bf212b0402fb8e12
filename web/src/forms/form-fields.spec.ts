// The one form builder (form-fields.ts, form-values.ts, json-schema.ts) over the record page's
// action forms: request schemas as the API serves them (copied from /api/docs/openapi.json: a
// change control's submit and amend bodies). The creation pages' cases are in creation-forms.spec.ts.
import { bodyOf, fieldsOf, initialValues, problemsOf, type Field, type GroupField, type RowsField } from './form-fields';
import { requestSchemaOf, type JsonSchema, type OpenApiDocument } from './json-schema';

const TEXT_PATTERN = '^[^\u0000-\b\u000b\f\u000e-\u001f\u007f]*$';
const RISK: JsonSchema = { type: 'string', enum: ['low', 'medium', 'high'] };

const document: OpenApiDocument = {
  paths: {
    '/api/change-controls/{id}/submit': {
      post: { requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/ChangeControlFieldsDto' } } } } },
    },
    '/api/change-controls/{id}/amend': {
      post: { requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/AmendChangeControlDto' } } } } },
    },
    '/api/change-controls/{id}': { get: {} },
  },
  components: {
    schemas: {
      ImpactAssessmentDto: {
        type: 'object',
        properties: {
          affectedDocuments: { type: 'array', items: { type: 'string', pattern: '^[A-Z0-9][A-Z0-9-]{1,39}$' }, maxItems: 50 },
          affectedItems: { type: 'array', items: { type: 'string', maxLength: 200, pattern: TEXT_PATTERN }, maxItems: 200 },
          affectedAreas: { type: 'array', description: 'Each affected area adds its owner', items: { type: 'string', enum: ['engineering', 'production'] } },
          validationRequired: { type: 'boolean' },
          riskLevel: RISK,
          riskRationale: { type: 'string', minLength: 1, maxLength: 4000, pattern: TEXT_PATTERN },
        },
        required: ['affectedDocuments', 'affectedItems', 'affectedAreas', 'validationRequired', 'riskLevel', 'riskRationale'],
      },
      PlannedTaskDto: {
        type: 'object',
        properties: {
          title: { type: 'string', example: 'Update the bill of materials', minLength: 3, maxLength: 300, pattern: TEXT_PATTERN },
          ownerUsername: { type: 'string', minLength: 1, maxLength: 64 },
          dueAt: { type: 'string', description: 'ISO 8601 date-time' },
        },
        required: ['title', 'ownerUsername'],
      },
      ChangeControlFieldsDto: {
        type: 'object',
        properties: {
          title: { type: 'string', minLength: 3, maxLength: 200, pattern: TEXT_PATTERN },
          description: { type: 'string', minLength: 1, maxLength: 20000, pattern: TEXT_PATTERN },
          impact: { $ref: '#/components/schemas/ImpactAssessmentDto' },
          implementationTasks: { type: 'array', items: { $ref: '#/components/schemas/PlannedTaskDto' }, maxItems: 100 },
          riskLevel: RISK,
        },
      },
      AmendChangeControlDto: {
        type: 'object',
        properties: {
          reason: { type: 'string', description: 'Why the content changes', minLength: 1, maxLength: 4000 },
          baseVersion: { type: 'number', description: 'The version being amended', minimum: 1 },
          changes: { description: 'The fields that change', allOf: [{ $ref: '#/components/schemas/ChangeControlFieldsDto' }] },
        },
        required: ['reason', 'baseVersion', 'changes'],
      },
    },
  },
};

const submitFields = () => fieldsOf(requestSchemaOf(document, '/api/change-controls/{id}/submit')!);
const byName = (fields: readonly Field[], name: string) => fields.find((f) => f.name === name)!;
const impactValues = (overrides: Record<string, unknown> = {}) => ({
  affectedDocuments: '',
  affectedItems: '4711-02\n\n  4711-03  ',
  affectedAreas: ['engineering'],
  validationRequired: false,
  riskLevel: 'low',
  riskRationale: 'Form, fit and function unchanged.',
  ...overrides,
});

describe('request schemas out of the OpenAPI document', () => {
  test('a $ref is replaced by its component, and an allOf of one $ref keeps its own description', () => {
    const amend = requestSchemaOf(document, '/api/change-controls/{id}/amend')!;
    expect(amend.properties!.changes).toMatchObject({ type: 'object', description: 'The fields that change' });
    expect(amend.properties!.changes!.allOf).toBeUndefined();
    expect(amend.properties!.changes!.properties!.impact!.properties!.riskRationale).toMatchObject({ minLength: 1 });
  });

  test('an operation without a body has no schema; an unknown operation is an error, not an empty form', () => {
    expect(requestSchemaOf(document, '/api/change-controls/{id}', 'get')).toBeNull();
    expect(() => requestSchemaOf(document, '/api/change-controls/{id}/sign')).toThrow('no operation POST /api/change-controls/{id}/sign');
  });
});

describe('fields from a schema', () => {
  test('each kind of property becomes its kind of field, in the order the schema lists them', () => {
    const fields = submitFields();
    expect(fields.map((f) => [f.name, f.kind, f.required])).toEqual([
      ['title', 'text', false],
      ['description', 'textarea', false],
      ['impact', 'group', false],
      ['implementationTasks', 'rows', false],
      ['riskLevel', 'select', false],
    ]);
    expect(byName(fields, 'title')).toMatchObject({ minLength: 3, maxLength: 200, pattern: TEXT_PATTERN });
    expect(byName(fields, 'riskLevel')).toMatchObject({ options: ['low', 'medium', 'high'] });
  });

  test('a nested object is a group whose fields are addressed by dotted paths; arrays become choices or lines', () => {
    const impact = byName(submitFields(), 'impact') as GroupField;
    expect(impact.fields.map((f) => [f.path, f.kind, f.required])).toEqual([
      ['impact.affectedDocuments', 'lines', true],
      ['impact.affectedItems', 'lines', true],
      ['impact.affectedAreas', 'choices', true],
      ['impact.validationRequired', 'boolean', true],
      ['impact.riskLevel', 'select', true],
      ['impact.riskRationale', 'textarea', true],
    ]);
    expect(byName(impact.fields, 'affectedAreas')).toMatchObject({ options: ['engineering', 'production'], description: 'Each affected area adds its owner' });
    expect(byName(impact.fields, 'affectedDocuments')).toMatchObject({ maxItems: 50, item: { pattern: '^[A-Z0-9][A-Z0-9-]{1,39}$' } });
  });

  test('a list of objects is rows, each row with the fields of one object; a due date is an instant', () => {
    const tasks = byName(submitFields(), 'implementationTasks') as RowsField;
    expect(tasks.maxItems).toBe(100);
    expect(tasks.fields.map((f) => [f.path, f.kind, f.required])).toEqual([
      ['title', 'text', true],
      ['ownerUsername', 'text', true],
      ['dueAt', 'datetime', false],
    ]);
    expect(byName(tasks.fields, 'title')).toMatchObject({ example: 'Update the bill of materials' });
  });

  test('numbers keep their bounds; properties the application fills itself can be left out', () => {
    const amend = fieldsOf(requestSchemaOf(document, '/api/change-controls/{id}/amend')!, { omit: ['baseVersion'] });
    expect(amend.map((f) => f.name)).toEqual(['reason', 'changes']);
    const all = fieldsOf(requestSchemaOf(document, '/api/change-controls/{id}/amend')!);
    expect(byName(all, 'baseVersion')).toMatchObject({ kind: 'number', integer: false, minimum: 1, required: true });
  });
});

describe('the body the values make', () => {
  test('an untouched form sends an empty body: nothing optional is sent, so nothing changes', () => {
    const fields = submitFields();
    expect(bodyOf(fields, initialValues(fields))).toEqual({});
    expect(problemsOf(fields, initialValues(fields))).toEqual({});
  });

  test('a filled group is sent whole: lines split and trimmed, required empty lists as [], unchecked boxes as false', () => {
    const fields = submitFields();
    const values = { ...initialValues(fields), impact: impactValues() };
    expect(bodyOf(fields, values)).toEqual({
      impact: {
        affectedDocuments: [],
        affectedItems: ['4711-02', '4711-03'],
        affectedAreas: ['engineering'],
        validationRequired: false,
        riskLevel: 'low',
        riskRationale: 'Form, fit and function unchanged.',
      },
    });
    expect(problemsOf(fields, values)).toEqual({});
  });

  test('rows are sent in order, each without its empty optional fields; Chinese text is sent as typed', () => {
    const fields = submitFields();
    const values = {
      ...initialValues(fields),
      title: '更换外壳 O 形圈供应商',
      implementationTasks: [{ title: 'Update the BOM', ownerUsername: 'engineering', dueAt: '' }],
    };
    expect(bodyOf(fields, values)).toEqual({
      title: '更换外壳 O 形圈供应商',
      implementationTasks: [{ title: 'Update the BOM', ownerUsername: 'engineering' }],
    });
  });

  test('numbers are sent as numbers', () => {
    const fields = fieldsOf(requestSchemaOf(document, '/api/change-controls/{id}/amend')!);
    const body = bodyOf(fields, { ...initialValues(fields), reason: 'Typo', baseVersion: '3' });
    expect(body).toMatchObject({ reason: 'Typo', baseVersion: 3 });
  });
});

describe('the checks the schema states', () => {
  test('a started group must be completed: each missing required field is named by its path', () => {
    const fields = submitFields();
    const values = { ...initialValues(fields), impact: { ...impactValues(), riskLevel: null, riskRationale: '' } };
    expect(problemsOf(fields, values)).toEqual({ 'impact.riskLevel': { key: 'required' }, 'impact.riskRationale': { key: 'required' } });
  });

  test('lengths count characters (a Chinese character is one), patterns apply to each line, control characters are refused', () => {
    const fields = submitFields();
    expect(problemsOf(fields, { ...initialValues(fields), title: '更换' })).toEqual({ title: { key: 'tooShort', values: { min: 3 } } });
    expect(problemsOf(fields, { ...initialValues(fields), title: '更换圈' })).toEqual({});
    expect(problemsOf(fields, { ...initialValues(fields), title: 'Bell\u0007 rings' })).toEqual({ title: { key: 'pattern' } });
    expect(problemsOf(fields, { ...initialValues(fields), impact: impactValues({ affectedDocuments: 'SOP-QA-007\nsop qa 8' }) })).toEqual({
      'impact.affectedDocuments': { key: 'pattern' },
    });
  });

  test('rows are checked one by one, and numbers against their bounds', () => {
    const fields = submitFields();
    const values = {
      ...initialValues(fields),
      implementationTasks: [
        { title: 'Update the BOM', ownerUsername: 'engineering', dueAt: '' },
        { title: 'ab', ownerUsername: '', dueAt: '' },
      ],
    };
    expect(problemsOf(fields, values)).toEqual({
      'implementationTasks.1.title': { key: 'tooShort', values: { min: 3 } },
      'implementationTasks.1.ownerUsername': { key: 'required' },
    });
    const amend = fieldsOf(requestSchemaOf(document, '/api/change-controls/{id}/amend')!);
    expect(problemsOf(amend, { ...initialValues(amend), reason: 'x', baseVersion: '0' })).toEqual({ baseVersion: { key: 'tooSmall', values: { min: 1 } } });
    expect(problemsOf(amend, { ...initialValues(amend), reason: 'x', baseVersion: 'two' })).toEqual({ baseVersion: { key: 'notANumber' } });
  });
});
