-- The queue now orders by (created_on DESC, id DESC), so the keyset condition can be one row
-- value, (created_on, id) < (?, ?), which SQLite answers by seeking in these indexes instead of
-- scanning from the top: a deep page costs what the first page costs.
DROP INDEX opinions_by_day;
DROP INDEX opinions_by_status;
DROP INDEX opinions_by_unit;
CREATE INDEX opinions_by_day ON opinions (created_on, id);
CREATE INDEX opinions_by_status ON opinions (status, created_on, id);
CREATE INDEX opinions_by_unit ON opinions (unit_code, created_on, id);
