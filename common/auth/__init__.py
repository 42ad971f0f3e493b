"""Authentication and authorisation shared by every service: tokens, keys, scopes, operators."""
