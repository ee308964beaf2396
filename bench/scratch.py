"""Scratch databases for benches: a bench measures in a child process on a database of its own.

``in_child(script, args, env)`` runs ``script --child ARGS`` with ``env`` and returns the
JSON object its last line prints. ``sqlite_env()`` gives an environment whose SQLite file
lives in a throw-away folder; ``postgres_env(url, name)`` creates database ``name`` on the
server ``url`` points at, and drops it afterwards.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from urllib.parse import urlparse, urlunparse


def in_child(script: str, args: Sequence[str], env: dict[str, str]) -> dict[str, object]:
    cmd = [sys.executable, script, "--child", *args]
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.stderr.write(done.stderr)
        raise SystemExit(f"bench child failed ({env.get('MINYI_DATABASE_URL') or 'sqlite'})")
    return json.loads(done.stdout.strip().splitlines()[-1])


@contextmanager
def sqlite_env() -> Iterator[dict[str, str]]:
    with tempfile.TemporaryDirectory(prefix="minyi-bench-") as tmp:
        env = {**os.environ, "MINYI_VAR_DIR": tmp}
        env.pop("MINYI_DATABASE_URL", None)
        yield env


@contextmanager
def postgres_env(url: str, name: str) -> Iterator[dict[str, str]]:
    import psycopg

    parts = urlparse(url)
    admin_url = urlunparse(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield {**os.environ, "MINYI_DATABASE_URL": urlunparse(parts._replace(path=f"/{name}"))}
    finally:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def postgres_url() -> str:
    """The server MINYI_DATABASE_URL points at, or "" when the bench runs on SQLite only."""
    url = os.getenv("MINYI_DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql://")) else ""
