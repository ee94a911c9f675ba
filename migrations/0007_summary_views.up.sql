-- 0007: summary materialized views for the dashboards, their refresh function and the
-- refresh history (view_refreshes) that --status and Grafana use to show freshness.
--
-- Sign convention (see docs/database-architecture.md): amount < 0 is money out.
-- total_spending = sum(-amount) over rows with amount < 0 (positive, 0 when none);
-- total_income = sum(amount) over rows with amount > 0 (positive, 0 when none).
--
-- Every view groups by account_id, so each can be computed per account (per shard once the
-- schema is distributed by account). Each has a unique index on plain columns covering all
-- rows, which REFRESH MATERIALIZED VIEW CONCURRENTLY requires; they are created WITH DATA
-- (populated), which CONCURRENTLY also requires, so the first refresh can be concurrent.

CREATE MATERIALIZED VIEW daily_summary AS
SELECT
    date,
    account_id,
    coalesce(sum(-amount) FILTER (WHERE amount < 0), 0) AS total_spending,
    coalesce(sum(amount) FILTER (WHERE amount > 0), 0) AS total_income,
    count(*) AS transaction_count
FROM transactions
GROUP BY date, account_id
WITH DATA;

CREATE UNIQUE INDEX daily_summary_account_id_date_key ON daily_summary (account_id, date);
CREATE INDEX daily_summary_date_idx ON daily_summary (date);

CREATE MATERIALIZED VIEW monthly_summary AS
SELECT
    extract(year FROM date)::int AS year,
    extract(month FROM date)::int AS month,
    account_id,
    coalesce(category, 'Uncategorized') AS category,
    coalesce(sum(-amount) FILTER (WHERE amount < 0), 0) AS total_spending,
    coalesce(sum(amount) FILTER (WHERE amount > 0), 0) AS total_income,
    count(*) AS transaction_count
FROM transactions
GROUP BY 1, 2, 3, 4
WITH DATA;

CREATE UNIQUE INDEX monthly_summary_account_id_year_month_category_key
    ON monthly_summary (account_id, year, month, category);
CREATE INDEX monthly_summary_year_month_idx ON monthly_summary (year, month);

CREATE MATERIALIZED VIEW merchant_summary AS
SELECT
    account_id,
    coalesce(nullif(merchant, ''), '(unknown)') AS merchant,
    coalesce(sum(-amount) FILTER (WHERE amount < 0), 0) AS total_spending,
    count(*) AS transaction_count,
    max(date) AS last_date
FROM transactions
GROUP BY 1, 2
WITH DATA;

CREATE UNIQUE INDEX merchant_summary_account_id_merchant_key
    ON merchant_summary (account_id, merchant);
CREATE INDEX merchant_summary_total_spending_idx ON merchant_summary (total_spending DESC);

CREATE TABLE view_refreshes (
    id bigserial PRIMARY KEY,
    started_at timestamptz NOT NULL,
    finished_at timestamptz,
    duration_ms numeric,
    covered_import_id bigint,
    -- CONCURRENTLY is a reserved word: the column name must be double-quoted in SQL.
    "concurrently" boolean,
    trigger text,
    host text
);

CREATE INDEX view_refreshes_started_at_idx ON view_refreshes (started_at DESC);

COMMENT ON TABLE view_refreshes IS
    'One row per refresh_materialized_views() call that committed.';
COMMENT ON COLUMN view_refreshes.covered_import_id IS
    'Highest succeeded import_logs.id visible when the refresh started: its rows are in the views.';

-- Refreshes the three views CONCURRENTLY (readers are never blocked) and records the
-- refresh; returns its view_refreshes.id. Runs in the caller's transaction: call it on its
-- own (autocommit), so the refresh and its record commit together and locks are short.
-- Concurrent callers serialise on the views' EXCLUSIVE locks.
CREATE FUNCTION refresh_materialized_views(p_trigger text DEFAULT 'manual', p_host text DEFAULT NULL)
RETURNS bigint
LANGUAGE plpgsql
AS $$
DECLARE
    v_id bigint;
    v_started timestamptz := clock_timestamp();
    v_covered bigint;
    v_finished timestamptz;
BEGIN
    -- Captured before refreshing: every import up to here is visible to the refresh below.
    SELECT max(id) INTO v_covered FROM import_logs WHERE status = 'succeeded';

    INSERT INTO view_refreshes (started_at, covered_import_id, "concurrently", trigger, host)
    VALUES (v_started, v_covered, true, p_trigger, p_host)
    RETURNING id INTO v_id;

    REFRESH MATERIALIZED VIEW CONCURRENTLY daily_summary;
    REFRESH MATERIALIZED VIEW CONCURRENTLY monthly_summary;
    REFRESH MATERIALIZED VIEW CONCURRENTLY merchant_summary;

    v_finished := clock_timestamp();
    UPDATE view_refreshes
    SET finished_at = v_finished,
        duration_ms = round(extract(epoch FROM v_finished - v_started) * 1000, 3)
    WHERE id = v_id;

    RETURN v_id;
END
$$;

COMMENT ON FUNCTION refresh_materialized_views(text, text) IS
    'REFRESH MATERIALIZED VIEW CONCURRENTLY the summary views and record it in view_refreshes; '
    'returns the view_refreshes id.';
