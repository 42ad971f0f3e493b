"""Template tags shared by every service's admin."""
