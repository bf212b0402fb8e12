-- Hand-written: the material side (DESIGN.md, "The material side (traceability)"): items and their
-- bills of materials, lots and their serial numbers, production records, the genealogy edges
-- between lots and the ledger a lot's status is derived from. All of it is evidence: append-only
-- from the start, its triggers ENABLE ALWAYS (as 0007 and 0008 do for the other protected tables).
CREATE TABLE "items" (
	"id" uuid PRIMARY KEY NOT NULL,
	"part_number" text NOT NULL,
	"revision" text NOT NULL,
	"description" text NOT NULL,
	"unit_of_measure" text NOT NULL,
	"item_class" text NOT NULL,
	"serialised" boolean NOT NULL,
	"created_by" uuid NOT NULL REFERENCES "users"("id"),
	"created_at" timestamp (3) with time zone NOT NULL,
	CONSTRAINT "items_item_class_known" CHECK ("item_class" IN ('raw_material', 'component', 'subassembly', 'finished_good', 'packaging'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX "items_part_number_revision_idx" ON "items" USING btree ("part_number", "revision");
--> statement-breakpoint
CREATE TABLE "bom_lines" (
	"item_id" uuid NOT NULL REFERENCES "items"("id"),
	"component_item_id" uuid NOT NULL REFERENCES "items"("id"),
	"quantity_per" numeric(20, 6) NOT NULL,
	CONSTRAINT "bom_lines_not_itself" CHECK ("item_id" <> "component_item_id"),
	CONSTRAINT "bom_lines_positive" CHECK ("quantity_per" > 0)
);
--> statement-breakpoint
CREATE UNIQUE INDEX "bom_lines_item_component_idx" ON "bom_lines" USING btree ("item_id", "component_item_id");
--> statement-breakpoint
CREATE TABLE "lots" (
	"id" uuid PRIMARY KEY NOT NULL,
	"item_id" uuid NOT NULL REFERENCES "items"("id"),
	"lot_number" text NOT NULL,
	"quantity" numeric(20, 6) NOT NULL,
	"unit" text NOT NULL,
	"origin" text NOT NULL,
	"expiry_date" date,
	"supplier_name" text,
	"supplier_lot_number" text,
	"created_by" uuid NOT NULL REFERENCES "users"("id"),
	"created_at" timestamp (3) with time zone NOT NULL,
	CONSTRAINT "lots_quantity_positive" CHECK ("quantity" > 0),
	CONSTRAINT "lots_origin_known" CHECK ("origin" IN ('received', 'produced')),
	CONSTRAINT "lots_supplier_when_received" CHECK (("origin" = 'received') = ("supplier_name" IS NOT NULL))
);
--> statement-breakpoint
CREATE UNIQUE INDEX "lots_item_lot_number_idx" ON "lots" USING btree ("item_id", "lot_number");
--> statement-breakpoint
CREATE TABLE "lot_serials" (
	"lot_id" uuid NOT NULL REFERENCES "lots"("id"),
	"item_id" uuid NOT NULL REFERENCES "items"("id"),
	"serial_number" text NOT NULL
);
--> statement-breakpoint
-- A serial number names one unit for good: unique within a lot, and across the item's lots only
-- a rework's new lot carries the serial numbers of the units it reworked (db/material/lots.ts).
CREATE UNIQUE INDEX "lot_serials_lot_serial_idx" ON "lot_serials" USING btree ("lot_id", "serial_number");
--> statement-breakpoint
CREATE INDEX "lot_serials_item_serial_idx" ON "lot_serials" USING btree ("item_id", "serial_number");
--> statement-breakpoint
CREATE TABLE "production_records" (
	"id" uuid PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"work_order" text NOT NULL,
	"workstation" text NOT NULL,
	"parameters" jsonb NOT NULL,
	"operator_id" uuid NOT NULL REFERENCES "users"("id"),
	"performed_at" timestamp (3) with time zone NOT NULL,
	"output_lot_id" uuid NOT NULL UNIQUE REFERENCES "lots"("id"),
	"recorded_by" uuid NOT NULL REFERENCES "users"("id"),
	"recorded_at" timestamp (3) with time zone NOT NULL,
	CONSTRAINT "production_records_kind_known" CHECK ("kind" IN ('production', 'rework'))
);
--> statement-breakpoint
CREATE INDEX "production_records_work_order_idx" ON "production_records" USING btree ("work_order");
--> statement-breakpoint
-- Genealogy: one edge per input lot of a production record. The output lot is created in the same
-- transaction as its edges, so no edge can ever point back into a lot's own ancestry: the graph is
-- acyclic by construction. One covering index per direction: the recursive trace reads only them.
CREATE TABLE "lot_genealogy" (
	"input_lot_id" uuid NOT NULL REFERENCES "lots"("id"),
	"output_lot_id" uuid NOT NULL REFERENCES "lots"("id"),
	"quantity" numeric(20, 6) NOT NULL,
	"production_record_id" uuid NOT NULL REFERENCES "production_records"("id"),
	CONSTRAINT "lot_genealogy_not_itself" CHECK ("input_lot_id" <> "output_lot_id"),
	CONSTRAINT "lot_genealogy_positive" CHECK ("quantity" > 0)
);
--> statement-breakpoint
CREATE INDEX "lot_genealogy_forward_idx" ON "lot_genealogy" USING btree ("input_lot_id", "output_lot_id", "quantity");
--> statement-breakpoint
CREATE INDEX "lot_genealogy_backward_idx" ON "lot_genealogy" USING btree ("output_lot_id", "input_lot_id", "quantity");
--> statement-breakpoint
CREATE TABLE "lot_status_events" (
	"id" uuid PRIMARY KEY NOT NULL,
	"lot_id" uuid NOT NULL REFERENCES "lots"("id"),
	"seq" integer NOT NULL,
	"status" text NOT NULL,
	"reason" text NOT NULL,
	"actor_id" uuid REFERENCES "users"("id"),
	"actor_name" text NOT NULL,
	"occurred_at" timestamp (3) with time zone NOT NULL,
	"caused_by_record_id" uuid REFERENCES "records"("id"),
	"caused_by_production_record_id" uuid REFERENCES "production_records"("id"),
	CONSTRAINT "lot_status_events_seq_positive" CHECK ("seq" > 0),
	CONSTRAINT "lot_status_events_status_known" CHECK ("status" IN ('quarantine', 'released', 'on_hold', 'rejected', 'scrapped', 'consumed'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX "lot_status_events_lot_seq_idx" ON "lot_status_events" USING btree ("lot_id", "seq");
--> statement-breakpoint
CREATE INDEX "lot_status_events_record_idx" ON "lot_status_events" USING btree ("caused_by_record_id");
--> statement-breakpoint
DO $$
DECLARE
  protected text;
BEGIN
  FOREACH protected IN ARRAY ARRAY['items', 'bom_lines', 'lots', 'lot_serials', 'production_records', 'lot_genealogy', 'lot_status_events'] LOOP
    EXECUTE format('CREATE TRIGGER %I BEFORE UPDATE OR DELETE ON %I FOR EACH ROW EXECUTE FUNCTION attestflow_refuse_change()', protected || '_append_only', protected);
    EXECUTE format('CREATE TRIGGER %I BEFORE TRUNCATE ON %I FOR EACH STATEMENT EXECUTE FUNCTION attestflow_refuse_change()', protected || '_no_truncate', protected);
    EXECUTE format('ALTER TABLE %I ENABLE ALWAYS TRIGGER %I', protected, protected || '_append_only');
    EXECUTE format('ALTER TABLE %I ENABLE ALWAYS TRIGGER %I', protected, protected || '_no_truncate');
  END LOOP;
END
$$;
