-- The reports and dashboards (#12) count the ratings given in a period (storage.EachRating): by
-- the day they were given, not the day the opinion came. Without an index each period read the
-- whole ratings table. Entries are (rated_on, opinion_id, round): a day's ratings in the order
-- of their random opinion ids, so the index records no more of their order than the table does.
CREATE INDEX ratings_by_day ON ratings (rated_on);
