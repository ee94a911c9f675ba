-- 0009 (down): drop daily_balance and its registration.

DELETE FROM summary_views WHERE view_name = 'daily_balance';
DROP MATERIALIZED VIEW daily_balance;
