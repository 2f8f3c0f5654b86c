"""Cells for spreadsheets: text that a spreadsheet would run as a formula is made inert.

Shared by every CSV and XLSX export (the register's open data, the statistics and the staff
exports), so there is one rule: a cell starting with `=`, `+`, `-` or `@` gets a leading `'`.
"""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@")


def neutralise_formula(text: str) -> str:
    return "'" + text if text[:1] in FORMULA_STARTS else text
