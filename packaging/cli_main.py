"""Entry point of the built command line (commissioner: backup, restore, status, sync ...)."""

import multiprocessing

from commissioner_app.cli import run

if __name__ == "__main__":
    # The batch of annual records writes with worker processes: in the built application they
    # start as this executable, and must run their task instead of the program.
    multiprocessing.freeze_support()
    run()
