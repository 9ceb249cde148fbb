//! The event editor: create, show, edit, move and delete one event, under
//! `/web/calendar/event`. Every change goes through the domain code DAV uses (`transfer`'s
//! access checks, content rules and plan limits, the store's conditional writes, deletes to
//! the trash), so clients see it at their next sync; an edit patches the stored object and
//! keeps whatever the form does not show. Forms post and redirect (303) with a status
//! message; a refused form comes back with its values and the reasons.
//!
//! - `GET new?date=YYYY-MM-DD[&time=HH:MM][&cal=NAME]`, `POST new`
//! - `GET ?cal=NAME&obj=OBJECT[&date=YYYY-MM-DD]` (details and edit form)
//! - `POST save` (`cal`, `obj`, `etag` and the form), `POST delete` (`cal`, `obj`, `etag`),
//!   `POST move` (`cal`, `obj`, `etag`, `to`)

pub mod calendars;
mod form;
pub mod texts;

use chrono::{NaiveDate, NaiveTime, Utc};
use maud::{Markup, html};

use self::calendars::{
    Calendar, DEFAULT_ZONE, Failure, Posted, calendars, if_match, new_uid, place, rewrite, write,
};
use self::form::{EventForm, Purpose, render};
pub use self::form::{FieldError, error_summary, field};
use self::texts::{EditorTexts, clock, long_date, texts};
use super::layout::{Area, csrf_field, page};
use super::{Form, Viewer, WebCtx, WebRequest, WebResponse, not_found};
use crate::ical::compose::{ComposeError, When, new_event, patch_event};
use crate::ical::editable::{Editable, read};
use crate::org::access::Action;
use crate::store::{Deleter, StoreError, WriteCondition};
use crate::transfer::relocate::{Mode, Relocation, relocate};
use crate::trash::{TrashError, delete_if};

/// Where the event pages live.
const BASE: &str = "/web/calendar/event";

/// Routes `/web/calendar/event/…`.
pub fn route(
    ctx: &WebCtx<'_>,
    req: &WebRequest<'_>,
    v: &Viewer,
    tail: &[&str],
) -> Result<WebResponse, StoreError> {
    let read_only = matches!(req.method, "GET" | "HEAD");
    match (read_only, tail) {
        (true, ["new"]) => new_form(ctx, req, v),
        (false, ["new"]) => create(ctx, req, v),
        (true, []) => show(ctx, req, v),
        (false, ["save"]) => save(ctx, req, v),
        (false, ["delete"]) => delete(ctx, req, v),
        (false, ["move"]) => move_event(ctx, req, v),
        _ => Ok(not_found(v)),
    }
}

/// The URL of an event's page.
pub fn event_url(cal: &str, obj: &str, msg: Option<&str>) -> String {
    let enc = |s: &str| {
        percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC).to_string()
    };
    let mut url = format!("{BASE}?cal={}&obj={}", enc(cal), enc(obj));
    if let Some(m) = msg {
        url.push_str(&format!("&msg={m}"));
    }
    url
}

/// An answer for a failure that is not about the form's values.
pub fn failure_page(v: &Viewer, area: Area, failure: Failure) -> Result<WebResponse, StoreError> {
    let t = texts(v.lang);
    let (status, message) = match failure {
        Failure::NotFound => return Ok(not_found(v)),
        Failure::Store(e) => return Err(e),
        Failure::Forbidden => (403, t.forbidden.to_owned()),
        Failure::Conflict => (409, t.conflict.to_owned()),
        Failure::Refused(m) => (422, m),
    };
    Ok(WebResponse::html(
        status,
        page(
            v,
            area,
            t.edit_event,
            html! {
                p.alert.error role="alert" { (message) }
                p { a href=(Area::Calendar.path()) { (t.back) } }
            },
        ),
    ))
}

/// The status line a redirect asked for (`msg`).
pub fn status_message(t: &EditorTexts, msg: Option<&str>) -> Markup {
    let text = match msg {
        Some("created") => t.created,
        Some("saved") => t.saved,
        Some("moved") => t.moved,
        Some("deleted") => t.deleted,
        _ => return html! {},
    };
    html! {
        p.alert.ok role="status" #status {
            (text)
            @if msg == Some("deleted") {
                " " a href=(Area::Trash.path()) { (t.open_trash) }
            }
        }
    }
}

fn today() -> NaiveDate {
    DEFAULT_ZONE.parse::<chrono_tz::Tz>().map_or_else(
        |_| Utc::now().date_naive(),
        |tz| Utc::now().with_timezone(&tz).date_naive(),
    )
}

/// The calendars a new event may go to.
fn event_calendars(ctx: &WebCtx<'_>, v: &Viewer) -> Result<Vec<Calendar>, StoreError> {
    Ok(calendars(ctx, v)?
        .into_iter()
        .filter(|c| c.writable && c.takes_events)
        .collect())
}

fn new_page(
    v: &Viewer,
    form: &EventForm,
    errors: &[FieldError],
    other: Option<&str>,
    calendars: &[Calendar],
    status: u16,
) -> WebResponse {
    let t = texts(v.lang);
    WebResponse::html(
        status,
        page(
            v,
            Area::Calendar,
            t.new_event,
            html! {
                p.back { a href={ (Area::Calendar.path()) "?date=" (form.start_date) } { (t.back) } }
                h1 { (t.new_event) }
                (error_summary(t, errors, other))
                @if calendars.is_empty() {
                    p.alert.error role="alert" { (t.err_calendar) }
                } @else {
                    (render(t, form, errors, &Purpose::Create { calendars }, csrf_field(v), None))
                }
            },
        ),
    )
}

/// `GET new`: the form for a new event.
fn new_form(ctx: &WebCtx<'_>, req: &WebRequest<'_>, v: &Viewer) -> Result<WebResponse, StoreError> {
    let q = req.query_form();
    let date = q
        .get("date")
        .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
        .unwrap_or_else(today);
    let time = q
        .get("time")
        .and_then(|t| NaiveTime::parse_from_str(t, "%H:%M").ok());
    let cals = event_calendars(ctx, v)?;
    let chosen = q
        .get("cal")
        .and_then(|name| cals.iter().find(|c| c.name == name))
        .or(cals.first());
    let form = EventForm::new(
        date,
        time,
        chosen.map_or("", |c| c.name.as_str()),
        chosen
            .and_then(|c| c.zone.as_deref())
            .unwrap_or(DEFAULT_ZONE),
    );
    // Without a time the form starts timed at 9:00 unless the view asked for a whole day.
    let form = EventForm {
        all_day: time.is_none() && q.get("all_day").is_some(),
        ..form
    };
    Ok(new_page(v, &form, &[], None, &cals, 200))
}

/// The message of a refused write, as the form shows it; other failures as pages.
fn form_message(t: &EditorTexts, failure: Failure) -> Result<(u16, String), Failure> {
    match failure {
        Failure::Conflict => Ok((409, t.conflict.to_owned())),
        Failure::Refused(m) => Ok((422, m)),
        Failure::Forbidden => Ok((403, t.forbidden.to_owned())),
        other => Err(other),
    }
}

/// `POST new`: creates the event in the chosen calendar as `UID.ics`.
fn create(ctx: &WebCtx<'_>, req: &WebRequest<'_>, v: &Viewer) -> Result<WebResponse, StoreError> {
    let t = texts(v.lang);
    let form = EventForm::posted(&Form::parse_body(req.body));
    let cals = event_calendars(ctx, v)?;
    let checked = form.check(t, None, None);
    let mut errors = checked.as_ref().err().cloned().unwrap_or_default();
    if !cals.iter().any(|c| c.name == form.calendar) {
        errors.push(("calendar", t.err_calendar));
    }
    let fields = match checked {
        Ok(fields) if errors.is_empty() => fields,
        _ => return Ok(new_page(v, &form, &errors, None, &cals, 422)),
    };
    let uid = new_uid();
    let body = match new_event(&uid, &fields, Utc::now()) {
        Ok(b) => b,
        Err(ComposeError::UnknownZone(_)) => {
            return Ok(new_page(v, &form, &[("tz", t.err_zone)], None, &cals, 422));
        }
        Err(e) => return Err(StoreError::Backend(e.to_string())),
    };
    let name = format!("{uid}.ics");
    let written = place(ctx, v, &form.calendar, Action::WriteContent, t)
        .and_then(|p| write(ctx, &p, &name, body, &WriteCondition::MustNotExist, t));
    match written {
        Ok(_) => Ok(WebResponse::see_other(&event_url(
            &form.calendar,
            &name,
            Some("created"),
        ))),
        Err(f) => match form_message(t, f) {
            Ok((status, message)) => Ok(new_page(v, &form, &[], Some(&message), &cals, status)),
            Err(f) => failure_page(v, Area::Calendar, f),
        },
    }
}

/// An event as stored: its calendar, name, ETag and editable values.
struct Stored {
    cal: String,
    obj: String,
    etag: String,
    body: Vec<u8>,
    values: Editable,
    writable: bool,
    calendar_label: String,
}

/// Reads event `obj` of calendar `cal` for the viewer; not found when it may not read it.
fn stored(ctx: &WebCtx<'_>, v: &Viewer, cal: &str, obj: &str) -> Result<Stored, Failure> {
    let t = texts(v.lang);
    let p = match place(ctx, v, cal, Action::Read, t) {
        // Another person's calendar looks like one that does not exist.
        Err(Failure::Forbidden) => return Err(Failure::NotFound),
        other => other?,
    };
    let object = ctx
        .store
        .get_object(p.collection.id, obj)?
        .ok_or(Failure::NotFound)?;
    let values = read(&object.body, "VEVENT").ok_or(Failure::NotFound)?;
    let writable = place(ctx, v, cal, Action::WriteContent, t).is_ok();
    let calendar_label = calendars(ctx, v)?
        .into_iter()
        .find(|c| c.name == cal)
        .map_or_else(|| cal.to_owned(), |c| c.label);
    Ok(Stored {
        cal: cal.to_owned(),
        obj: obj.to_owned(),
        etag: object.meta.etag,
        body: object.body,
        values,
        writable,
        calendar_label,
    })
}

/// The TZID a stored event uses, if any (kept selectable even when the list lacks it).
fn zone_in_use(e: &Editable) -> Option<&str> {
    match &e.start {
        Some(When::Zoned { tzid, .. }) => Some(tzid),
        _ => None,
    }
}

/// A readable line for when the event happens.
fn when_text(v: &Viewer, e: &Editable) -> String {
    let lang = v.lang;
    match (&e.start, &e.end) {
        (Some(When::Date(s)), end) => {
            let last = match end {
                Some(When::Date(d)) if *d > s.succ_opt().unwrap_or(*s) => d.pred_opt(),
                _ => None,
            };
            match last {
                Some(l) => format!("{} – {}", long_date(lang, *s), long_date(lang, l)),
                None => long_date(lang, *s),
            }
        }
        (Some(start), end) => {
            let (at, zone) = match start {
                When::Zoned { at, tzid } => (*at, Some(tzid.as_str())),
                When::Utc(at) => (*at, Some("UTC")),
                When::Floating(at) => (*at, None),
                When::Date(_) => return String::new(),
            };
            let mut s = format!("{} {}", long_date(lang, at.date()), clock(at.time()));
            if let Some(end) = end {
                let end_at = match end {
                    When::Zoned { at, .. } | When::Utc(at) | When::Floating(at) => Some(*at),
                    When::Date(_) => None,
                };
                if let Some(e) = end_at {
                    if e.date() == at.date() {
                        s.push_str(&format!(" – {}", clock(e.time())));
                    } else {
                        s.push_str(&format!(
                            " – {} {}",
                            long_date(lang, e.date()),
                            clock(e.time())
                        ));
                    }
                }
            }
            if let Some(z) = zone {
                s.push_str(&format!(" ({z})"));
            }
            s
        }
        (None, _) => String::new(),
    }
}

/// The edit form as it is drawn: its values, the errors of its fields, a message for the
/// whole form.
struct Shown<'a> {
    form: &'a EventForm,
    errors: &'a [FieldError],
    other: Option<&'a str>,
}

/// The event page: details, then the edit, move and delete forms when the viewer may change
/// it.
fn event_page(
    v: &Viewer,
    s: &Stored,
    shown: &Shown<'_>,
    msg: Option<&str>,
    targets: &[Calendar],
    status: u16,
) -> WebResponse {
    let Shown {
        form,
        errors,
        other,
    } = *shown;
    let t = texts(v.lang);
    let e = &s.values;
    let title = if e.summary.is_empty() {
        t.edit_event
    } else {
        &e.summary
    };
    let back = format!(
        "{}?date={}",
        Area::Calendar.path(),
        e.start.as_ref().map_or_else(today, When::date)
    );
    let recurring = e.rrule.is_some();
    let has_kept = e.attendees > 0 || e.overrides > 0 || e.other_alarms > 0;
    let hidden = html! {
        (csrf_field(v))
    };
    let others: Vec<&Calendar> = targets.iter().filter(|c| c.name != s.cal).collect();
    WebResponse::html(
        status,
        page(
            v,
            Area::Calendar,
            title,
            html! {
                p.back { a href=(back) { (t.back) } }
                (status_message(t, msg))
                article.card.event-details #event-details {
                    h1 { (title) }
                    dl {
                        dt { (t.when) } dd #event-when { (when_text(v, e)) }
                        dt { (t.calendar) } dd #event-calendar { (s.calendar_label) }
                        @if !e.location.is_empty() {
                            dt { (t.location) } dd { (e.location) }
                        }
                        @if recurring {
                            dt { (t.repeats) } dd { (t.whole_series) }
                        }
                    }
                    @if !e.description.is_empty() {
                        p.description { (e.description) }
                    }
                }
                @if s.writable {
                    section.edit aria-labelledby="edit-heading" {
                        h2 #edit-heading { (t.edit_event) }
                        (error_summary(t, errors, other))
                        (render(t, form, errors, &Purpose::Edit {
                            cal: &s.cal, obj: &s.obj, etag: &s.etag, recurring, has_kept,
                        }, hidden, zone_in_use(e)))
                    }
                    div.event-actions {
                        @if !others.is_empty() {
                            form.move #move-form method="post" action={ (BASE) "/move" } {
                                (csrf_field(v))
                                input type="hidden" name="cal" value=(s.cal);
                                input type="hidden" name="obj" value=(s.obj);
                                input type="hidden" name="etag" value=(s.etag);
                                label for="to" { (t.move_to) }
                                select #to name="to" {
                                    @for c in &others {
                                        option value=(c.name) { (c.label) }
                                    }
                                }
                                button.secondary type="submit" #move-submit { (t.move_to) }
                            }
                        }
                        form.delete #delete-form method="post" action={ (BASE) "/delete" } {
                            (csrf_field(v))
                            input type="hidden" name="cal" value=(s.cal);
                            input type="hidden" name="obj" value=(s.obj);
                            input type="hidden" name="etag" value=(s.etag);
                            button.danger type="submit" #delete-submit data-confirm=(t.confirm_delete) {
                                (t.delete)
                            }
                        }
                    }
                } @else {
                    p.muted #read-only { (t.read_only) }
                }
            },
        ),
    )
}

/// The calendars an event may move to.
fn move_targets(ctx: &WebCtx<'_>, v: &Viewer, s: &Stored) -> Result<Vec<Calendar>, StoreError> {
    if !s.writable {
        return Ok(Vec::new());
    }
    event_calendars(ctx, v)
}

/// `GET ?cal&obj`: the event.
fn show(ctx: &WebCtx<'_>, req: &WebRequest<'_>, v: &Viewer) -> Result<WebResponse, StoreError> {
    let q = req.query_form();
    let (cal, obj) = (q.get("cal").unwrap_or(""), q.get("obj").unwrap_or(""));
    let s = match stored(ctx, v, cal, obj) {
        Ok(s) => s,
        Err(f) => return failure_page(v, Area::Calendar, f),
    };
    let zone = zone_in_use(&s.values).unwrap_or(DEFAULT_ZONE);
    let form = EventForm::of(&s.values, zone);
    let targets = move_targets(ctx, v, &s)?;
    let shown = Shown {
        form: &form,
        errors: &[],
        other: None,
    };
    Ok(event_page(v, &s, &shown, q.get("msg"), &targets, 200))
}

/// `POST save`: the form's values patched into the stored event, if it is still the version
/// the form was drawn from.
fn save(ctx: &WebCtx<'_>, req: &WebRequest<'_>, v: &Viewer) -> Result<WebResponse, StoreError> {
    let t = texts(v.lang);
    let f = Form::parse_body(req.body);
    let target = Posted::of(&f);
    let (cal, obj, etag) = (target.cal, target.obj, target.etag);
    let form = EventForm::posted(&f);
    let s = match stored(ctx, v, cal, obj) {
        Ok(s) if s.writable => s,
        Ok(_) => return failure_page(v, Area::Calendar, Failure::Forbidden),
        Err(f) => return failure_page(v, Area::Calendar, f),
    };
    let targets = move_targets(ctx, v, &s)?;
    let again = |errors: &[FieldError], other: Option<&str>, status| {
        let shown = Shown {
            form: &form,
            errors,
            other,
        };
        Ok(event_page(v, &s, &shown, None, &targets, status))
    };
    if s.etag != etag {
        return again(&[], Some(t.conflict), 409);
    }
    let fields = match form.check(t, zone_in_use(&s.values), s.values.repeat.as_ref()) {
        Ok(fields) => fields,
        Err(errors) => return again(&errors, None, 422),
    };
    let body = match patch_event(&s.body, &fields, Utc::now()) {
        Ok(b) => b,
        Err(ComposeError::UnknownZone(_)) => return again(&[("tz", t.err_zone)], None, 422),
        Err(e) => return Err(StoreError::Backend(e.to_string())),
    };
    let written = rewrite(ctx, v, target, body, t);
    match written {
        Ok(_) => Ok(WebResponse::see_other(&event_url(cal, obj, Some("saved")))),
        Err(f) => match form_message(t, f) {
            Ok((status, message)) => again(&[], Some(&message), status),
            Err(f) => failure_page(v, Area::Calendar, f),
        },
    }
}

/// `POST delete`: to the trash (`trash::delete_if`, restorable), only if the event is still
/// the version the page showed.
fn delete(ctx: &WebCtx<'_>, req: &WebRequest<'_>, v: &Viewer) -> Result<WebResponse, StoreError> {
    let t = texts(v.lang);
    let f = Form::parse_body(req.body);
    let target = Posted::of(&f);
    let (cal, obj, etag) = (target.cal, target.obj, target.etag);
    let p = match stored(ctx, v, cal, obj).and_then(|_| place(ctx, v, cal, Action::WriteContent, t))
    {
        Ok(p) => p,
        Err(f) => return failure_page(v, Area::Calendar, f),
    };
    let path = p.object_href(obj);
    match delete_if(ctx.store, ctx.plans, &v.account, &path, &if_match(etag)) {
        Ok(_) => Ok(WebResponse::see_other(&format!(
            "{}?msg=deleted",
            Area::Calendar.path()
        ))),
        Err(TrashError::Store(e)) => failure_page(v, Area::Calendar, e.into()),
        Err(TrashError::NotFound(_)) => Ok(not_found(v)),
        Err(TrashError::Denied(_)) => failure_page(v, Area::Calendar, Failure::Forbidden),
        Err(e) => failure_page(v, Area::Calendar, Failure::Refused(e.to_string())),
    }
}

/// `POST move`: to the calendar `to`, in one transaction (`transfer::relocate`).
fn move_event(
    ctx: &WebCtx<'_>,
    req: &WebRequest<'_>,
    v: &Viewer,
) -> Result<WebResponse, StoreError> {
    let t = texts(v.lang);
    let f = Form::parse_body(req.body);
    let Posted { cal, obj, etag } = Posted::of(&f);
    let to = f.get("to").unwrap_or("");
    let moved = stored(ctx, v, cal, obj).and_then(|_| {
        let source = place(ctx, v, cal, Mode::Move.source_action(), t)?;
        let destination = place(ctx, v, to, Action::WriteContent, t)?;
        relocate(
            ctx.store,
            &Relocation {
                mode: Mode::Move,
                source: &source,
                name: obj,
                source_condition: &if_match(etag),
                destination: &destination,
                target_name: obj,
                overwrite: false,
                by: Deleter::Account(v.account.id),
            },
        )
        .map_err(|e| Failure::of(e, t))
    });
    match moved {
        Ok(_) => Ok(WebResponse::see_other(&event_url(to, obj, Some("moved")))),
        Err(f) => failure_page(v, Area::Calendar, f),
    }
}
