"""The case page's 时限 table: one row per clock record, each saying which clock it is, what
started it and its state (计时中 / 已停止·按期 / 已停止·超期), ordered by due date. All data
is synthetic."""

from __future__ import annotations

import re

from tests.hotline.web.test_intake_pages import Console, created_id, order

ROW = re.compile(r"<tr data-clock=\"(\w+)\">(.*?)</tr>", re.S)


def rows(html: str) -> list[tuple[str, list[str]]]:
    table = html.split('id="clocks"', 1)[1].split("</table>", 1)[0]
    return [
        (
            name,
            [
                re.sub(r"<[^>]+>", "", cell).strip()
                for cell in re.findall(r"<td[^>]*>(.*?)</td>", body, re.S)
            ],
        )
        for name, body in ROW.findall(table)
    ]


def test_each_row_names_its_clock_its_start_and_its_state_in_due_order(
    console: Console,
) -> None:
    case_id = created_id(console("operator1").post("/intake", data=order(urgency="urgent")))
    dispatcher = console("dispatcher1")
    assert (
        dispatcher.post(
            f"/cases/{case_id}/do/dispatch", data={"lead_unit": "SF-CGJ", "urgency": "urgent"}
        ).status_code
        == 303
    )
    handler = console("cgj_handler")
    assert handler.post(f"/cases/{case_id}/do/acknowledge", data={}).status_code == 303
    assert (
        dispatcher.post(
            f"/cases/{case_id}/do/reassign", data={"lead_unit": "SF-ZJJ", "urgency": "urgent"}
        ).status_code
        == 303
    )
    html = dispatcher.get(f"/cases/{case_id}").text
    found = rows(html)
    assert len(found) == 6  # two dispatches × (签收, 退单, 办理)
    header = html.split('id="clocks"', 1)[1].split("</thead>", 1)[0]
    assert all(h in header for h in ("时限", "起算", "到期", "状态"))
    for _name, cells in found:
        label, start, due, state = cells
        assert label.split("（")[0] in ("签收时限", "退单时限", "办理时限"), label
        assert re.search(r"（(30分钟|24小时|1个工作日)）", label), label
        assert start.startswith(("派单", "改派")), start
        assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", due), due
        assert state.startswith(("计时中", "已停止")), state
        assert not re.search(r"\d+(min|wd|cd|h)\b", " ".join(cells))
    dues = [cells[2] for _, cells in found]
    assert dues == sorted(dues)
    states = {(cells[1].split(" ")[0], name): cells[3] for name, cells in found}
    assert states[("派单", "acknowledge")].startswith("已停止 · 按期")
    assert states[("改派", "handle")].startswith("计时中")
