from __future__ import annotations

import pytest
from django.test import Client

from tests.factories import PASSWORD, Cast, make_cast


@pytest.fixture
def cast(db) -> Cast:
    return make_cast()


@pytest.fixture
def client_for(client: Client):
    """Return a function that logs the shared test client in as a user."""

    def login(user) -> Client:
        client.logout()
        assert client.login(username=user.username, password=PASSWORD)
        return client

    return login


@pytest.fixture(autouse=True)
def _fast_settings(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "attachments"
    # No test may read or overwrite the developer's trained model in var/.
    settings.CLASSIFIER_PATH = tmp_path / "classifier.pickle"
    settings.BACKUP_DIR = tmp_path / "backups"
    # The test client's login() calls authenticate() without a request, which axes
    # refuses; lockout is tested for real through the login form
    # (tests/accounts/test_lockout.py), which switches it back on.
    settings.AXES_ENABLED = False
    # Staff need no second factor here: tests/accounts/test_two_factor.py sets this
    # back to True and walks through enrolment and codes.
    settings.MINYI_REQUIRE_2FA = False
    # Nor append to the installation's chain anchors.
    settings.CHAIN_ANCHOR_FILE = tmp_path / "chain-anchors.jsonl"
