"""Entry point of the built desktop application (commissioner-app, windowed)."""

import sys

from ui.app import main

if __name__ == "__main__":
    sys.exit(main())
