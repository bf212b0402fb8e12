// The processes a person can create records of, read from the served OpenAPI document: every
// `POST /api/<route>` whose records also have `POST /api/<route>/{id}/submit` is a process
// (api/processes/process.controller.ts gives every process module that shape), so a process added
// later appears in "New record" with no new page.
import { requestSchemaOf, type JsonSchema, type OpenApiDocument } from './json-schema';

export interface CreatableProcess {
  /** The API route: `change-controls` (creation is POST /api/change-controls). */
  route: string;
  /** The process's name as the API's list operation states it ("Change control"), for when the app has no translation. */
  label: string;
  /** The creation request schema, resolved. */
  create: JsonSchema;
  /** The schema of submitting the first (draft) step, with the fields the author fills in. */
  submit?: JsonSchema;
}

const CREATE_PATH = /^\/api\/([a-z][a-z0-9-]*)$/;

/** `change-controls` → `Change controls`, when the document names the process nowhere. */
const fromRoute = (route: string) => route.charAt(0).toUpperCase() + route.slice(1).replace(/-/g, ' ');

/** The list operation's summary reads "<label> records, filtered and paged (…)". */
function labelOf(summary: string | undefined, route: string): string {
  const match = summary?.match(/^(.+?) records\b/);
  return match?.[1] ?? fromRoute(route);
}

export function creatableProcesses(document: OpenApiDocument): CreatableProcess[] {
  const processes: CreatableProcess[] = [];
  for (const [path, item] of Object.entries(document.paths)) {
    const route = CREATE_PATH.exec(path)?.[1];
    const submitPath = `/api/${route}/{id}/submit`;
    if (!route || !item.post || !document.paths[submitPath]?.post) continue;
    const create = requestSchemaOf(document, path);
    if (!create) continue;
    processes.push({ route, label: labelOf(item.get?.summary, route), create, submit: requestSchemaOf(document, submitPath) ?? undefined });
  }
  return processes.sort((a, b) => a.route.localeCompare(b.route));
}
