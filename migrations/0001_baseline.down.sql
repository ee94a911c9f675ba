-- 0001 baseline (down): drop the baseline tables and every row in them.
-- transactions first: it references accounts.

DROP TABLE IF EXISTS transactions;
DROP TABLE IF EXISTS accounts;
