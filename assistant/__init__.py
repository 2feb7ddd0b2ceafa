"""ground: a voice-guided breathing and grounding assistant for the terminal."""

__version__ = "0.1.0"
