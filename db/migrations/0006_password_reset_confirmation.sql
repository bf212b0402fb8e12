-- Hand-written: an administrator's password reset is only a request until the person completes it
-- with a factor the administrator cannot read (their TOTP code or a recovery code), or a second,
-- different administrator approves it. While a reset is pending the person has no signing key and
-- the session started with the one-time password can only complete the reset. Mutable like the
-- other identity tables (users, sessions); every step also writes an audit event.
CREATE TABLE "credential_resets" (
	"id" uuid PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL REFERENCES "users"("id"),
	"requested_by" uuid NOT NULL REFERENCES "users"("id"),
	"requested_at" timestamp (3) with time zone NOT NULL,
	"reason" text NOT NULL,
	"approved_by" uuid REFERENCES "users"("id"),
	"approved_at" timestamp (3) with time zone,
	"approval_reason" text,
	"completed_at" timestamp (3) with time zone,
	"completed_with" text,
	"superseded_at" timestamp (3) with time zone,
	CONSTRAINT "credential_resets_second_administrator" CHECK ("approved_by" IS NULL OR "approved_by" <> "requested_by"),
	CONSTRAINT "credential_resets_not_self" CHECK ("requested_by" <> "user_id" AND ("approved_by" IS NULL OR "approved_by" <> "user_id")),
	CONSTRAINT "credential_resets_completed_with" CHECK ("completed_with" IS NULL OR "completed_with" IN ('totp', 'recovery_code', 'second_administrator'))
);--> statement-breakpoint
CREATE UNIQUE INDEX "credential_resets_one_pending" ON "credential_resets" ("user_id") WHERE "completed_at" IS NULL AND "superseded_at" IS NULL;
