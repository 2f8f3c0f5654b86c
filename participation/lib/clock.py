"""The one clock: every timestamp the platform stores is UTC (DESIGN.md section 6)."""

from __future__ import annotations

from datetime import UTC, datetime


def utcnow() -> datetime:
    return datetime.now(UTC)
