/**
 * The API route of each process's records (`processes/<name>/<name>.module.ts` declares the same
 * `route`). A process added later needs its line here until the API serves records generically.
 */
export const PROCESS_ROUTES: Record<string, string> = {
  change_control: 'change-controls',
  capa: 'capas',
  document_revision: 'document-revisions',
  ncmr: 'ncmrs',
};
