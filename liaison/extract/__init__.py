"""Extraction: press texts in, events and claims in the event contract out (no Django)."""
