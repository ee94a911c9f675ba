-- 0003: import_logs, one row per import (one file's load), the basis of file-level dedup
-- and of `bankdrop --status`. A file whose SHA-256 already has a 'succeeded' row is a
-- duplicate: the partial unique index below makes that a database guarantee, even with
-- several agents sharing the database.

CREATE TABLE import_logs (
    id bigserial PRIMARY KEY,
    "timestamp" timestamptz NOT NULL DEFAULT now(),
    file_count int NOT NULL DEFAULT 1,
    -- rows this import inserted; always equal to rows_inserted once that is set
    transaction_count int NOT NULL DEFAULT 0,
    status text NOT NULL
        CONSTRAINT import_logs_status_check
        CHECK (status IN ('running', 'succeeded', 'failed', 'duplicate', 'initial')),
    file_name text,
    file_sha256 bytea
        CONSTRAINT import_logs_file_sha256_check
        CHECK (octet_length(file_sha256) = 32),
    file_size bigint,
    format text,
    accounts text[],
    rows_read int,
    rows_inserted int,
    rows_duplicate int,
    duplicate_of bigint REFERENCES import_logs (id),
    error text,
    started_at timestamptz,
    finished_at timestamptz,
    host text,
    CONSTRAINT import_logs_transaction_count_check
        CHECK (rows_inserted IS NULL OR transaction_count = rows_inserted)
);

-- One succeeded import per file content. A second agent committing the same file gets a
-- unique_violation (23505) on this index and records its attempt as 'duplicate'.
CREATE UNIQUE INDEX import_logs_file_sha256_succeeded_key
    ON import_logs (file_sha256)
    WHERE status = 'succeeded';

-- "Last imports" for --status and Grafana: ORDER BY "timestamp" DESC, id DESC LIMIT n.
CREATE INDEX import_logs_timestamp_idx
    ON import_logs ("timestamp" DESC, id DESC);

COMMENT ON TABLE import_logs IS
    'One row per import (one file''s load) by bankdrop; see docs/database-architecture.md.';
COMMENT ON COLUMN import_logs.status IS
    'running: in progress; succeeded: rows committed; failed: nothing committed, see error; '
    'duplicate: same SHA-256 as duplicate_of, no rows touched; initial: rows that predate bankdrop.';
COMMENT ON COLUMN import_logs.transaction_count IS
    'Rows this import inserted (equals rows_inserted once set).';
COMMENT ON COLUMN import_logs.file_sha256 IS
    'SHA-256 of the exact file bytes (32 bytes).';
COMMENT ON COLUMN import_logs.accounts IS
    'Names of the accounts (accounts.name) the file touched.';
COMMENT ON COLUMN import_logs.duplicate_of IS
    'For status duplicate: the succeeded import with the same file_sha256.';
