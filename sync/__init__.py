"""The sync protocol, its client and the central store server."""
