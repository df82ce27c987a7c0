-- Text search in the review queue (搜索内容). search_text is the opinion's content as it is
-- compared, never shown: personal numbers masked first (redact.Mask, the masking reviewers see),
-- so that nobody can find a phone number by searching for it; then folded (hanzi.Fold):
-- Traditional → Simplified, full-width letters and digits to ordinary lower-case ones, so that
-- 門難進 and 门难进 find each other. content keeps what the person wrote.
-- The queue filters with instr(search_text, ?): no index; see docs/benchmarks.md for the cost.
-- Rows stored before this migration are filled by the program when it opens the database
-- (storage.fillSearchText), because the folding is Go code SQL cannot run.
ALTER TABLE opinions ADD COLUMN search_text TEXT NOT NULL DEFAULT '';
-- Holds only the opinions still waiting for their search_text (every one, right after this
-- migration; none once filled), so the check at each start-up finds them without a table scan.
CREATE INDEX opinions_without_search_text ON opinions (id) WHERE search_text = '';
