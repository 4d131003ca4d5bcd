"""A TCP proxy on loopback that drops, delays and cuts connections at seeded random points.

Each accepted connection draws its fate from the proxy's seeded generator: passed through,
refused at once, delayed, stalled (nothing forwarded, so the client times out), or cut after a
random number of bytes in either direction — before the request reaches the server, or after the
server has processed it but before its whole answer reached the client (the case that makes
idempotency keys necessary). With `faults = False` it forwards faithfully.
"""

from __future__ import annotations

import logging
import random
import socket
import threading
import time
from dataclasses import dataclass, field

log = logging.getLogger("tests.faultproxy")

FATES = ("pass", "refuse", "delay", "stall", "cut_up", "cut_down")


@dataclass
class ProxyStats:
    connections: int = 0
    fates: dict[str, int] = field(default_factory=dict)


class FaultProxy:
    def __init__(
        self,
        upstream_port: int,
        *,
        seed: int,
        weights: dict[str, float] | None = None,
        stall_seconds: float = 3.0,
        upstream_host: str = "127.0.0.1",
    ):
        self.upstream = (upstream_host, upstream_port)
        self.rng = random.Random(seed)
        self.lock = threading.Lock()
        self.weights = weights or {
            "pass": 3,
            "refuse": 1,
            "delay": 2,
            "stall": 0.3,
            "cut_up": 2,
            "cut_down": 4,
        }
        self.stall_seconds = stall_seconds
        self.faults = True
        self.stats = ProxyStats()
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(128)
        self.port = self._listener.getsockname()[1]
        self._closing = False
        self._sockets: set[socket.socket] = set()
        self._thread = threading.Thread(target=self._accept_loop, name="fault-proxy", daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def close(self) -> None:
        self._closing = True
        try:
            self._listener.close()
        except OSError:
            pass
        with self.lock:
            for s in list(self._sockets):
                _close(s)

    def drop_all(self) -> None:
        """Cut every open connection now."""
        with self.lock:
            for s in list(self._sockets):
                _close(s)

    # --- internals -------------------------------------------------------------------------------

    def _draw(self) -> tuple[str, int | None, int | None, float]:
        """A connection's fate, and after how many bytes each direction is cut (None: never).

        Clients keep connections alive across requests, so a cut after a random number of bytes
        lands at a random point of some later request or answer, not only at the start.
        """
        with self.lock:
            if not self.faults:
                fate = "pass"
            else:
                names = list(self.weights)
                fate = self.rng.choices(names, [self.weights[n] for n in names])[0]
            up = down = None
            if fate == "cut_up":
                up = self.rng.randint(1, 20_000)
            elif fate == "cut_down":
                down = self.rng.randint(1, 3_000)
            elif fate in ("pass", "delay") and self.faults:
                # Even a good connection dies some time later, somewhere in the stream.
                if self.rng.random() < 0.5:
                    up = self.rng.randint(200, 25_000)
                else:
                    down = self.rng.randint(200, 12_000)
            delay = self.rng.uniform(0.0, 0.15)
            self.stats.connections += 1
            self.stats.fates[fate] = self.stats.fates.get(fate, 0) + 1
        return fate, up, down, delay

    def _accept_loop(self) -> None:
        while not self._closing:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            fate, up, down, delay = self._draw()
            if fate == "refuse":
                _close(client)
                continue
            threading.Thread(target=self._serve, args=(client, fate, up, down, delay), daemon=True).start()

    def _serve(
        self, client: socket.socket, fate: str, up: int | None, down: int | None, delay: float
    ) -> None:
        try:
            upstream = socket.create_connection(self.upstream, timeout=5)
        except OSError:
            _close(client)
            return
        with self.lock:
            self._sockets.update((client, upstream))
        done = threading.Event()
        threading.Thread(
            target=self._pump, args=(client, upstream, fate, up, delay, done), daemon=True
        ).start()
        self._pump(upstream, client, fate, down, delay, done)
        done.wait(1)
        with self.lock:
            self._sockets.discard(client)
            self._sockets.discard(upstream)
        _close(client)
        _close(upstream)

    def _pump(
        self,
        src: socket.socket,
        dst: socket.socket,
        fate: str,
        budget: int | None,
        delay: float,
        done: threading.Event,
    ) -> None:
        try:
            while True:
                data = src.recv(65536)
                if not data:
                    break
                if fate == "stall":
                    time.sleep(self.stall_seconds)
                    break
                if fate == "delay":
                    time.sleep(delay)
                if budget is not None:
                    if len(data) >= budget:
                        dst.sendall(data[:budget])
                        break
                    budget -= len(data)
                dst.sendall(data)
        except OSError:
            pass
        finally:
            _close(src)
            _close(dst)
            done.set()


def _close(s: socket.socket) -> None:
    try:
        s.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    try:
        s.close()
    except OSError:
        pass
