"""Posted list records (web.list_inputs): inputs named `parties[0][name]` become a list of
dicts, ordered by index whatever gaps the browser's add and remove left; blank values are
left out so `required` applies, and a record left wholly blank is no record."""

from __future__ import annotations

from fazhi.domain.case_type import FieldSpec
from fazhi.web.list_inputs import record_path, record_table, records_from_form

PARTIES = FieldSpec(
    "parties",
    "list",
    "当事人",
    items=(
        FieldSpec("kind", "enum", "类别", choices=(("person", "自然人"), ("organisation", "单位"))),
        FieldSpec("name", "person_name", "姓名"),
        FieldSpec("note", "text", "备注"),
        FieldSpec("units", "unit_list", "涉及单位"),
    ),
)
SPECS = (FieldSpec("summary", "text", "概要"), PARTIES)


def test_records_are_ordered_by_index_and_renumbered() -> None:
    pairs = [
        ("parties[5][name]", "测试乙"),
        ("parties[0][name]", "测试甲"),
        ("parties[5][kind]", "person"),
        ("parties[12][name]", "测试丙"),
    ]
    assert records_from_form(SPECS, pairs) == {
        "parties": [{"name": "测试甲"}, {"name": "测试乙", "kind": "person"}, {"name": "测试丙"}]
    }


def test_blank_values_are_left_out_and_blank_records_dropped() -> None:
    pairs = [
        ("parties[0][name]", "  测试甲 "),
        ("parties[0][kind]", ""),
        ("parties[1][name]", "   "),
        ("parties[1][kind]", ""),
    ]
    assert records_from_form(SPECS, pairs) == {"parties": [{"name": "测试甲"}]}
    assert records_from_form(SPECS, [("parties[0][name]", "")]) == {}


def test_text_keeps_its_spacing_and_unit_lists_collect_every_value() -> None:
    pairs = [
        ("parties[0][note]", " 第一行\n第二行 "),
        ("parties[0][units]", "SF-CGJ"),
        ("parties[0][units]", ""),
        ("parties[0][units]", "SF-ZJJ"),
    ]
    assert records_from_form(SPECS, pairs) == {
        "parties": [{"note": " 第一行\n第二行 ", "units": ["SF-CGJ", "SF-ZJJ"]}]
    }


def test_only_declared_list_fields_and_items_are_read() -> None:
    pairs = [
        ("summary", "不是列表"),
        ("summary[0][name]", "x"),
        ("parties[0][password]", "x"),
        ("parties[0][name]", "测试甲"),
        ("parties[x][name]", "x"),
        ("parties[0][name][extra]", "x"),
        ("other[0][name]", "x"),
    ]
    assert records_from_form(SPECS, pairs) == {"parties": [{"name": "测试甲"}]}


def test_problems_name_records_by_path() -> None:
    assert record_path("parties", 1, "id_number") == "parties[1].id_number"


def test_the_case_page_table_has_a_column_per_item_and_a_row_per_record() -> None:
    table = record_table(
        PARTIES,
        [{"kind": "person", "name": "测*甲"}, {"name": "测试单位"}],
        lambda spec, value: spec.choice_label(value) if value and spec.choices else value or "",
    )
    assert table["columns"] == ["类别", "姓名", "备注", "涉及单位"]
    assert table["rows"] == [["自然人", "测*甲", "", ""], ["", "测试单位", "", ""]]
