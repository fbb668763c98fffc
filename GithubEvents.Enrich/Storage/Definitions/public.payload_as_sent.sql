-- The payload as GitHub sent it: the restored members (events.restored) removed.
CREATE OR REPLACE FUNCTION payload_as_sent(payload jsonb, restored text[]) RETURNS jsonb
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
    path text;
BEGIN
    FOREACH path IN ARRAY coalesce(restored, '{}') LOOP
        payload := payload #- string_to_array(path, '.');
    END LOOP;
    RETURN payload;
END
$$;
