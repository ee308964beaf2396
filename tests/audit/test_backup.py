"""Backups restore: the content of a backed-up database comes back identical, on both engines.

The round trip backs up a database with reports in several states, attachments,
forwardings, adoptions and a 批示, restores it in a child process onto a fresh
empty database (SQLite: a new file; PostgreSQL: a new database), and compares the
content hash of ``tests.audit.content`` there with the original's.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import tarfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse, urlunparse

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import connection

from minyi.audit.backup import BackupError, archives, create_backup, prune_backups, restore_backup
from minyi.audit.models import Event
from minyi.core.jobs import PERIODIC
from minyi.notify.worker import run_ready_tasks
from minyi.outcomes.actions import do_record_adoption, do_record_instruction, do_record_not_adopted
from minyi.reports.models import Attachment
from tests.audit.content import CHILD, content_hash
from tests.factories import days_ago, make_report, settle

ROOT = Path(__file__).resolve().parents[2]


def seed(cast) -> None:
    """Reports in several states, two attachments, outcomes of each kind, a classifier file."""
    for state in ("draft", "submitted", "declined", "signed_off"):
        make_report(cast, state=state, title=f"关于{state}状态的建议")
    submitted = make_report(cast, state="submitted", title="附有材料的建议", by=cast.officer)
    for name, data in (("情况说明.pdf", b"%PDF-1.4 \x00\xff"), ("照片.png", b"\x89PNG\r\n")):
        Attachment.objects.create(
            report=submitted,
            file=ContentFile(data, name=name),
            original_name=name,
            size=len(data),
            content_type="application/octet-stream",
            uploaded_by=cast.officer,
        )
    published = make_report(cast, state="published", title="关于已编发事项的建议")
    adopted, refused = published.forwardings.order_by("pk")[:2]
    do_record_adoption(adopted, cast.editor, kind="single", adopted_on=days_ago(0))
    do_record_instruction(
        adopted,
        cast.editor,
        leader_name="李市长",
        leader_title="市长",
        level="municipal",
        text="请民政局研究落实。",
        instructed_on=days_ago(0),
    )
    do_record_not_adopted(refused, cast.editor)
    settings.CLASSIFIER_PATH.write_bytes(b"trained model bytes")
    settle()


def run_child(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )


@pytest.fixture
def fresh_target(tmp_path) -> Iterator[dict[str, str]]:
    """An empty installation: a new data folder and, on PostgreSQL, a new database."""
    env = {**os.environ, "MINYI_VAR_DIR": str(tmp_path / "restored"), "MINYI_MODE": "development"}
    env.setdefault("DJANGO_SETTINGS_MODULE", "minyi.settings")
    env.pop("MINYI_MEDIA_DIR", None)
    if connection.vendor != "postgresql":
        env.pop("MINYI_DATABASE_URL", None)
        yield env
        return
    import psycopg

    name = f"minyi_restore_{uuid.uuid4().hex[:12]}"
    parts = urlparse(os.environ["MINYI_DATABASE_URL"])
    admin = urlunparse(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield {**env, "MINYI_DATABASE_URL": urlunparse(parts._replace(path=f"/{name}"))}
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("target", ["blank", "migrated"])
def test_a_restored_backup_has_the_same_content_and_a_verified_chain(
    cast, tmp_path, fresh_target, target
):
    seed(cast)
    before = content_hash()
    assert before["counts"]["Attachment"] == 2 and before["counts"]["Adoption"] == 1
    archive = create_backup(tmp_path / "backups")
    if target == "migrated":
        # An operator who ran migrate first: tables, but no accounts and no events.
        Path(fresh_target["MINYI_VAR_DIR"]).mkdir()
        migrated = run_child(["manage.py", "migrate", "-v0"], fresh_target)
        assert migrated.returncode == 0, migrated.stderr

    restored = run_child(["manage.py", "restore", str(archive)], fresh_target)
    assert restored.returncode == 0, restored.stderr
    assert "哈希链完整" in restored.stdout and "附件 2 个" in restored.stdout
    after = run_child(["-c", CHILD], fresh_target)
    assert after.returncode == 0, after.stderr
    assert json.loads(after.stdout.strip().splitlines()[-1]) == before
    verified = run_child(["manage.py", "verify_events"], fresh_target)
    assert verified.returncode == 0 and "哈希链完整" in verified.stdout, verified.stderr
    classifier = Path(fresh_target["MINYI_VAR_DIR"]) / "classifier.pickle"
    assert classifier.read_bytes() == b"trained model bytes"


@pytest.mark.django_db(transaction=True)
def test_the_manifest_hashes_every_file_and_names_the_chain_head(cast, tmp_path):
    seed(cast)
    head = Event.objects.order_by("-pk").first()
    archive = create_backup(tmp_path / "backups")
    manifest = read_member(archive, "manifest.json")
    assert manifest["engine"] == connection.vendor
    assert manifest["chain_head"] == {"event_id": head.pk, "hash": head.hash}
    assert "audit.0001_initial" in manifest["migrations"]
    files = manifest["files"]
    assert manifest["database_file"] in files and "classifier.pickle" in files
    assert sum(name.startswith("attachments/") for name in files) == 2
    assert all(len(entry["sha256"]) == 64 for entry in files.values())
    assert archive.stat().st_mode & 0o077 == 0  # Readable by the service account alone.
    # The backup itself is on record, after the head it saved.
    event = Event.objects.order_by("-pk").first()
    assert event.verb == "backup" and event.payload["archive"] == archive.name
    assert event.payload["chain_head"]["event_id"] == head.pk


def read_member(archive: Path, name: str) -> dict:
    with tarfile.open(archive) as tar:
        member = next(m for m in tar.getmembers() if m.name.endswith(f"/{name}"))
        return json.load(tar.extractfile(member))


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_database_that_has_data(cast, tmp_path):
    archive = create_backup(tmp_path / "backups")
    make_report(cast)
    with pytest.raises(BackupError, match="目标数据库中已有数据，拒绝恢复"):
        restore_backup(archive)


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_an_archive_whose_files_do_not_match_the_manifest(tmp_path):
    archive = create_backup(tmp_path / "backups")
    tampered = tmp_path / "tampered.tar.gz"
    with tarfile.open(archive) as source, tarfile.open(tampered, "w:gz") as target:
        for member in source.getmembers():
            data = source.extractfile(member).read() if member.isfile() else None
            if member.name.endswith("/database.sqlite3") or member.name.endswith(
                "/database.pgdump"
            ):
                data = data[:-1] + bytes([data[-1] ^ 1])
            target.addfile(member, io.BytesIO(data) if data is not None else None)
    with pytest.raises(BackupError, match="哈希不符"):
        restore_backup(tampered)


@pytest.mark.django_db
def test_pruning_keeps_the_newest_archives_and_clears_abandoned_staging(tmp_path):
    folder = tmp_path / "backups"
    folder.mkdir()
    names = [f"minyi-backup-2026120{day}-023000.tar.gz" for day in range(1, 6)]
    for name in names:
        (folder / name).write_bytes(b"x")
    abandoned, running = folder / ".partial-killed", folder / ".partial-now"
    for staging in (abandoned, running):
        (staging / "minyi-backup-x").mkdir(parents=True)
    os.utime(abandoned, (0, 0))  # A backup killed long ago left its staging folder.
    removed = prune_backups(2, folder)
    assert [p.name for p in removed] == names[:3]
    assert [p.name for p in archives(folder)] == names[3:]
    assert not abandoned.exists() and running.exists()


@pytest.mark.django_db(transaction=True)
def test_the_worker_backs_up_nightly_and_applies_the_retention_count(settings, tmp_path):
    settings.BACKUP_DIR = tmp_path / "nightly"
    settings.BACKUP_KEEP = 1
    for _ in range(2):
        PERIODIC["nightly_backup"].task.enqueue()
        assert run_ready_tasks("worker-1") == 1
    assert len(archives(settings.BACKUP_DIR)) == 1
    assert Event.objects.filter(verb="backup").count() == 2
