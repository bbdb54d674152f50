"""Builders that turn validated data into format-neutral Documents (pure: no files written)."""
