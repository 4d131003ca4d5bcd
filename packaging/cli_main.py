"""Entry point of the built command line (commissioner: backup, restore, status, sync ...)."""

import sys

from commissioner_app.cli import main

if __name__ == "__main__":
    sys.exit(main())
