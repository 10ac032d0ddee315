"""Whether a request reached the deployment over HTTPS, for the cookies' Secure flag.

The scheme of the connection (uvicorn already applies X-Forwarded-Proto from the proxies it
trusts, 127.0.0.1 by default); X-Forwarded-Proto from anywhere only when FAZHI_TRUST_PROXY
says the server sits behind a proxy that sets it; always when FAZHI_COOKIE_SECURE forces it.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import Any

from starlette.datastructures import Headers


def is_https(scope: MutableMapping[str, Any], settings: Any) -> bool:
    if getattr(settings, "cookie_secure", False) or scope.get("scheme") == "https":
        return True
    if getattr(settings, "trust_proxy", False):
        proto = Headers(scope=scope).get("x-forwarded-proto", "")
        return proto.split(",")[0].strip().lower() == "https"
    return False
