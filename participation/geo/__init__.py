"""Places: points in WGS84, the city's neighbourhood boundaries, and finding an address's point.

A shared module (no domain): ideas and the register store points through it, the map pages
read them back. Nothing here talks to the database.
"""
