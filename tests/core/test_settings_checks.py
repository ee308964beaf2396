from __future__ import annotations

import pytest

from minyi.core.checks import production_problems
from minyi.settings import DEFAULT_SECRET_KEY, database_from_url


def test_it_refuses_production_mode_with_the_default_secret_and_debug(settings):
    settings.MODE = "production"
    settings.SECRET_KEY = DEFAULT_SECRET_KEY
    settings.DEBUG = True
    ids = {problem.id for problem in production_problems()}
    assert ids == {"minyi.E001", "minyi.E002"}


def test_it_accepts_production_mode_with_a_real_secret(settings):
    settings.MODE = "production"
    settings.SECRET_KEY = "a-long-random-production-secret-0123456789-abcdefghijklmnop"
    settings.DEBUG = False
    assert production_problems() == []


def test_it_allows_development_defaults_in_development_mode(settings):
    settings.MODE = "development"
    settings.SECRET_KEY = DEFAULT_SECRET_KEY
    assert production_problems() == []


def test_it_reads_postgres_urls():
    db = database_from_url("postgres://u:p%40ss@db.example:5433/minyi")
    assert (db["ENGINE"], db["NAME"], db["USER"], db["PASSWORD"], db["HOST"], db["PORT"]) == (
        "django.db.backends.postgresql",
        "minyi",
        "u",
        "p@ss",
        "db.example",
        "5433",
    )


def test_it_refuses_unknown_database_schemes():
    with pytest.raises(ValueError, match="unsupported scheme"):
        database_from_url("mysql://root@localhost/minyi")
