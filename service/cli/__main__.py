"""`python -m service.cli`: the `ohjaamo` command."""

from service.cli import main

main()
