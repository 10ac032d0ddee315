"""Reading console pages in tests: parsed with lxml (pinned in the lock files), looked up by
id and XPath rather than by regular expressions over markup."""

from __future__ import annotations

from lxml import html
from lxml.html import HtmlElement


def page(text: str) -> HtmlElement:
    return html.fromstring(text)


def by_id(doc: HtmlElement, element_id: str) -> HtmlElement | None:
    found = doc.xpath(f'//*[@id="{element_id}"]')
    return found[0] if found else None


def text_of(doc: HtmlElement, element_id: str) -> str:
    element = by_id(doc, element_id)
    return " ".join(element.text_content().split()) if element is not None else ""


def error_of(doc: HtmlElement, input_id: str) -> str:
    """The message shown next to an input (its `<p class="field-error" id="…-error">`)."""
    return text_of(doc, f"{input_id}-error")


def value_of(doc: HtmlElement, input_id: str) -> str | None:
    """What an input, textarea or select shows as its value (None: no such control)."""
    element = by_id(doc, input_id)
    if element is None:
        return None
    if element.tag == "textarea":
        return element.text or ""
    if element.tag == "select":
        chosen = element.xpath("./option[@selected]|./optgroup/option[@selected]")
        return chosen[0].get("value") if chosen else ""
    return element.get("value", "")


def names_in(doc: HtmlElement, form_id: str) -> list[str]:
    """The names of the controls a form submits, outside <template> elements."""
    return [
        e.get("name")
        for e in doc.xpath(f'//form[@id="{form_id}"]//*[@name][not(ancestor::template)]')
    ]
