"""Moderation and triage: the queue, decisions, reports, suspensions, spam signals and the decision log."""
