"""Backups that restore: the database, the attachments and the classifier in one dated archive.

An archive ``minyi-backup-YYYYmmdd-HHMMSS.tar.gz`` holds one folder of that name with

- ``database.sqlite3`` (SQLite's online backup API: a consistent copy while the
  web processes and the worker go on writing) or ``database.pgdump``
  (``pg_dump`` custom format, taken in an exported snapshot so the facts in the
  manifest describe exactly the dumped data);
- ``attachments/`` (a copy of ``MEDIA_ROOT``) and ``classifier.pickle`` when trained;
- ``manifest.json``: the sha256 and size of every other file, the database engine,
  the app version, the applied migrations and the event chain's head.

The database is copied first and the files second: an attachment's file is
written before its row commits, so every row in the copy finds its file.

The code works at the database level (tables, files, ``pg_dump``), so it needs
no app above ``audit``: what is in the database is backed up, whatever app owns it.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from minyi.audit.models import ChainHead, Event, record, verify_chain
from minyi.audit.verbs import Verb
from minyi.core import clock

FORMAT = 1
PREFIX = "minyi-backup-"
SUFFIX = ".tar.gz"
MANIFEST = "manifest.json"
DB_FILES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
ENGINE_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


class BackupError(Exception):
    """A backup or restore that cannot go on; the message is for the operator, in Chinese."""


@dataclass(frozen=True)
class Restored:
    events: int
    chain_head: int
    attachments: int
    classifier: bool
    #: Migrations the code has and the archive had not applied: run ``migrate``.
    migrations_behind: list[str]
    #: Migrations applied in the archive that this code does not know: older code.
    migrations_ahead: list[str]


def engine() -> str:
    vendor = connection.vendor
    if vendor not in DB_FILES:
        raise BackupError(f"不支持备份 {vendor} 数据库，只支持 SQLite 和 PostgreSQL。")
    return vendor


def app_version() -> str:
    try:
        return metadata.version("minyi")
    except metadata.PackageNotFoundError:
        return "unknown"


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_facts(cursor: Any) -> dict[str, Any]:
    """The chain head, event count and applied migrations, read through a DB-API cursor.

    Read from the copy itself (SQLite) or inside the dump's snapshot (PostgreSQL),
    so they describe the archived data, not the live database a moment later.
    """
    events = Event._meta.db_table
    cursor.execute(f"SELECT id, hash FROM {events} ORDER BY id DESC LIMIT 1")
    head = cursor.fetchone()
    cursor.execute(f"SELECT COUNT(*) FROM {events}")
    count = cursor.fetchone()[0]
    cursor.execute(
        f"SELECT app, name FROM {MigrationRecorder.Migration._meta.db_table} ORDER BY app, name"
    )
    return {
        "chain_head": {"event_id": head[0], "hash": head[1]} if head else None,
        "events": count,
        "migrations": [f"{app}.{name}" for app, name in cursor.fetchall()],
    }


# -- PostgreSQL ---------------------------------------------------------------------------


def pg_settings() -> dict[str, str]:
    db = connection.settings_dict
    return {
        "dbname": str(db["NAME"]),
        "user": str(db.get("USER") or ""),
        "password": str(db.get("PASSWORD") or ""),
        "host": str(db.get("HOST") or ""),
        "port": str(db.get("PORT") or ""),
    }


def pg_env() -> dict[str, str]:
    """The environment for pg_dump / pg_restore: the password never goes on a command line."""
    names = {"dbname": "PGDATABASE", "user": "PGUSER", "password": "PGPASSWORD"}
    names |= {"host": "PGHOST", "port": "PGPORT"}
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    env |= {names[key]: value for key, value in pg_settings().items() if value}
    return env


def pg_tool(name: str) -> str:
    path = shutil.which(name)
    if not path:
        raise BackupError(
            f"找不到 {name}：请安装 PostgreSQL 客户端（bash scripts/ensure-postgres-client.sh）。"
        )
    return path


def run_pg_tool(args: list[str]) -> None:
    done = subprocess.run(args, env=pg_env(), capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BackupError(f"{Path(args[0]).name} 失败：{done.stderr.strip()[-2000:]}")


def dump_postgres(target: Path) -> dict[str, Any]:
    import psycopg

    pg_dump = pg_tool("pg_dump")
    params = {k: v for k, v in pg_settings().items() if v}
    with psycopg.connect(**params, autocommit=True) as conn:
        # One snapshot for the facts and for pg_dump, which joins it while this
        # transaction stays open.
        conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        snapshot = conn.execute("SELECT pg_export_snapshot()").fetchone()[0]
        facts = read_facts(conn.cursor())
        run_pg_tool([pg_dump, "--format=custom", f"--snapshot={snapshot}", f"--file={target}"])
        conn.execute("ROLLBACK")
    return facts


def restore_postgres(dump: Path) -> None:
    pg_restore = pg_tool("pg_restore")
    connection.close()
    run_pg_tool(
        [
            pg_restore,
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            f"--dbname={pg_settings()['dbname']}",
            str(dump),
        ]
    )


# -- SQLite ---------------------------------------------------------------------------------


def dump_sqlite(target: Path) -> dict[str, Any]:
    if connection.in_atomic_block:
        # The copy would wait for this connection's own write lock, forever.
        raise BackupError("SQLite 不能在未提交的事务中备份：请在事务之外运行备份。")
    connection.ensure_connection()
    copy = sqlite3.connect(target)
    try:
        # pages=-1: one step, so the copy is one consistent read; in WAL mode
        # writers are not held up meanwhile.
        connection.connection.backup(copy, pages=-1)
        facts = read_facts(copy.cursor())
    finally:
        copy.close()
    return facts


def restore_sqlite(copy: Path) -> None:
    target = Path(connection.settings_dict["NAME"])
    connection.close()
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = target.with_name(target.name + ".restoring")
    shutil.copyfile(copy, staging)
    # A write-ahead log left by the old file must not be replayed onto the new one.
    for suffix in ("-wal", "-shm"):
        target.with_name(target.name + suffix).unlink(missing_ok=True)
    staging.replace(target)


# -- Backup ---------------------------------------------------------------------------------


def archive_name(directory: Path) -> str:
    stamp = timezone.localtime(clock.now()).strftime("%Y%m%d-%H%M%S")
    name, n = f"{PREFIX}{stamp}", 1
    while (directory / f"{name}{SUFFIX}").exists():
        n += 1
        name = f"{PREFIX}{stamp}-{n}"
    return name


def copy_files(staging: Path) -> None:
    media = Path(settings.MEDIA_ROOT)
    if media.is_dir():
        shutil.copytree(media, staging / "attachments")
    else:
        (staging / "attachments").mkdir()
    classifier = Path(settings.CLASSIFIER_PATH)
    if classifier.is_file():
        shutil.copy2(classifier, staging / "classifier.pickle")


def file_hashes(staging: Path) -> dict[str, dict[str, Any]]:
    return {
        path.relative_to(staging).as_posix(): {
            "sha256": sha256_of(path),
            "size": path.stat().st_size,
        }
        for path in sorted(staging.rglob("*"))
        if path.is_file()
    }


def create_backup(directory: Path | None = None) -> Path:
    """Write one archive into ``directory`` (``BACKUP_DIR``), record a ``backup`` event."""
    directory = Path(directory or settings.BACKUP_DIR)
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    vendor = engine()
    name = archive_name(directory)
    with tempfile.TemporaryDirectory(dir=directory, prefix=".partial-") as tmp:
        staging = Path(tmp) / name
        staging.mkdir()
        dump = dump_sqlite if vendor == "sqlite" else dump_postgres
        facts = dump(staging / DB_FILES[vendor])
        copy_files(staging)
        manifest = {
            "format": FORMAT,
            "created_at": clock.now().isoformat(),
            "app_version": app_version(),
            "engine": vendor,
            "database_file": DB_FILES[vendor],
            **facts,
            "files": file_hashes(staging),
        }
        (staging / MANIFEST).write_text(
            json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8"
        )
        partial = Path(tmp) / f"{name}{SUFFIX}"
        with tarfile.open(partial, "w:gz") as tar:
            tar.add(staging, arcname=name)
        # The whole database: readable by the service account alone.
        partial.chmod(0o600)
        # Renamed into place only when complete: a crash leaves no half archive
        # that pruning would count or an operator would restore.
        archive = directory / f"{name}{SUFFIX}"
        partial.replace(archive)
    record_backup(archive, manifest)
    return archive


def record_backup(archive: Path, manifest: dict[str, Any]) -> None:
    head, _ = ChainHead.objects.get_or_create(pk=1)
    record(
        Verb.BACKUP,
        head,
        payload={
            "archive": archive.name,
            "sha256": sha256_of(archive),
            "size": archive.stat().st_size,
            "engine": manifest["engine"],
            "chain_head": manifest["chain_head"],
            "files": len(manifest["files"]),
        },
    )


def archives(directory: Path | None = None) -> list[Path]:
    """The complete archives in ``directory``, oldest first (names sort by date)."""
    directory = Path(directory or settings.BACKUP_DIR)
    if not directory.is_dir():
        return []
    return sorted(directory.glob(f"{PREFIX}*{SUFFIX}"), key=archive_order)


def archive_order(path: Path) -> tuple[str, int]:
    # "…-023000-2" (a second archive within one second) comes after "…-023000".
    stamp = path.name.removeprefix(PREFIX).removesuffix(SUFFIX)
    date, time, *n = stamp.split("-")
    return f"{date}-{time}", int(n[0]) if n and n[0].isdigit() else 1


def prune_backups(keep: int | None = None, directory: Path | None = None) -> list[Path]:
    """Delete all but the newest ``keep`` (``BACKUP_KEEP``) archives; return those deleted."""
    keep = settings.BACKUP_KEEP if keep is None else keep
    if keep < 1:
        raise BackupError("保留份数至少为 1。")
    old = archives(directory)[:-keep]
    for path in old:
        path.unlink()
    remove_abandoned(Path(directory or settings.BACKUP_DIR))
    return old


#: A staging folder older than this was left by a backup that was killed.
ABANDONED_AFTER = 24 * 3600


def remove_abandoned(directory: Path) -> None:
    """Remove the staging folders of backups killed mid-way (a crash skips their cleanup)."""
    cutoff = time.time() - ABANDONED_AFTER
    for folder in directory.glob(".partial-*"):
        if folder.is_dir() and folder.stat().st_mtime < cutoff:
            shutil.rmtree(folder, ignore_errors=True)


# -- Restore --------------------------------------------------------------------------------


@contextlib.contextmanager
def unpacked(archive: Path) -> Iterator[tuple[Path, dict[str, Any]]]:
    """Unpack ``archive`` into a scratch folder, check every hash, yield (folder, manifest)."""
    if not archive.is_file():
        raise BackupError(f"找不到备份文件 {archive}。")
    with tempfile.TemporaryDirectory(prefix="minyi-restore-") as tmp:
        try:
            with tarfile.open(archive, "r:gz") as tar:
                # "data": no absolute paths, no links out, no devices.
                tar.extractall(tmp, filter="data")
        except (tarfile.TarError, OSError) as exc:
            raise BackupError(f"备份文件无法解开：{exc}") from exc
        folders = [p for p in Path(tmp).iterdir() if p.is_dir()]
        if len(folders) != 1 or not (folders[0] / MANIFEST).is_file():
            raise BackupError("备份文件中没有清单 manifest.json，不是 minyi 的备份。")
        folder = folders[0]
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        check_manifest(folder, manifest)
        yield folder, manifest


def check_manifest(folder: Path, manifest: dict[str, Any]) -> None:
    if manifest.get("format") != FORMAT:
        raise BackupError(
            f"备份格式 {manifest.get('format')} 不受支持（本版本读取格式 {FORMAT}）。"
        )
    found = file_hashes(folder)
    found.pop(MANIFEST)
    listed = manifest["files"]
    if missing := sorted(set(listed) - set(found)):
        raise BackupError(f"备份不完整，缺少文件：{'、'.join(missing[:5])}。")
    if extra := sorted(set(found) - set(listed)):
        raise BackupError(f"备份中有清单未列出的文件：{'、'.join(extra[:5])}。")
    if changed := sorted(p for p in listed if listed[p]["sha256"] != found[p]["sha256"]):
        raise BackupError(f"备份文件已损坏或被改动，哈希不符：{'、'.join(changed[:5])}。")


def check_empty_target(manifest: dict[str, Any]) -> None:
    """Refuse unless the database and the attachments folder hold nothing yet."""
    vendor = engine()
    if manifest["engine"] != vendor:
        raise BackupError(
            f"这份备份来自 {ENGINE_NAMES[manifest['engine']]} 数据库，当前配置的是 "
            f"{ENGINE_NAMES[vendor]}：请把 MINYI_DATABASE_URL 指向同类的空数据库。"
        )
    if vendor == "sqlite":
        # A fresh installation's data folder may not exist yet.
        Path(connection.settings_dict["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    tables = set(connection.introspection.table_names())
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    for model in (Event, user_model):
        if model._meta.db_table in tables and model.objects.exists():
            raise BackupError(
                "目标数据库中已有数据，拒绝恢复：恢复只能在空数据库上进行，"
                "请新建一个空数据库（或删除 SQLite 文件）后再试。"
            )
    media = Path(settings.MEDIA_ROOT)
    if media.is_dir() and any(p.is_file() for p in media.rglob("*")):
        raise BackupError(f"附件目录 {media} 中已有文件，拒绝恢复：请换一个空目录。")


#: The schema's own functions (those migrations create, such as search's title tier), not
#: an extension's: the dump creates them again with plain ``CREATE FUNCTION``.
PG_OWN_FUNCTIONS = (
    "SELECT p.oid::regprocedure::text FROM pg_proc p"
    " JOIN pg_namespace n ON n.oid = p.pronamespace"
    " WHERE n.nspname = current_schema() AND NOT EXISTS ("
    "SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass"
    " AND d.objid = p.oid AND d.deptype = 'e')"
)


def drop_empty_tables() -> None:
    """A migrated but empty PostgreSQL database: drop its tables and its own functions so
    that the dump recreates them."""
    tables = connection.introspection.table_names()
    with connection.cursor() as cursor:
        if tables:
            quoted = ", ".join(connection.ops.quote_name(t) for t in tables)
            cursor.execute(f"DROP TABLE IF EXISTS {quoted} CASCADE")
        cursor.execute(PG_OWN_FUNCTIONS)
        for (function,) in cursor.fetchall():
            cursor.execute(f"DROP FUNCTION IF EXISTS {function} CASCADE")


def restore_backup(archive: Path) -> Restored:
    """Check ``archive``, then restore it onto the configured empty database and folders."""
    with unpacked(archive) as (folder, manifest):
        check_empty_target(manifest)
        if manifest["engine"] == "sqlite":
            restore_sqlite(folder / manifest["database_file"])
        else:
            drop_empty_tables()
            restore_postgres(folder / manifest["database_file"])
        attachments = restore_files(folder)
    return check_restored(manifest, attachments)


def restore_files(folder: Path) -> int:
    media = Path(settings.MEDIA_ROOT)
    media.mkdir(parents=True, exist_ok=True)
    shutil.copytree(folder / "attachments", media, dirs_exist_ok=True)
    classifier = folder / "classifier.pickle"
    if classifier.is_file():
        Path(settings.CLASSIFIER_PATH).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(classifier, settings.CLASSIFIER_PATH)
    return sum(1 for p in (folder / "attachments").rglob("*") if p.is_file())


def check_restored(manifest: dict[str, Any], attachments: int) -> Restored:
    """The restored database must have the archived chain head, and the chain must verify."""
    with connection.cursor() as cursor:
        facts = read_facts(cursor)
    if facts["chain_head"] != manifest["chain_head"] or facts["events"] != manifest["events"]:
        raise BackupError("恢复后的事件日志与备份清单不符：链头或事件数不同。")
    broken = verify_chain()
    if broken is not None:
        raise BackupError(f"恢复后的哈希链在事件 #{broken.event_id} 处断开：{broken.reason}")
    known = {f"{app}.{name}" for app, name in MigrationLoader(None).disk_migrations}
    archived = set(manifest["migrations"])
    return Restored(
        events=facts["events"],
        chain_head=(facts["chain_head"] or {}).get("event_id", 0),
        attachments=attachments,
        classifier="classifier.pickle" in manifest["files"],
        migrations_behind=sorted(known - archived),
        migrations_ahead=sorted(archived - known),
    )
