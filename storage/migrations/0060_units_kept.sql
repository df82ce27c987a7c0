-- A unit is retired (active = 0), never deleted, and keeps its code for good (#15, twelfth
-- sitting). The portal has never deleted a unit or changed a code (UnitAdmin retires; codes are
-- chosen once); this says so in the schema, on both engines, because on PostgreSQL it is what
-- lets an opinion's unit be checked once per statement instead of once per row (the PostgreSQL
-- twin of this file says how): a unit that cannot vanish or change its code needs no lock held
-- by each new opinion's check. On SQLite the foreign key of opinions.unit_code stays as it is
-- (a look-up inside the process); these two triggers only refuse what was never done.
CREATE TRIGGER units_never_deleted BEFORE DELETE ON units
BEGIN
    SELECT RAISE(ABORT, 'a unit is retired (active = 0), never deleted');
END;
CREATE TRIGGER units_keep_their_code BEFORE UPDATE OF code ON units WHEN old.code <> new.code
BEGIN
    SELECT RAISE(ABORT, 'a unit keeps its code');
END;
