"""Finding the case files a path holds: a manifest.json, a folder holding one, a `.zip` of
one, or a folder (or zip) of many of these. Each is read on its own, so one malformed file is
reported under its name and the rest are reviewed."""

from __future__ import annotations

import json
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

MANIFEST = "manifest.json"
MAX_MANIFEST = 8 * 1024 * 1024  # a manifest is a few kilobytes; scans are not read


@dataclass(frozen=True)
class Found:
    """A case file's name and its manifest's content, or why it could not be read."""

    name: str
    raw: Any = None
    error: str = ""


def _decode(name: str, data: bytes) -> Found:
    try:
        return Found(name, json.loads(data.decode("utf-8-sig")))
    except UnicodeDecodeError:
        return Found(name, error="manifest.json 不是 UTF-8 编码")
    except json.JSONDecodeError as exc:
        return Found(
            name,
            error=f"manifest.json 不是有效的 JSON（第{exc.lineno}行第{exc.colno}列：{exc.msg}）",
        )


def _read_file(path: Path, name: str) -> Found:
    if path.stat().st_size > MAX_MANIFEST:
        return Found(name, error="manifest.json 过大")
    return _decode(name, path.read_bytes())


def _from_zip(path: Path, name: str) -> Iterator[Found]:
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        yield Found(name, error=f"无法打开压缩包（{exc}）")
        return
    with archive:
        manifests = sorted(
            n
            for n in archive.namelist()
            if PurePosixPath(n).name == MANIFEST and not n.startswith("__MACOSX")
        )
        if not manifests:
            yield Found(name, error="压缩包中没有 manifest.json")
        for member in manifests:
            parent = str(PurePosixPath(member).parent)
            label = name if parent == "." else f"{name}/{parent}"
            info = archive.getinfo(member)
            if info.file_size > MAX_MANIFEST:
                yield Found(label, error="manifest.json 过大")
                continue
            yield _decode(label, archive.read(member))


def case_files(path: Path) -> Iterator[Found]:
    """Every case file under `path`, in name order."""
    if not path.exists():
        yield Found(str(path), error="路径不存在")
        return
    if path.is_file():
        if path.suffix.lower() == ".zip":
            yield from _from_zip(path, str(path))
        else:
            yield _read_file(path, str(path.parent if path.name == MANIFEST else path))
        return
    if (path / MANIFEST).is_file():
        yield _read_file(path / MANIFEST, str(path))
        return
    children = sorted(path.iterdir())
    found = False
    for child in children:
        if child.is_dir() and (child / MANIFEST).is_file():
            found = True
            yield _read_file(child / MANIFEST, str(child))
        elif child.is_file() and child.suffix.lower() == ".zip":
            found = True
            yield from _from_zip(child, str(child))
    if not found:
        yield Found(str(path), error="文件夹中没有案卷（manifest.json 或 .zip）")
