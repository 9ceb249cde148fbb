//! The authorisation matrix (issue 5): every DAV method and every JSON API route, against every
//! kind of actor, with the status each cell must answer; and no cell leaks data.
//!
//! One world is built once: alice owns a calendar and an address book, both shared with rita
//! (read), walt (read-write) and the team crew (read-write: tess, and xena until she was taken
//! out of it); oscar is another member of alice's organisation, mallory a member of another
//! one; the calendar has a public link and an expired one. alice also has a spare calendar,
//! the "own calendar" of her COPY/MOVE and import cells (every other account uses its own
//! `personal`). Each actor uses the URL it would:
//! alice her own, the sharees the shared collection in their own home, xena the one she had,
//! and the others alice's (they have nothing else). Rows run in order, each over the ten
//! actors; rows that change what later cells see run with the owner last (`reverse`), on
//! resources of their own (every actor deletes its own member, for instance).
//!
//! The calendar's link was made a week before the rows run (the server's clock is a file,
//! `testing.clock_file`), so the seven-day one has expired; the link holder and the expired
//! link holder differ from anonymous on the public rows. Besides `.shared-ID` under the URLs
//! each actor uses, every actor also probes the mounts in its own home (the calendar's, and
//! the address book's under the calendar home: the wrong kind).
//!
//! Besides its status, every cell of an actor that may not see the data is checked for the
//! data's secrets (an event summary and UID, a card's name, the collections' names), so a 403
//! or 404 that says too much fails too; a successful cell of an actor that may see it must
//! show the data itself (`Row::showing`), and a DAV 403 must name its reason
//! (`DAV:need-privileges` unless the row says otherwise). A failure prints the whole table.

use crate::common::*;

/// The actors, in the order of every row's expected statuses.
const ACTORS: [&str; 10] = [
    "owner",
    "read sharee",
    "read-write sharee",
    "team member",
    "ex-team member",
    "other member",
    "other org",
    "anonymous",
    "link holder",
    "expired link",
];
const OWNER: usize = 0;
const READER: usize = 1;
const WRITER: usize = 2;
const TEAM: usize = 3;
const LINK: usize = 8;
const EXPIRED: usize = 9;

/// The actors that may read alice's data.
const SEES: [usize; 4] = [OWNER, READER, WRITER, TEAM];

/// What no other actor may ever read in an answer.
const SECRETS: [&str; 5] = [
    "Quarterly secret",
    "secret-uid-7731",
    "Hush Plans",
    "Hush Cards",
    "Secret Contact",
];

/// Everything the rows use.
struct World {
    s: Server,
    /// The time the server reads: a week after the links were made.
    _clock: TestClock,
    /// Each actor's credentials (`None`: no credentials).
    users: Vec<Option<User>>,
    /// The calendar URL each actor uses.
    cal: Vec<String>,
    /// The address book URL each actor uses.
    book: Vec<String>,
    /// A calendar of each actor's own besides alice's shared one (alice's spare calendar for
    /// alice and the actors without an account), for COPY and MOVE in and out.
    own: Vec<String>,
    /// The public link path each actor holds, or a made-up one.
    public: Vec<String>,
    /// The ids of the calendar and the address book (their mounts are `.shared-ID`).
    cal_id: i64,
    book_id: i64,
    alice: User,
    oscar: User,
    org: i64,
    /// Spare members the owner removes (remove several, remove one).
    spares: (User, User),
    /// Spare accounts the owner shares with through CS:share and through the API.
    sam: User,
    sid: User,
    /// The share with rita, and the one with sue the owner deletes through the API.
    rita_share: i64,
    sue_share: i64,
    /// A live link, and a spare one the owner revokes through the API.
    link: i64,
    spare_link: i64,
}

/// One answer: its status (for a PROPPATCH, that of the property) and its body.
struct Cell {
    status: u16,
    body: String,
}

impl World {
    fn user(&self, a: usize) -> Option<&User> {
        self.users[a].as_ref()
    }

    fn req(
        &self,
        a: usize,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> Cell {
        let r = self.s.request(method, path, self.user(a), headers, body);
        Cell {
            status: r.status,
            body: r.text(),
        }
    }

    fn xml(&self, a: usize, method: &str, path: &str, depth: Option<&str>, body: &[u8]) -> Cell {
        let mut h = vec![("Content-Type", "application/xml; charset=utf-8")];
        if let Some(d) = depth {
            h.push(("Depth", d));
        }
        self.req(a, method, path, &h, body)
    }

    fn api(&self, a: usize, method: &str, path: &str, body: Option<Value>) -> Cell {
        let bytes = body.map(|b| b.to_string().into_bytes()).unwrap_or_default();
        self.req(
            a,
            method,
            path,
            &[("Content-Type", "application/json")],
            &bytes,
        )
    }

    fn org_path(&self, rest: &str) -> String {
        org_path(self.org, rest)
    }

    /// COPY or MOVE of `from` to `to` (both paths), as actor `a`.
    fn relocate(&self, a: usize, method: &str, from: &str, to: &str) -> Cell {
        let destination = format!("{}{to}", self.s.url());
        self.req(a, method, from, &[("Destination", &destination)], b"")
    }
}

/// The JSON API path of a collection at DAV path `dav` (`/dav/calendars/L/N/` →
/// `/api/v1/calendars/L/N`), followed by `rest`.
fn api_collection(dav: &str, rest: &str) -> String {
    let path = dav.strip_prefix("/dav/").expect("a DAV path");
    format!("/api/v1/{}{rest}", path.trim_end_matches('/'))
}

/// The status of a PROPPATCH answer's property, or of the answer when it is no multistatus.
fn proppatch_cell(c: Cell) -> Cell {
    if c.status != 207 {
        return c;
    }
    let r = Resp {
        status: 207,
        headers: Vec::new(),
        body: c.body.clone().into_bytes(),
    };
    Cell {
        status: proppatch_status(&r),
        body: c.body,
    }
}

type Run = fn(&World, usize) -> Cell;

struct Row {
    name: &'static str,
    expect: [u16; 10],
    run: Run,
    /// Run with the owner last (the row changes what the owner's cell would change for the
    /// others).
    reverse: bool,
    /// What the answer of an actor that may see the data must hold when it succeeds (the
    /// data itself, not just a status).
    shows: Option<&'static str>,
    /// The `DAV:error` element of a DAV cell answered 403.
    refusal: &'static str,
}

const fn row(name: &'static str, expect: [u16; 10], run: Run) -> Row {
    Row {
        name,
        expect,
        run,
        reverse: false,
        shows: None,
        refusal: "need-privileges",
    }
}

const fn last_for_owner(name: &'static str, expect: [u16; 10], run: Run) -> Row {
    Row {
        reverse: true,
        ..row(name, expect, run)
    }
}

impl Row {
    /// Successful cells of actors that may see the data must show `data`.
    const fn showing(self, data: &'static str) -> Row {
        Row {
            shows: Some(data),
            ..self
        }
    }

    /// 403 cells answer this `DAV:error` element instead of `need-privileges`.
    const fn refused_with(self, element: &'static str) -> Row {
        Row {
            refusal: element,
            ..self
        }
    }
}

/// Shared data: the owner and the three sharees read it; ex-team 404 (the share is gone from
/// her home), other members 403, no credentials 401.
const READS: [u16; 10] = [207, 207, 207, 207, 404, 403, 403, 401, 401, 401];
/// Writing members: the read sharee is refused.
const WRITES_NEW: [u16; 10] = [201, 403, 201, 201, 409, 403, 403, 401, 401, 401];
/// Writing over a member: the read sharee is refused; the ex-team member's old URL has no
/// parent any more (409).
const WRITES_OVER: [u16; 10] = [204, 403, 204, 204, 409, 403, 403, 401, 401, 401];
/// Deleting a member: as writing, and the ex-team member's old URL is gone (404).
const DELETES: [u16; 10] = [204, 403, 204, 204, 404, 403, 403, 401, 401, 401];
/// A PROPPATCH of one's view of the collection: every actor that has it.
const VIEW_PROPPATCH: [u16; 10] = [200, 200, 200, 200, 404, 403, 403, 401, 401, 401];
/// A PROPPATCH of the owner's own properties.
const OWNER_PROPPATCH: [u16; 10] = [200, 403, 403, 403, 404, 403, 403, 401, 401, 401];
/// What only the owner may do on its collection (API: others do not see it at all).
const OWNER_API: [u16; 10] = [200, 404, 404, 404, 404, 404, 404, 401, 401, 401];
/// An API route every authenticated actor may call (about itself).
const ANYONE_API: [u16; 10] = [200, 200, 200, 200, 200, 200, 200, 401, 401, 401];
/// Organisation routes for members (alice legal owner, the rest users) and an outsider.
const MEMBERS_READ: [u16; 10] = [200, 200, 200, 200, 200, 200, 404, 401, 401, 401];
/// Organisation changes only legal owners and admins make.
const MANAGERS: [u16; 10] = [200, 403, 403, 403, 403, 403, 404, 401, 401, 401];

fn rows() -> Vec<Row> {
    vec![
        // ---- DAV ----
        row("OPTIONS collection", [200; 10], |w, a| {
            w.req(a, "OPTIONS", &w.cal[a], &[], b"")
        }),
        row("PROPFIND Depth 0 collection", READS, |w, a| {
            w.xml(
                a,
                "PROPFIND",
                &w.cal[a],
                Some("0"),
                &propfind_body(&[(NS_DAV, "displayname"), (CS, "getctag")]),
            )
        })
        .showing("Hush Plans"),
        row("PROPFIND Depth 1 collection", READS, |w, a| {
            w.xml(
                a,
                "PROPFIND",
                &w.cal[a],
                Some("1"),
                &propfind_body(&[(NS_DAV, "getetag"), (NS_DAV, "displayname")]),
            )
        })
        .showing("secret.ics"),
        row(
            "PROPFIND Depth 1 the owner's calendar home",
            [207, 403, 403, 403, 403, 403, 403, 401, 401, 401],
            |w, a| {
                let home = cal_home(&w.alice);
                w.xml(
                    a,
                    "PROPFIND",
                    &home,
                    Some("1"),
                    &propfind_body(&[(NS_DAV, "displayname")]),
                )
            },
        ),
        row(
            "PROPFIND Depth 1 one's own calendar home",
            [207, 207, 207, 207, 207, 207, 207, 401, 401, 401],
            |w, a| {
                let Some(u) = w.user(a) else {
                    return w.xml(a, "PROPFIND", &cal_home(&w.alice), Some("1"), b"");
                };
                let home = cal_home(u);
                let c = w.xml(
                    a,
                    "PROPFIND",
                    &home,
                    Some("1"),
                    &propfind_body(&[(NS_DAV, "displayname")]),
                );
                // Its own calendar (alice's two), and alice's only when shared with it.
                let listed = listed(&w.s, u, &home);
                let own = if a == OWNER { 2 } else { 1 };
                let expected = own + usize::from(a != OWNER && SEES.contains(&a));
                assert_eq!(listed.len(), expected, "{} lists {listed:?}", ACTORS[a]);
                c
            },
        ),
        row("REPORT sync-collection", READS, |w, a| {
            w.xml(a, "REPORT", &w.cal[a], None, &sync_body(""))
        })
        .showing("secret.ics"),
        row("REPORT calendar-multiget", READS, |w, a| {
            let href = format!("{}secret.ics", w.cal[a]);
            w.xml(a, "REPORT", &w.cal[a], Some("1"), &multiget_body(&[&href]))
        })
        .showing("Quarterly secret"),
        row("REPORT calendar-query", READS, |w, a| {
            w.xml(a, "REPORT", &w.cal[a], Some("1"), &query_body())
        })
        .showing("Quarterly secret"),
        row(
            "REPORT free-busy-query",
            [200, 200, 200, 200, 404, 403, 403, 401, 401, 401],
            |w, a| w.xml(a, "REPORT", &w.cal[a], Some("1"), &free_busy_body()),
        )
        .showing("20240102T100000Z"),
        row(
            "GET ?freebusy of the owner's calendar home",
            [200, 403, 403, 403, 403, 403, 403, 401, 401, 401],
            |w, a| {
                let path = format!("{}?freebusy", cal_home(&w.alice));
                w.req(a, "GET", &path, &[], b"")
            },
        ),
        row("REPORT sync-collection (address book)", READS, |w, a| {
            w.xml(a, "REPORT", &w.book[a], None, &sync_body(""))
        })
        .showing("secret.vcf"),
        row("REPORT addressbook-multiget", READS, |w, a| {
            let body = format!(
                r#"<CR:addressbook-multiget xmlns:D="DAV:" xmlns:CR="urn:ietf:params:xml:ns:carddav"><D:prop><D:getetag/><CR:address-data/></D:prop><D:href>{}secret.vcf</D:href></CR:addressbook-multiget>"#,
                w.book[a]
            );
            w.xml(a, "REPORT", &w.book[a], Some("1"), body.as_bytes())
        })
        .showing("Secret Contact"),
        row("REPORT addressbook-query", READS, |w, a| {
            let body = br#"<CR:addressbook-query xmlns:D="DAV:" xmlns:CR="urn:ietf:params:xml:ns:carddav"><D:prop><D:getetag/><CR:address-data/></D:prop><CR:filter><CR:prop-filter name="FN"><CR:text-match collation="i;unicode-casemap" match-type="contains">secret</CR:text-match></CR:prop-filter></CR:filter></CR:addressbook-query>"#;
            w.xml(a, "REPORT", &w.book[a], Some("1"), body)
        })
        .showing("Secret Contact"),
        row(
            "GET member",
            [200, 200, 200, 200, 404, 403, 403, 401, 401, 401],
            |w, a| w.req(a, "GET", &format!("{}secret.ics", w.cal[a]), &[], b""),
        )
        .showing("Quarterly secret"),
        row(
            "GET collection",
            [200, 200, 200, 200, 404, 403, 403, 401, 401, 401],
            |w, a| w.req(a, "GET", &w.cal[a], &[], b""),
        ),
        row(
            "HEAD collection",
            [200, 200, 200, 200, 404, 403, 403, 401, 401, 401],
            |w, a| w.req(a, "HEAD", &w.cal[a], &[], b""),
        ),
        row(
            "PROPFIND .shared-ID of the calendar in one's own home",
            [404, 207, 207, 207, 404, 404, 404, 401, 401, 401],
            |w, a| {
                let path = w.own_mount(a, cal_home, w.cal_id);
                w.xml(
                    a,
                    "PROPFIND",
                    &path,
                    Some("0"),
                    &propfind_body(&[(NS_DAV, "displayname")]),
                )
            },
        )
        .showing("Hush Plans"),
        row(
            "GET a member through .shared-ID in one's own home",
            [404, 200, 200, 200, 404, 404, 404, 401, 401, 401],
            |w, a| {
                let path = w.own_mount(a, cal_home, w.cal_id);
                w.req(a, "GET", &format!("{path}secret.ics"), &[], b"")
            },
        )
        .showing("Quarterly secret"),
        row(
            "PROPFIND the address book's .shared-ID under the calendar home",
            [404, 404, 404, 404, 404, 404, 404, 401, 401, 401],
            |w, a| {
                let path = w.own_mount(a, cal_home, w.book_id);
                w.xml(a, "PROPFIND", &path, Some("0"), b"")
            },
        ),
        row(
            "HEAD member",
            [200, 200, 200, 200, 404, 403, 403, 401, 401, 401],
            |w, a| w.req(a, "HEAD", &format!("{}secret.ics", w.cal[a]), &[], b""),
        ),
        row("PUT new member", WRITES_NEW, |w, a| {
            let path = format!("{}new-{a}.ics", w.cal[a]);
            let body = event(&format!("new-{a}"), "New");
            w.req(
                a,
                "PUT",
                &path,
                &[("Content-Type", "text/calendar")],
                body.as_bytes(),
            )
        }),
        row(
            "PUT over a member",
            WRITES_OVER,
            |w, a| {
                let path = format!("{}secret.ics", w.cal[a]);
                w.req(
                    a,
                    "PUT",
                    &path,
                    &[("Content-Type", "text/calendar")],
                    secret_event().as_bytes(),
                )
            },
        ),
        row(
            "DELETE member",
            DELETES,
            |w, a| w.req(a, "DELETE", &format!("{}del-{a}.ics", w.cal[a]), &[], b""),
        ),
        // COPY needs read access to the source, MOVE write access to it; the destination always
        // needs write access. A destination collection one cannot see is 409 (RFC 4918
        // §9.8.5), like a PUT's.
        row(
            "COPY member out to one's own calendar",
            [201, 201, 201, 201, 404, 403, 403, 401, 401, 401],
            |w, a| {
                let from = format!("{}cp-{a}.ics", w.cal[a]);
                let to = format!("{}copied-{a}.ics", w.own[a]);
                w.relocate(a, "COPY", &from, &to)
            },
        ),
        row(
            "COPY member in from one's own calendar",
            WRITES_NEW,
            |w, a| {
                let from = format!("{}in-{a}.ics", w.own[a]);
                let to = format!("{}in-{a}.ics", w.cal[a]);
                w.relocate(a, "COPY", &from, &to)
            },
        ),
        row(
            "MOVE member out to one's own calendar",
            [201, 403, 201, 201, 404, 403, 403, 401, 401, 401],
            |w, a| {
                let from = format!("{}mv-{a}.ics", w.cal[a]);
                let to = format!("{}moved-{a}.ics", w.own[a]);
                w.relocate(a, "MOVE", &from, &to)
            },
        ),
        row(
            "MOVE member in from one's own calendar",
            WRITES_NEW,
            |w, a| {
                let from = format!("{}mvin-{a}.ics", w.own[a]);
                let to = format!("{}mvin-{a}.ics", w.cal[a]);
                w.relocate(a, "MOVE", &from, &to)
            },
        ),
        row(
            "PROPPATCH displayname (a sharee's own view)",
            VIEW_PROPPATCH,
            |w, a| {
                let name = if a == OWNER { "Hush Plans" } else { "Mine" };
                let body = proppatch_body(NS_DAV, "displayname", name);
                proppatch_cell(w.xml(a, "PROPPATCH", &w.cal[a], None, &body))
            },
        ),
        row(
            "PROPPATCH calendar-description (the owner's)",
            OWNER_PROPPATCH,
            |w, a| {
                let body = proppatch_body(NS_CALDAV, "calendar-description", "Quarterly");
                proppatch_cell(w.xml(a, "PROPPATCH", &w.cal[a], None, &body))
            },
        ),
        row("PUT new card", WRITES_NEW, |w, a| {
            let path = format!("{}new-{a}.vcf", w.book[a]);
            let body = vcard(&format!("new-card-{a}"), "New");
            w.req(a, "PUT", &path, &[("Content-Type", "text/vcard")], body.as_bytes())
        }),
        row(
            "PUT over a card",
            WRITES_OVER,
            |w, a| {
                let path = format!("{}secret.vcf", w.book[a]);
                w.req(
                    a,
                    "PUT",
                    &path,
                    &[("Content-Type", "text/vcard")],
                    secret_card().as_bytes(),
                )
            },
        ),
        row(
            "DELETE card",
            DELETES,
            |w, a| w.req(a, "DELETE", &format!("{}del-{a}.vcf", w.book[a]), &[], b""),
        ),
        row(
            "PROPPATCH address book displayname (a sharee's own view)",
            VIEW_PROPPATCH,
            |w, a| {
                let name = if a == OWNER { "Hush Cards" } else { "Mine" };
                let body = proppatch_body(NS_DAV, "displayname", name);
                proppatch_cell(w.xml(a, "PROPPATCH", &w.book[a], None, &body))
            },
        ),
        row(
            "PROPPATCH addressbook-description (the owner's)",
            OWNER_PROPPATCH,
            |w, a| {
                let body = proppatch_body(NS_CARDDAV, "addressbook-description", "Ours");
                proppatch_cell(w.xml(a, "PROPPATCH", &w.book[a], None, &body))
            },
        ),
        row(
            "MKCALENDAR inside the collection",
            [403, 403, 403, 403, 403, 403, 403, 401, 401, 401],
            |w, a| {
                let path = format!("{}inner/", w.cal[a]);
                w.xml(a, "MKCALENDAR", &path, None, b"")
            },
        )
        .refused_with("calendar-collection-location-ok"),
        row(
            "MKCALENDAR in the owner's home",
            [201, 403, 403, 403, 403, 403, 403, 401, 401, 401],
            |w, a| {
                let path = format!("{}made-{a}/", cal_home(&w.alice));
                w.xml(a, "MKCALENDAR", &path, None, b"")
            },
        ),
        row(
            "MKCOL address book in the owner's home",
            [201, 403, 403, 403, 403, 403, 403, 401, 401, 401],
            |w, a| {
                let path = format!("{}made-{a}/", card_home(&w.alice));
                let body = r#"<D:mkcol xmlns:D="DAV:" xmlns:CR="urn:ietf:params:xml:ns:carddav"><D:set><D:prop><D:resourcetype><D:collection/><CR:addressbook/></D:resourcetype></D:prop></D:set></D:mkcol>"#;
                w.xml(a, "MKCOL", &path, None, body.as_bytes())
            },
        ),
        row(
            "POST CS:share",
            [200, 403, 403, 403, 404, 403, 403, 401, 401, 401],
            |w, a| {
                let body = format!(
                    r#"<CS:share xmlns:D="DAV:" xmlns:CS="http://calendarserver.org/ns/"><CS:set><D:href>{}</D:href><CS:read/></CS:set></CS:share>"#,
                    principal_url(&w.sam)
                );
                w.xml(a, "POST", &w.cal[a], None, body.as_bytes())
            },
        ),
        row(
            "POST DAV:share-resource",
            [200, 403, 403, 403, 404, 403, 403, 401, 401, 401],
            |w, a| {
                let body = format!(
                    r#"<D:share-resource xmlns:D="DAV:"><D:sharee><D:href>{}</D:href><D:share-access><D:read-write/></D:share-access></D:sharee></D:share-resource>"#,
                    principal_url(&w.sam)
                );
                w.xml(a, "POST", &w.cal[a], None, body.as_bytes())
            },
        ),
        row(
            "POST CS:invite-reply (accept) in one's own home",
            [404, 200, 200, 200, 404, 404, 404, 401, 401, 401],
            |w, a| {
                let home = w.user(a).map_or_else(|| cal_home(&w.alice), cal_home);
                let body = format!(
                    r#"<CS:invite-reply xmlns:D="DAV:" xmlns:CS="http://calendarserver.org/ns/"><D:href>mailto:x@example.com</D:href><CS:invite-accepted/><CS:hosturl><D:href>{}</D:href></CS:hosturl></CS:invite-reply>"#,
                    w.cal[OWNER]
                );
                w.xml(a, "POST", &home, None, body.as_bytes())
            },
        ),
        row(
            "GET the public link one holds",
            [404, 404, 404, 404, 404, 404, 404, 404, 200, 404],
            |w, a| w.s_public(a, "GET", ""),
        )
        .showing("Quarterly secret"),
        row(
            "HEAD the public link one holds",
            [404, 404, 404, 404, 404, 404, 404, 404, 200, 404],
            |w, a| {
                let c = w.s_public(a, "HEAD", "");
                assert!(c.body.is_empty(), "{}: HEAD with a body", ACTORS[a]);
                c
            },
        ),
        row(
            "GET a member under the public link one holds",
            [404; 10],
            |w, a| w.s_public(a, "GET", "/secret.ics"),
        ),
        row("PROPFIND the public link one holds", [405; 10], |w, a| {
            w.s_public(a, "PROPFIND", "")
        }),
        row("PUT to the public link one holds", [405; 10], |w, a| {
            w.s_public(a, "PUT", "")
        }),
        // ---- JSON API: shares and links ----
        row("GET /shares", ANYONE_API, |w, a| {
            let c = w.api(a, "GET", "/api/v1/shares", None);
            if a != OWNER && c.status == 200 {
                assert_eq!(c.body.trim(), "[]", "{} sees shares", ACTORS[a]);
            }
            c
        }),
        row(
            "POST /shares",
            [201, 404, 404, 404, 404, 404, 404, 401, 401, 401],
            |w, a| {
                let body =
                    json!({"collection": w.cal[OWNER], "with": w.sid.login, "access": "read"});
                w.api(a, "POST", "/api/v1/shares", Some(body))
            },
        ),
        row("GET /shares/ID", OWNER_API, |w, a| {
            w.api(a, "GET", &format!("/api/v1/shares/{}", w.rita_share), None)
        }),
        row("PATCH /shares/ID", OWNER_API, |w, a| {
            let body = json!({"access": "read"});
            w.api(
                a,
                "PATCH",
                &format!("/api/v1/shares/{}", w.rita_share),
                Some(body),
            )
        }),
        last_for_owner(
            "DELETE /shares/ID",
            [204, 404, 404, 404, 404, 404, 404, 401, 401, 401],
            |w, a| {
                w.api(
                    a,
                    "DELETE",
                    &format!("/api/v1/shares/{}", w.sue_share),
                    None,
                )
            },
        ),
        row("GET /shared-with-me", ANYONE_API, |w, a| {
            let c = w.api(a, "GET", "/api/v1/shared-with-me", None);
            if c.status == 200 {
                let v: Value = serde_json::from_str(&c.body).expect("json");
                let n = v.as_array().expect("array").len();
                let expected = if a != OWNER && SEES.contains(&a) {
                    2
                } else {
                    0
                };
                assert_eq!(n, expected, "{}: {}", ACTORS[a], c.body);
            }
            c
        }),
        row("GET /links", ANYONE_API, |w, a| {
            let c = w.api(a, "GET", "/api/v1/links", None);
            if a != OWNER && c.status == 200 {
                assert_eq!(c.body.trim(), "[]", "{} sees links", ACTORS[a]);
            }
            c
        }),
        row(
            "POST /links",
            [201, 404, 404, 404, 404, 404, 404, 401, 401, 401],
            |w, a| {
                let body = json!({"calendar": w.cal[OWNER], "valid": "7d"});
                w.api(a, "POST", "/api/v1/links", Some(body))
            },
        ),
        row("GET /links/ID", OWNER_API, |w, a| {
            w.api(a, "GET", &format!("/api/v1/links/{}", w.link), None)
        }),
        last_for_owner(
            "DELETE /links/ID",
            [204, 404, 404, 404, 404, 404, 404, 401, 401, 401],
            |w, a| {
                w.api(
                    a,
                    "DELETE",
                    &format!("/api/v1/links/{}", w.spare_link),
                    None,
                )
            },
        ),
        // ---- JSON API: calendars and address books (import, export, copy, move, contacts) ----
        row(
            "GET calendars/.../export",
            [200, 200, 200, 200, 404, 403, 403, 401, 401, 401],
            |w, a| w.api(a, "GET", &api_collection(&w.cal[a], "/export"), None),
        ),
        row(
            "POST calendars/.../import",
            [200, 403, 200, 200, 404, 403, 403, 401, 401, 401],
            |w, a| {
                let file = event(&format!("imported-{a}"), "Imported");
                w.req(
                    a,
                    "POST",
                    &api_collection(&w.cal[a], "/import"),
                    &[("Content-Type", "text/calendar")],
                    file.as_bytes(),
                )
            },
        ),
        row(
            "POST calendars/.../objects/OBJECT/copy (out)",
            [201, 201, 201, 201, 404, 403, 403, 401, 401, 401],
            |w, a| {
                let path = api_collection(&w.cal[a], &format!("/objects/apicp-{a}.ics/copy"));
                let to = w.own[a].clone();
                w.api(a, "POST", &path, Some(json!({ "to": to })))
            },
        ),
        row(
            "POST calendars/.../objects/OBJECT/move (in)",
            [201, 403, 201, 201, 404, 403, 403, 401, 401, 401],
            |w, a| {
                let path = api_collection(&w.own[a], &format!("/objects/apiin-{a}.ics/move"));
                let to = w.cal[a].clone();
                w.api(a, "POST", &path, Some(json!({ "to": to })))
            },
        ),
        row(
            "GET addressbooks/.../duplicates",
            [200, 200, 200, 200, 404, 403, 403, 401, 401, 401],
            |w, a| w.api(a, "GET", &api_collection(&w.book[a], "/duplicates"), None),
        ),
        row(
            "POST addressbooks/.../duplicates/merge",
            [200, 403, 200, 200, 404, 403, 403, 401, 401, 401],
            |w, a| {
                let body =
                    json!({"objects": [format!("twin-a-{a}.vcf"), format!("twin-b-{a}.vcf")]});
                w.api(
                    a,
                    "POST",
                    &api_collection(&w.book[a], "/duplicates/merge"),
                    Some(body),
                )
            },
        ),
        row(
            "GET addressbooks/.../groups",
            [200, 200, 200, 200, 404, 403, 403, 401, 401, 401],
            |w, a| w.api(a, "GET", &api_collection(&w.book[a], "/groups"), None),
        ),
        row(
            "GET addressbooks/.../groups/OBJECT",
            [200, 200, 200, 200, 404, 403, 403, 401, 401, 401],
            |w, a| {
                w.api(
                    a,
                    "GET",
                    &api_collection(&w.book[a], "/groups/crew.vcf"),
                    None,
                )
            },
        ),
        row(
            "GET addressbooks/.../objects/OBJECT/groups",
            [200, 200, 200, 200, 404, 403, 403, 401, 401, 401],
            |w, a| {
                w.api(
                    a,
                    "GET",
                    &api_collection(&w.book[a], "/objects/secret.vcf/groups"),
                    None,
                )
            },
        ),
        // ---- DAV: the last change to the collection ----
        last_for_owner(
            "DELETE collection",
            [204, 204, 204, 204, 404, 403, 403, 401, 401, 401],
            |w, a| w.req(a, "DELETE", &w.cal[a], &[], b""),
        ),
        row(
            "POST CS:invite-reply (decline the address book) in one's own home",
            [404, 204, 204, 204, 404, 404, 404, 401, 401, 401],
            |w, a| {
                let home = w.user(a).map_or_else(|| card_home(&w.alice), card_home);
                let body = format!(
                    r#"<CS:invite-reply xmlns:D="DAV:" xmlns:CS="http://calendarserver.org/ns/"><D:href>mailto:x@example.com</D:href><CS:invite-declined/><CS:hosturl><D:href>{}</D:href></CS:hosturl></CS:invite-reply>"#,
                    w.book[OWNER]
                );
                let c = w.xml(a, "POST", &home, None, body.as_bytes());
                if let Some(u) = w.user(a).filter(|_| c.status == 204) {
                    assert!(
                        !shared_paths(&w.s, u).iter().any(|p| p.starts_with(&card_home(u))),
                        "{} still has the address book",
                        ACTORS[a]
                    );
                }
                c
            },
        ),
        // ---- JSON API: organisations ----
        row("GET /plans", ANYONE_API, |w, a| {
            w.api(a, "GET", "/api/v1/plans", None)
        }),
        row("GET /organisations", ANYONE_API, |w, a| {
            w.api(a, "GET", "/api/v1/organisations", None)
        }),
        row(
            "POST /organisations",
            [201, 201, 201, 201, 201, 201, 201, 401, 401, 401],
            |w, a| {
                w.api(
                    a,
                    "POST",
                    "/api/v1/organisations",
                    Some(json!({"name": format!("own-{a}")})),
                )
            },
        ),
        row("GET /organisations/ID", MEMBERS_READ, |w, a| {
            w.api(a, "GET", &w.org_path(""), None)
        }),
        row("PUT /organisations/ID/contact", MANAGERS, |w, a| {
            w.api(
                a,
                "PUT",
                &w.org_path("/contact"),
                Some(json!({"email": "legal@acme.example"})),
            )
        }),
        row("PUT /organisations/ID/plan", MANAGERS, |w, a| {
            w.api(
                a,
                "PUT",
                &w.org_path("/plan"),
                Some(json!({"plan": "ksuite-standard"})),
            )
        }),
        row("GET /organisations/ID/members", MEMBERS_READ, |w, a| {
            w.api(a, "GET", &w.org_path("/members"), None)
        }),
        row(
            "POST /organisations/ID/members",
            [201, 403, 403, 403, 403, 403, 404, 401, 401, 401],
            |w, a| {
                let body = json!({"login": format!("newbie{a}"), "account": {}});
                w.api(a, "POST", &w.org_path("/members"), Some(body))
            },
        ),
        row("PATCH /organisations/ID/members/LOGIN", MANAGERS, |w, a| {
            let path = w.org_path(&format!("/members/{}", w.oscar.login));
            w.api(
                a,
                "PATCH",
                &path,
                Some(json!({"access": {"calendar": true}})),
            )
        }),
        last_for_owner(
            "POST /organisations/ID/members/remove",
            [204, 403, 403, 403, 403, 403, 404, 401, 401, 401],
            |w, a| {
                let body = json!({"logins": [w.spares.0.login]});
                w.api(a, "POST", &w.org_path("/members/remove"), Some(body))
            },
        ),
        last_for_owner(
            "DELETE /organisations/ID/members/LOGIN",
            [204, 403, 403, 403, 403, 403, 404, 401, 401, 401],
            |w, a| {
                let path = w.org_path(&format!("/members/{}", w.spares.1.login));
                w.api(a, "DELETE", &path, None)
            },
        ),
        row("GET /organisations/ID/teams", MEMBERS_READ, |w, a| {
            w.api(a, "GET", &w.org_path("/teams"), None)
        }),
        row(
            "POST /organisations/ID/teams",
            [201, 403, 403, 403, 403, 403, 404, 401, 401, 401],
            |w, a| {
                w.api(
                    a,
                    "POST",
                    &w.org_path("/teams"),
                    Some(json!({"name": format!("t{a}")})),
                )
            },
        ),
        row("GET /organisations/ID/teams/TEAM", MEMBERS_READ, |w, a| {
            w.api(a, "GET", &w.org_path("/teams/crew"), None)
        }),
        row(
            "PUT /organisations/ID/teams/TEAM/members/LOGIN",
            MANAGERS,
            |w, a| {
                let path = w.org_path(&format!("/teams/spare/members/{}", w.oscar.login));
                w.api(a, "PUT", &path, None)
            },
        ),
        row(
            "DELETE /organisations/ID/teams/TEAM/members/LOGIN",
            MANAGERS,
            |w, a| {
                let path = w.org_path(&format!("/teams/spare/members/{}", w.oscar.login));
                w.api(a, "DELETE", &path, None)
            },
        ),
        last_for_owner(
            "DELETE /organisations/ID/teams/TEAM",
            [204, 403, 403, 403, 403, 403, 404, 401, 401, 401],
            |w, a| w.api(a, "DELETE", &w.org_path("/teams/spare"), None),
        ),
        // alice is the only legal owner: she cannot leave; everyone else leaves last.
        last_for_owner(
            "POST /organisations/ID/leave",
            [409, 204, 204, 204, 204, 204, 404, 401, 401, 401],
            |w, a| w.api(a, "POST", &w.org_path("/leave"), None),
        ),
    ]
}

impl World {
    /// A request to the public link actor `a` holds (a made-up one when it holds none),
    /// followed by `suffix`.
    fn s_public(&self, a: usize, method: &str, suffix: &str) -> Cell {
        let path = match suffix {
            "" => self.public[a].clone(),
            _ => format!("{}{suffix}", self.public[a].trim_end_matches(".ics")),
        };
        let r = self.s.request(method, &path, None, &[], b"");
        Cell {
            status: r.status,
            body: r.text(),
        }
    }
}

fn secret_event() -> String {
    event("secret-uid-7731", "Quarterly secret")
}

fn secret_card() -> String {
    vcard("card-1", "Secret Contact")
}

impl World {
    /// Where collection `id` would be mounted in actor `a`'s own home of the kind `home`
    /// gives (in the owner's home for an actor without credentials).
    fn own_mount(&self, a: usize, home: fn(&User) -> String, id: i64) -> String {
        format!("{}.shared-{id}/", home(self.user(a).unwrap_or(&self.alice)))
    }
}

/// Builds the world described at the top of the file.
fn world() -> World {
    // 2030-03-17T17:46:40Z.
    let start = 1_900_000_000;
    let clock = TestClock::new(start);
    let s = Server::start_with_config(Some(&format!(
        "{}[server]\npublic_url = \"https://dav.example.com/\"\n",
        clock.config()
    )));
    let alice = s.new_user_in("alice", "acme");
    let rita = s.new_user_in("rita", "acme");
    let walt = s.new_user_in("walt", "acme");
    let tess = s.new_user_in("tess", "acme");
    let xena = s.new_user_in("xena", "acme");
    let oscar = s.new_user_in("oscar", "acme");
    let sam = s.new_user_in("sam", "acme");
    let sue = s.new_user_in("sue", "acme");
    let sid = s.new_user_in("sid", "acme");
    let spares = (
        s.new_user_in("spare", "acme"),
        s.new_user_in("spare", "acme"),
    );
    let mallory = s.new_user_in("mallory", "evil");
    let org = org_id_of(&s, &alice, "acme");

    let cal = calendar_url(&alice);
    let book = addressbook_url(&alice);
    let r = proppatch_req(
        &s,
        &alice,
        &cal,
        &proppatch_body(NS_DAV, "displayname", "Hush Plans"),
    );
    assert_eq!(proppatch_status(&r), 200);
    let r = proppatch_req(
        &s,
        &alice,
        &book,
        &proppatch_body(NS_DAV, "displayname", "Hush Cards"),
    );
    assert_eq!(proppatch_status(&r), 200);
    put_created(
        &s,
        &alice,
        &format!("{cal}secret.ics"),
        secret_event().as_bytes(),
    );
    for a in 0..ACTORS.len() {
        put_created(
            &s,
            &alice,
            &format!("{cal}del-{a}.ics"),
            event(&format!("del-{a}"), "Doomed").as_bytes(),
        );
    }
    put_created(
        &s,
        &alice,
        &format!("{book}secret.vcf"),
        secret_card().as_bytes(),
    );
    put_created(
        &s,
        &alice,
        &format!("{book}crew.vcf"),
        b"BEGIN:VCARD\r\nVERSION:4.0\r\nUID:crew-group\r\nFN:Crew\r\nKIND:group\r\nMEMBER:urn:uuid:card-1\r\nEND:VCARD\r\n",
    );
    let spare = format!("{}spare/", cal_home(&alice));
    assert_eq!(mkcalendar(&s, &alice, &spare, "").status, 201);
    for a in 0..ACTORS.len() {
        put_created(
            &s,
            &alice,
            &format!("{book}del-{a}.vcf"),
            vcard(&format!("del-card-{a}"), "Doomed").as_bytes(),
        );
        // What each actor copies or moves out of alice's calendar...
        for name in ["cp", "mv", "apicp"] {
            put_created(
                &s,
                &alice,
                &format!("{cal}{name}-{a}.ics"),
                event(&format!("{name}-{a}"), "Movable").as_bytes(),
            );
        }
        // ...and the twins it may merge in her address book.
        for twin in ["a", "b"] {
            put_created(
                &s,
                &alice,
                &format!("{book}twin-{twin}-{a}.vcf"),
                vcard(&format!("twin-{twin}-{a}"), &format!("Twin {a}")).as_bytes(),
            );
        }
    }

    team_of(&s, "acme", "crew", &[&tess, &xena]);
    team_of(&s, "acme", "spare", &[]);
    for path in [&cal, &book] {
        share_with(&s, path, &rita.login, "read");
        share_with(&s, path, &walt.login, "read-write");
        share_with(&s, path, "team:crew", "read-write");
    }
    share_with(&s, &cal, &sue.login, "read");
    let shares = s.cli_json(&["share", "list", &cal], None);
    let share_id = |login: &str| {
        shares
            .as_array()
            .unwrap()
            .iter()
            .find(|v| v["with"] == login)
            .and_then(|v| v["id"].as_i64())
            .unwrap()
    };
    let (rita_share, sue_share) = (share_id(&rita.login), share_id(&sue.login));

    // Each sharee's URLs; xena's are taken before she leaves the team.
    let mounts = |u: &User| {
        let paths = shared_paths(&s, u);
        let find = |prefix: &str| {
            paths
                .iter()
                .find(|p| p.starts_with(prefix))
                .cloned()
                .unwrap_or_else(|| panic!("{} has no {prefix}: {paths:?}", u.login))
        };
        (find(&cal_home(u)), find(&card_home(u)))
    };
    let (rita_cal, rita_book) = mounts(&rita);
    let id_of = |mount: &str| -> i64 {
        mount
            .trim_end_matches('/')
            .rsplit(".shared-")
            .next()
            .and_then(|id| id.parse().ok())
            .unwrap_or_else(|| panic!("no id in {mount}"))
    };
    let (cal_id, book_id) = (id_of(&rita_cal), id_of(&rita_book));
    let (walt_cal, walt_book) = mounts(&walt);
    let (tess_cal, tess_book) = mounts(&tess);
    let (xena_cal, xena_book) = mounts(&xena);
    s.cli_ok(&["team", "remove", "acme", "crew", &xena.login], None);

    let url = |out: std::process::Output| {
        let url = String::from_utf8_lossy(&out.stdout).trim().to_owned();
        url.strip_prefix("https://dav.example.com")
            .expect("public base")
            .to_owned()
    };
    let public = url(s.cli_ok(&["link", "create", &cal, "--valid", "30d"], None));
    let expired = url(s.cli_ok(&["link", "create", &cal, "--valid", "7d"], None));
    url(s.cli_ok(&["link", "create", &cal, "--valid", "1y"], None));
    let links = s.cli_json(&["link", "list"], None);
    let links = links.as_array().unwrap();
    // Newest first: the spare, the one to expire, the live one.
    let (spare_link, link) = (
        links[0]["id"].as_i64().unwrap(),
        links[2]["id"].as_i64().unwrap(),
    );
    // A week later: the seven-day link has expired.
    clock.set(start + 7 * 86_400);
    let made_up = "/public/0123456789abcdefghijklmnopqrstuv.ics".to_owned();

    let users = vec![
        Some(alice.clone()),
        Some(rita),
        Some(walt),
        Some(tess),
        Some(xena),
        Some(oscar.clone()),
        Some(mallory),
        None,
        None,
        None,
    ];
    // What each actor copies or moves into alice's calendar, from a calendar of its own.
    let own: Vec<String> = users
        .iter()
        .enumerate()
        .map(|(a, u)| match u {
            Some(u) if a != OWNER => calendar_url(u),
            _ => spare.clone(),
        })
        .collect();
    for (a, u) in users.iter().enumerate() {
        let Some(u) = u else { continue };
        for name in ["in", "mvin", "apiin"] {
            put_created(
                &s,
                u,
                &format!("{}{name}-{a}.ics", own[a]),
                event(&format!("{name}-{a}"), "Incoming").as_bytes(),
            );
        }
    }
    let mut public_paths = vec![made_up; ACTORS.len()];
    public_paths[LINK] = public;
    public_paths[EXPIRED] = expired;
    World {
        cal: vec![
            cal.clone(),
            rita_cal,
            walt_cal,
            tess_cal,
            xena_cal,
            cal.clone(),
            cal.clone(),
            cal.clone(),
            cal.clone(),
            cal.clone(),
        ],
        book: vec![
            book.clone(),
            rita_book,
            walt_book,
            tess_book,
            xena_book,
            book.clone(),
            book.clone(),
            book.clone(),
            book.clone(),
            book,
        ],
        own,
        public: public_paths,
        cal_id,
        book_id,
        s,
        _clock: clock,
        users,
        alice,
        oscar,
        org,
        spares,
        sam,
        sid,
        rita_share,
        sue_share,
        link,
        spare_link,
    }
}

#[test]
fn authorisation_matrix() {
    let w = world();
    let rows = rows();
    let mut table = String::new();
    let mut failures = Vec::new();
    for row in &rows {
        let mut got = [0u16; 10];
        let order: Vec<usize> = if row.reverse {
            (0..ACTORS.len()).rev().collect()
        } else {
            (0..ACTORS.len()).collect()
        };
        for a in order {
            let cell = (row.run)(&w, a);
            got[a] = cell.status;
            if cell.status != row.expect[a] {
                failures.push(format!(
                    "{} / {}: expected {}, got {}: {}",
                    row.name,
                    ACTORS[a],
                    row.expect[a],
                    cell.status,
                    cell.body.chars().take(300).collect::<String>()
                ));
            }
            let may_see = SEES.contains(&a) || (a == LINK && row.name.contains("public link"));
            let succeeded = (200..300).contains(&cell.status) && cell.status == row.expect[a];
            if let Some(data) = row.shows.filter(|_| may_see && succeeded)
                && !cell.body.contains(data)
            {
                failures.push(format!(
                    "{} / {}: the answer lacks {data:?}: {}",
                    row.name,
                    ACTORS[a],
                    cell.body.chars().take(300).collect::<String>()
                ));
            }
            // A DAV refusal names its reason (an API one is JSON with its code; HEAD has no
            // body).
            if cell.status == 403
                && row.expect[a] == 403
                && !row.name.starts_with("HEAD ")
                && !cell.body.trim_start().starts_with('{')
                && !cell.body.contains(row.refusal)
            {
                failures.push(format!(
                    "{} / {}: 403 without {}: {}",
                    row.name, ACTORS[a], row.refusal, cell.body
                ));
            }
            if !may_see {
                for secret in SECRETS {
                    if cell.body.contains(secret) {
                        failures.push(format!(
                            "{} / {}: the answer leaks {secret:?}: {}",
                            row.name, ACTORS[a], cell.body
                        ));
                    }
                }
            }
        }
        table.push_str(&format!("{:<55}", row.name));
        for (a, status) in got.iter().enumerate() {
            let mark = if *status == row.expect[a] { ' ' } else { '!' };
            table.push_str(&format!(" {status}{mark}"));
        }
        table.push('\n');
    }
    eprintln!("columns: {}\n{table}", ACTORS.join(" | "));
    assert!(
        failures.is_empty(),
        "{}\ncolumns: {}\n{table}",
        failures.join("\n"),
        ACTORS.join(" | ")
    );
    assert!(rows.len() >= 50, "every method and route has a row");
}

/// A multiget naming foreign hrefs answers 404 for those hrefs only, and no data of theirs.
#[test]
fn a_multiget_with_foreign_hrefs_answers_404_for_those_only() {
    let s = Server::start();
    let alice = s.new_user_in("alice", "acme");
    let rita = s.new_user_in("rita", "acme");
    let oscar = s.new_user_in("oscar", "acme");
    let cal = calendar_url(&alice);
    put_created(
        &s,
        &alice,
        &format!("{cal}secret.ics"),
        secret_event().as_bytes(),
    );
    put_created(
        &s,
        &oscar,
        &format!("{}own.ics", calendar_url(&oscar)),
        event("own", "Mine").as_bytes(),
    );
    share_with(&s, &cal, &rita.login, "read");
    let mount = shared_path(&s, &rita);

    let mine = format!("{mount}secret.ics");
    let foreign = [
        format!("{cal}secret.ics"),
        format!("{}own.ics", calendar_url(&oscar)),
        format!("{mount}missing.ics"),
    ];
    let hrefs: Vec<&str> = std::iter::once(mine.as_str())
        .chain(foreign.iter().map(String::as_str))
        .collect();
    let r = report_req(&s, &rita, &mount, Some("1"), &multiget_body(&hrefs));
    assert_eq!(hrefs_with(&r, 200), vec![mine.clone()]);
    let mut missing = hrefs_with(&r, 404);
    missing.sort();
    let mut expected = foreign.to_vec();
    expected.sort();
    assert_eq!(missing, expected);
    assert!(!r.text().contains("SUMMARY:Mine"));

    // oscar asking his own calendar for alice's hrefs gets 404s and nothing of hers.
    let own = calendar_url(&oscar);
    let r = report_req(
        &s,
        &oscar,
        &own,
        Some("1"),
        &multiget_body(&[&foreign[0], &mine]),
    );
    assert_eq!(hrefs_with(&r, 404).len(), 2, "{}", r.text());
    for secret in SECRETS {
        assert!(!r.text().contains(secret), "{}", r.text());
    }
}

/// After unsharing, the sharee's sync of the collection answers 404, and its token is no use
/// on the owner's URL either.
#[test]
fn sync_of_a_shared_calendar_after_unsharing_is_404() {
    let s = Server::start();
    let alice = s.new_user_in("alice", "acme");
    let rita = s.new_user_in("rita", "acme");
    let cal = calendar_url(&alice);
    put_created(
        &s,
        &alice,
        &format!("{cal}secret.ics"),
        secret_event().as_bytes(),
    );
    share_with(&s, &cal, &rita.login, "read-write");
    let mount = shared_path(&s, &rita);
    let token = token_of(&report_req(&s, &rita, &mount, None, &sync_body("")));
    unshare(&s, &cal, &rita.login);
    for (path, status) in [(&mount, 404), (&cal, 403)] {
        let r = report_req(&s, &rita, path, None, &sync_body(&token));
        assert_eq!(r.status, status, "{path}: {}", r.text());
        for secret in SECRETS {
            assert!(!r.text().contains(secret));
        }
    }
}
