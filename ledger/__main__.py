"""`python -m ledger` is the same as the `aid-ledger` command."""

from .cli import main

main()
