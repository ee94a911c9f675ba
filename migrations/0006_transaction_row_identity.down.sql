-- 0006 (down): drop the row identity columns and narrow amount back to numeric(12,2).
-- Narrowing would silently round an amount with a third decimal (or overflow on one of
-- 10^10 or more), so this refuses instead: fix or delete those rows first.

DO $$
DECLARE
    v_count bigint;
    v_example text;
BEGIN
    SELECT count(*), min(format('id %s dated %s: %s', id, date, amount))
    INTO v_count, v_example
    FROM transactions
    WHERE amount <> round(amount, 2) OR abs(amount) >= 10000000000;

    IF v_count > 0 THEN
        RAISE EXCEPTION 'cannot undo 0006: % transaction amount(s) do not fit numeric(12,2) exactly (e.g. %)',
            v_count, v_example
            USING ERRCODE = 'numeric_value_out_of_range',
                  HINT = 'Amounts with a non-zero third decimal would be rounded; fix or delete those rows first.';
    END IF;
END
$$;

DROP INDEX IF EXISTS transactions_identity_key;

COMMENT ON COLUMN transactions.amount IS NULL;

ALTER TABLE transactions
    DROP COLUMN IF EXISTS row_key,
    DROP COLUMN IF EXISTS payee,
    DROP COLUMN IF EXISTS bank_id,
    DROP COLUMN IF EXISTS value_date,
    DROP COLUMN IF EXISTS currency,
    ALTER COLUMN amount TYPE numeric(12,2);
