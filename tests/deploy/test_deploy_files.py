"""The files of deploy/ hold together: the compose stack (validated by `docker compose config`
where Docker runs, and structurally always), the image, the systemd units and the proxies all use
options `commissioner-server` really has."""

from __future__ import annotations

import configparser
import re
import shlex
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from sync.server_cli import build_parser

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"


def compose() -> dict[str, Any]:
    data = yaml.safe_load((DEPLOY / "compose.yaml").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def interpolate(value: str) -> str:
    """Compose's ${VAR:-default} with the default (what an unset variable gives)."""
    return re.sub(r"\$\{[A-Z_]+:-([^}]*)\}", r"\1", value)


def test_compose_runs_postgresql_the_server_with_workers_and_a_tls_proxy() -> None:
    stack = compose()
    services = stack["services"]
    assert set(services) == {"db", "server", "proxy"}
    for name, service in services.items():
        assert "healthcheck" in service, f"{name} has no healthcheck"
        assert service.get("restart") == "unless-stopped"
    db, server, proxy = services["db"], services["server"], services["proxy"]
    assert db["image"].startswith("postgres:")
    assert "db-data:/var/lib/postgresql/data" in db["volumes"]
    # Secrets come from files at run time, never from the compose file or the image.
    assert db["environment"]["POSTGRES_PASSWORD_FILE"] == "/run/secrets/db_password"
    assert stack["secrets"]["db_password"] == {"file": "./secrets/db_password"}
    for service in services.values():
        for key, value in (service.get("environment") or {}).items():
            assert "PASSWORD" not in key or key.endswith("_FILE"), key
            assert not re.search(r"://[^/@:]+:[^@/]+@", str(value)), key  # no password in a URL
    # The server: the real CLI's options, several workers, PostgreSQL, the proxy's network trusted.
    args = build_parser().parse_args([interpolate(str(a)) for a in server["command"]])
    assert args.command == "serve" and args.workers >= 2 and args.host == "0.0.0.0"
    subnet = stack["networks"]["proxy"]["ipam"]["config"][0]["subnet"]
    assert args.forwarded_allow_ips == subnet
    assert server["environment"]["COMMISSIONER_SERVER_DATABASE"].startswith("postgresql://")
    assert server["depends_on"]["db"]["condition"] == "service_healthy"
    assert "ports" not in server and "ports" not in db  # only the proxy is reachable from outside
    assert stack["networks"]["backend"]["internal"] is True
    assert (DEPLOY / server["build"]["context"] / server["build"]["dockerfile"]).exists()
    # The proxy terminates TLS and forwards to the server's port.
    assert "443:443" in proxy["ports"]
    caddyfile = (DEPLOY / "Caddyfile").read_text()
    assert "./Caddyfile:/etc/caddy/Caddyfile:ro" in proxy["volumes"]
    assert (
        f"reverse_proxy server:{args.port}" in caddyfile
        and "tls /certs/server.pem /certs/server.key" in caddyfile
    )
    for volume in ("db-data", "server-data"):
        assert volume in stack["volumes"]


def test_compose_file_validates_with_docker_where_docker_runs() -> None:
    docker = shutil.which("docker")
    if docker is None or subprocess.run([docker, "compose", "version"], capture_output=True).returncode != 0:
        pytest.skip("no docker compose here: the structure is checked by the test above")
    (DEPLOY / "secrets").mkdir(exist_ok=True)
    made = not (DEPLOY / "secrets" / "db_password").exists()
    if made:
        (DEPLOY / "secrets" / "db_password").write_text("placeholder\n")
    try:
        done = subprocess.run(
            [docker, "compose", "-f", str(DEPLOY / "compose.yaml"), "config", "-q"],
            capture_output=True,
            text=True,
        )
    finally:
        if made:
            (DEPLOY / "secrets" / "db_password").unlink()
    assert done.returncode == 0, done.stderr


def test_image_runs_the_server_extra_as_a_user_with_a_healthcheck() -> None:
    text = (DEPLOY / "Dockerfile").read_text()
    assert re.search(r"^FROM python:3\.11-slim$", text, re.M)
    assert 'pip install ".[server]"' in text
    users = re.findall(r"^USER (\S+)$", text, re.M)
    assert users and users[-1] not in ("root", "0")
    assert "HEALTHCHECK" in text and "/api/v1/health" in text
    entry = re.search(r"^ENTRYPOINT (\[.*\])$", text, re.M)
    cmd = re.search(r"^CMD (\[.*\])$", text, re.M)
    assert entry and cmd and yaml.safe_load(entry.group(1)) == ["commissioner-server"]
    assert build_parser().parse_args(yaml.safe_load(cmd.group(1))).workers >= 2
    assert not re.search(r"(?i)password\s*=", text)


def test_systemd_units_use_real_options() -> None:
    for unit in ("commissioner-server.service", "commissioner-prune.service"):
        parser = configparser.ConfigParser(strict=False, interpolation=None)
        parser.optionxform = str  # type: ignore[assignment,method-assign]
        parser.read(DEPLOY / "systemd" / unit)
        service = parser["Service"]
        assert service["User"] == "commissioner"
        argv = shlex.split(service["ExecStart"])
        assert argv[0] == "/opt/commissioner/venv/bin/commissioner-server"
        args = build_parser().parse_args(argv[1:])
        if args.command == "serve":
            assert args.host == "127.0.0.1" and args.forwarded_allow_ips == "127.0.0.1" and args.workers >= 2
    timer = configparser.ConfigParser()
    timer.read(DEPLOY / "systemd" / "commissioner-prune.timer")
    assert timer["Timer"]["OnCalendar"]


def test_nginx_site_forwards_the_client_address_and_scheme_to_the_server() -> None:
    text = (DEPLOY / "nginx" / "commissioner.conf").read_text()
    assert "proxy_set_header X-Forwarded-For $remote_addr;" in text  # replaced, not appended to
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in text
    assert "server 127.0.0.1:8765;" in text and "ssl_certificate " in text


def test_the_database_password_comes_from_a_file_not_the_url(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sync.server_cli import database_url

    secret = tmp_path / "db_password"
    secret.write_text("s3cret:/@word\n")
    monkeypatch.setenv("COMMISSIONER_SERVER_DATABASE", "postgresql://commissioner@db:5432/commissioner")
    monkeypatch.setenv("COMMISSIONER_SERVER_DATABASE_PASSWORD_FILE", str(secret))
    args = build_parser().parse_args(["migrate"])
    from sqlalchemy.engine import make_url

    url = make_url(database_url(args))
    assert (url.username, url.password, url.host, url.database) == (
        "commissioner",
        "s3cret:/@word",
        "db",
        "commissioner",
    )
    monkeypatch.setenv("COMMISSIONER_SERVER_DATABASE_PASSWORD_FILE", str(tmp_path / "missing"))
    with pytest.raises(SystemExit, match="password file"):
        database_url(args)


def test_cron_lines_run_real_commands_as_the_service_user() -> None:
    lines = [
        line
        for line in (DEPLOY / "cron.d" / "commissioner").read_text().splitlines()
        if line and not line.startswith("#") and "=" not in line.split()[0]
    ]
    commands = set()
    for line in lines:
        fields = line.split(None, 6)
        assert fields[5] == "commissioner"
        text = re.sub(r"\$\([^)]*\)", "1", fields[6].split(">")[0])  # the shell's $(date +%u)
        argv = shlex.split(text)
        assert argv[0] == "/opt/commissioner/venv/bin/commissioner-server"
        args = build_parser().parse_args(argv[1:])
        commands.add(args.command)
    assert commands == {"backup", "prune"}


def test_postgresql_allows_the_connections_of_every_worker(monkeypatch: pytest.MonkeyPatch) -> None:
    stack = compose()
    args = build_parser().parse_args([interpolate(str(a)) for a in stack["services"]["server"]["command"]])
    command = stack["services"]["db"]["command"]
    limit = int(next(c.split("=")[1] for c in command if c.startswith("max_connections=")))
    from sync.server import db

    # The pool each worker process may fill, as `serve --db-connections` sets it for the process.
    monkeypatch.setenv("COMMISSIONER_SERVER_DB_CONNECTIONS", str(args.db_connections))
    engine = db.make_engine("postgresql://commissioner@db:5432/commissioner")  # connects to nothing
    per_process = engine.pool.size() + engine.pool._max_overflow  # type: ignore[attr-defined]
    engine.dispose()
    assert limit >= per_process * args.workers + 10
