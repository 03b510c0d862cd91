-- Version string ("15.18") and number (150018) of the server we are connected to.
SELECT current_setting('server_version') AS server_version, current_setting('server_version_num') AS server_version_num
