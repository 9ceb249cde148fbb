//! The viewer's calendars as the editor uses them (own ones and those shared with it, by
//! their name in its home), and writes of events and tasks through the same domain code as a
//! DAV PUT: `transfer::place::open` checks access, `transfer::content::prepare` the plan and
//! the content rules, `Store::put_object` the ETag the form was drawn with.

use crate::org::Actor;
use crate::org::access::Action;
use crate::org::share::{CollectionPath, is_generated, mount_name, shared_with};
use crate::store::{CollectionKind, ShareAccess, StoreError, WriteCondition};
use crate::transfer::TransferError;
use crate::transfer::content::{prepare, refusal};
use crate::transfer::place::{Place, open};
use crate::web::{Form, Viewer, WebCtx};

/// The time zone forms start with when nothing else says which.
pub const DEFAULT_ZONE: &str = "Europe/Zurich";

/// A calendar of the viewer's home.
#[derive(Debug, Clone)]
pub struct Calendar {
    /// Its name in the viewer's home (own name or `.shared-ID`).
    pub name: String,
    /// What the viewer calls it.
    pub label: String,
    /// Whether the viewer may change its content.
    pub writable: bool,
    /// Whether it accepts tasks.
    pub takes_tasks: bool,
    /// Whether it accepts events.
    pub takes_events: bool,
    /// The IANA zone of its calendar-timezone, if it has one.
    pub zone: Option<String>,
}

fn accepts(components: &[String], name: &str) -> bool {
    components.is_empty() || components.iter().any(|c| c.eq_ignore_ascii_case(name))
}

/// The TZID of a calendar-timezone (a VCALENDAR with one VTIMEZONE), if the IANA database
/// knows it.
fn zone_of(timezone: Option<&str>) -> Option<String> {
    timezone?
        .lines()
        .find_map(|l| l.trim().strip_prefix("TZID:"))
        .map(str::trim)
        .filter(|z| crate::ical::tz_definition::is_known_zone(z))
        .map(str::to_owned)
}

/// The viewer's calendars: its own (not the generated ones), then those shared with it.
pub fn calendars(ctx: &WebCtx<'_>, v: &Viewer) -> Result<Vec<Calendar>, StoreError> {
    let mut out: Vec<Calendar> = ctx
        .store
        .list_collections(v.account.id, CollectionKind::Calendar)?
        .into_iter()
        .filter(|c| !is_generated(&c.name))
        .map(|c| Calendar {
            label: c
                .props
                .display_name
                .clone()
                .unwrap_or_else(|| c.name.clone()),
            writable: true,
            takes_tasks: accepts(&c.components, "VTODO"),
            takes_events: accepts(&c.components, "VEVENT"),
            zone: zone_of(c.props.timezone.as_deref()),
            name: c.name,
        })
        .collect();
    let shared = shared_with(ctx.store, ctx.plans, &v.account).map_err(|e| match e {
        crate::org::OrgError::Store(s) => s,
        other => StoreError::Backend(other.to_string()),
    })?;
    for (s, access) in shared {
        if s.collection.kind != CollectionKind::Calendar {
            continue;
        }
        let c = &s.collection;
        out.push(Calendar {
            name: mount_name(c.id),
            label: s
                .view
                .display_name
                .clone()
                .or_else(|| c.props.display_name.clone())
                .unwrap_or_else(|| c.name.clone()),
            writable: access == ShareAccess::ReadWrite,
            takes_tasks: accepts(&c.components, "VTODO"),
            takes_events: accepts(&c.components, "VEVENT"),
            zone: zone_of(c.props.timezone.as_deref()),
        });
    }
    Ok(out)
}

/// Why a calendar or an object could not be used or written.
#[derive(Debug)]
pub enum Failure {
    /// Not there, or not the viewer's to see (both look the same).
    NotFound,
    /// The viewer may not do this with the calendar.
    Forbidden,
    /// The object changed since the form was drawn.
    Conflict,
    /// Refused with a message for the person (plan limits, content rules).
    Refused(String),
    /// The store failed.
    Store(StoreError),
}

impl Failure {
    /// The failure of a transfer, with the message in the viewer's language where one exists.
    pub fn of(e: TransferError, t: &super::texts::EditorTexts) -> Failure {
        let code = e.code();
        match e {
            TransferError::NotFound(_) | TransferError::Invalid(_) => Failure::NotFound,
            TransferError::Forbidden(_) => Failure::Forbidden,
            TransferError::PreconditionFailed(_) => Failure::Conflict,
            TransferError::Refused(d) => Failure::Refused(match code {
                "max-resource-size" => t.too_large.to_owned(),
                "quota-not-exceeded" => t.quota.to_owned(),
                _ => format!("{} {}", t.refused, d.message),
            }),
            TransferError::Store(s) => Failure::Store(s),
        }
    }
}

impl From<StoreError> for Failure {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::PreconditionFailed => Failure::Conflict,
            StoreError::NotFound(_) => Failure::NotFound,
            other => Failure::Store(other),
        }
    }
}

/// Opens the calendar `name` of the viewer's home for `action`, as DAV would.
pub fn place(
    ctx: &WebCtx<'_>,
    v: &Viewer,
    name: &str,
    action: Action,
    t: &super::texts::EditorTexts,
) -> Result<Place, Failure> {
    if name.is_empty() {
        return Err(Failure::NotFound);
    }
    let path = CollectionPath::of(CollectionKind::Calendar, &v.account.login, name);
    open(
        ctx.store,
        ctx.plans,
        Actor::Account(&v.account),
        &path,
        action,
    )
    .map_err(|e| Failure::of(e, t))
}

/// Writes `body` as member `name` of `place` under `condition` (the ETag the form was drawn
/// with, or "must not exist" for a new object); the new ETag.
pub fn write(
    ctx: &WebCtx<'_>,
    place: &Place,
    name: &str,
    body: String,
    condition: &WriteCondition,
    t: &super::texts::EditorTexts,
) -> Result<String, Failure> {
    let put = prepare(
        &place.collection,
        &place.plan,
        name,
        body.into_bytes(),
        Some("text/calendar"),
    )
    .map_err(|d| Failure::of(TransferError::Refused(d), t))?;
    match ctx.store.put_object(place.collection.id, &put, condition) {
        Ok(outcome) => Ok(outcome.etag),
        Err(StoreError::PreconditionFailed) => Err(Failure::Conflict),
        Err(e) => {
            let refused = refusal(e, CollectionKind::Calendar, &place.plan, |n| {
                place.object_href(n)
            })?;
            Err(Failure::of(TransferError::Refused(refused), t))
        }
    }
}

/// Which object a posted form is about and the ETag it was drawn with: fields `cal`, `obj`
/// and `etag` (empty when missing, which names nothing).
#[derive(Debug, Clone, Copy)]
pub struct Posted<'a> {
    /// The calendar's name in the viewer's home.
    pub cal: &'a str,
    /// The object's name.
    pub obj: &'a str,
    /// The ETag the form was drawn with.
    pub etag: &'a str,
}

impl<'a> Posted<'a> {
    /// Reads the fields of a post.
    pub fn of(f: &'a Form) -> Posted<'a> {
        Posted {
            cal: f.get("cal").unwrap_or(""),
            obj: f.get("obj").unwrap_or(""),
            etag: f.get("etag").unwrap_or(""),
        }
    }
}

/// Replaces the object a form was drawn for with `body`, if it still has the form's ETag.
pub fn rewrite(
    ctx: &WebCtx<'_>,
    v: &Viewer,
    target: Posted<'_>,
    body: String,
    t: &super::texts::EditorTexts,
) -> Result<String, Failure> {
    let p = place(ctx, v, target.cal, Action::WriteContent, t)?;
    write(ctx, &p, target.obj, body, &if_match(target.etag), t)
}

/// The condition of a write of an object the form was drawn for with ETag `etag`.
pub fn if_match(etag: &str) -> WriteCondition {
    WriteCondition::EtagIn(vec![etag.to_owned()])
}

/// A fresh UID (random, UUID-shaped), also the new object's name without `.ics`.
pub fn new_uid() -> String {
    let n = rand::random::<u128>();
    let h = format!("{n:032x}");
    format!(
        "{}-{}-{}-{}-{}",
        &h[..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..]
    )
}
