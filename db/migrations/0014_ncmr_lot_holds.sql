-- Hand-written: what a nonconforming-material report (NCMR) writes on the material side. A hold of a
-- lot by an NCMR (with the status the lot had before) and, as its own row, the hold's release (with
-- the status the lot was given back); and the managed list of defect codes an NCMR names. Append-only
-- like the rest of the material side (0013): a hold is released by a new row, a defect code retired
-- by a new row, never by an update. Triggers ENABLE ALWAYS.
CREATE TABLE "ncmr_lot_holds" (
	"id" uuid PRIMARY KEY NOT NULL,
	"lot_id" uuid NOT NULL REFERENCES "lots"("id"),
	"record_id" uuid NOT NULL REFERENCES "records"("id"),
	"previous_status" text NOT NULL,
	"held_at" timestamp (3) with time zone NOT NULL,
	CONSTRAINT "ncmr_lot_holds_previous_status_known" CHECK ("previous_status" IN ('quarantine', 'released', 'on_hold', 'rejected', 'scrapped', 'consumed'))
);
--> statement-breakpoint
-- An NCMR holds a lot once; the lot's open hold is found through the releases it has not got.
CREATE UNIQUE INDEX "ncmr_lot_holds_lot_record_idx" ON "ncmr_lot_holds" USING btree ("lot_id", "record_id");
--> statement-breakpoint
CREATE INDEX "ncmr_lot_holds_record_idx" ON "ncmr_lot_holds" USING btree ("record_id");
--> statement-breakpoint
CREATE TABLE "ncmr_lot_hold_releases" (
	"hold_id" uuid PRIMARY KEY NOT NULL REFERENCES "ncmr_lot_holds"("id"),
	"released_at" timestamp (3) with time zone NOT NULL,
	"status" text NOT NULL,
	"reason" text NOT NULL,
	CONSTRAINT "ncmr_lot_hold_releases_status_known" CHECK ("status" IN ('quarantine', 'released', 'on_hold', 'rejected', 'scrapped', 'consumed'))
);
--> statement-breakpoint
-- The managed list of defect codes: each row is a version of a code (seq 1, 2, ...); the latest
-- says whether the code is active. Retiring (or describing anew) is a new row.
CREATE TABLE "defect_codes" (
	"code" text NOT NULL,
	"seq" integer NOT NULL,
	"description" text NOT NULL,
	"active" boolean NOT NULL,
	"recorded_by" uuid REFERENCES "users"("id"),
	"recorded_at" timestamp (3) with time zone NOT NULL,
	"reason" text NOT NULL,
	CONSTRAINT "defect_codes_seq_positive" CHECK ("seq" > 0),
	CONSTRAINT "defect_codes_code_shape" CHECK ("code" ~ '^[A-Z0-9][A-Z0-9_-]{0,31}$')
);
--> statement-breakpoint
CREATE UNIQUE INDEX "defect_codes_code_seq_idx" ON "defect_codes" USING btree ("code", "seq");
--> statement-breakpoint
DO $$
DECLARE
  protected text;
BEGIN
  FOREACH protected IN ARRAY ARRAY['ncmr_lot_holds', 'ncmr_lot_hold_releases', 'defect_codes'] LOOP
    EXECUTE format('CREATE TRIGGER %I BEFORE UPDATE OR DELETE ON %I FOR EACH ROW EXECUTE FUNCTION attestflow_refuse_change()', protected || '_append_only', protected);
    EXECUTE format('CREATE TRIGGER %I BEFORE TRUNCATE ON %I FOR EACH STATEMENT EXECUTE FUNCTION attestflow_refuse_change()', protected || '_no_truncate', protected);
    EXECUTE format('ALTER TABLE %I ENABLE ALWAYS TRIGGER %I', protected, protected || '_append_only');
    EXECUTE format('ALTER TABLE %I ENABLE ALWAYS TRIGGER %I', protected, protected || '_no_truncate');
  END LOOP;
END
$$;
--> statement-breakpoint
-- The meaning of the QA signature that ends an NCMR's re-inspection of reworked lots (processes/ncmr).
INSERT INTO signature_meanings (name, description) VALUES
  ('reinspected', 'I have re-inspected the reworked material')
ON CONFLICT DO NOTHING;
