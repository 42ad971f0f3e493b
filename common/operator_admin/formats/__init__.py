"""Date and time formats of the admin (FORMAT_MODULE_PATH): to the second, with the time zone."""
