"""Shared helpers every domain may use: the clock and the domain-event registry.

Nothing here imports a domain package; domains import from here, never the other way.
"""
