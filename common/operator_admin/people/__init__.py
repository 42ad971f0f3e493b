"""People as the admin shows them: a copy of identity's users, kept from `user.*` events."""
