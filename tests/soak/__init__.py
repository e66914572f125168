"""The scale-out installation of docs/deploy.md on loopback, a load generator, and the
scenario that restarts a node, kills a worker and restarts PostgreSQL under load.

`make soak` runs the long scenario (`python -m tests.soak`); tests/soak/test_scaleout.py
runs a short one in the normal suite; bench/scaleout.py measures one node against two.
"""
