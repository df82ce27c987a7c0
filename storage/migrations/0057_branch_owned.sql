-- Branch administrators (#15), second part: what a branch owns besides units and users.
-- audit_log.unit_code names the unit an entry about no opinion concerns (a unit, an account's
-- unit or branch, a mailbox's or a site's unit, a survey's or an evaluation's branch), so that
-- an administrator limited to a branch reads the entries of their branch only; NULL where the
-- entry concerns no unit (settings, taxonomy…) and for every entry written before this
-- migration (not attributed, so never shown to a branch administrator). Adding a column is not
-- an UPDATE: the append-only triggers of 0032 are not touched.
ALTER TABLE audit_log ADD COLUMN unit_code TEXT CHECK (length(unit_code) <= 64);
CREATE INDEX audit_log_by_unit ON audit_log (unit_code, id);
-- A survey or a democratic evaluation made by a branch administrator belongs to their branch
-- (the root unit's code); '' is the whole portal's, as every one was before.
ALTER TABLE surveys ADD COLUMN branch TEXT NOT NULL DEFAULT '' CHECK (length(branch) <= 64);
ALTER TABLE evaluations ADD COLUMN branch TEXT NOT NULL DEFAULT '' CHECK (length(branch) <= 64);
