"""Leases: one runner at a time for a job that every app process and host could start (the periodic tasks)."""
