#!/usr/bin/env bash
# What the whole suite needs from Debian's packages: Chromium (browser tests), a CJK font (the
# console's Chinese in screenshots and layout checks, the annual report's PDF), Pango (that
# PDF's layout) and PostgreSQL (the second database run).
# Installs only what is missing, and only as root with apt-get; otherwise says what is missing
# and leaves it to the suites (which skip, or fail in strict mode, naming the package).
set -euo pipefail
missing=()
[ -x "${FAZHI_CHROMIUM:-/usr/bin/chromium}" ] || missing+=(chromium)
if ! command -v fc-list >/dev/null || [ -z "$(fc-list ':lang=zh' family 2>/dev/null)" ]; then
  missing+=(fonts-noto-cjk)
fi
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
# The annual report's PDF (WeasyPrint) lays text out with Pango.
ldconfig -p 2>/dev/null | grep -q libpangoft2-1.0.so.0 || missing+=(libpango-1.0-0 libpangoft2-1.0-0)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "installing from Debian's packages: ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "NOTICE: not installed (needs root and apt-get): ${missing[*]}" >&2
fi
