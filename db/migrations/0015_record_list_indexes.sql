-- Hand-written: indexes for the record lists and search (GET /api/records, GET /api/<process>).
-- The lists are newest first with the id as a tiebreak, paged by keyset on (created_at, id).
CREATE INDEX "records_created_at_id_idx" ON "records" USING btree ("created_at" DESC, "id" DESC);
--> statement-breakpoint
CREATE INDEX "records_created_by_idx" ON "records" USING btree ("created_by");
--> statement-breakpoint
-- Text search is ILIKE '%…%' on the number and on the title in a version's content; trigram GIN
-- indexes let PostgreSQL answer it (and a number prefix: LIKE 'CC-2026%') without a full scan.
-- pg_trgm ships with PostgreSQL (contrib) and is a trusted extension: a database owner may create it.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
--> statement-breakpoint
CREATE INDEX "records_number_trgm_idx" ON "records" USING gin ("number" gin_trgm_ops);
--> statement-breakpoint
CREATE INDEX "record_versions_title_trgm_idx" ON "record_versions" USING gin (("content" ->> 'title') gin_trgm_ops);
