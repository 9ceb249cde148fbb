#!/usr/bin/env python3
"""Discovery and event flows of the Python `caldav` library against a running davsuite.

Usage: caldav_flows.py BASE_URL LOGIN PASSWORD

Run by `dav-tests/clients.rs` with the interpreter of `dav-tests/.venv`. The flows run as
named steps; a failed check or an exception is recorded and the next step still runs (each
step only depends on what earlier steps created, not on their checks), so one run reports
every deviation. The script exits 1 if anything failed, listing the failures at the end.
Set CALDAV_FLOWS_DEBUG=1 to print every request the library sends and the server's answer.
"""

import base64
import logging
import os
import socket
import sys
import time
import traceback
import uuid
from datetime import datetime, timezone
from urllib.parse import urlparse, urlsplit

import caldav
from caldav.lib import error

UTC = timezone.utc
FAILURES = []


def check(cond, msg):
    """Records a failed check and goes on."""
    if not cond:
        FAILURES.append(msg)
        print(f"FAIL: {msg}", flush=True)
    return bool(cond)


def path_of(url):
    return urlparse(str(url)).path


def uid_of(obj):
    return str(obj.icalendar_component["UID"])


def uids(objects):
    return sorted(uid_of(o) for o in objects)


def vcalendar(body):
    return (
        "BEGIN:VCALENDAR\r\n"
        "VERSION:2.0\r\n"
        "PRODID:-//davsuite client tests//caldav_flows//EN\r\n"
        f"{body}"
        "END:VCALENDAR\r\n"
    )


def vevent(uid, summary, start, end, extra=""):
    return vcalendar(
        "BEGIN:VEVENT\r\n"
        f"UID:{uid}\r\n"
        "DTSTAMP:20250101T000000Z\r\n"
        f"DTSTART:{start}\r\n"
        f"DTEND:{end}\r\n"
        f"SUMMARY:{summary}\r\n"
        f"{extra}"
        "END:VEVENT\r\n"
    )


def vtodo(uid, summary, extra=""):
    return vcalendar(
        "BEGIN:VTODO\r\n"
        f"UID:{uid}\r\n"
        "DTSTAMP:20250101T000000Z\r\n"
        f"SUMMARY:{summary}\r\n"
        f"{extra}"
        "END:VTODO\r\n"
    )


def berlin_event(uid):
    # 00:30 in Berlin on 21 March 2025 (CET, +01:00) is 23:30 UTC on 20 March.
    return vcalendar(
        "BEGIN:VTIMEZONE\r\n"
        "TZID:Europe/Berlin\r\n"
        "BEGIN:DAYLIGHT\r\n"
        "TZOFFSETFROM:+0100\r\n"
        "TZOFFSETTO:+0200\r\n"
        "TZNAME:CEST\r\n"
        "DTSTART:19700329T020000\r\n"
        "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\n"
        "END:DAYLIGHT\r\n"
        "BEGIN:STANDARD\r\n"
        "TZOFFSETFROM:+0200\r\n"
        "TZOFFSETTO:+0100\r\n"
        "TZNAME:CET\r\n"
        "DTSTART:19701025T030000\r\n"
        "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\n"
        "END:STANDARD\r\n"
        "END:VTIMEZONE\r\n"
        "BEGIN:VEVENT\r\n"
        f"UID:{uid}\r\n"
        "DTSTAMP:20250101T000000Z\r\n"
        "DTSTART;TZID=Europe/Berlin:20250321T003000\r\n"
        "DTEND;TZID=Europe/Berlin:20250321T013000\r\n"
        "SUMMARY:Berlin night call\r\n"
        "END:VEVENT\r\n"
    )


def utc(*args):
    return datetime(*args, tzinfo=UTC)


class Flows:
    """The flows, in order; attributes carry what earlier steps created."""

    def __init__(self, base, login, password):
        self.base = base.rstrip("/")
        self.login = login
        self.password = password
        self.run = uuid.uuid4().hex[:8]
        self.saved = {}  # UID -> object returned by save_event / save_todo
        self.event_uids = []  # UIDs of the events expected in self.cal
        self.todo_uids = []

    def u(self, name):
        """A UID unique to this run."""
        return f"{name}-{self.run}"

    # --- discovery -------------------------------------------------------------------------

    def connection_survives_401(self):
        """caldav sends its first request without credentials and, after the 401, the next
        one on the same keep-alive connection. urllib3 writes the head and the body of a
        request separately, so the body may arrive after the server has already answered;
        the server must still read it and keep the connection usable (or say
        `Connection: close`). Checked here deterministically, the body sent 50 ms late."""
        parts = urlsplit(self.base)
        body = (
            b'<?xml version="1.0" encoding="utf-8"?>\n'
            b'<propfind xmlns="DAV:"><prop><current-user-principal/></prop></propfind>'
        )
        head = (
            f"PROPFIND / HTTP/1.1\r\nHost: {parts.netloc}\r\nDepth: 0\r\n"
            f"Content-Type: application/xml\r\nContent-Length: {len(body)}\r\n\r\n"
        ).encode()
        with socket.create_connection((parts.hostname, parts.port), timeout=10) as sock:
            sock.sendall(head)
            time.sleep(0.05)
            sock.sendall(body)
            reader = sock.makefile("rb")
            status = reader.readline()
            headers = {}
            while (line := reader.readline()) not in (b"\r\n", b""):
                name, _, value = line.decode().partition(":")
                headers[name.strip().lower()] = value.strip()
            reader.read(int(headers.get("content-length", "0")))
            check(b" 401 " in status, f"unauthenticated PROPFIND answered {status!r}")
            if "close" in headers.get("connection", "").lower():
                return  # announced: clients open a new connection
            token = base64.b64encode(f"{self.login}:{self.password}".encode()).decode()
            auth = f"Authorization: Basic {token}\r\nDepth: 0".encode()
            try:
                sock.sendall(head.replace(b"Depth: 0", auth) + body)
                again = reader.readline()
            except OSError as e:
                again = repr(e).encode()
            check(
                b" 207 " in again,
                "after a 401 whose request body arrived late, the server closed the keep-alive "
                f"connection without `Connection: close` (next request got {again!r}); caldav's "
                "retry with credentials then fails at random with 'Remote end closed connection "
                "without response'",
            )

    def discovery_from_root(self):
        self.client = caldav.DAVClient(
            url=self.base + "/", username=self.login, password=self.password
        )
        self.principal = self.client.principal()
        check(
            path_of(self.principal.url) == f"/dav/principals/users/{self.login}/",
            f"principal URL {self.principal.url}",
        )
        home = self.principal.calendar_home_set
        check(
            path_of(home.url) == f"/dav/calendars/{self.login}/",
            f"calendar-home-set {home.url}",
        )

    def discovery_through_well_known(self):
        client = caldav.DAVClient(
            url=self.base + "/.well-known/caldav",
            username=self.login,
            password=self.password,
        )
        principal = client.principal()
        check(
            path_of(principal.url) == f"/dav/principals/users/{self.login}/",
            f"principal URL via /.well-known/caldav {principal.url}",
        )

    def wrong_password_is_refused(self):
        client = caldav.DAVClient(url=self.base + "/", username=self.login, password="wrong")
        try:
            client.principal()
            check(False, "principal() with a wrong password succeeded")
        except error.AuthorizationError:
            pass

    def calendars_finds_the_default_calendar(self):
        by_path = {path_of(c.url): c for c in self.principal.calendars()}
        self.personal_path = f"/dav/calendars/{self.login}/personal/"
        if not check(
            self.personal_path in by_path,
            f"default calendar not among {sorted(by_path)}",
        ):
            raise AssertionError("no default calendar")
        self.personal = by_path[self.personal_path]
        comps = [str(c) for c in self.personal.get_supported_components()]
        check("VEVENT" in comps and "VTODO" in comps, f"default calendar components {comps}")
        check(self.personal.get_display_name(), "default calendar has no display name")

    def default_calendar_save_list_delete(self):
        uid = self.u("default")
        ev = self.personal.save_event(
            vevent(uid, "In the default calendar", "20250110T090000Z", "20250110T100000Z")
        )
        check(path_of(ev.url).startswith(self.personal_path), f"event URL {ev.url}")
        check(uid in uids(self.personal.events()), "saved event missing from events()")
        ev.delete()
        check(uid not in uids(self.personal.events()), "deleted event still in events()")

    # --- calendars -------------------------------------------------------------------------

    def make_calendar(self):
        name = f"Client test {self.run} \u00e9t\u00e9"
        self.cal = self.principal.make_calendar(name=name)
        check(
            path_of(self.cal.url).startswith(f"/dav/calendars/{self.login}/"),
            f"new calendar URL {self.cal.url}",
        )
        check(
            self.cal.get_display_name() == name,
            f"display name {self.cal.get_display_name()!r}, want {name!r}",
        )
        found = self.principal.calendar(name=name)
        check(
            path_of(found.url) == path_of(self.cal.url),
            f"principal.calendar(name=) found {found.url}",
        )
        check(
            path_of(self.cal.url) in {path_of(c.url) for c in self.principal.calendars()},
            "new calendar missing from calendars()",
        )
        self.cal2 = self.principal.make_calendar(name="Second", cal_id=self.u("second"))
        check(
            path_of(self.cal2.url) == f"/dav/calendars/{self.login}/{self.u('second')}/",
            f"make_calendar(cal_id=) URL {self.cal2.url}",
        )

    # --- events ----------------------------------------------------------------------------

    def save_events(self):
        def keep(uid, obj):
            self.saved[uid] = obj
            self.event_uids.append(uid)
            check(obj.url is not None, f"save_event({uid}) gave no URL")

        for day in range(1, 11):
            uid = self.u(f"daily-{day:02}")
            keep(
                uid,
                self.cal.save_event(
                    vevent(
                        uid,
                        f"Daily {day}",
                        f"202503{day:02}T100000Z",
                        f"202503{day:02}T110000Z",
                    )
                ),
            )
        uid = self.u("allday")
        keep(
            uid,
            self.cal.save_event(
                vcalendar(
                    f"BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:20250101T000000Z\r\n"
                    "DTSTART;VALUE=DATE:20250315\r\nDTEND;VALUE=DATE:20250316\r\n"
                    "SUMMARY:All day\r\nEND:VEVENT\r\n"
                )
            ),
        )
        uid = self.u("weekly")
        keep(
            uid,
            self.cal.save_event(
                vevent(
                    uid,
                    "Weekly on Mondays from 6 January",
                    "20250106T080000Z",
                    "20250106T083000Z",
                    "RRULE:FREQ=WEEKLY;COUNT=20\r\n",
                )
            ),
        )
        uid = self.u("berlin")
        keep(uid, self.cal.save_event(berlin_event(uid)))
        uid = self.u("kw")
        keep(
            uid,
            self.cal.save_event(
                dtstart=utc(2025, 6, 1, 12, 0),
                dtend=utc(2025, 6, 1, 13, 0),
                summary="Built by the library",
                uid=uid,
            ),
        )

    def events_lists_them_all(self):
        got = uids(self.cal.events())
        check(got == sorted(self.event_uids), f"events(): {got}, want {sorted(self.event_uids)}")

    def search(self, start, end, **kw):
        return uids(self.cal.search(start=start, end=end, event=True, **kw))

    def search_time_range(self):
        start, end = utc(2025, 3, 3), utc(2025, 3, 6)
        # 3, 4 and 5 March, and the weekly series (Monday 3 March 08:00).
        want = sorted(
            [self.u(f"daily-{d:02}") for d in (3, 4, 5)] + [self.u("weekly")]
        )
        got = self.search(start, end)
        check(got == want, f"search 3..6 March: {got}, want {want}")
        # The same without the library's client-side filtering: the server's own answer.
        got = self.search(start, end, post_filter=False)
        check(got == want, f"search 3..6 March, server's answer: {got}, want {want}")

    def search_time_range_corner_cases(self):
        # post_filter=False everywhere: what the server itself matched (RFC 4791 section 9.9).
        cases = [
            ("all-day event, 15 March 12:00-13:00 UTC", utc(2025, 3, 15, 12), utc(2025, 3, 15, 13), ["allday"]),
            ("Berlin event, 20 March 23:00-23:45 UTC", utc(2025, 3, 20, 23), utc(2025, 3, 20, 23, 45), ["berlin"]),
            ("after the Berlin event, 21 March 12:00-24:00 UTC", utc(2025, 3, 21, 12), utc(2025, 3, 22), []),
            ("last weekly instance, 19 May", utc(2025, 5, 19), utc(2025, 5, 20), ["weekly"]),
            ("a Tuesday inside the series, 11 March 12:00-13:00", utc(2025, 3, 11, 12), utc(2025, 3, 11, 13), []),
            ("after the series, 26 May", utc(2025, 5, 26), utc(2025, 5, 27), []),
        ]
        for name, start, end, want in cases:
            want = sorted(self.u(w) for w in want)
            got = self.search(start, end, post_filter=False)
            check(got == want, f"time-range search, {name}: server matched {got}, want {want}")

    def search_expand(self):
        expanded = self.cal.search(
            start=utc(2025, 2, 1), end=utc(2025, 3, 1), event=True, expand=True
        )
        starts = sorted(
            o.icalendar_component["DTSTART"].dt.astimezone(UTC)
            for o in expanded
            if uid_of(o) == self.u("weekly")
        )
        want = [utc(2025, 2, d, 8, 0) for d in (3, 10, 17, 24)]
        check(starts == want, f"expanded February Mondays: {starts}, want {want}")

    def event_load_modify_save(self):
        uid = self.u("daily-04")
        ev = self.saved[uid]
        ev.load()
        old_etag = ev.props.get("{DAV:}getetag")
        check(old_etag, "load() gave no ETag")
        ev.icalendar_component["SUMMARY"] = "Daily 4, moved to the evening"
        ev.icalendar_component["DTSTART"].dt = utc(2025, 3, 4, 18, 0)
        ev.icalendar_component["DTEND"].dt = utc(2025, 3, 4, 19, 0)
        ev.save()
        fresh = self.cal.event_by_url(ev.url)
        fresh.load()
        check(
            str(fresh.icalendar_component["SUMMARY"]) == "Daily 4, moved to the evening",
            f"summary after save: {fresh.icalendar_component['SUMMARY']}",
        )
        check(
            fresh.icalendar_component["DTSTART"].dt == utc(2025, 3, 4, 18, 0),
            f"DTSTART after save: {fresh.icalendar_component['DTSTART'].dt}",
        )
        check(
            fresh.props.get("{DAV:}getetag") not in (None, old_etag),
            f"ETag after save {fresh.props.get('{DAV:}getetag')}, before {old_etag}",
        )
        got = self.search(utc(2025, 3, 4, 17), utc(2025, 3, 4, 20), post_filter=False)
        check(uid in got, f"search at the new time does not find the moved event: {got}")
        got = self.search(utc(2025, 3, 4, 9), utc(2025, 3, 4, 12), post_filter=False)
        check(uid not in got, f"search at the old time still finds the moved event: {got}")

    def save_with_a_stale_etag_is_refused(self):
        uid = self.u("daily-09")
        mine = self.cal.event_by_url(self.saved[uid].url)
        mine.load()
        theirs = self.cal.event_by_url(self.saved[uid].url)
        theirs.load()
        theirs.icalendar_component["SUMMARY"] = "Daily 9, changed elsewhere"
        theirs.save()
        mine.icalendar_component["SUMMARY"] = "Daily 9, stale change"
        try:
            mine.save()
            check(False, "save() with a stale ETag (If-Match) was accepted")
        except error.ETagMismatchError:
            pass
        fresh = self.cal.event_by_url(self.saved[uid].url)
        fresh.load()
        check(
            str(fresh.icalendar_component["SUMMARY"]) == "Daily 9, changed elsewhere",
            f"summary after a refused save: {fresh.icalendar_component['SUMMARY']}",
        )

    def event_by_uid(self):
        uid = self.u("daily-03")
        ev = self.cal.event_by_uid(uid)
        check(path_of(ev.url) == path_of(self.saved[uid].url), f"event_by_uid URL {ev.url}")
        check(uid_of(ev) == uid, f"event_by_uid UID {uid_of(ev)}")

    def event_delete(self):
        uid = self.u("daily-05")
        url = self.saved[uid].url
        self.saved[uid].delete()
        self.event_uids.remove(uid)
        try:
            self.cal.event_by_url(url).load(multiget_fallback=False)
            check(False, "deleted event can still be loaded")
        except error.NotFoundError:
            pass
        got = uids(self.cal.events())
        check(got == sorted(self.event_uids), f"events() after delete: {got}")

    # --- todos -----------------------------------------------------------------------------

    def save_todos(self):
        for name, summary, extra in [
            ("todo-a", "Buy milk", "PRIORITY:1\r\nDUE:20250320T120000Z\r\n"),
            ("todo-b", "Write report", "STATUS:NEEDS-ACTION\r\n"),
            ("todo-c", "Old chore", "STATUS:COMPLETED\r\nCOMPLETED:20250102T000000Z\r\n"),
        ]:
            uid = self.u(name)
            self.saved[uid] = self.cal.save_todo(vtodo(uid, summary, extra))
            self.todo_uids.append(uid)
        uid = self.u("todo-d")
        self.saved[uid] = self.cal.save_todo(summary="Library-built task", uid=uid)
        self.todo_uids.append(uid)
        check(self.saved[uid].url is not None, "save_todo(**kwargs) gave no URL")
        got = uids(self.cal.events())
        check(got == sorted(self.event_uids), f"events() after saving todos: {got}")

    def todos_including_completed(self):
        got = uids(self.cal.todos(include_completed=True))
        check(got == sorted(self.todo_uids), f"todos(include_completed=True): {got}")

    def todos_pending(self):
        got = uids(self.cal.todos())
        want = sorted(self.u(n) for n in ("todo-a", "todo-b", "todo-d"))
        check(got == want, f"pending todos(): {got}, want {want}")

    def todo_complete(self):
        todo = self.saved[self.u("todo-a")]
        todo.load()
        todo.complete()
        fresh = caldav.Todo(client=self.client, url=todo.url, parent=self.cal)
        fresh.load()
        check(
            str(fresh.icalendar_component.get("STATUS")) == "COMPLETED",
            f"STATUS after complete(): {fresh.icalendar_component.get('STATUS')}",
        )

    def todos_pending_after_complete(self):
        got = uids(self.cal.todos())
        want = sorted(self.u(n) for n in ("todo-b", "todo-d"))
        check(got == want, f"pending todos() after complete(): {got}, want {want}")

    # --- sync tokens -----------------------------------------------------------------------

    def sync_initial(self):
        initial = self.cal.objects_by_sync_token(load_objects=True, disable_fallback=True)
        self.token0 = initial.sync_token
        check(
            self.token0 and not str(self.token0).startswith("fake-"),
            f"sync token {self.token0!r}",
        )
        want = sorted(self.event_uids + self.todo_uids)
        got = uids(initial)
        check(got == want, f"initial sync-collection: {got}, want {want}")
        check(all(o.data for o in initial), "load_objects=True left objects without data")

    def sync_nothing_changed(self):
        same = self.cal.objects_by_sync_token(sync_token=self.token0, disable_fallback=True)
        check(
            len(same) == 0,
            f"sync with the newest token reported {[str(o.url) for o in same]}",
        )

    def sync_reports_changes(self):
        mod = self.saved[self.u("daily-06")]
        mod.load()
        mod.icalendar_component["SUMMARY"] = "Daily 6, changed"
        mod.save()
        gone = self.saved[self.u("daily-07")]
        gone_path = path_of(gone.url)
        gone.delete()
        self.event_uids.remove(self.u("daily-07"))
        uid = self.u("daily-11")
        new = self.cal.save_event(
            vevent(uid, "Daily 11", "20250311T100000Z", "20250311T110000Z")
        )
        self.saved[uid] = new
        self.event_uids.append(uid)
        changes = self.cal.objects_by_sync_token(
            sync_token=self.token0, load_objects=True, disable_fallback=True
        )
        changed = {path_of(o.url) for o in changes}
        deleted = {path_of(u) for u in changes.deleted_urls}
        want = {path_of(mod.url), gone_path, path_of(new.url)}
        check(changed == want, f"changed since token0: {sorted(changed)}, want {sorted(want)}")
        check(deleted == {gone_path}, f"deleted since token0: {sorted(deleted)}")
        loaded = {
            uid_of(o): str(o.icalendar_component["SUMMARY"])
            for o in changes
            if path_of(o.url) not in deleted
        }
        want = {self.u("daily-06"): "Daily 6, changed", uid: "Daily 11"}
        check(loaded == want, f"loaded changes: {loaded}, want {want}")
        self.token1 = changes.sync_token
        check(self.token1 != self.token0, "sync token did not move")
        later = self.cal.objects_by_sync_token(sync_token=self.token1, disable_fallback=True)
        check(len(later) == 0, f"changes after the newest token: {[str(o.url) for o in later]}")

    def sync_collection_object(self):
        mirror = self.cal.objects(load_objects=True)
        check(
            not str(mirror.sync_token).startswith("fake-"),
            "objects() fell back to emulated sync tokens",
        )
        updated, deleted = mirror.sync()
        check(
            (len(updated), len(deleted)) == (0, 0),
            f"idle sync(): updated {uids(updated)}, deleted {len(deleted)}",
        )
        gone = self.saved[self.u("daily-08")]
        gone_path = path_of(gone.url)
        gone.delete()
        self.event_uids.remove(self.u("daily-08"))
        t = self.saved[self.u("todo-b")]
        t.load()
        t.icalendar_component["SUMMARY"] = "Write the report now"
        t.save()
        updated, deleted = mirror.sync()
        check(uids(updated) == [self.u("todo-b")], f"sync() updated: {uids(updated)}")
        check(
            [path_of(o.url) for o in deleted] == [gone_path],
            f"sync() deleted: {[str(o.url) for o in deleted]}",
        )
        want = sorted(self.event_uids + self.todo_uids)
        check(uids(mirror) == want, f"mirror after sync(): {uids(mirror)}, want {want}")

    def unknown_sync_token_is_refused(self):
        bogus = str(self.token1) + "-not-a-token"
        try:
            self.cal.objects_by_sync_token(sync_token=bogus, disable_fallback=True)
            check(False, "an unknown sync token was accepted")
        except error.AuthorizationError as e:
            # RFC 6578 section 3.2: 403 with DAV:valid-sync-token.
            check(
                "{DAV:}valid-sync-token" in getattr(e, "preconditions", []),
                f"unknown token refused without valid-sync-token: {e!r}",
            )

    # --- cleanup ---------------------------------------------------------------------------

    def calendar_delete(self):
        self.cal2.delete()
        self.cal.delete()
        left = {path_of(c.url) for c in self.principal.calendars()}
        check(
            path_of(self.cal.url) not in left and path_of(self.cal2.url) not in left,
            f"calendars after delete: {sorted(left)}",
        )
        check(self.personal_path in left, "default calendar disappeared")

    STEPS = [
        ("the connection stays usable after a 401", "connection_survives_401", False),
        ("discovery: DAVClient(url=server root).principal()", "discovery_from_root", True),
        ("discovery: through /.well-known/caldav", "discovery_through_well_known", False),
        ("discovery: a wrong password is refused", "wrong_password_is_refused", False),
        ("principal.calendars() finds the default calendar", "calendars_finds_the_default_calendar", True),
        ("default calendar: save_event, events(), delete()", "default_calendar_save_list_delete", False),
        ("principal.make_calendar(name=...)", "make_calendar", True),
        ("save_event: daily, all-day, weekly series, Berlin time, from kwargs", "save_events", True),
        ("calendar.events() lists them all", "events_lists_them_all", False),
        ("search(start, end, event=True): time-range query", "search_time_range", False),
        ("search: all-day, time zone and recurrence corner cases", "search_time_range_corner_cases", False),
        ("search(expand=True) expands the series", "search_expand", False),
        ("event.load(), modify, event.save()", "event_load_modify_save", False),
        ("save() with a stale ETag is refused", "save_with_a_stale_etag_is_refused", False),
        ("calendar.event_by_uid()", "event_by_uid", False),
        ("event.delete()", "event_delete", False),
        ("save_todo()", "save_todos", False),
        ("todos(include_completed=True)", "todos_including_completed", False),
        ("todos(): pending only", "todos_pending", False),
        ("todo.complete()", "todo_complete", False),
        ("todos() after complete()", "todos_pending_after_complete", False),
        ("sync tokens: initial sync-collection", "sync_initial", False),
        ("sync tokens: nothing changed", "sync_nothing_changed", False),
        ("sync tokens: modification, deletion and addition are reported", "sync_reports_changes", False),
        ("sync tokens: objects() and sync()", "sync_collection_object", False),
        ("sync tokens: an unknown token is refused", "unknown_sync_token_is_refused", False),
        ("calendar.delete()", "calendar_delete", False),
    ]

    def run_all(self):
        for title, method, essential in self.STEPS:
            print(f"--- {title}", flush=True)
            try:
                getattr(self, method)()
            except Exception as e:  # noqa: BLE001 - recorded; the next step still runs
                traceback.print_exc(file=sys.stdout)
                check(False, f"{title}: raised {e!r}")
                if essential:
                    print("(essential step failed: stopping)", flush=True)
                    return


def trace_requests():
    """Prints every request the library sends and the server's answer (debugging aid)."""
    original = caldav.DAVClient._sync_request

    def traced(self, url, method="GET", body="", headers=None):
        print(f">>> {method} {url} {dict(headers or {})}\n{body!s}", flush=True)
        try:
            r = original(self, url, method, body, headers)
        except error.DAVError as e:
            print(f"<<< raised {e!r}: {getattr(e, 'reason', '')}", flush=True)
            raise
        except Exception as e:
            print(f"<<< raised {e!r}", flush=True)
            raise
        print(f"<<< {r.status} {dict(r.headers)}\n{r.raw}", flush=True)
        return r

    caldav.DAVClient._sync_request = traced


if __name__ == "__main__":
    if len(sys.argv) != 4:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    if os.environ.get("CALDAV_FLOWS_DEBUG"):
        logging.basicConfig(level=logging.DEBUG, stream=sys.stdout)
        trace_requests()
    print(f"caldav {caldav.__version__}", flush=True)
    Flows(*sys.argv[1:]).run_all()
    if FAILURES:
        print(f"\ncaldav flows: {len(FAILURES)} failed checks:", flush=True)
        for f in FAILURES:
            print(f"  - {f}", flush=True)
        sys.exit(1)
    print("caldav flows: all checks passed", flush=True)
