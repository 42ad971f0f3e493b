"""Admin dashboards: chart primitives, panels, and the registry each app's `dashboard.py` fills."""
