"""Runs the platform on one machine: embedded servers, migrations, demo data, every process."""
