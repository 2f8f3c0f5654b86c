"""What the register announces, inside the transaction of the change (see participation.lib.events)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class EntryUpdated:
    """A public timeline update of a register entry: a status change, a progress update or lessons.

    `previous_status` equals `status` when the update did not change the status.
    """

    entry_id: int
    update_id: int
    status: str
    previous_status: str
    at: datetime
