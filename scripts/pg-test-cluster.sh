#!/usr/bin/env bash
# A private, throwaway PostgreSQL cluster for the test suite, on loopback only.
#   scripts/pg-test-cluster.sh start   -> prints the database URL on stdout
#   scripts/pg-test-cluster.sh stop
# Uses Debian's PostgreSQL binaries (package postgresql); as root it runs the server as
# the 'postgres' user, since PostgreSQL refuses to run as root.
set -euo pipefail
cmd=${1:-start}
root=${FAZHI_PG_DIR:-/tmp/fazhi-pg-test}
port=${FAZHI_PG_PORT:-55432}
bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
  echo "PostgreSQL server binaries not found (apt-get install postgresql)" >&2
  exit 3
fi
as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
case "$cmd" in
  start)
    if [ ! -f "$root/data/PG_VERSION" ]; then
      rm -rf "$root"; mkdir -p "$root"
      [ "$(id -u)" = 0 ] && chown postgres "$root"
      as_pg "$bindir/initdb" -D "$root/data" -U fazhi --auth=trust -E UTF8 --locale=C.UTF-8 >"$root/initdb.log" 2>&1 \
        || { cat "$root/initdb.log" >&2; exit 1; }
    fi
    if ! as_pg "$bindir/pg_ctl" -D "$root/data" status >/dev/null 2>&1; then
      as_pg "$bindir/pg_ctl" -D "$root/data" -l "$root/server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $port -k $root -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
        start >&2 || { cat "$root/server.log" >&2; exit 1; }
    fi
    as_pg "$bindir/psql" -h 127.0.0.1 -p "$port" -U fazhi -d postgres -Atqc \
      "SELECT 1 FROM pg_database WHERE datname='fazhi_test'" | grep -q 1 \
      || as_pg "$bindir/createdb" -h 127.0.0.1 -p "$port" -U fazhi fazhi_test >&2
    echo "postgresql://fazhi@127.0.0.1:$port/fazhi_test"
    ;;
  stop)
    if [ -f "$root/data/PG_VERSION" ]; then
      as_pg "$bindir/pg_ctl" -D "$root/data" -m fast -w stop >&2 || true
    fi
    ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
