-- 0005: partition transactions by year on date (PARTITION BY RANGE), so that a ten-year
-- backfill stays fast to query and to maintain, and old years can be detached or archived.
--
-- Layout: transactions_YYYY for 2023, 2024, 2025 and for every year 1900..2999 the existing
-- rows need, plus transactions_default (DEFAULT partition) for anything else. Before the
-- agent loads rows for a year it calls ensure_transactions_partition(year), so rows land in
-- a yearly partition; the DEFAULT partition is the safety net that means no valid row is
-- ever refused.
--
-- Every row, id, NOT NULL, default and foreign key is kept; the id sequence is re-owned by
-- the new table and keeps its current value. The primary key becomes (id, date) because a
-- unique index on a partitioned table must include the partition key.

LOCK TABLE transactions IN ACCESS EXCLUSIVE MODE;

-- Free the names the partitioned table takes over; the sequence must survive the DROP below.
ALTER TABLE transactions RENAME TO transactions_unpartitioned;
ALTER TABLE transactions_unpartitioned
    RENAME CONSTRAINT transactions_pkey TO transactions_unpartitioned_pkey;
ALTER SEQUENCE transactions_id_seq OWNED BY NONE;

CREATE TABLE transactions (
    id bigint NOT NULL DEFAULT nextval('transactions_id_seq'::regclass),
    account_id int NOT NULL,
    date date NOT NULL,
    amount numeric(12,2) NOT NULL,
    merchant text,
    description text,
    created_at timestamptz NOT NULL DEFAULT now(),
    category varchar,
    import_id bigint
) PARTITION BY RANGE (date);

ALTER SEQUENCE transactions_id_seq OWNED BY transactions.id;

DO $$
DECLARE
    y int;
BEGIN
    FOR y IN
        SELECT generate_series(2023, 2025)
        UNION
        SELECT DISTINCT extract(year FROM date)::int
        FROM transactions_unpartitioned
        WHERE date >= DATE '1900-01-01' AND date < DATE '3000-01-01'
        ORDER BY 1
    LOOP
        EXECUTE format(
            'CREATE TABLE %I PARTITION OF transactions'
            ' FOR VALUES FROM (make_date(%s, 1, 1)) TO (make_date(%s, 1, 1))',
            'transactions_' || y, y, y + 1);
    END LOOP;
END
$$;

CREATE TABLE transactions_default PARTITION OF transactions DEFAULT;

-- Load first, then build keys and indexes once per partition: much faster than
-- maintaining them row by row for a large history.
INSERT INTO transactions (
    id, account_id, date, amount, merchant, description, created_at, category, import_id
)
SELECT id, account_id, date, amount, merchant, description, created_at, category, import_id
FROM transactions_unpartitioned;

ALTER TABLE transactions ADD CONSTRAINT transactions_pkey PRIMARY KEY (id, date);
ALTER TABLE transactions ADD CONSTRAINT transactions_account_id_fkey
    FOREIGN KEY (account_id) REFERENCES accounts (id);
ALTER TABLE transactions ADD CONSTRAINT transactions_import_id_fkey
    FOREIGN KEY (import_id) REFERENCES import_logs (id);
CREATE INDEX transactions_account_id_date_idx ON transactions (account_id, date);
CREATE INDEX transactions_date_idx ON transactions (date);

DROP TABLE transactions_unpartitioned;

COMMENT ON TABLE transactions IS
    'Partitioned by year on date: transactions_YYYY plus transactions_default; '
    'create a year with ensure_transactions_partition(year).';

-- Creates the partition for one year if it is missing. Safe to call from several agents
-- at once: they serialise on a transaction-level advisory lock (key 7089068696183861876,
-- the ASCII bytes of 'bankpart' read as a big-endian bigint). Rows of that year already
-- sitting in the DEFAULT partition are moved into the new partition, because PostgreSQL
-- refuses to attach a partition while the DEFAULT partition holds rows in its range.
-- Call it before inserting the year's rows, in READ COMMITTED.
CREATE FUNCTION ensure_transactions_partition(p_year int)
RETURNS boolean
LANGUAGE plpgsql
AS $$
DECLARE
    v_parent regclass := 'transactions'::regclass;
    v_schema name;
    v_parent_name name;
    v_name name;
    v_default_schema name;
    v_default_name name;
    v_columns text;
BEGIN
    IF p_year IS NULL OR p_year < 1900 OR p_year > 2999 THEN
        RAISE EXCEPTION 'ensure_transactions_partition: year % is outside 1900..2999', p_year
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'Rows dated outside 1900..2999 stay in the DEFAULT partition.';
    END IF;

    PERFORM pg_advisory_xact_lock(7089068696183861876);

    SELECT n.nspname, c.relname INTO v_schema, v_parent_name
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.oid = v_parent;

    v_name := 'transactions_' || p_year;

    IF EXISTS (
        SELECT 1
        FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = v_parent AND c.relname = v_name
    ) THEN
        RETURN false;
    END IF;

    SELECT n.nspname, c.relname INTO v_default_schema, v_default_name
    FROM pg_partitioned_table p
    JOIN pg_class c ON c.oid = p.partdefid
    JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE p.partrelid = v_parent;

    -- Keep writers out of the DEFAULT partition until the new partition is attached, so
    -- that no row of this year can slip in between the move and the ATTACH.
    IF v_default_name IS NOT NULL THEN
        EXECUTE format('LOCK TABLE %I.%I IN EXCLUSIVE MODE', v_default_schema, v_default_name);
    END IF;

    EXECUTE format(
        'CREATE TABLE %I.%I (LIKE %I.%I INCLUDING DEFAULTS INCLUDING CONSTRAINTS)',
        v_schema, v_name, v_schema, v_parent_name);

    IF v_default_name IS NOT NULL THEN
        SELECT string_agg(format('%I', attname), ', ' ORDER BY attnum) INTO v_columns
        FROM pg_attribute
        WHERE attrelid = v_parent AND attnum > 0 AND NOT attisdropped;

        EXECUTE format(
            'WITH moved AS ('
            ' DELETE FROM %I.%I'
            ' WHERE date >= make_date(%s, 1, 1) AND date < make_date(%s, 1, 1)'
            ' RETURNING %s)'
            ' INSERT INTO %I.%I (%s) SELECT %s FROM moved',
            v_default_schema, v_default_name, p_year, p_year + 1, v_columns,
            v_schema, v_name, v_columns, v_columns);
    END IF;

    EXECUTE format(
        'ALTER TABLE %I.%I ATTACH PARTITION %I.%I'
        ' FOR VALUES FROM (make_date(%s, 1, 1)) TO (make_date(%s, 1, 1))',
        v_schema, v_parent_name, v_schema, v_name, p_year, p_year + 1);

    RETURN true;
END
$$;

COMMENT ON FUNCTION ensure_transactions_partition(int) IS
    'Creates transactions_<year> (moving that year''s rows out of transactions_default); '
    'true if it created it, false if it already existed.';

ANALYZE transactions;
