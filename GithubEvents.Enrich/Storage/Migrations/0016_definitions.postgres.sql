-- Views and functions are defined in Definitions/ from this version on. A database set up before it has the one function
-- that no definition replaces: the body of rollup.materialize_5m that version 14 kept under another name.
DROP FUNCTION IF EXISTS rollup.materialize_5m_without_watch(timestamptz);
