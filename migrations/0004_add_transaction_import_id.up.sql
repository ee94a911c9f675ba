-- 0004: transactions.import_id, the import that inserted each row. Nullable so that legacy
-- writers that know nothing of imports keep working; every row bankdrop writes has one.
-- Rows that predate bankdrop are attached to a single 'initial' import (created only when
-- there are such rows), so "where did this row come from" always has an answer.

ALTER TABLE transactions ADD COLUMN import_id bigint;

WITH initial AS (
    INSERT INTO import_logs (
        "timestamp", file_count, transaction_count, status, file_name,
        rows_inserted, started_at, finished_at
    )
    SELECT now(), 0, n, 'initial', 'initial', n, now(), now()
    FROM (SELECT count(*)::int AS n FROM transactions) AS legacy
    WHERE n > 0
    RETURNING id
)
UPDATE transactions
SET import_id = initial.id
FROM initial;

-- Added after the backfill: one validating scan instead of a foreign-key check per row.
ALTER TABLE transactions ADD CONSTRAINT transactions_import_id_fkey
    FOREIGN KEY (import_id) REFERENCES import_logs (id);
