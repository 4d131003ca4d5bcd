"""The systemd/venv route of deploy/ end to end over TLS on loopback: the bureau's own CA and server
certificate made by deploy/make-certificates.sh, `commissioner-server serve` (its real CLI, two
workers) behind nginx with deploy/nginx/commissioner.conf (or behind uvicorn's own TLS), and the
`commissioner` command logging in with --ca-file and syncing a visit with a photo. Without the CA
file the client refuses the certificate and says what to do."""

from __future__ import annotations

import contextlib
import json
import os
import random
import shutil
import signal
import socket
import sqlite3
import ssl
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

from tests.sync.fieldwork import add_photo, add_target, add_visit, commissioner_store

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
ENV = {**os.environ, "PYTHONPATH": str(ROOT), "COMMISSIONER_LANG": "zh_CN"}
PASSWORD = "a long enough password"
NGINX = shutil.which("nginx") or next(
    (p for p in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if os.path.exists(p)), None
)


def command(name: str, module: str) -> list[str]:
    """The installed entry point (as a bureau runs it), or the module where it is not installed."""
    script = Path(sys.executable).parent / name
    return [str(script)] if script.exists() else [sys.executable, "-m", module]


SERVER = command("commissioner-server", "sync.server_cli")
CLIENT = command("commissioner", "commissioner_app")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def run(*args: str, stdin: str | None = None, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        list(args), input=stdin, capture_output=True, text=True, env=ENV, cwd=ROOT, timeout=timeout
    )


def wait_for_tls(port: int, ca: Path, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"exited: {log.read_text(errors='replace')[-3000:]}")
        try:
            answer = requests.get(f"https://127.0.0.1:{port}/api/v1/health", verify=str(ca), timeout=2)
            if answer.status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"no HTTPS answer on {port} in 30 s: {log.read_text(errors='replace')[-3000:]}")


def nginx_site(port: int, http_port: int, backend: int, certs: Path, logs: Path) -> str:
    """deploy/nginx/commissioner.conf with this test's ports, certificate and log paths."""
    text = (DEPLOY / "nginx" / "commissioner.conf").read_text()
    for old, new in (
        ("server 127.0.0.1:8765;", f"server 127.0.0.1:{backend};"),
        ("    listen 80;\n", f"    listen 127.0.0.1:{http_port};\n"),
        ("    listen [::]:80;\n", ""),
        ("    listen 443 ssl http2;\n", f"    listen 127.0.0.1:{port} ssl http2;\n"),
        ("    listen [::]:443 ssl http2;\n", ""),
        ("/etc/ssl/commissioner/server.pem", str(certs / "server.pem")),
        ("/etc/ssl/commissioner/server.key", str(certs / "server.key")),
        ("/var/log/nginx/", f"{logs}/"),
    ):
        assert old in text, f"deploy/nginx/commissioner.conf no longer has {old!r}"
        text = text.replace(old, new)
    return text


@dataclass
class Route:
    url: str
    ca: Path
    server_db: Path
    commissioner_id: str
    http_port: int | None


def start(args: list[str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("ab") as out:
        # A process group of its own: stopping it also stops the server's worker processes.
        return subprocess.Popen(
            args, stdout=out, stderr=subprocess.STDOUT, env=ENV, cwd=ROOT, start_new_session=True
        )


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(3)
        except subprocess.TimeoutExpired:
            pass
    try:
        os.killpg(process.pid, signal.SIGKILL)  # workers left behind by a slow shutdown
    except ProcessLookupError:
        pass
    process.wait(10)


@pytest.fixture(params=["nginx", "uvicorn"])
def route(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Route]:
    with tls_route(tmp_path, request.param) as r:
        yield r


@contextlib.contextmanager
def tls_route(tmp_path: Path, terminator: str) -> Iterator[Route]:
    """The bureau's CA and server certificate, one commissioner account, and the server behind
    `terminator` (nginx or uvicorn's own TLS) on loopback."""
    if terminator == "nginx" and NGINX is None:
        if os.environ.get("CI") == "true":
            pytest.fail("nginx is required when CI=true (python3 dev.py setup installs it as root)")
        pytest.skip("nginx is not installed (apt-get install nginx-light)")
    certs, data, logs = tmp_path / "certs", tmp_path / "server", tmp_path / "logs"
    logs.mkdir()
    made = run("sh", str(DEPLOY / "make-certificates.sh"), str(certs), "localhost", "127.0.0.1")
    assert made.returncode == 0, made.stderr
    cid = str(uuid.uuid4())
    added = run(
        *SERVER,
        "--data-dir",
        str(data),
        "user",
        "add",
        "zhangsan",
        "--role",
        "commissioner",
        "--commissioner-id",
        cid,
        "--password-stdin",
        stdin=PASSWORD + "\n",
    )
    assert added.returncode == 0, added.stderr
    processes: list[subprocess.Popen[bytes]] = []
    try:
        port = free_port()
        serve = [*SERVER, "--data-dir", str(data), "--log-level", "WARNING", "serve", "--workers", "2"]
        http_port = None
        if terminator == "nginx":
            backend, http_port = free_port(), free_port()
            processes.append(
                start(
                    [
                        *serve,
                        "--host",
                        "127.0.0.1",
                        "--port",
                        str(backend),
                        "--forwarded-allow-ips",
                        "127.0.0.1",
                    ],
                    logs / "server.log",
                )
            )
            site = tmp_path / "site.conf"
            site.write_text(nginx_site(port, http_port, backend, certs, logs))
            for temp in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
                (tmp_path / temp).mkdir()
            conf = tmp_path / "nginx.conf"
            conf.write_text(
                ("user root;\n" if os.geteuid() == 0 else "")
                + f"worker_processes 1;\ndaemon off;\npid {tmp_path}/nginx.pid;\n"
                + f"error_log {logs}/error.log;\n"
                "events { worker_connections 256; }\nhttp {\n"
                + "".join(
                    f"    {t}_temp_path {tmp_path}/{t};\n" for t in ("proxy", "fastcgi", "uwsgi", "scgi")
                )
                + f"    client_body_temp_path {tmp_path}/body;\n    access_log {logs}/access.log;\n"
                f"    include {site};\n}}\n"
            )
            nginx = [NGINX, "-p", str(tmp_path), "-c", str(conf), "-e", str(logs / "error.log")]
            checked = run(*nginx, "-t")
            assert checked.returncode == 0, checked.stderr
            processes.append(start(nginx, logs / "nginx.log"))
        else:
            # uvicorn terminates TLS itself: for a small bureau without a proxy.
            processes.append(
                start(
                    [
                        *serve,
                        "--host",
                        "127.0.0.1",
                        "--port",
                        str(port),
                        "--ssl-certfile",
                        str(certs / "server.pem"),
                        "--ssl-keyfile",
                        str(certs / "server.key"),
                    ],
                    logs / "server.log",
                )
            )
        for process in processes:
            wait_for_tls(port, certs / "bureau-ca.pem", process, logs / "server.log")
        yield Route(f"https://127.0.0.1:{port}", certs / "bureau-ca.pem", data / "server.db", cid, http_port)
    finally:
        for process in reversed(processes):
            stop(process)


@pytest.mark.slow
def test_login_with_the_bureau_ca_and_sync_over_tls(route: Route, tmp_path: Path) -> None:
    laptop = tmp_path / "laptop"
    store = commissioner_store(laptop, route.commissioner_id)
    rng = random.Random(17)
    visit = add_visit(store, rng, add_target(store, rng), "经TLS同步")
    photo = add_photo(store, tmp_path, visit.id, rng, 300_000)  # larger than nginx's body buffer
    store.close()

    def login(data_dir: Path, *extra: str) -> subprocess.CompletedProcess[str]:
        return run(
            *CLIENT, "--data-dir", str(data_dir), "login", "--server", route.url, "--user", "zhangsan",
            "--token-file", "--password-stdin", *extra, stdin=PASSWORD + "\n",
        )  # fmt: skip

    done = login(laptop, "--ca-file", str(route.ca))
    assert done.returncode == 0, done.stderr
    assert "已登录" in done.stdout
    # The CA is kept with the session: sync needs no option.
    synced = run(*CLIENT, "--data-dir", str(laptop), "sync", "--json")
    assert synced.returncode == 0, synced.stderr
    report = json.loads(synced.stdout)
    assert report["accepted"] >= 2 and report["attachments_uploaded"] == 1
    with sqlite3.connect(route.server_db) as db:
        content = db.execute("SELECT fields FROM records WHERE table_name = 'visits' AND id = ?", [visit.id])
        assert "经TLS同步" in json.loads(content.fetchone()[0])["content"]
        assert db.execute("SELECT complete FROM uploads WHERE sha256 = ?", [photo]).fetchone() == (1,)
    if route.http_port:  # nginx sends plain HTTP to HTTPS
        plain = requests.get(f"http://127.0.0.1:{route.http_port}/api/v1/health", allow_redirects=False)
        assert plain.status_code == 301 and plain.headers["Location"].startswith("https://")

    # Another laptop without the bureau's CA: the certificate is refused, with what to do.
    other = tmp_path / "other"
    commissioner_store(other, route.commissioner_id).close()
    refused = login(other)
    assert refused.returncode == 2, refused.stderr
    assert "不信任服务器的证书" in refused.stderr and "--ca-file" in refused.stderr
    assert (
        "certificate" in refused.stderr
    )  # the TLS library's reason, e.g. "self-signed certificate in chain"
    assert not (other / "sync-token.json").exists()
    # A file that is not a certificate is refused before the password is sent.
    (tmp_path / "not-a-ca.pem").write_text("hello")
    wrong = login(other, "--ca-file", str(tmp_path / "not-a-ca.pem"))
    assert wrong.returncode == 2 and "CA 证书文件" in wrong.stderr
    context = ssl.create_default_context(cafile=str(route.ca))  # the CA the test trusted is a real CA
    assert context.cert_store_stats()["x509_ca"] == 1
