-- A user's own display name on a team's server (issue 16): the server's 0020 adds a function that writes the name
-- of the login calling it, and nothing else, since a collector may not write the settings table there. A file
-- keeps writing the `user_name:<login>` setting itself: nothing changes here (a step kept so that both dialects
-- count the same versions).
SELECT 1;
