"""The Open311 XML writer writes what ElementTree writes for the same answer: clients parse
it as before, byte for byte."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Mapping
from typing import Any

from fazhi.hotline.api.open311.wire import ITEM_TAGS, render_xml, xml_text


def _tree(element: ET.Element, value: Any) -> None:
    """The answer as an ElementTree, the way the writer describes it."""
    if isinstance(value, Mapping):
        for key, item in value.items():
            _tree(ET.SubElement(element, key), item)
    elif isinstance(value, list):
        tag = ITEM_TAGS.get(element.tag, "item")
        for item in value:
            _tree(ET.SubElement(element, tag), item)
    else:
        element.text = xml_text(value)


def _by_elementtree(root: str, body: Any) -> bytes:
    element = ET.Element(root)
    _tree(element, body)
    text = ET.tostring(element, encoding="unicode")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + text).encode("utf-8")


REQUESTS = [
    {
        "service_request_id": "123",
        "status": "open",
        "status_notes": "",
        "service_name": "市容环境",
        "description": "门口 <摊贩> & \"噪音\" '夜间'\n第二行",
        "agency_responsible": "田心街道办事处",
        "requested_datetime": "2026-12-08T11:04:05+08:00",
        "expected_datetime": None,
        "lat": 27.93,
        "long": 113.13,
        "media_url": None,
        "closed": False,
        "urgent": True,
        "count": 0,
    },
    {"service_request_id": "124", "status": "closed", "status_notes": "已处理>完毕"},
]


def test_service_requests_as_elementtree_writes_them() -> None:
    assert render_xml("service_requests", REQUESTS) == _by_elementtree("service_requests", REQUESTS)


def test_empty_values_nested_lists_and_unknown_list_tags() -> None:
    body = [
        {
            "service_code": "SAFETY",
            "attributes": [
                {"code": "kind", "values": [{"key": "a", "name": "甲"}, {"key": "b", "name": ""}]},
                {"code": "none", "values": []},
            ],
            "keywords": ["x&y", "z"],
            "extra": {},
        }
    ]
    for root in ("services", "service_definition", "errors"):
        assert render_xml(root, body) == _by_elementtree(root, body)
    assert render_xml("service_requests", []) == _by_elementtree("service_requests", [])
    errors = [{"code": 400, "description": "lat 与 long 须同时提供"}]
    assert render_xml("errors", errors) == _by_elementtree("errors", errors)
