-- 0003 (down): drop import_logs with its indexes and its history.

DROP TABLE IF EXISTS import_logs;
