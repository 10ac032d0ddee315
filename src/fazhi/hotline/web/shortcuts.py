"""Keyboard shortcuts of the hotline's intake form and of its dispatch form on the case page,
listed in each page's 快捷键 legend (web/templates/_shortcuts.html) and bound by
static/shortcuts.js from that legend. Alt+letter keys are ones Chromium and Firefox leave to
the page (not Alt+D, Alt+E, Alt+F); Ctrl+Enter submits, as in most web forms."""

from __future__ import annotations

from fazhi.web.console import Shortcut, templates

INTAKE_SHORTCUTS = (
    Shortcut("Alt+N", "#caller_name", "来电人"),
    Shortcut("Alt+T", "#caller_phone", "联系电话"),
    Shortcut("Alt+K", "#request_kind", "诉求类型"),
    Shortcut("Alt+C", "#content", "诉求内容"),
    Shortcut("Alt+A", "#address", "事发地址"),
    Shortcut("Alt+L", "#category", "诉求分类"),
    Shortcut("Alt+U", "#urgency", "紧急程度"),
    Shortcut("Alt+J", "#answer", "即时答复"),
    Shortcut("Ctrl+Enter", 'button[name="intent"][value="register"]', "登记并转派单"),
    Shortcut("Ctrl+Shift+Enter", 'button[name="intent"][value="resolve"]', "即时办结"),
)

# The case page adds Ctrl+Enter (submit the form being filled in) for every type.
DISPATCH_SHORTCUTS = (
    Shortcut(
        "Alt+P",
        'details[data-action="dispatch"], details[data-action="reassign"]',
        "打开派单（改派）并查找主办单位",
    ),
    Shortcut("Alt+U", "details[data-action][open] .unit-picker-input", "查找单位"),
    Shortcut("Alt+G", 'details[data-action][open] select[name="urgency"]', "紧急程度"),
)

templates.env.globals["intake_shortcuts"] = INTAKE_SHORTCUTS
