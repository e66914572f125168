"""Ohjaamo's settings: `defaults.py` holds every setting with its default."""
