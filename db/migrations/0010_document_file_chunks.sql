-- Hand-written: document files are stored in chunks of at most 1 MiB, so that an upload is streamed
-- into PostgreSQL (and a download out of it) without ever holding the whole file in memory. Files
-- stored before keep their bytes inline in document_files.bytes; new files leave it NULL and have
-- their chunks here, numbered from 0. Append-only like document_files.
ALTER TABLE "document_files" ALTER COLUMN "bytes" DROP NOT NULL;
--> statement-breakpoint
CREATE TABLE "document_file_chunks" (
	"sha256" text NOT NULL,
	"chunk" integer NOT NULL,
	"bytes" bytea NOT NULL,
	CONSTRAINT "document_file_chunks_pk" PRIMARY KEY ("sha256", "chunk")
);
--> statement-breakpoint
ALTER TABLE "document_file_chunks" ADD CONSTRAINT "document_file_chunks_sha256_document_files_sha256_fk" FOREIGN KEY ("sha256") REFERENCES "public"."document_files"("sha256") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
CREATE TRIGGER "document_file_chunks_append_only" BEFORE UPDATE OR DELETE ON "document_file_chunks" FOR EACH ROW EXECUTE FUNCTION attestflow_refuse_change();
--> statement-breakpoint
CREATE TRIGGER "document_file_chunks_no_truncate" BEFORE TRUNCATE ON "document_file_chunks" FOR EACH STATEMENT EXECUTE FUNCTION attestflow_refuse_change();
--> statement-breakpoint
ALTER TABLE "document_file_chunks" ENABLE ALWAYS TRIGGER "document_file_chunks_append_only";
--> statement-breakpoint
ALTER TABLE "document_file_chunks" ENABLE ALWAYS TRIGGER "document_file_chunks_no_truncate";
