-- The server's data folder (superusers and pg_read_all_settings members may read it): where E1
-- measures the free disk space that snapshots eat into, when the server runs on this machine.
SELECT current_setting('data_directory') AS data_directory
