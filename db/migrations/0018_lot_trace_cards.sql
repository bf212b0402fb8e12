-- Hand-written: the trace's projection of each lot (issue 12). `lots`, `production_records`,
-- `lot_status_events` and `records` stay the record (append-only, 0000 and 0013); `lot_trace_cards`
-- is derived from them: one row per lot with what a trace returns about it (db/material/trace.ts),
-- in the form the trace returns it: the lot's own columns (quantity and expiry date as text), its
-- current status (the ledger's latest event, with that event's seq), its producing record, and the
-- regulated records that changed its status (ids, numbers and types, by number). A trace then reads
-- one row per lot it reaches, by primary key, instead of probing four indexes per lot.
-- Statement-level triggers on the three tables keep it in the transaction that writes them, whoever
-- writes them; each trigger changes only the columns its table decides, so writers of one lot in
-- concurrent transactions (READ COMMITTED re-reads the row an UPDATE waited for) compose. Nothing
-- else may write the card: a guard refuses direct INSERT, UPDATE, DELETE and TRUNCATE.
CREATE TABLE "lot_trace_cards" (
	"lot_id" uuid PRIMARY KEY NOT NULL REFERENCES "lots"("id"),
	"item_id" uuid NOT NULL,
	"lot_number" text NOT NULL,
	"quantity" text NOT NULL,
	"unit" text NOT NULL,
	"origin" text NOT NULL,
	"supplier_name" text,
	"supplier_lot_number" text,
	"expiry_date" text,
	"status" text,
	"status_seq" integer,
	"produced_by" uuid,
	"work_order" text,
	"workstation" text,
	"performed_at" text,
	"record_ids" uuid[],
	"record_numbers" text[],
	"record_types" text[]
);
--> statement-breakpoint
-- What the card of every lot must say, from the truth alone, set-based (hash joins over whole
-- tables): the backfill below, the bulk fill of the genealogy bench and the drift check
-- (findLotTraceCardDrift, db/material/trace-cards.ts) read it.
CREATE VIEW "lot_trace_card_truth" AS
SELECT l.id AS lot_id, l.item_id, l.lot_number, l.quantity::text AS quantity, l.unit, l.origin, l.supplier_name, l.supplier_lot_number,
       to_char(l.expiry_date, 'YYYY-MM-DD') AS expiry_date, s.status, s.seq AS status_seq,
       p.id AS produced_by, p.work_order, p.workstation,
       to_char(p.performed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS performed_at,
       rec.ids AS record_ids, rec.numbers AS record_numbers, rec.types AS record_types
FROM lots l
LEFT JOIN production_records p ON p.output_lot_id = l.id
LEFT JOIN (SELECT DISTINCT ON (e.lot_id) e.lot_id, e.status, e.seq FROM lot_status_events e ORDER BY e.lot_id, e.seq DESC) s ON s.lot_id = l.id
LEFT JOIN (
  SELECT d.lot_id, array_agg(d.id ORDER BY d.number) AS ids, array_agg(d.number ORDER BY d.number) AS numbers, array_agg(d.type ORDER BY d.number) AS types
  FROM (SELECT DISTINCT e.lot_id, rc.id, rc.number, rc.type
        FROM lot_status_events e JOIN records rc ON rc.id = e.caused_by_record_id
        WHERE e.caused_by_record_id IS NOT NULL) d
  GROUP BY d.lot_id
) rec ON rec.lot_id = l.id;
--> statement-breakpoint
-- Filled for the lots that exist.
INSERT INTO "lot_trace_cards" SELECT * FROM "lot_trace_card_truth";
--> statement-breakpoint
-- A new lot: its card, with whatever the truth already says of it (normally nothing but the lot:
-- its status events and producing record need the lot to exist first). The view above, restricted
-- to the new lots, so that a few lots cost a few index probes.
CREATE FUNCTION attestflow_lot_trace_cards_add() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO lot_trace_cards
  SELECT l.id, l.item_id, l.lot_number, l.quantity::text, l.unit, l.origin, l.supplier_name, l.supplier_lot_number,
         to_char(l.expiry_date, 'YYYY-MM-DD'), s.status, s.seq, p.id, p.work_order, p.workstation,
         to_char(p.performed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), rec.ids, rec.numbers, rec.types
  FROM added_lots l
  LEFT JOIN production_records p ON p.output_lot_id = l.id
  LEFT JOIN LATERAL (SELECT e.status, e.seq FROM lot_status_events e WHERE e.lot_id = l.id ORDER BY e.seq DESC LIMIT 1) s ON true
  LEFT JOIN LATERAL (
    SELECT array_agg(d.id ORDER BY d.number) AS ids, array_agg(d.number ORDER BY d.number) AS numbers, array_agg(d.type ORDER BY d.number) AS types
    FROM (SELECT DISTINCT rc.id, rc.number, rc.type
          FROM lot_status_events e JOIN records rc ON rc.id = e.caused_by_record_id
          WHERE e.lot_id = l.id AND e.caused_by_record_id IS NOT NULL) d
  ) rec ON true;
  RETURN NULL;
END
$$;
--> statement-breakpoint
-- A production record: the card of the lot it made names it.
CREATE FUNCTION attestflow_lot_trace_cards_produced() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE lot_trace_cards c
  SET produced_by = p.id, work_order = p.work_order, workstation = p.workstation,
      performed_at = to_char(p.performed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
  FROM added_production_records p
  WHERE c.lot_id = p.output_lot_id;
  RETURN NULL;
END
$$;
--> statement-breakpoint
-- Status events: the card takes the status of the latest event by seq (an event older than the one
-- it shows changes nothing), and adds the records the events name to its list, kept by number.
CREATE FUNCTION attestflow_lot_trace_cards_status() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE lot_trace_cards c
  SET status = n.status, status_seq = n.seq
  FROM (SELECT DISTINCT ON (e.lot_id) e.lot_id, e.seq, e.status FROM added_status_events e ORDER BY e.lot_id, e.seq DESC) n
  WHERE c.lot_id = n.lot_id AND (c.status_seq IS NULL OR c.status_seq < n.seq);
  UPDATE lot_trace_cards c
  SET (record_ids, record_numbers, record_types) = (
    SELECT array_agg(m.id ORDER BY m.number), array_agg(m.number ORDER BY m.number), array_agg(m.type ORDER BY m.number)
    FROM (SELECT u.id, u.number, u.type FROM unnest(c.record_ids, c.record_numbers, c.record_types) u(id, number, type)
          UNION
          SELECT rc.id, rc.number, rc.type FROM added_status_events e JOIN records rc ON rc.id = e.caused_by_record_id WHERE e.lot_id = c.lot_id) m)
  WHERE c.lot_id IN (SELECT e.lot_id FROM added_status_events e WHERE e.caused_by_record_id IS NOT NULL);
  RETURN NULL;
END
$$;
--> statement-breakpoint
-- Only the three functions above write the card: they run inside a trigger (depth 2 for the
-- statements they issue); a statement sent by anyone directly runs at depth 1 and is refused, before
-- it touches a row. Nothing deletes a card (lots are never deleted).
CREATE FUNCTION attestflow_lot_trace_cards_derived_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('DELETE', 'TRUNCATE') OR pg_trigger_depth() < 2 THEN
    RAISE EXCEPTION 'attestflow: % on lot_trace_cards is refused: the table is derived from lots, production_records, lot_status_events and records and written only by their triggers', TG_OP
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
-- Statement-level with transition tables: a bulk insert costs one statement on the card, not one per row.
CREATE TRIGGER "lots_trace_cards_add" AFTER INSERT ON "lots" REFERENCING NEW TABLE AS added_lots FOR EACH STATEMENT EXECUTE FUNCTION attestflow_lot_trace_cards_add();
--> statement-breakpoint
CREATE TRIGGER "production_records_trace_cards_produced" AFTER INSERT ON "production_records" REFERENCING NEW TABLE AS added_production_records FOR EACH STATEMENT EXECUTE FUNCTION attestflow_lot_trace_cards_produced();
--> statement-breakpoint
CREATE TRIGGER "lot_status_events_trace_cards_status" AFTER INSERT ON "lot_status_events" REFERENCING NEW TABLE AS added_status_events FOR EACH STATEMENT EXECUTE FUNCTION attestflow_lot_trace_cards_status();
--> statement-breakpoint
CREATE TRIGGER "lot_trace_cards_derived_only" BEFORE INSERT OR UPDATE OR DELETE ON "lot_trace_cards" FOR EACH STATEMENT EXECUTE FUNCTION attestflow_lot_trace_cards_derived_only();
--> statement-breakpoint
CREATE TRIGGER "lot_trace_cards_no_truncate" BEFORE TRUNCATE ON "lot_trace_cards" FOR EACH STATEMENT EXECUTE FUNCTION attestflow_lot_trace_cards_derived_only();
--> statement-breakpoint
-- Like the protection triggers (0008) and open_tasks (0017): they fire whatever the session's
-- replication role, so the card cannot fall behind its truth in a replica-mode session.
ALTER TABLE "lots" ENABLE ALWAYS TRIGGER "lots_trace_cards_add";
--> statement-breakpoint
ALTER TABLE "production_records" ENABLE ALWAYS TRIGGER "production_records_trace_cards_produced";
--> statement-breakpoint
ALTER TABLE "lot_status_events" ENABLE ALWAYS TRIGGER "lot_status_events_trace_cards_status";
--> statement-breakpoint
ALTER TABLE "lot_trace_cards" ENABLE ALWAYS TRIGGER "lot_trace_cards_derived_only";
--> statement-breakpoint
ALTER TABLE "lot_trace_cards" ENABLE ALWAYS TRIGGER "lot_trace_cards_no_truncate";
