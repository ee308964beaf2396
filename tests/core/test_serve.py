"""`make serve`'s server: gunicorn with deploy/gunicorn.conf.py and the production settings."""

from __future__ import annotations

import http.client
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).with_name("gunicorn")

pytestmark = pytest.mark.skipif(not GUNICORN.exists(), reason="gunicorn（production 依赖）未安装")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get(port: int, path: str) -> http.client.HTTPResponse:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", path)
    response = conn.getresponse()
    response.body = response.read()
    conn.close()
    return response


def wait_for(port: int, server: subprocess.Popen, limit: float = 60) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline and server.poll() is None:
        try:
            if get(port, "/healthz").status == 200:
                return
        except OSError:
            pass
        time.sleep(0.1)
    raise AssertionError("gunicorn did not answer /healthz")


def test_the_production_server_serves_pages_with_production_headers_and_static_files(tmp_path):
    port = free_port()
    env = {
        **os.environ,
        "MINYI_MODE": "production",
        "MINYI_SECRET_KEY": secrets.token_urlsafe(50),
        "MINYI_VAR_DIR": str(tmp_path),
        # Plain HTTP on loopback, as `make serve` without nginx.
        "MINYI_SSL_REDIRECT": "false",
        "MINYI_SERVE_STATIC": "true",
        "MINYI_BIND": f"127.0.0.1:{port}",
        "MINYI_WEB_WORKERS": "1",
        "MINYI_WEB_THREADS": "2",
    }
    env.pop("MINYI_DATABASE_URL", None)
    collected = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert collected.returncode == 0, collected.stderr
    log = tmp_path / "gunicorn.log"
    with log.open("wb") as out:
        server = subprocess.Popen(
            [str(GUNICORN), "-c", "deploy/gunicorn.conf.py"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        wait_for(port, server)
        page = get(port, "/login/")
        script = get(port, "/static/minyi/minyi.js")
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(30)
    assert page.status == 200 and page.getheader("Server") == "gunicorn"
    assert "script-src 'self'" in page.getheader("Content-Security-Policy")
    assert "Secure" in page.getheader("Set-Cookie")  # Production cookies travel over HTTPS only.
    assert script.status == 200
    assert script.body == (ROOT / "minyi" / "static" / "minyi" / "minyi.js").read_bytes()
    # One worker, as MINYI_WEB_WORKERS asked, with threads.
    text = log.read_text(errors="replace")
    assert text.count("Booting worker") == 1 and "gthread" in text
