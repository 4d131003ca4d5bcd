"""The bureau's central store: an HTTP service speaking sync protocol v1 (see sync/protocol.py).

Every piece of state (sessions, login throttling, sequence numbers, uploads) lives in the database,
so several server processes can share one PostgreSQL.
"""
