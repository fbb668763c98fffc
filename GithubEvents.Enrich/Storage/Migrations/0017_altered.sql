-- What the write path changed in a row's payload and envelope so that jsonb holds them (issue 25): NULL, nothing (stored
-- as received); else the kinds replaced, each wherever it occurred: 'nul_escape' (\u0000) and 'lone_surrogate' (an
-- escaped surrogate without its pair) became \ufffd, 'invalid_utf8' (bytes that are not UTF-8) U+FFFD,
-- 'number_out_of_range' (beyond numeric) a string of the number's text.
ALTER TABLE events ADD COLUMN altered text[];
