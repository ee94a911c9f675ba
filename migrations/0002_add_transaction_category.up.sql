-- 0002: a category per transaction, filled by the agent's category rules (NULL = not
-- categorised). Unbounded varchar: a long label from a user's rule must never make an
-- import fail; dashboards group on it, they do not depend on its length.

ALTER TABLE transactions ADD COLUMN category varchar;
