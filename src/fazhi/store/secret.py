"""The server secret: a random key kept in a file beside the data, never in the database.

It keys what must not be recomputable from what users can read (the trail's seal of personal
fields, the daily anchors of the chain heads, form tokens). A backup carries it with the
database: without it the trail of a restored database cannot be verified.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

SECRET_BYTES = 32


def default_secret_file() -> str:
    return os.environ.get("FAZHI_SECRET_FILE") or str(Path("var/secret.key").resolve())


def load_or_create_secret(path: str) -> bytes:
    """The key stored at `path`, created (readable by the owner only) if the file is absent.

    Runs at start-up, before the server accepts requests: it reads a file."""
    file = Path(path)
    try:
        text = file.read_text().strip()
    except FileNotFoundError:
        file.parent.mkdir(parents=True, exist_ok=True)
        text = secrets.token_hex(SECRET_BYTES)
        try:
            # O_EXCL: two processes starting at once agree on the first one's key.
            fd = os.open(file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            return load_or_create_secret(path)
        with os.fdopen(fd, "w") as out:
            out.write(text + "\n")
    key = bytes.fromhex(text)
    if len(key) < 16:
        raise ValueError(f"服务器密钥文件 {path} 内容过短（至少 16 字节的十六进制）")
    return key
