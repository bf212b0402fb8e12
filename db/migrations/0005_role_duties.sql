-- Hand-written: who may sign and who may own a task is a property of the role (DESIGN.md, "Roles
-- and what they may do"). Auditors and administrators never sign and never own a task; every other
-- role of the demo organisation does. No default: a role created later must say.
ALTER TABLE "roles" ADD COLUMN "may_sign" boolean;--> statement-breakpoint
ALTER TABLE "roles" ADD COLUMN "may_own_tasks" boolean;--> statement-breakpoint
UPDATE "roles" SET "may_sign" = "name" NOT IN ('auditor', 'administrator'), "may_own_tasks" = "name" NOT IN ('auditor', 'administrator');--> statement-breakpoint
ALTER TABLE "roles" ALTER COLUMN "may_sign" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "roles" ALTER COLUMN "may_own_tasks" SET NOT NULL;--> statement-breakpoint
-- The two roles that never sign keep saying so, whoever edits the table.
ALTER TABLE "roles" ADD CONSTRAINT "roles_non_signing_duties" CHECK ("name" NOT IN ('auditor', 'administrator') OR (NOT "may_sign" AND NOT "may_own_tasks"));
