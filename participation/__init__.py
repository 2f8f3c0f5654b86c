"""Participation platform for smart cities: app core, accounts, moderation and the project register."""

import os

__version__ = "0.1.0"

# Piccolo finds its configuration through this module name; the CLI and tests rely on it.
os.environ.setdefault("PICCOLO_CONF", "piccolo_conf")
