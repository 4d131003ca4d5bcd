import os

# Qt has no screen on CI machines; every Qt test renders offscreen.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
