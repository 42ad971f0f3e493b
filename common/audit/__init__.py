"""Each service's audit log: who did what to which record from its admin, and what it changed."""
