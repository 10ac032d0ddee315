"""The full record of a penalty case as one file (全过程记录): a folder in the exchange format
with every paper in filing order — `manifest.json`, the cover and index the platform writes
from the documents (`00-cover-index.docx`), and each stored document's file under the name
the manifest gives it. Written by the API as a .zip and by `fazhi case-file export` as a
folder. Building the .docx and the zip is CPU work: callers run it off the event loop."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Mapping
from typing import Any

from fazhi.enforcement.review.registry import label

COVER_FILE = "00-cover-index.docx"


def cover_and_index(manifest: Mapping[str, Any]) -> bytes:
    """案卷封面 and 卷内目录 as one .docx, from the manifest's cover and index entries."""
    from docx import Document  # loaded on first use: it pulls in lxml
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    docs = manifest.get("documents") or []
    cover = next((d for d in docs if d.get("kind") == "cover"), {})
    index = next((d for d in docs if d.get("kind") == "index"), {})
    document = Document()
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run("行政处罚案卷")
    run.bold, run.font.size = True, Pt(22)
    for name, value in (
        ("执法机关", (manifest.get("agency") or {}).get("name")),
        ("案号", cover.get("case_number") or manifest.get("case_number")),
        ("当事人", cover.get("party_name")),
        ("案由", cover.get("cause") or manifest.get("cause")),
        ("立案日期", cover.get("opened")),
        ("结案日期", cover.get("closed")),
    ):
        paragraph = document.add_paragraph()
        paragraph.add_run(f"{name}：").bold = True
        paragraph.add_run(str(value or ""))
    document.add_page_break()
    heading = document.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    heading.add_run("卷内目录").bold = True
    entries = index.get("entries") or []
    table = document.add_table(rows=1, cols=3)
    for cell, text in zip(table.rows[0].cells, ("序号", "文书名称", "页次"), strict=True):
        cell.text = text
    for i, entry in enumerate(entries, start=1):
        cells = table.add_row().cells
        cells[0].text, cells[1].text = str(i), label(str(entry.get("kind") or ""))
        cells[2].text = str(entry.get("pages") or "")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def with_cover_file(manifest: dict[str, Any]) -> dict[str, Any]:
    docs = [
        {**d, "file": COVER_FILE} if d.get("kind") in ("cover", "index") else d
        for d in manifest.get("documents") or []
    ]
    return {**manifest, "documents": docs}


def record_files(manifest: dict[str, Any], files: Mapping[str, bytes]) -> dict[str, bytes]:
    """Every file of the record by name: the manifest (naming the cover file) first."""
    manifest = with_cover_file(manifest)
    text = json.dumps(manifest, ensure_ascii=False, indent=2) + "\n"
    return {"manifest.json": text.encode(), COVER_FILE: cover_and_index(manifest), **files}


def safe_folder(case_number: str) -> str:
    """The case number as a folder name (no path separators)."""
    return "".join("_" if ch in '/\\:*?"<>|' else ch for ch in case_number).strip(". ") or "case"


def zipped(named: Mapping[str, bytes], folder: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in named.items():
            archive.writestr(f"{folder}/{name}", data)
    return out.getvalue()
