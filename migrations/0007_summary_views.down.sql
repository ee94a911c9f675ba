-- 0007 (down): drop the summary views, their refresh function and the refresh history.

DROP FUNCTION IF EXISTS refresh_materialized_views(text, text);
DROP TABLE IF EXISTS view_refreshes;
DROP MATERIALIZED VIEW IF EXISTS merchant_summary;
DROP MATERIALIZED VIEW IF EXISTS monthly_summary;
DROP MATERIALIZED VIEW IF EXISTS daily_summary;
