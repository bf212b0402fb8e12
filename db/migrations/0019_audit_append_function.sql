-- Hand-written: one audit append in one statement (21 CFR 11.10(e)). appendAuditEvent used to take
-- the chain's advisory lock, read the head and insert in three round trips; this function does the
-- three in one, inside the caller's transaction, and the lock is still held until that transaction
-- ends, so appends stay strictly serial and a rolled-back one leaves neither a hole nor a fork.
--
-- The hash is the same SHA-256 of the same canonical JSON the verifier computes
-- (signatures/audit-chain.ts): the application canonicalises the event and sends its canonical JSON
-- cut around the two values only the head decides (auditEventCanonicalParts); this function puts in
-- the previous hash (64 lowercase hex digits, a JSON string with nothing to escape) and the seq (a
-- whole number below 2^53, plain decimal digits in ECMAScript and in bigint::text alike), and hashes
-- the UTF-8 bytes. It canonicalises nothing itself. The application re-hashes the event with the seq
-- and previous hash returned and refuses (rolls back) on any difference; the chain trigger of 0000
-- still checks seq and prev_hash on every INSERT.
--
-- The lock key is the one appendAuditEvent took before: 0x41554449 ("AUDI").
CREATE FUNCTION attestflow_append_audit_event(
  p_occurred_at timestamptz,
  p_actor_id uuid,
  p_actor_name text,
  p_action text,
  p_entity_type text,
  p_entity_id text,
  p_record_id uuid,
  p_old_value jsonb,
  p_new_value jsonb,
  p_reason text,
  p_client_ip text,
  p_user_agent text,
  p_canonical_before_prev_hash text,
  p_canonical_before_seq text,
  p_canonical_after_seq text,
  OUT event_seq bigint,
  OUT event_prev_hash text,
  OUT event_hash text
) LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(1096107081);
  -- A statement of its own after the lock: in READ COMMITTED it sees the append committed last.
  SELECT e.seq, e.hash INTO event_seq, event_prev_hash FROM audit_events e ORDER BY e.seq DESC LIMIT 1;
  IF event_seq IS NULL THEN
    event_seq := 0;
    event_prev_hash := repeat('0', 64);
  END IF;
  IF event_prev_hash !~ '^[0-9a-f]{64}$' THEN
    RAISE EXCEPTION 'attestflow: audit event % has no well-formed hash; the chain cannot be continued', event_seq
      USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  event_seq := event_seq + 1;
  IF event_seq > 9007199254740991 THEN
    RAISE EXCEPTION 'attestflow: audit event seq % is beyond 2^53 - 1', event_seq USING ERRCODE = 'numeric_value_out_of_range';
  END IF;
  event_hash := encode(sha256(convert_to(
    p_canonical_before_prev_hash || event_prev_hash || p_canonical_before_seq || event_seq::text || p_canonical_after_seq, 'UTF8')), 'hex');
  INSERT INTO audit_events (seq, occurred_at, actor_id, actor_name, action, entity_type, entity_id, record_id, old_value, new_value, reason, client_ip, user_agent, prev_hash, hash)
  VALUES (event_seq, p_occurred_at, p_actor_id, p_actor_name, p_action, p_entity_type, p_entity_id, p_record_id, p_old_value, p_new_value, p_reason, p_client_ip, p_user_agent, event_prev_hash, event_hash);
END
$$;
