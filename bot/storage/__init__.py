"""Files the bot writes: append-only JSON-lines logs and state files."""
