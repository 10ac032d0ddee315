"""Reading an uploaded file off the event loop."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from fazhi.actions.document_files import FileUpload


async def read_upload(upload: UploadFile, limit: int) -> FileUpload:
    """The file's bytes (at most `limit` + 1, so the limit check can refuse it) and their
    hash, read and computed in a worker thread: up to 20 MB, never on the loop, and never
    inside the writer's turn (the caller takes that later, in its own thread)."""

    def read() -> FileUpload:
        upload.file.seek(0)
        content = upload.file.read(limit + 1)
        return FileUpload.of(upload.filename or "file", upload.content_type or "", content)

    return await run_in_threadpool(read)
