#!/usr/bin/env python3
"""Sharing seen by the Python `caldav` library: a read-write sharee's change reaches the owner.

Usage: caldav_sharing.py BASE_URL OWNER OWNER_PASSWORD WRITER WRITER_PASSWORD READER READER_PASSWORD

Run by `dav-tests/clients.rs` with the interpreter of `dav-tests/.venv`, after the owner's
default calendar was shared read-write with WRITER and read-only with READER. Each sharee
finds the shared calendar through ordinary discovery (principal -> calendar home ->
calendars()), WRITER creates and changes an event in it, and the owner sees both through its
own sync token and in its own calendar; READER reads the event but cannot write. The script
exits 1 listing every failed check.
"""

import sys
import traceback
import uuid
from urllib.parse import urlparse

import caldav
from caldav.lib import error

FAILURES = []


def check(cond, msg):
    if not cond:
        FAILURES.append(msg)
        print(f"FAIL: {msg}", flush=True)
    return bool(cond)


def path_of(url):
    return urlparse(str(url)).path


def vevent(uid, summary):
    return (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//davsuite client tests//sharing//EN\r\n"
        f"BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:20250101T000000Z\r\n"
        "DTSTART:20250310T090000Z\r\nDTEND:20250310T100000Z\r\n"
        f"SUMMARY:{summary}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )


def uids(objects):
    return sorted(str(o.icalendar_component["UID"]) for o in objects)


def client(base, login, password):
    return caldav.DAVClient(url=base.rstrip("/") + "/", username=login, password=password)


def shared_calendar(principal, login, owner):
    """The calendar of `owner` that `login`'s discovery lists, found by calendars()."""
    mine = f"/dav/calendars/{login}/"
    found = [
        c
        for c in principal.calendars()
        if path_of(c.url).startswith(mine) and path_of(c.url) != f"{mine}personal/"
    ]
    if not check(len(found) == 1, f"{login} discovers {[str(c.url) for c in found]}"):
        raise AssertionError("no shared calendar")
    cal = found[0]
    name = cal.get_display_name()
    check(name and owner in name, f"{login} sees the shared calendar named {name!r}")
    return cal


def main(base, owner, owner_pw, writer, writer_pw, reader, reader_pw):
    run = uuid.uuid4().hex[:8]
    owner_cal = client(base, owner, owner_pw).principal().calendar(
        cal_id="personal"
    )
    start = owner_cal.objects_by_sync_token(load_objects=True, disable_fallback=True)
    token = start.sync_token
    check(token and not str(token).startswith("fake-"), f"owner's sync token {token!r}")

    writer_cal = shared_calendar(client(base, writer, writer_pw).principal(), writer, owner)
    uid = f"shared-{run}"
    ev = writer_cal.save_event(vevent(uid, "Written by the sharee"))
    check(path_of(ev.url).startswith(path_of(writer_cal.url)), f"event URL {ev.url}")
    ev.load()
    ev.icalendar_component["SUMMARY"] = "Changed by the sharee"
    ev.save()

    changes = owner_cal.objects_by_sync_token(
        sync_token=token, load_objects=True, disable_fallback=True
    )
    check(uids(changes) == [uid], f"owner's sync since {token}: {uids(changes)}")
    seen = owner_cal.event_by_uid(uid)
    seen.load()
    check(
        str(seen.icalendar_component["SUMMARY"]) == "Changed by the sharee",
        f"owner reads {seen.icalendar_component['SUMMARY']!r}",
    )
    check(
        path_of(seen.url).startswith(f"/dav/calendars/{owner}/personal/"),
        f"owner reads it at {seen.url}",
    )

    reader_cal = shared_calendar(client(base, reader, reader_pw).principal(), reader, owner)
    check(uid in uids(reader_cal.events()), "the read-only sharee does not see the event")
    try:
        reader_cal.save_event(vevent(f"denied-{run}", "Not allowed"))
        check(False, "the read-only sharee could create an event")
    except error.DAVError:
        pass
    check(
        f"denied-{run}" not in uids(owner_cal.events()),
        "a refused write reached the owner's calendar",
    )


if __name__ == "__main__":
    if len(sys.argv) != 8:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    print(f"caldav {caldav.__version__}", flush=True)
    try:
        main(*sys.argv[1:])
    except Exception as e:  # noqa: BLE001 - reported with the failed checks
        traceback.print_exc(file=sys.stdout)
        check(False, f"raised {e!r}")
    if FAILURES:
        print(f"\ncaldav sharing: {len(FAILURES)} failed checks:", flush=True)
        for f in FAILURES:
            print(f"  - {f}", flush=True)
        sys.exit(1)
    print("caldav sharing: all checks passed", flush=True)
