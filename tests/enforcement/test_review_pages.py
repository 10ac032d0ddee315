"""案卷评查 in the console: the reviewer lands on the task list, opens a closed case's file
with the machine's findings, and records a verdict (an error beside its field when the
score is not one); the report by unit is on the list page; a 12345 operator may not enter."""

from __future__ import annotations

import re

from tests.api.conftest import Login
from tests.api.test_penalty_case import walk_to_closing
from tests.enforcement.conftest import Console
from tests.support import FakeClock


def test_the_reviewer_judges_a_closed_file_in_the_console(
    console: Console, login: Login, clock: FakeClock
) -> None:
    case_id = walk_to_closing(login, clock, identity=False)
    task_id = next(
        t["id"]
        for t in login("case_reviewer").get("/api/v1/case-file-reviews").json()["items"]
        if t["case_id"] == case_id
    )
    http = console("case_reviewer")
    assert http.get("/").headers["location"] == "/case-file-reviews"
    listing = http.get("/case-file-reviews?status=pending").text
    assert f'data-task="{task_id}"' in listing and 'id="review-report"' in listing
    page = http.get(f"/case-file-reviews/{task_id}").text
    assert "机器评查：97 分" in page and 'data-rule="identity.proof"' in page
    assert "身份证明缺失" in page
    bad = http.post(f"/case-file-reviews/{task_id}/verdict", data={"score": "很好", "note": ""})
    assert bad.status_code == 422
    error = re.search(r'id="v-score-error">([^<]+)<', bad.text)
    assert error and "0至100" in error.group(1)
    done = http.post(
        f"/case-file-reviews/{task_id}/verdict", data={"score": "85", "note": "另缺送达地址确认书"}
    )
    assert done.status_code == 303
    after = http.get(f"/case-file-reviews/{task_id}").text
    assert "评查员评定：85.0 分" in after
    row = re.search(
        rf'<tr data-task="{task_id}">.*?</tr>', http.get("/case-file-reviews").text, re.S
    )
    assert row and "有差异" in row.group(0)
    assert console("operator1").get("/case-file-reviews").status_code == 403
