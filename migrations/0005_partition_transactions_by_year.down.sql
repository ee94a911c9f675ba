-- 0005 (down): turn transactions back into one plain table with PRIMARY KEY (id), exactly
-- as after 0004: same columns in the same order, every row and id, the id sequence
-- re-owned with its current value, the foreign keys to accounts and import_logs.
-- Refuses (rather than fail half-way) if two rows share an id with different dates, which
-- the partitioned key (id, date) allows but PRIMARY KEY (id) does not.

LOCK TABLE transactions IN ACCESS EXCLUSIVE MODE;

DO $$
DECLARE
    v_id bigint;
BEGIN
    SELECT id INTO v_id FROM transactions GROUP BY id HAVING count(*) > 1 LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'cannot undo 0005: transactions.id % is used by more than one row', v_id
            USING ERRCODE = 'unique_violation',
                  HINT = 'Give those rows distinct ids before migrating down.';
    END IF;
END
$$;

DROP FUNCTION IF EXISTS ensure_transactions_partition(int);

ALTER TABLE transactions RENAME TO transactions_partitioned;
ALTER TABLE transactions_partitioned
    RENAME CONSTRAINT transactions_pkey TO transactions_partitioned_pkey;
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
);

INSERT INTO transactions (
    id, account_id, date, amount, merchant, description, created_at, category, import_id
)
SELECT id, account_id, date, amount, merchant, description, created_at, category, import_id
FROM transactions_partitioned
ORDER BY id;

ALTER TABLE transactions ADD CONSTRAINT transactions_pkey PRIMARY KEY (id);
ALTER TABLE transactions ADD CONSTRAINT transactions_account_id_fkey
    FOREIGN KEY (account_id) REFERENCES accounts (id);
ALTER TABLE transactions ADD CONSTRAINT transactions_import_id_fkey
    FOREIGN KEY (import_id) REFERENCES import_logs (id);
ALTER SEQUENCE transactions_id_seq OWNED BY transactions.id;

-- Drops the yearly and DEFAULT partitions with it.
DROP TABLE transactions_partitioned;

ANALYZE transactions;
