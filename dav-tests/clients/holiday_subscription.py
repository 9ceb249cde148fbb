#!/usr/bin/env python3
"""A holiday feed read as a subscription: vdirsyncer's read-only `http` storage and the
`icalendar` library against a running davsuite.

Usage: holiday_subscription.py BASE_URL WORKDIR

Run by `dav-tests/clients.rs` with the interpreter of `dav-tests/.venv`, against a server whose
clock makes the feed span 2025 to 2031. WORKDIR (empty) receives the configuration, vdirsyncer's
status and the local copy.

1. The feed of Geneva in French (`/holidays/CH-GE.ics?lang=fr`), fetched with plain HTTP and
   parsed with `icalendar` as a calendar application would: its name, one all-day event per
   holiday, the Jeûne genevois on 11 September 2025.
2. `vdirsyncer sync` from the feed (`type = "http"`, a subscription) into a directory: one file
   per event, the same dates and summaries as the feed (vdirsyncer's http storage replaces every
   UID with a hash of the item, so UIDs are not compared).
3. A second `vdirsyncer sync` changes nothing.

Exits non-zero on the first failed check (vdirsyncer_cli.py runs vdirsyncer).
"""

import datetime
import http.client
import sys
from pathlib import Path
from urllib.parse import urlsplit

import icalendar
from vdirsyncer_cli import Vdirsyncer, fail, step

FEED = "/holidays/CH-GE.ics?lang=fr"


def fetch(base, path):
    url = urlsplit(base)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
    conn.request("GET", path)
    r = conn.getresponse()
    body = r.read()
    conn.close()
    if r.status != 200:
        fail(f"GET {path}: {r.status} {body[:200]!r}")
    return body


def events_by_uid(calendar):
    return {str(e["UID"]): e for e in calendar.walk("VEVENT")}


def check_feed(body):
    cal = icalendar.Calendar.from_ical(body)
    if str(cal.get("X-WR-CALNAME")) != "Jours fériés : Genève (Suisse)":
        fail(f"calendar name {cal.get('X-WR-CALNAME')!r}")
    events = events_by_uid(cal)
    if len(events) != len(cal.walk("VEVENT")):
        fail("two events share a UID")
    for uid, e in events.items():
        start, end = e.decoded("DTSTART"), e.decoded("DTEND")
        if isinstance(start, datetime.datetime) or end - start != datetime.timedelta(days=1):
            fail(f"{uid}: not one whole day: {start!r} to {end!r}")
        if str(e.get("TRANSP")) != "TRANSPARENT":
            fail(f"{uid}: not transparent")
    fasts = sorted(e.decoded("DTSTART") for e in events.values() if str(e["SUMMARY"]) == "Jeûne genevois")
    if len(fasts) != 7 or fasts[0] != datetime.date(2025, 9, 11):
        fail(f"Jeûne genevois on {fasts}")
    years = {e.decoded("DTSTART").year for e in events.values()}
    if years != set(range(2025, 2032)):
        fail(f"years {sorted(years)}")
    print(f"feed: {len(events)} holidays, 2025 to 2031", flush=True)
    return sorted(day(e) for e in events.values())


def day(event):
    """An event as (start date, summary)."""
    return (event.decoded("DTSTART"), str(event["SUMMARY"]))


def local_copy(directory):
    out = {}
    for f in sorted(directory.glob("*.ics")):
        events = events_by_uid(icalendar.Calendar.from_ical(f.read_bytes()))
        if len(events) != 1:
            fail(f"{f.name} holds {len(events)} events")
        ((_, e),) = events.items()
        out[f.name] = (day(e), f.stat().st_mtime_ns)
    return out


def main():
    base, work = sys.argv[1].rstrip("/"), Path(sys.argv[2])

    step("the feed, parsed as a calendar application would")
    expected = check_feed(fetch(base, FEED))

    step("vdirsyncer subscribes to it (http storage) and copies it into a directory")
    local = work / "holidays"
    local.mkdir()
    config = work / "config"
    config.write_text(
        f"""[general]
status_path = "{work}/status/"

[pair holidays]
a = "holidays_feed"
b = "holidays_local"
collections = null

[storage holidays_feed]
type = "http"
url = "{base}{FEED}"

[storage holidays_local]
type = "filesystem"
path = "{local}/"
fileext = ".ics"
""",
        encoding="utf-8",
    )
    vdirsyncer = Vdirsyncer(config)
    vdirsyncer("discover")
    vdirsyncer("sync")
    first = local_copy(local)
    got = sorted(d for d, _ in first.values())
    if got != expected:
        missing = set(expected) - set(got)
        extra = set(got) - set(expected)
        fail(f"local copy differs: missing {sorted(missing)[:5]}, extra {sorted(extra)[:5]}")
    print(f"local copy: {len(first)} files", flush=True)

    step("a second sync changes nothing")
    vdirsyncer("sync")
    if local_copy(local) != first:
        fail("the second sync changed the local copy")
    print("OK", flush=True)


if __name__ == "__main__":
    main()
