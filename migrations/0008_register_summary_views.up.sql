-- 0008: the summary views refresh_materialized_views() refreshes are listed in a table, so a
-- new view is one migration (the view, its unique index, one INSERT here) and the function
-- never has to be rewritten. See docs/database-architecture.md, "How to add a new summary view".

CREATE TABLE summary_views (
    view_name name PRIMARY KEY,
    -- Refresh order (ascending); views with equal positions refresh by name.
    position int NOT NULL DEFAULT 100
);

COMMENT ON TABLE summary_views IS
    'Materialized views that refresh_materialized_views() refreshes CONCURRENTLY, in position order. '
    'Each needs a unique index on plain columns covering every row.';

INSERT INTO summary_views (view_name, position) VALUES
    ('daily_summary', 10), ('monthly_summary', 20), ('merchant_summary', 30);

-- Same signature, result and record as in 0007; the views now come from summary_views.
CREATE OR REPLACE FUNCTION refresh_materialized_views(p_trigger text DEFAULT 'manual', p_host text DEFAULT NULL)
RETURNS bigint
LANGUAGE plpgsql
AS $$
DECLARE
    v_id bigint;
    v_started timestamptz := clock_timestamp();
    v_covered bigint;
    v_finished timestamptz;
    v_view name;
BEGIN
    -- Captured before refreshing: every import up to here is visible to the refresh below.
    SELECT max(id) INTO v_covered FROM import_logs WHERE status = 'succeeded';

    INSERT INTO view_refreshes (started_at, covered_import_id, "concurrently", trigger, host)
    VALUES (v_started, v_covered, true, p_trigger, p_host)
    RETURNING id INTO v_id;

    FOR v_view IN SELECT view_name FROM summary_views ORDER BY position, view_name LOOP
        EXECUTE format('REFRESH MATERIALIZED VIEW CONCURRENTLY %I', v_view);
    END LOOP;

    v_finished := clock_timestamp();
    UPDATE view_refreshes
    SET finished_at = v_finished,
        duration_ms = round(extract(epoch FROM v_finished - v_started) * 1000, 3)
    WHERE id = v_id;

    RETURN v_id;
END
$$;

COMMENT ON FUNCTION refresh_materialized_views(text, text) IS
    'REFRESH MATERIALIZED VIEW CONCURRENTLY every view in summary_views and record it in view_refreshes; '
    'returns the view_refreshes id.';
