"""`fazhi backup` / `fazhi restore`: an archive taken while another thread writes restores into
a fresh database with the same rows per table, every case's chain intact and identical to the
source's, and the documents' bytes; a damaged archive or an occupied database is refused.

On SQLite through the online backup API; on PostgreSQL (FAZHI_TEST_DATABASE_URL) through
pg_dump/pg_restore, in two databases of their own on the same server."""

from __future__ import annotations

import io
import os
import tarfile
import threading
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from fazhi.actions.cases import ActionContext, create_case, perform_action
from fazhi.actions.documents import attach_file
from fazhi.actions.platform import Platform
from fazhi.cli import app
from fazhi.store.backup import BackupError, backup, restore
from fazhi.store.db import transaction
from fazhi.store.models import DocumentBlob, Event
from tests.databases import drop, fresh_url, open_platform
from tests.support import FakeClock
from tests.visibility_support import actor_of

PDF = b"%PDF-1.4\n% fazhi backup test\n" + os.urandom(2048) + b"\n%%EOF\n"
ORDER = {
    "request_kind": "complaint",
    "category": "CITY_APPEARANCE",
    "content": "小区门口流动摊贩占道经营（备份测试合成数据）",
    "caller_phone": "17000004321",
}


@pytest.fixture(scope="module")
def source(organised: Platform, clock: FakeClock) -> Platform:
    """Orders with a few events each, one with a document, in a database of their own."""
    platform = organised
    operator = actor_of(platform, "operator1")
    dispatcher = actor_of(platform, "dispatcher1")
    with transaction(platform.sessions) as session:
        for n in range(8):
            case = create_case(
                session, ActionContext(platform, operator, clock()), "hotline", ORDER
            )
            ctx = ActionContext(platform, dispatcher, clock())
            if n == 0:
                attach_file(session, ctx, case, "other", "材料.pdf", "application/pdf", PDF)
            perform_action(session, ctx, case.id, "dispatch", {"lead_unit": "SF-CGJ"})
    return platform


def _key_file(platform: Platform) -> bytes:
    """The contents of the server secret's file the platform seals with."""
    assert platform.secret
    return Path(platform.settings.secret_file).read_bytes()


def chains(platform: Platform) -> dict[int, list[tuple[int, str, str]]]:
    with platform.sessions() as session:
        rows = session.execute(
            select(Event.case_id, Event.seq, Event.prev_hash, Event.hash).order_by(
                Event.case_id, Event.seq
            )
        )
        found: dict[int, list[tuple[int, str, str]]] = {}
        for case_id, seq, prev, hash_ in rows:
            found.setdefault(case_id, []).append((seq, prev, hash_))
    return found


def test_a_backup_taken_while_writing_restores_with_every_chain(
    source: Platform, tmp_path: Path, clock: FakeClock
) -> None:
    # The key the source's chains are sealed with: restore verifies them under it.
    secret = tmp_path / "secret.key"
    secret.write_bytes(_key_file(source))
    models = tmp_path / "models"
    (models / "v1").mkdir(parents=True)
    (models / "v1" / "model.json").write_text('{"synthetic": true}')

    # Another thread keeps registering orders while the backup runs.
    stop = threading.Event()
    written: list[int] = []
    operator = actor_of(source, "operator1")

    def keep_writing() -> None:
        while not stop.is_set():
            with transaction(source.sessions) as session:
                ctx = ActionContext(source, operator, clock())
                written.append(create_case(session, ctx, "hotline", ORDER).id)

    writer = threading.Thread(target=keep_writing)
    writer.start()
    try:
        while len(written) < 3:
            stop.wait(0.01)
        archive = tmp_path / "out" / "fazhi.tar"
        manifest = backup(source.settings.database_url, archive, secret, models)
        while len(written) < 6:  # and goes on after it
            stop.wait(0.01)
    finally:
        stop.set()
        writer.join(timeout=30)

    assert manifest["counts"]["cases"] >= 8 + 3
    assert manifest["counts"]["document_blobs"] == 1
    with tarfile.open(archive) as tar:
        names = set(tar.getnames())
    assert {"manifest.json", "secret.key", "models/v1/model.json"} <= names

    target_url = fresh_url(tmp_path, "target")
    restored_secret = tmp_path / "restored" / "secret.key"
    restored_models = tmp_path / "restored" / "models"
    try:
        report = restore(archive, target_url, restored_secret, restored_models)
        assert report.counts == manifest["counts"]
        assert report.cases == manifest["counts"]["cases"]
        assert restored_secret.read_bytes() == secret.read_bytes()
        assert (restored_models / "v1" / "model.json").read_text() == '{"synthetic": true}'

        target = open_platform(target_url, clock)
        copied, original = chains(target), chains(source)
        assert copied and all(copied[c] == original[c] for c in copied)
        with target.sessions() as session:
            assert session.scalars(select(DocumentBlob.data)).all() == [PDF]

        # Restoring again over the now occupied database needs --force.
        with pytest.raises(BackupError, match="--force"):
            restore(archive, target_url, restored_secret, restored_models)
        assert restore(archive, target_url, restored_secret, None, force=True).cases
        target.engine.dispose()
    finally:
        drop(target_url)


def test_a_damaged_archive_is_refused_before_anything_is_written(
    source: Platform, tmp_path: Path
) -> None:
    secret = tmp_path / "secret.key"
    secret.write_text("cd" * 32 + "\n")
    archive = tmp_path / "fazhi.tar"
    backup(source.settings.database_url, archive, secret)
    damaged = tmp_path / "damaged.tar"
    with tarfile.open(archive) as tar, tarfile.open(damaged, "w") as out:
        for member in tar.getmembers():
            data = tar.extractfile(member)
            assert data is not None
            content = data.read()
            if member.name == "secret.key":
                content = b"00" * 32 + b"\n"
            member.size = len(content)
            out.addfile(member, io.BytesIO(content))
    target = tmp_path / "restored.key"
    with pytest.raises(BackupError, match="校验值不符"):
        restore(damaged, "sqlite:///" + str(tmp_path / "never.db"), target)
    assert not target.exists()


@pytest.mark.sqlite_only  # the commands read FAZHI_DATABASE_URL; the logic is tested above
def test_the_commands_back_up_and_restore(
    source: Platform, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    runner = CliRunner()
    archive = tmp_path / "cli.tar"
    monkeypatch.setenv("FAZHI_DATABASE_URL", source.settings.database_url)
    monkeypatch.setenv("FAZHI_MODELS_DIR", str(tmp_path / "models"))
    monkeypatch.setenv("FAZHI_SECRET_FILE", str(tmp_path / "secret.key"))
    (tmp_path / "secret.key").write_bytes(_key_file(source))
    done = runner.invoke(app, ["backup", str(archive)])
    assert done.exit_code == 0, done.output
    assert "已备份" in done.output
    monkeypatch.setenv("FAZHI_DATABASE_URL", f"sqlite:///{tmp_path / 'cli-restored.db'}")
    done = runner.invoke(app, ["restore", str(archive)])
    assert done.exit_code == 0, done.output
    assert "记录链校验通过" in done.output
    refused = runner.invoke(app, ["restore", str(archive)])
    assert refused.exit_code == 1 and "--force" in refused.output
