-- Each person sets their own display name ("Mon nom"), the name the audit trail, disputes and signatures show
-- beside the login: a collector may not write the settings table, so this function, run with its owner's rights,
-- writes the one setting `user_name:<login>` of the login that calls it (session_user: the role that signed in,
-- whatever role it has set since). It runs no SQL of the caller's; an empty name brings the default back.
-- EXECUTE goes to the manager and collector groups (team init / team upgrade, with the other rights).
CREATE FUNCTION encaisse_set_display_name(name text) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    IF name IS NULL OR btrim(name) = '' THEN
        DELETE FROM setting WHERE key = 'user_name:' || session_user;
    ELSIF char_length(name) > 80 THEN
        RAISE EXCEPTION 'name: % characters, at most 80', char_length(name);
    ELSE
        INSERT INTO setting (key, value) VALUES ('user_name:' || session_user, name)
            ON CONFLICT (key) DO UPDATE SET value = excluded.value;
    END IF;
END;
$$;
REVOKE ALL ON FUNCTION encaisse_set_display_name(text) FROM PUBLIC;
