"""Production mode: HTTPS only, HSTS, secure cookies, a strong key, a clean ``check --deploy``."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from django.test import Client

from minyi.core.checks import production_problems, weak_secret

ROOT = Path(__file__).resolve().parents[2]
STRONG_KEY = "Hk3-vT9qL2xZ8wR4nB7mC1yF6jD5sA0pE_uG3iO9kW2eY7tQ4rV8"


def _production_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    # The browser tests' conftest sets DJANGO_ALLOW_ASYNC_UNSAFE in this process (for
    # playwright's event loop); a deployment never has it, and check --deploy says so.
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("MINYI_") and k != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    env.update(
        MINYI_MODE="production",
        MINYI_SECRET_KEY=STRONG_KEY,
        MINYI_VAR_DIR=str(tmp_path),
        MINYI_ALLOWED_HOSTS="minyi.example.cn",
    )
    env.update(extra)
    return env


def _run(env: dict[str, str], code: str) -> subprocess.CompletedProcess[str]:
    script = "import django; django.setup()\n" + code
    env = {**env, "DJANGO_SETTINGS_MODULE": "minyi.settings"}
    return subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


CHECK_DEPLOY = """
from django.core.management import call_command
call_command("check", deploy=True, fail_level="WARNING")
"""


def test_it_passes_check_deploy_with_no_warnings_in_production_mode(tmp_path):
    result = _run(_production_env(tmp_path), CHECK_DEPLOY)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout + result.stderr


def test_it_fails_check_deploy_with_a_short_secret(tmp_path):
    env = _production_env(tmp_path, MINYI_SECRET_KEY="short-but-not-default-0123456789")
    result = _run(env, CHECK_DEPLOY)
    assert result.returncode != 0
    assert "minyi.E003" in result.stderr


def test_it_reads_the_proxy_header_and_hsts_from_the_environment(tmp_path):
    env = _production_env(
        tmp_path, MINYI_PROXY_SSL_HEADER="HTTP_X_FORWARDED_PROTO", MINYI_HSTS_SECONDS="600"
    )
    code = (
        "from django.conf import settings as s; import json\n"
        "print(json.dumps([s.SECURE_PROXY_SSL_HEADER, s.SECURE_HSTS_SECONDS, s.SECURE_SSL_REDIRECT,"
        " s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.DEBUG]))"
    )
    result = _run(env, code)
    assert result.returncode == 0, result.stderr
    header, hsts, redirect, session_secure, csrf_secure, debug = json.loads(result.stdout)
    assert header == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert (hsts, redirect, session_secure, csrf_secure, debug) == (600, True, True, True, False)


def test_development_mode_serves_plain_http_without_hsts(tmp_path):
    # The browser tests' conftest sets DJANGO_ALLOW_ASYNC_UNSAFE in this process (for
    # playwright's event loop); a deployment never has it, and check --deploy says so.
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("MINYI_") and k != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    env["MINYI_VAR_DIR"] = str(tmp_path)
    code = (
        "from django.conf import settings as s; import json\n"
        "print(json.dumps([s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS,"
        " s.SECURE_PROXY_SSL_HEADER]))"
    )
    result = _run(env, code)
    assert result.returncode == 0, result.stderr
    # `make run` must keep working on http://127.0.0.1:8000.
    assert json.loads(result.stdout) == [False, 0, None]


def test_it_redirects_http_and_sends_hsts_behind_a_tls_proxy(settings, db):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    client = Client()  # built after the override: SecurityMiddleware reads settings once
    plain = client.get("/login/")
    assert plain.status_code == 301
    assert plain["Location"].startswith("https://")
    # The health check stays reachable for probes on plain HTTP.
    assert client.get("/healthz").status_code == 200
    secure = client.get("/login/", HTTP_X_FORWARDED_PROTO="https")
    assert secure.status_code == 200
    assert secure["Strict-Transport-Security"].startswith("max-age=31536000")


def test_it_refuses_short_or_repetitive_secrets_not_only_the_default(settings):
    settings.MODE = "production"
    settings.DEBUG = False
    assert weak_secret("x" * 60)  # long but only one distinct character
    assert weak_secret(STRONG_KEY[:49])
    assert not weak_secret(STRONG_KEY)
    settings.SECRET_KEY = "abcd" * 20
    assert [p.id for p in production_problems()] == ["minyi.E003"]
    settings.SECRET_KEY = STRONG_KEY
    assert production_problems() == []
