"""Use cases: each owns its transaction and checks who may do what."""
