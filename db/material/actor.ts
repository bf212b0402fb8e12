/** Who does something on the material side: a person, or the system (id null) on a process's behalf. */
export interface MaterialActor {
  id: string | null;
  name: string;
}

/** Where a request came from, kept with its audit event (21 CFR 11.10(h)). */
export interface MaterialClient {
  clientIp?: string | null;
  userAgent?: string | null;
}
