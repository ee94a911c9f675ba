-- 0008 (down): back to 0007's function with its three views named in the code.

CREATE OR REPLACE FUNCTION refresh_materialized_views(p_trigger text DEFAULT 'manual', p_host text DEFAULT NULL)
RETURNS bigint
LANGUAGE plpgsql
AS $$
DECLARE
    v_id bigint;
    v_started timestamptz := clock_timestamp();
    v_covered bigint;
    v_finished timestamptz;
BEGIN
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

DROP TABLE summary_views;
