#!/usr/bin/env python3
"""Two-way vdirsyncer sync of a calendar and an address book against a running davsuite.

Usage: vdirsyncer_sync.py BASE_URL LOGIN PASSWORD WORKDIR

Run by `dav-tests/clients.rs` with the interpreter of `dav-tests/.venv`; the `vdirsyncer` next
to that interpreter is the client under test. WORKDIR (empty) receives the configuration
(from vdirsyncer.conf.in), vdirsyncer's status and the local `.ics` / `.vcf` directories.

1. `vdirsyncer discover`: finds the default calendar and address book from the server root,
   and the read-only directory of the account's organisation (synced down, never written).
2. 50 events and tasks and 50 contacts are PUT on the server, 50 of each are written as files.
3. `vdirsyncer sync`: both sides hold the same 100 of each, byte for byte (line endings
   normalised), equal to what was written. `vdirsyncer metasync` copies the display names.
4. On each side 5 items of each kind are changed and 5 deleted (disjoint sets, so there are no
   conflicts); `vdirsyncer sync`: both sides hold the same 90 of each, with the changes.
5. A third `vdirsyncer sync` changes nothing on either side.

The server is read and written here with plain HTTP (http.client), independently of vdirsyncer.
Exits non-zero on the first failed check. VDIRSYNCER_FLOW_DEBUG=1 runs vdirsyncer with -vdebug.
"""

import base64
import http.client
import os
import re
import sys
import xml.etree.ElementTree as ET
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

from vdirsyncer_cli import Vdirsyncer, fail, step

HERE = Path(__file__).resolve().parent
N = 50  # items created on each side, per collection
EVENTS = 45  # of the N calendar items, the rest are VTODOs


# --- item generation -----------------------------------------------------------------------


def fold(line):
    """Folds a content line at 75 octets (RFC 5545 section 3.1), never inside a UTF-8 character."""
    out, cur, limit = [], b"", 75
    for ch in line:
        b = ch.encode()
        if len(cur) + len(b) > limit:
            out.append(cur)
            cur, limit = b" ", 75
        cur += b
    out.append(cur)
    return b"\r\n".join(out).decode()


def lines(*ls):
    return "".join(fold(line) + "\r\n" for line in ls if line is not None)


BERLIN_TZ = [
    "BEGIN:VTIMEZONE",
    "TZID:Europe/Berlin",
    "BEGIN:DAYLIGHT",
    "TZOFFSETFROM:+0100",
    "TZOFFSETTO:+0200",
    "TZNAME:CEST",
    "DTSTART:19700329T020000",
    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
    "END:DAYLIGHT",
    "BEGIN:STANDARD",
    "TZOFFSETFROM:+0200",
    "TZOFFSETTO:+0100",
    "TZNAME:CET",
    "DTSTART:19701025T030000",
    "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
    "END:STANDARD",
    "END:VTIMEZONE",
]

LONG_TEXT = (
    "Agenda: budget review, the Zürich office move, naïve estimates, "
    "déjà-vu planning; 東京 and Москва teams join remotely\\, notes follow\\n"
    "second paragraph with a semicolon\\; and more text to force folding"
)


def cal_uid(side, i):
    kind = "ev" if i < EVENTS else "todo"
    uid = f"{side}-{kind}-{i:02}"
    # Every seventh item gets an e-mail-like UID: vdirsyncer stores those under a random href.
    return uid + "@davsuite.test" if i % 7 == 3 else uid


def calendar_item(side, i, rev=None):
    """The i-th calendar item created on `side`; `rev` names a later change to it."""
    uid = cal_uid(side, i)
    day = 1 + i % 28
    month = 5 if side == "srv" else 6
    d = f"2025{month:02}{day:02}"
    tag = f" [changed on {rev}]" if rev else ""
    seq = "SEQUENCE:1" if rev else None
    desc = f"DESCRIPTION:Changed on the {rev} side" if rev else None
    head = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//davsuite client tests//vdirsyncer//EN"]
    if i >= EVENTS:
        body = [
            "BEGIN:VTODO",
            f"UID:{uid}",
            "DTSTAMP:20250101T000000Z",
            f"SUMMARY:Task {side} {i}{tag}",
            f"DUE:{d}T170000Z",
            f"PRIORITY:{1 + i % 9}",
            "STATUS:COMPLETED" if i % 2 else "STATUS:NEEDS-ACTION",
            "COMPLETED:20250102T000000Z" if i % 2 else None,
            seq,
            desc,
            "END:VTODO",
        ]
        return lines(*head, *body, "END:VCALENDAR")
    variant = i % 6
    common = [f"UID:{uid}", "DTSTAMP:20250101T000000Z"]
    if variant == 0:
        body = ["BEGIN:VEVENT", *common, f"DTSTART:{d}T090000Z", f"DTEND:{d}T100000Z",
                f"SUMMARY:Meeting {side} {i}{tag}", seq, desc, "END:VEVENT"]
    elif variant == 1:
        next_day = (date(2025, month, day) + timedelta(days=1)).strftime("%Y%m%d")
        body = ["BEGIN:VEVENT", *common, f"DTSTART;VALUE=DATE:{d}",
                f"DTEND;VALUE=DATE:{next_day}", f"SUMMARY:Holiday {side} {i}{tag}",
                "TRANSP:TRANSPARENT", seq, desc, "END:VEVENT"]
    elif variant == 2:
        body = [*BERLIN_TZ, "BEGIN:VEVENT", *common, f"DTSTART;TZID=Europe/Berlin:{d}T083000",
                f"DTEND;TZID=Europe/Berlin:{d}T093000", f"SUMMARY:Berlin call {side} {i}{tag}",
                "LOCATION:Alexanderplatz\\, Berlin", seq, desc, "END:VEVENT"]
    elif variant == 3:
        skipped = (date(2025, month, day) + timedelta(days=14)).strftime("%Y%m%d")
        body = ["BEGIN:VEVENT", *common, f"DTSTART:{d}T070000Z", "DURATION:PT45M",
                "RRULE:FREQ=WEEKLY;COUNT=10", f"EXDATE:{skipped}T070000Z",
                f"SUMMARY:Weekly sync {side} {i}{tag}", seq, desc, "END:VEVENT"]
    elif variant == 4:
        body = ["BEGIN:VEVENT", *common, f"DTSTART:{d}T120000Z", f"DTEND:{d}T130000Z",
                f"SUMMARY:Lunch with Zoë {side} {i}{tag}", f"DESCRIPTION:{LONG_TEXT}"
                if not rev else desc, "CATEGORIES:FOOD,TEAM", "ORGANIZER;CN=Ann Example:"
                "mailto:ann@example.com", "ATTENDEE;CN=Bob;PARTSTAT=ACCEPTED:mailto:bob@example.com",
                seq, "BEGIN:VALARM", "ACTION:DISPLAY", "DESCRIPTION:Reminder",
                "TRIGGER:-PT15M", "END:VALARM", "END:VEVENT"]
    else:
        body = ["BEGIN:VEVENT", *common, f"DTSTART:{d}T150000Z", f"DTEND:{d}T160000Z",
                "RRULE:FREQ=DAILY;COUNT=5", f"SUMMARY:Standup {side} {i}{tag}", seq, desc,
                "END:VEVENT",
                "BEGIN:VEVENT", *common, f"RECURRENCE-ID:{d}T150000Z", f"DTSTART:{d}T160000Z",
                f"DTEND:{d}T170000Z", f"SUMMARY:Standup {side} {i} (moved){tag}", seq,
                "END:VEVENT"]
    return lines(*head, *body, "END:VCALENDAR")


PHOTO = base64.b64encode(bytes(range(256)) * 2).decode()


def card_uid(side, i):
    uid = f"{side}-card-{i:02}"
    return uid + "@davsuite.test" if i % 7 == 3 else uid


def contact(side, i, rev=None):
    """The i-th contact created on `side`; `rev` names a later change to it."""
    uid = card_uid(side, i)
    family = f"Fam{side.capitalize()}{i:02}"
    given = ["Anna", "Björn", "Chloé", "Dmitri", "Eva", "François", "Günther"][i % 7]
    tag = f" [changed on {rev}]" if rev else ""
    note = f"NOTE:Changed on the {rev} side" if rev else None
    variant = i % 4
    if variant == 2:
        return lines(
            "BEGIN:VCARD", "VERSION:4.0", f"UID:{uid}", f"FN:{given} {family}{tag}",
            f"N:{family};{given};;;", f"EMAIL;TYPE=work:{given.lower()}.{i}@example.org",
            f"TEL;VALUE=uri;TYPE=cell:tel:+41-44-555-{i:04}", "KIND:individual",
            "LANG;PREF=1:de", note, "END:VCARD",
        )
    if variant == 3:
        return lines(
            "BEGIN:VCARD", "VERSION:3.0", f"UID:{uid}", f"FN:{given} {family}{tag}",
            f"N:{family};{given};;;", "ORG:Example AG;Research",
            f"BDAY:19{60 + i:02}-0{1 + i % 9}-1{i % 10}", f"NOTE:{LONG_TEXT}" if not rev else note,
            "CATEGORIES:friends,work", f"PHOTO;ENCODING=b;TYPE=PNG:{PHOTO}", "END:VCARD",
        )
    return lines(
        "BEGIN:VCARD", "VERSION:3.0", f"UID:{uid}", f"FN:{given} {family}{tag}",
        f"N:{family};{given};;;", f"EMAIL;TYPE=INTERNET,HOME:{given.lower()}{i}@example.com",
        f"EMAIL;TYPE=INTERNET,WORK:{family.lower()}@work.example" if variant == 1 else None,
        f"TEL;TYPE=CELL:+41 79 555 {i:02} {i:02}",
        "ADR;TYPE=HOME:;;Bahnhofstrasse 1;Zürich;;8001;Switzerland" if variant == 1 else None,
        note, "END:VCARD",
    )


# --- the server, over plain HTTP -----------------------------------------------------------


class Dav:
    def __init__(self, base, login, password):
        parts = urlsplit(base)
        self.host, self.port = parts.hostname, parts.port
        token = base64.b64encode(f"{login}:{password}".encode()).decode()
        self.auth = f"Basic {token}"

    def request(self, method, path, body=None, headers=None):
        conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
        try:
            h = {"Authorization": self.auth, **(headers or {})}
            conn.request(method, path, body=body, headers=h)
            r = conn.getresponse()
            return r.status, {k.lower(): v for k, v in r.getheaders()}, r.read()
        finally:
            conn.close()

    def put(self, path, data, content_type, headers=None):
        status, h, body = self.request(
            "PUT", path, data.encode(), {"Content-Type": content_type, **(headers or {})}
        )
        if status not in (201, 204):
            fail(f"PUT {path} answered {status}: {body.decode(errors='replace')}")

    def delete(self, path, etag):
        status, _, body = self.request("DELETE", path, headers={"If-Match": etag})
        if status not in (200, 204):
            fail(f"DELETE {path} answered {status}: {body.decode(errors='replace')}")

    def members(self, coll):
        """href -> ETag of the members of a collection (PROPFIND Depth 1)."""
        body = b'<propfind xmlns="DAV:"><prop><getetag/><resourcetype/></prop></propfind>'
        status, _, resp = self.request(
            "PROPFIND", coll, body, {"Depth": "1", "Content-Type": "application/xml"}
        )
        if status != 207:
            fail(f"PROPFIND {coll} answered {status}: {resp.decode(errors='replace')}")
        out = {}
        for r in ET.fromstring(resp).findall("{DAV:}response"):
            href = unquote(r.findtext("{DAV:}href"))
            if href.rstrip("/") == coll.rstrip("/"):
                continue
            etag = None
            for ps in r.findall("{DAV:}propstat"):
                if " 200 " in (ps.findtext("{DAV:}status") or ""):
                    etag = ps.findtext("{DAV:}prop/{DAV:}getetag") or etag
            if not etag:
                fail(f"member {href} of {coll} has no ETag")
            out[href] = etag
        return out

    def get(self, href):
        status, h, body = self.request("GET", quote(href))
        if status != 200:
            fail(f"GET {href} answered {status}")
        return h.get("etag"), body


def unfolded(data):
    return re.sub(r"\r?\n[ \t]", "", data.decode())


def uid_in(data):
    m = re.search(r"^UID:(.*?)\r?$", unfolded(data), re.M)
    if not m:
        fail(f"no UID in {data[:200]!r}")
    return m.group(1)


def norm(data):
    """Content as compared: line endings normalised."""
    return data.replace(b"\r\n", b"\n")


def server_state(dav, coll):
    """UID -> (href, ETag, content) of a server collection."""
    out = {}
    for href, etag in sorted(dav.members(coll).items()):
        get_etag, body = dav.get(href)
        if get_etag != etag:
            fail(f"GET {href}: ETag {get_etag} but PROPFIND said {etag}")
        uid = uid_in(body)
        if uid in out:
            fail(f"UID {uid} twice on the server: {out[uid][0]} and {href}")
        out[uid] = (href, etag, body)
    return out


def local_state(directory, ext):
    """UID -> (path, (mtime_ns, inode), content) of a local vdir."""
    out = {}
    for p in sorted(directory.iterdir()):
        if p.suffix != ext:
            continue
        body = p.read_bytes()
        uid = uid_in(body)
        if uid in out:
            fail(f"UID {uid} twice locally: {out[uid][0]} and {p}")
        st = p.stat()
        out[uid] = (p, (st.st_mtime_ns, st.st_ino), body)
    return out


def compare(what, server, local, expected):
    """Both sides hold exactly `expected` (UID -> content)."""
    for side, state in (("server", server), ("local", local)):
        missing = sorted(set(expected) - set(state))
        extra = sorted(set(state) - set(expected))
        if missing or extra:
            fail(
                f"{what}, {side} side: {len(state)} items, want {len(expected)}; "
                f"missing {missing[:10]}, unexpected {extra[:10]}"
            )
    for uid in sorted(expected):
        s, l, e = norm(server[uid][2]), norm(local[uid][2]), norm(expected[uid].encode())
        if s != l:
            fail(f"{what}: {uid} differs between the sides\nserver:\n{s.decode()}\nlocal:\n{l.decode()}")
        if s != e:
            fail(f"{what}: {uid} is not what was written\nhave:\n{s.decode()}\nwant:\n{e.decode()}")
    print(f"{what}: {len(expected)} items, identical on both sides", flush=True)


# --- vdirsyncer ----------------------------------------------------------------------------


def actions(out):
    return [
        line
        for line in out.splitlines()
        if re.search(r"Copying \((uploading|updating)\)|Deleting item", line)
    ]


# --- the test ------------------------------------------------------------------------------


def main(base, login, password, workdir):
    base = base.rstrip("/")
    work = Path(workdir)
    dav = Dav(base, login, password)
    cal_coll = f"/dav/calendars/{login}/personal/"
    card_coll = f"/dav/addressbooks/{login}/contacts/"

    config = work / "vdirsyncer.conf"
    template = (HERE / "vdirsyncer.conf.in").read_text()
    for key, value in {
        "@BASE_URL@": base,
        "@LOGIN@": login,
        "@PASSWORD@": password,
        "@WORKDIR@": str(work),
    }.items():
        template = template.replace(key, value)
    config.write_text(template)
    vdirsyncer = Vdirsyncer(config)
    vdirsyncer("--version")

    step("vdirsyncer discover")
    out = vdirsyncer("discover")
    cal_dir, card_dir = work / "calendars" / "personal", work / "contacts" / "contacts"
    for d in (cal_dir, card_dir):
        if not d.is_dir():
            fail(f"discover did not create {d}:\n{out}")
    found = sorted(p.name for p in (work / "calendars").iterdir())
    if found != ["personal"]:
        fail(f"discovered calendars {found}, want ['personal']")
    # The account's organisation (kSuite) adds its read-only directory, listed after "contacts".
    found = sorted(p.name for p in (work / "contacts").iterdir())
    directories = [name for name in found if name.startswith(".directory-")]
    if len(directories) != 1 or sorted(set(found) - set(directories)) != ["contacts"]:
        fail(f"discovered address books {found}, want ['contacts'] and one organisation directory")
    directory_dir = work / "contacts" / directories[0]

    step(f"{N} calendar items and {N} contacts on each side")
    cal_expected, card_expected = {}, {}
    for i in range(N):
        item = calendar_item("srv", i)
        dav.put(f"{cal_coll}{quote(cal_uid('srv', i))}.ics", item,
                "text/calendar; charset=utf-8", {"If-None-Match": "*"})
        cal_expected[cal_uid("srv", i)] = item
        card = contact("srv", i)
        dav.put(f"{card_coll}{quote(card_uid('srv', i))}.vcf", card,
                "text/vcard; charset=utf-8", {"If-None-Match": "*"})
        card_expected[card_uid("srv", i)] = card
        item = calendar_item("loc", i)
        (cal_dir / f"{cal_uid('loc', i)}.ics").write_bytes(item.encode())
        cal_expected[cal_uid("loc", i)] = item
        card = contact("loc", i)
        (card_dir / f"{card_uid('loc', i)}.vcf").write_bytes(card.encode())
        card_expected[card_uid("loc", i)] = card

    step("first vdirsyncer sync: both sides get everything")
    out = vdirsyncer("sync")
    n_actions = len(actions(out))
    # ... and the directory's one card (the account itself) comes down.
    if n_actions != 4 * N + 1:
        fail(f"first sync did {n_actions} copies, want {4 * N + 1}")
    cards = list(local_state(directory_dir, ".vcf").values())
    if len(cards) != 1 or b"CATEGORIES:legal-owner" not in cards[0][2] \
            or f"FN:{login}".encode() not in cards[0][2]:
        fail(f"the directory holds {cards}, want the account's own card as legal owner")
    compare("calendar after the first sync", server_state(dav, cal_coll),
            local_state(cal_dir, ".ics"), cal_expected)
    compare("address book after the first sync", server_state(dav, card_coll),
            local_state(card_dir, ".vcf"), card_expected)

    step("vdirsyncer metasync: display names")
    vdirsyncer("metasync")
    for d, want in ((cal_dir, "Personal"), (card_dir, "Contacts")):
        have = (d / "displayname").read_text().strip() if (d / "displayname").exists() else None
        if have != want:
            fail(f"{d.name}/displayname after metasync: {have!r}, want {want!r}")

    step("5 changes and 5 deletions of each kind on each side")
    # Disjoint sets; each side changes and deletes items created on both sides.
    plan = {
        # (side that changes, item origin, index)
        "server_changes": [("srv", 1), ("srv", 8), ("loc", 2), ("loc", 5), ("srv", 46)],
        "server_deletes": [("srv", 10), ("srv", 11), ("loc", 12), ("loc", 13), ("loc", 47)],
        "local_changes": [("loc", 3), ("loc", 4), ("srv", 9), ("srv", 16), ("loc", 48)],
        "local_deletes": [("loc", 20), ("loc", 21), ("srv", 22), ("srv", 23), ("srv", 45)],
    }
    srv_cal, srv_card = server_state(dav, cal_coll), server_state(dav, card_coll)
    loc_cal, loc_card = local_state(cal_dir, ".ics"), local_state(card_dir, ".vcf")
    for origin, i in plan["server_changes"]:
        uid = cal_uid(origin, i)
        item = calendar_item(origin, i, rev="server")
        dav.put(quote(srv_cal[uid][0]), item, "text/calendar; charset=utf-8",
                {"If-Match": srv_cal[uid][1]})
        cal_expected[uid] = item
        uid = card_uid(origin, i)
        card = contact(origin, i, rev="server")
        dav.put(quote(srv_card[uid][0]), card, "text/vcard; charset=utf-8",
                {"If-Match": srv_card[uid][1]})
        card_expected[uid] = card
    for origin, i in plan["server_deletes"]:
        uid = cal_uid(origin, i)
        dav.delete(quote(srv_cal[uid][0]), srv_cal[uid][1])
        del cal_expected[uid]
        uid = card_uid(origin, i)
        dav.delete(quote(srv_card[uid][0]), srv_card[uid][1])
        del card_expected[uid]

    def replace_file(path, data):
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_bytes(data.encode())
        os.replace(tmp, path)

    for origin, i in plan["local_changes"]:
        uid = cal_uid(origin, i)
        item = calendar_item(origin, i, rev="local")
        replace_file(loc_cal[uid][0], item)
        cal_expected[uid] = item
        uid = card_uid(origin, i)
        card = contact(origin, i, rev="local")
        replace_file(loc_card[uid][0], card)
        card_expected[uid] = card
    for origin, i in plan["local_deletes"]:
        loc_cal[cal_uid(origin, i)][0].unlink()
        del cal_expected[cal_uid(origin, i)]
        loc_card[card_uid(origin, i)][0].unlink()
        del card_expected[card_uid(origin, i)]

    step("second vdirsyncer sync: the changes of both sides meet")
    out = vdirsyncer("sync")
    n_actions = len(actions(out))
    if n_actions != 4 * 10:
        fail(f"second sync did {n_actions} copies and deletions, want {4 * 10}")
    server_cal, server_card = server_state(dav, cal_coll), server_state(dav, card_coll)
    local_cal, local_card = local_state(cal_dir, ".ics"), local_state(card_dir, ".vcf")
    compare("calendar after the second sync", server_cal, local_cal, cal_expected)
    compare("address book after the second sync", server_card, local_card, card_expected)
    if len(cal_expected) != 2 * N - 10 or len(card_expected) != 2 * N - 10:
        fail("the test's own bookkeeping is off")

    step("third vdirsyncer sync: nothing to do")
    out = vdirsyncer("sync")
    if actions(out):
        fail("third sync still changed items:\n" + "\n".join(actions(out)))
    for what, before, after in [
        ("server calendar", server_cal, server_state(dav, cal_coll)),
        ("server address book", server_card, server_state(dav, card_coll)),
        ("local calendar", local_cal, local_state(cal_dir, ".ics")),
        ("local address book", local_card, local_state(card_dir, ".vcf")),
    ]:
        if before != after:
            changed = sorted(u for u in set(before) | set(after) if before.get(u) != after.get(u))
            fail(f"third sync changed the {what}: {changed[:10]}")

    print("vdirsyncer two-way sync: all checks passed", flush=True)


if __name__ == "__main__":
    if len(sys.argv) != 5:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    main(*sys.argv[1:])
