"""The doors: one folder per chat network, each a thin adapter over the core in ``bot/``."""
