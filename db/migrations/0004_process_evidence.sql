CREATE TABLE "signature_invalidations" (
	"signature_id" uuid PRIMARY KEY NOT NULL,
	"record_id" uuid NOT NULL,
	"by_version" integer NOT NULL,
	"reason" text NOT NULL,
	"invalidated_at" timestamp (3) with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "record_transitions" ALTER COLUMN "actor_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "signature_invalidations" ADD CONSTRAINT "signature_invalidations_signature_id_signatures_id_fk" FOREIGN KEY ("signature_id") REFERENCES "public"."signatures"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "signature_invalidations" ADD CONSTRAINT "signature_invalidations_record_id_records_id_fk" FOREIGN KEY ("record_id") REFERENCES "public"."records"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
-- Hand-written below this line: signature invalidations are evidence, append-only.
CREATE TRIGGER signature_invalidations_append_only BEFORE UPDATE OR DELETE ON signature_invalidations FOR EACH ROW EXECUTE FUNCTION attestflow_refuse_change();
--> statement-breakpoint
CREATE TRIGGER signature_invalidations_no_truncate BEFORE TRUNCATE ON signature_invalidations FOR EACH STATEMENT EXECUTE FUNCTION attestflow_refuse_change();
