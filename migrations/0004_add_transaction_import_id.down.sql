-- 0004 (down): drop transactions.import_id and the 'initial' import(s) it created.
-- When that leaves import_logs empty, its id sequence restarts so that up again gives the
-- 'initial' import the same id as the first time (ALTER SEQUENCE is transactional; setval
-- is not, which is why it is not used here).

ALTER TABLE transactions DROP COLUMN IF EXISTS import_id;

DELETE FROM import_logs WHERE status = 'initial';

DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM import_logs) THEN
        ALTER SEQUENCE import_logs_id_seq RESTART;
    END IF;
END
$$;
