-- 0002 (down): drop the category column (its values are lost).

ALTER TABLE transactions DROP COLUMN IF EXISTS category;
