"""Time the dashboard of every indicator for a district-year (and one ledger) on a database
that holds the demo data, and compare the computed figures with the seed's inventory.

    FAZHI_DATABASE_URL=sqlite:///var/fazhi.db python bench/indicators.py [--year 2023]

Prints figures; never part of the test pass/fail."""

from __future__ import annotations

import argparse
import time
from datetime import date
from decimal import Decimal

import yaml

from fazhi.actions.context import ActionContext, Work
from fazhi.actions.platform import Platform
from fazhi.analytics import indicators as ix
from fazhi.analytics import ledgers as lg
from fazhi.catalog.indicator_catalog import INVENTORY
from fazhi.store.db import transaction
from fazhi.terminal import acting_user


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--year", type=int, default=2023)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    p = Platform.create()
    actor = acting_user(p, "admin", ("admin",))
    inventory = yaml.safe_load((INVENTORY / "shifeng_2023.yaml").read_text(encoding="utf-8"))
    with transaction(p.sessions) as session:
        w = Work(session, ActionContext(p, actor, p.now()))
        scope = ix.scope_for(w, date(args.year, 1, 1), date(args.year, 12, 31))
        ix.dashboard_body(w, scope)  # the catalogue loads once
        took = []
        for _ in range(args.runs):
            started = time.perf_counter()
            body = ix.dashboard_body(w, scope)
            took.append(time.perf_counter() - started)
        print(
            f"dashboard of {body['counts']['indicators']} indicators: "
            f"best {min(took) * 1000:.0f} ms, worst {max(took) * 1000:.0f} ms over {args.runs} runs"
        )
        started = time.perf_counter()
        found = lg.ledger(w, scope, "consumer.received")
        print(
            f"ledger consumer.received: {len(found.sheets[0].rows)} rows in "
            f"{(time.perf_counter() - started) * 1000:.0f} ms"
        )
        values = {v["id"]: v for a in body["areas"] for v in a["indicators"]}
        for entry in inventory["figures"]:
            if entry["origin"] != "computed":
                continue
            v = values[entry["indicator"]]
            got = v["rounded"]
            want = float(entry["value"])
            ok = got is not None and abs(Decimal(str(got)) - Decimal(str(want))) < Decimal("0.0001")
            mark = "ok " if ok else "DIFF"
            print(f"{mark} {entry['indicator']:<45} seed {want:<12g} demo {v['display']}")


if __name__ == "__main__":
    main()
