"""Entry point of the built desktop application (commissioner-app, windowed)."""

import multiprocessing
import sys

from ui.app import main

if __name__ == "__main__":
    # The batch of annual records writes with worker processes: in the built application they
    # start as this executable, and must run their task instead of the program.
    multiprocessing.freeze_support()
    sys.exit(main())
