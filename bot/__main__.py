"""`python -m bot ...`: the one command-line entry (bot/cli/main.py holds the commands)."""

import sys

from bot.cli.main import main

__all__ = ["main"]

if __name__ == "__main__":
    sys.exit(main())
