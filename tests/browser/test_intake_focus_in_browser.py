"""The intake form keeps the operator's keystrokes: tabbing out of 诉求内容 while the
suggestion panel redraws lands in the next field, and what is typed next goes there.

(Defect of issue 10: the suggestion buttons were in the Tab sequence right after 诉求内容 and
were redrawn by htmx when the content changed, so focus fell to the page body.)"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from fazhi.hotline.routing.suggest import current_suggester
from tests.browser.support import console_login

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def trained(_models_dir: str) -> None:
    """The cold-start model, trained before the page asks for suggestions."""
    current_suggester(Path(_models_dir))


def test_tab_out_of_content_then_keep_typing_fills_the_next_field(
    page: Page, trained: None
) -> None:
    console_login(page, "operator1")
    page.goto("/intake")
    content = page.locator("#content")
    content.click()
    # Chinese text arrives as committed input, as from an IME; End is the key released after.
    content.press_sequentially("小区门口流动摊贩占道经营，晚上噪音很大")
    content.press("End")
    # The suggestion panel has answered for what was typed so far.
    page.locator("#suggest-slot .suggest-pick").first.wait_for()
    # Keep typing and leave the field at once, before the panel redraws, then type on.
    content.press_sequentially("，希望尽快处理")
    page.keyboard.press("Tab")
    page.keyboard.type("田心街道田心东社区", delay=30)
    # Let every pending redraw of the panels land, then type once more.
    page.wait_for_timeout(1200)
    page.keyboard.type("3栋", delay=30)
    assert page.locator("#address").input_value() == "田心街道田心东社区3栋"
    assert content.input_value().endswith("希望尽快处理")
    assert page.evaluate("document.activeElement.id") == "address"
