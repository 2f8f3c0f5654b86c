"""Narrow or broad: the audit's two meanings of a smart city, shared by ideas and register entries.

Narrow: smart through data and applications. Broad: innovation and the new forms
of collaboration it needs. Every idea and register entry says which.
"""

from enum import Enum


class Scope(str, Enum):
    narrow = "narrow"
    broad = "broad"
