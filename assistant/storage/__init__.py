"""Storage: where files live, user settings, and (later) the practice log."""
