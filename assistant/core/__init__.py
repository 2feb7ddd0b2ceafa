"""The domain: script model, loader, timeline compiler, clocks and transport (stdlib only)."""
