-- The append-only and chain triggers of every protected table fire whatever the session's
-- replication role: `SET session_replication_role = replica` (which a superuser, or anyone allowed
-- to set it, can do) used to switch them all off for that session. Switching them off now takes
-- `ALTER TABLE … DISABLE TRIGGER`, which a table owner or superuser can still do: the signed audit
-- checkpoints (0007) are what catch that.
DO $$
DECLARE
  t record;
BEGIN
  FOR t IN
    SELECT c.relname AS table_name, tg.tgname AS trigger_name
    FROM pg_trigger tg
    JOIN pg_class c ON c.oid = tg.tgrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace
    JOIN pg_proc p ON p.oid = tg.tgfoid
    WHERE NOT tg.tgisinternal
      AND n.nspname = current_schema()
      AND p.proname IN ('attestflow_refuse_change', 'attestflow_audit_chain_continues')
  LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ALWAYS TRIGGER %I', t.table_name, t.trigger_name);
  END LOOP;
END $$;
