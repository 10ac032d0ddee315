"""Backup and restore (fazhi.store.backup): one archive with the database, the server secret,
the dispatch models and a manifest."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer

from fazhi.cli.app import app
from fazhi.settings import Settings
from fazhi.terminal import fail, out

# The dispatch models' folder, as fazhi.hotline.routing reads it (the engine may not import it).
MODELS_DIR_DEFAULT = "var/models"


def _models_dir() -> Path:
    return Path(os.environ.get("FAZHI_MODELS_DIR") or MODELS_DIR_DEFAULT)


@app.command()
def backup(
    archive: Annotated[
        Path | None,
        typer.Argument(help="备份文件（.tar）；缺省为 var/backups/fazhi-时间.tar"),
    ] = None,
) -> None:
    """备份数据库（含文书）、服务器密钥与派单模型；服务运行中也可备份。"""
    from fazhi.store.backup import BackupError
    from fazhi.store.backup import backup as run_backup

    settings = Settings()
    if archive is None:
        archive = Path("var/backups") / f"fazhi-{datetime.now().strftime('%Y%m%d-%H%M%S')}.tar"
    try:
        manifest = run_backup(
            settings.database_url, archive, Path(settings.secret_file), _models_dir()
        )
    except BackupError as exc:
        fail(str(exc))
    counts = manifest["counts"]
    out.print(
        f"已备份到 {archive}：{counts.get('cases', 0)} 个案件，{counts.get('events', 0)} 条事件，"
        f"{counts.get('documents', 0)} 份文书；迁移版本 {manifest['alembic_revision']}。"
        "备份含服务器密钥，请妥善保管。"
    )


@app.command()
def restore(
    archive: Annotated[Path, typer.Argument(help="fazhi backup 写出的备份文件")],
    force: Annotated[
        bool, typer.Option("--force", help="目标数据库已有账号或案件时仍然覆盖")
    ] = False,
) -> None:
    """从备份恢复（请先停止服务）：校验文件、恢复，再核对各表行数与每个案件的记录链。"""
    from fazhi.store.backup import BackupError
    from fazhi.store.backup import restore as run_restore

    settings = Settings()
    if not archive.is_file():
        fail(f"找不到备份文件 {archive}")
    try:
        report = run_restore(
            archive, settings.database_url, Path(settings.secret_file), _models_dir(), force
        )
    except BackupError as exc:
        fail(str(exc), 1)
    out.print(
        f"已恢复 {archive}（备份于 {report.manifest['created_at']}）：各表行数与清单一致；"
        f"{report.cases} 个案件、{report.events} 条事件的记录链校验通过。"
    )
