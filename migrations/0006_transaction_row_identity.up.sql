-- 0006: row identity for row-level dedup, and the columns the statement formats carry.
--
-- row_key is a SHA-256 (32 bytes) computed by the application: from the bank's own id where
-- the format has one (OFX FITID, CAMT AcctSvcrRef/NtryRef), otherwise from the normalised
-- account, booking date, amount and text plus an occurrence number among identical rows of
-- the same file. Rows load with INSERT ... ON CONFLICT (account_id, row_key, date) DO NOTHING,
-- so re-importing an overlapping export adds nothing. Legacy rows have row_key NULL and are
-- not constrained (NULLs are distinct in a unique index).
--
-- The unique index must include date, the partition key (see 0005); it also groups by
-- account, which keeps the path to distributing by account (Citus) open.
--
-- amount widens to numeric(15,3): some currencies (BHD, KWD, OMR, TND, ...) have three
-- decimals and must be stored exactly, never rounded.

ALTER TABLE transactions
    ADD COLUMN row_key bytea
        CONSTRAINT transactions_row_key_check CHECK (octet_length(row_key) = 32),
    ADD COLUMN payee text,
    ADD COLUMN bank_id text,
    ADD COLUMN value_date date,
    ADD COLUMN currency char(3),
    ALTER COLUMN amount TYPE numeric(15,3);

CREATE UNIQUE INDEX transactions_identity_key
    ON transactions (account_id, row_key, date);

COMMENT ON COLUMN transactions.amount IS
    'Signed amount in the account currency: negative = money out (spending), positive = money in.';
COMMENT ON COLUMN transactions.row_key IS
    'SHA-256 row identity computed by bankdrop (bank id, or hash of account/date/amount/text + '
    'occurrence); NULL for rows that predate bankdrop.';
COMMENT ON COLUMN transactions.payee IS 'Counterparty as the bank wrote it, when the format has one.';
COMMENT ON COLUMN transactions.bank_id IS 'The bank''s own transaction id (OFX FITID, CAMT AcctSvcrRef/NtryRef).';
COMMENT ON COLUMN transactions.value_date IS 'Value (settlement) date when the bank gives one; date is the booking date.';
COMMENT ON COLUMN transactions.currency IS 'ISO 4217 currency of amount when the statement states it.';
