"""Field Commissioner core: domain, local store, reference data and command line (no Qt)."""

__version__ = "0.1.0"
