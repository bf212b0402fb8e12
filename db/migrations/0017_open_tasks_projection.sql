-- Hand-written: the inbox's projection of open tasks. `tasks` and `task_completions` stay the record
-- (append-only, 0000); `open_tasks` is derived from them: one row per task that has no completion,
-- with what the inbox shows (the record's number and type copied from the immutable `records` row).
-- Triggers on the two real tables keep it, in the transaction that writes them, whoever writes them
-- (activities, effects, a bulk INSERT … SELECT): a new task adds its row, a completion (completed or
-- cancelled) removes it. Nothing else may write the projection: a guard refuses direct INSERT,
-- UPDATE, DELETE and TRUNCATE. The inbox is then an index scan per addressee (the person, each of
-- their roles) in the order asked for, merged, with LIMIT; not an anti-join over every open task and
-- a sort.
CREATE TABLE "open_tasks" (
	"task_id" uuid PRIMARY KEY NOT NULL REFERENCES "tasks"("id"),
	"record_id" uuid NOT NULL REFERENCES "records"("id"),
	"record_type" text NOT NULL,
	"record_number" text NOT NULL,
	"step" text NOT NULL,
	"action" text NOT NULL,
	"title" text NOT NULL,
	"assignee_user_id" uuid,
	"assignee_role" text,
	"opened_at" timestamp (3) with time zone NOT NULL,
	"due_at" timestamp (3) with time zone,
	"escalated" boolean NOT NULL
);
--> statement-breakpoint
-- Filled for the tasks that exist: every task without a completion.
INSERT INTO "open_tasks" ("task_id", "record_id", "record_type", "record_number", "step", "action", "title", "assignee_user_id", "assignee_role", "opened_at", "due_at", "escalated")
SELECT t."id", t."record_id", r."type", r."number", t."step", t."action", t."title", t."assignee_user_id", t."assignee_role", t."opened_at", t."due_at", t."escalates_task_id" IS NOT NULL
FROM "tasks" t
JOIN "records" r ON r."id" = t."record_id"
WHERE NOT EXISTS (SELECT 1 FROM "task_completions" c WHERE c."task_id" = t."id");
--> statement-breakpoint
-- One ordered index per addressee kind and sort: opened (oldest first, or backwards for newest
-- first) and due (earliest first, no due date last; backwards for the reverse). The task id makes
-- the order total, so pages are stable. The opened-order indexes also carry what the filters and
-- the role branch's dedupe read, so the inbox's total is counted by index-only scans.
CREATE INDEX "open_tasks_user_opened_idx" ON "open_tasks" USING btree ("assignee_user_id", "opened_at", "task_id") INCLUDE ("record_type", "due_at") WHERE "assignee_user_id" IS NOT NULL;
--> statement-breakpoint
CREATE INDEX "open_tasks_role_opened_idx" ON "open_tasks" USING btree ("assignee_role", "opened_at", "task_id") INCLUDE ("assignee_user_id", "record_type", "due_at") WHERE "assignee_role" IS NOT NULL;
--> statement-breakpoint
CREATE INDEX "open_tasks_user_due_idx" ON "open_tasks" USING btree ("assignee_user_id", "due_at", "opened_at", "task_id") WHERE "assignee_user_id" IS NOT NULL;
--> statement-breakpoint
CREATE INDEX "open_tasks_role_due_idx" ON "open_tasks" USING btree ("assignee_role", "due_at", "opened_at", "task_id") WHERE "assignee_role" IS NOT NULL;
--> statement-breakpoint
CREATE INDEX "open_tasks_record_idx" ON "open_tasks" USING btree ("record_id");
--> statement-breakpoint
CREATE FUNCTION attestflow_open_tasks_add() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO open_tasks (task_id, record_id, record_type, record_number, step, action, title, assignee_user_id, assignee_role, opened_at, due_at, escalated)
  SELECT t.id, t.record_id, r.type, r.number, t.step, t.action, t.title, t.assignee_user_id, t.assignee_role, t.opened_at, t.due_at, t.escalates_task_id IS NOT NULL
  FROM opened_tasks t
  JOIN records r ON r.id = t.record_id;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE FUNCTION attestflow_open_tasks_remove() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM open_tasks o USING closed_tasks c WHERE o.task_id = c.task_id;
  RETURN NULL;
END
$$;
--> statement-breakpoint
-- Only the two functions above write the projection: they run inside a trigger (depth 2 for the
-- statement they issue); a statement sent by anyone directly runs at depth 1 and is refused.
CREATE FUNCTION attestflow_open_tasks_derived_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'TRUNCATE') OR pg_trigger_depth() < 2 THEN
    RAISE EXCEPTION 'attestflow: % on open_tasks is refused: the table is derived from tasks and task_completions and written only by their triggers', TG_OP
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF TG_OP = 'DELETE' THEN
    RETURN OLD;
  END IF;
  RETURN NEW;
END
$$;
--> statement-breakpoint
-- Statement-level with transition tables: a bulk insert of tasks or completions costs one statement
-- on the projection, not one per row. A completion that ON CONFLICT DO NOTHING skipped is not in
-- `closed_tasks`.
CREATE TRIGGER "tasks_open_tasks_add" AFTER INSERT ON "tasks" REFERENCING NEW TABLE AS opened_tasks FOR EACH STATEMENT EXECUTE FUNCTION attestflow_open_tasks_add();
--> statement-breakpoint
CREATE TRIGGER "task_completions_open_tasks_remove" AFTER INSERT ON "task_completions" REFERENCING NEW TABLE AS closed_tasks FOR EACH STATEMENT EXECUTE FUNCTION attestflow_open_tasks_remove();
--> statement-breakpoint
CREATE TRIGGER "open_tasks_derived_only" BEFORE INSERT OR UPDATE OR DELETE ON "open_tasks" FOR EACH ROW EXECUTE FUNCTION attestflow_open_tasks_derived_only();
--> statement-breakpoint
CREATE TRIGGER "open_tasks_no_truncate" BEFORE TRUNCATE ON "open_tasks" FOR EACH STATEMENT EXECUTE FUNCTION attestflow_open_tasks_derived_only();
--> statement-breakpoint
-- Like the protection triggers (0008): they fire whatever the session's replication role, so the
-- projection cannot fall behind its truth in a replica-mode session.
ALTER TABLE "tasks" ENABLE ALWAYS TRIGGER "tasks_open_tasks_add";
--> statement-breakpoint
ALTER TABLE "task_completions" ENABLE ALWAYS TRIGGER "task_completions_open_tasks_remove";
--> statement-breakpoint
ALTER TABLE "open_tasks" ENABLE ALWAYS TRIGGER "open_tasks_derived_only";
--> statement-breakpoint
ALTER TABLE "open_tasks" ENABLE ALWAYS TRIGGER "open_tasks_no_truncate";
