"""The check-in photo (打卡照片): what the platform accepts from a terminal — a JPEG or PNG,
judged by its magic number rather than by what the terminal says, of at most 2 MB — and the
type it is served as. Kept whole in the blob store the documents' files share."""

from __future__ import annotations

from fazhi.actions.document_files import FileUpload
from fazhi.domain.errors import DomainError

MAX_PHOTO = 2 * 1024 * 1024
_PHOTO_TYPES = ((b"\xff\xd8\xff", "image/jpeg"), (b"\x89PNG\r\n\x1a\n", "image/png"))


def photo_type(data: bytes) -> str | None:
    """`image/jpeg` or `image/png` by the file's magic number; None for anything else."""
    return next((kind for magic, kind in _PHOTO_TYPES if data.startswith(magic)), None)


def check_photo(data: bytes) -> FileUpload:
    """The check-in photo as a file to keep: a JPEG or PNG (by its bytes, not by what the
    terminal says) of at most 2 MB."""
    if len(data) > MAX_PHOTO:
        raise DomainError("photo_too_large", "照片不能超过2MB", 413, "photo_base64")
    kind = photo_type(data)
    if kind is None:
        raise DomainError(
            "unsupported_media_type", "打卡照片只能是JPEG或PNG格式", 415, "photo_base64"
        )
    return FileUpload.of("check-in." + kind.split("/")[1], kind, data)
