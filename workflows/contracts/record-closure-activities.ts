// The closure activity the workflows call. Workflows import this with `import type` only.
export interface RecordClosureActivities {
  /** Renders, seals and stores the record's PDF once it is closed; idempotent per record version. */
  produceClosureRecord(input: { recordId: string }): Promise<{ artifactId: string; sha256: string }>;
}
