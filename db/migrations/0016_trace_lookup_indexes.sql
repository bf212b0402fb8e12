-- Hand-written: covering indexes for a lot trace (db/material/trace.ts), which looks up every lot
-- it reaches (~10,000 in a full trace): its latest status, the records that changed its status
-- and its producing record, each answered from an index alone (index-only scans, no heap visit).
-- The ledger stays append-only; these only read it faster.
CREATE INDEX "lot_status_events_lot_latest_idx" ON "lot_status_events" USING btree ("lot_id", "seq" DESC) INCLUDE ("status");
--> statement-breakpoint
-- Few events name a record: a small partial index, not a pass over every lot's ledger.
CREATE INDEX "lot_status_events_lot_record_idx" ON "lot_status_events" USING btree ("lot_id", "caused_by_record_id") WHERE "caused_by_record_id" IS NOT NULL;
--> statement-breakpoint
CREATE INDEX "production_records_output_lot_covering_idx" ON "production_records" USING btree ("output_lot_id") INCLUDE ("id", "work_order", "workstation", "performed_at");
