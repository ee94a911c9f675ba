-- 0001 baseline: the schema exactly as it stood before bankdrop managed it.
-- Existing installations already have these tables: they run `bankdrop migrate baseline`
-- (which records this version as applied without running it) instead of this file.
-- Plain CREATE on purpose: running it over existing tables must fail loudly, not merge.

CREATE TABLE accounts (
    id serial PRIMARY KEY,
    name text NOT NULL UNIQUE,
    institution text,
    currency char(3) NOT NULL DEFAULT 'USD'
);

CREATE TABLE transactions (
    id bigserial PRIMARY KEY,
    account_id int NOT NULL REFERENCES accounts,
    date date NOT NULL,
    amount numeric(12,2) NOT NULL,
    merchant text,
    description text,
    created_at timestamptz NOT NULL DEFAULT now()
);
