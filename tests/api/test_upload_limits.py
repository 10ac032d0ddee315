"""Uploads keep their own, larger limit under the 1 MB default for other bodies: a document
file up to Settings.max_upload_bytes is taken; one over it is 413 before it is read."""

from __future__ import annotations

import pytest

from fazhi.actions.platform import Platform
from tests.api.conftest import Login
from tests.api.flows import assert_error
from tests.api.test_documents_api import MEDIATOR, add, created, new_case
from tests.document_type import AGREEMENT, PDF
from tests.document_type import document_type as document_type  # the fixture

pytestmark = pytest.mark.usefixtures("document_type")


def test_a_document_at_the_upload_limit_is_taken_and_one_past_it_is_413(
    login: Login, platform: Platform
) -> None:
    limit = platform.settings.max_upload_bytes
    case_id = new_case(login)
    mediator = login(MEDIATOR)
    big = PDF + b"%" * (limit - len(PDF))
    body = created(
        add(mediator, case_id, "agreement", AGREEMENT, ("大.pdf", big, "application/pdf"))
    )
    assert body["size"] == limit > 1024 * 1024
    over = big + b"%" * (128 * 1024)
    response = add(mediator, case_id, "agreement", AGREEMENT, ("过大.pdf", over, "application/pdf"))
    assert_error(response, 413, "too_large")
