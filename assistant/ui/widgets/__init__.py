"""Widgets, one per module (import each from its module: the package imports nothing, so the
first frame pays only for the widgets it shows)."""
