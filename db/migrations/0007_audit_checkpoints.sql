-- Hand-written: signed checkpoints of the audit chain's head (21 CFR 11.10(a), 11.10(e)). Each row
-- says "event seq had hash hash at checkpointed_at", signed by the organisation's sealing
-- certificate (cms: a detached CMS over the RFC 8785 JSON in `checkpoint`). The same checkpoints are
-- appended to DATA_DIR/audit-checkpoints/ and embedded in every sealed PDF, so that deleting the
-- last audit events is caught even when this table is emptied too (see docs/verifying-records.md).
CREATE TABLE "audit_checkpoints" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"seq" bigint NOT NULL,
	"hash" text NOT NULL,
	"checkpointed_at" timestamp (3) with time zone NOT NULL,
	"checkpoint" jsonb NOT NULL,
	"cms" text NOT NULL
);
--> statement-breakpoint
CREATE INDEX "audit_checkpoints_seq_idx" ON "audit_checkpoints" USING btree ("seq");
--> statement-breakpoint
-- Append-only like audit_events; ENABLE ALWAYS so that `SET session_replication_role = replica`
-- does not switch the protection off (only ALTER TABLE by the owner or a superuser does).
CREATE TRIGGER "audit_checkpoints_append_only" BEFORE UPDATE OR DELETE ON "audit_checkpoints" FOR EACH ROW EXECUTE FUNCTION attestflow_refuse_change();
--> statement-breakpoint
CREATE TRIGGER "audit_checkpoints_no_truncate" BEFORE TRUNCATE ON "audit_checkpoints" FOR EACH STATEMENT EXECUTE FUNCTION attestflow_refuse_change();
--> statement-breakpoint
ALTER TABLE "audit_checkpoints" ENABLE ALWAYS TRIGGER "audit_checkpoints_append_only";
--> statement-breakpoint
ALTER TABLE "audit_checkpoints" ENABLE ALWAYS TRIGGER "audit_checkpoints_no_truncate";
