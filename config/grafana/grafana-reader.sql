-- A read-only role for Grafana: SELECT on the tables and views the dashboards read, nothing else.
-- See docs/grafana.md. Run it in the bankdrop database, as the role that runs `bankdrop migrate`
-- (the owner of the tables), after the migrations:
--
--   psql "<bankdrop database>" -f config/grafana/grafana-reader.sql
--   psql "<bankdrop database>" -c '\password bankdrop_grafana'
--
-- Creating the role needs CREATEROLE (or a superuser); if the owner lacks it, have an
-- administrator create it first (the three statements in the DO block below): this file then
-- only grants.
-- No password is set here: set it interactively (above), so it never lands in a file or history.

DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'bankdrop_grafana') THEN
        CREATE ROLE bankdrop_grafana LOGIN;
        -- Dashboards never write, and never hold the agent's database busy for long.
        ALTER ROLE bankdrop_grafana SET default_transaction_read_only = on;
        ALTER ROLE bankdrop_grafana SET statement_timeout = '30s';
    END IF;
END
$$;

-- CONNECT on the database comes from PUBLIC by default; where it was revoked, the database owner
-- runs: GRANT CONNECT ON DATABASE <name> TO bankdrop_grafana;
GRANT USAGE ON SCHEMA public TO bankdrop_grafana;

-- Partitions need no grant of their own: queries go through the partitioned transactions table.
GRANT SELECT ON
    accounts,
    transactions,
    import_logs,
    view_refreshes,
    daily_summary,
    monthly_summary,
    merchant_summary,
    daily_balance
TO bankdrop_grafana;

-- Tables and views a later migration creates (as this same owner) are readable too.
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO bankdrop_grafana;
