"""The form token in every POST form of every console template, written in when the
template is compiled (a Jinja preprocessor), so no form can forget it; see fazhi.http.csrf
for what the token is and where it is checked."""

from __future__ import annotations

import re

from jinja2.ext import Extension

from fazhi.http.csrf import CSRF_FIELD

_FORM_START = re.compile(r"<form(?=[\s>])", re.IGNORECASE)
_POST_METHOD = re.compile(r"\bmethod\s*=\s*[\"']?post\b", re.IGNORECASE)
CSRF_INPUT = f'<input type="hidden" name="{CSRF_FIELD}" value="{{{{ csrf_token }}}}">'


def _tag_end(source: str, at: int) -> int:
    """The index just past the ">" closing the tag opened at `at`, skipping Jinja tags
    (which may hold ">") inside it; len(source) when it never closes."""
    i = at
    while i < len(source):
        if source.startswith(("{%", "{{", "{#"), i):
            close = {"{%": "%}", "{{": "}}", "{#": "#}"}[source[i : i + 2]]
            found = source.find(close, i + 2)
            i = len(source) if found < 0 else found + 2
        elif source[i] == ">":
            return i + 1
        else:
            i += 1
    return len(source)


def with_form_tokens(source: str) -> str:
    """`source` with the form token's hidden input right after every POST form's start tag
    (so it is the form's first field, where fazhi.http.csrf looks for it)."""
    out, done = [], 0
    for match in _FORM_START.finditer(source):
        if match.start() < done:
            continue
        end = _tag_end(source, match.end())
        out.append(source[done:end])
        if _POST_METHOD.search(source, match.start(), end):
            out.append(CSRF_INPUT)
        done = end
    out.append(source[done:])
    return "".join(out)


class CsrfFormExtension(Extension):
    """Writes the form token (fazhi.http.csrf) into every POST form of every template, when
    it is compiled: no form can forget it."""

    def preprocess(self, source: str, name: str | None, filename: str | None = None) -> str:
        return with_form_tokens(source)
