//! The tasks page, `/web/tasks`: the VTODOs of the viewer's calendars that accept tasks (its
//! own and those shared with it), open ones by due date with the overdue ones marked,
//! completed ones folded away; a form per task that marks it done or open again, a small
//! form for a new task, and an edit page. Writes go through the same code as the event
//! editor (`event::calendars`: DAV's access checks, content rules, plan limits and ETags).
//!
//! - `GET /web/tasks[?msg=…]`, `POST /web/tasks/new`, `POST /web/tasks/toggle` (`cal`, `obj`,
//!   `etag`, `done` = 1 or 0)
//! - `GET /web/tasks/edit?cal=NAME&obj=OBJECT`, `POST /web/tasks/save` (`cal`, `obj`, `etag`
//!   and the form)

use chrono::{NaiveDate, NaiveTime, TimeZone, Utc};
use maud::{Markup, html};

use super::event::calendars::{
    Calendar, DEFAULT_ZONE, Failure, Posted, calendars, new_uid, place, rewrite, write,
};
use super::event::texts::{EditorTexts, clock, long_date, texts};
use super::event::{FieldError, failure_page, field, status_message};
use super::layout::{Area, csrf_field, page};
use super::{Form, Viewer, WebCtx, WebRequest, WebResponse, not_found};
use crate::ical::compose::{ComposeError, TaskFields, When, new_task, patch_task, set_completed};
use crate::ical::editable::{Editable, read};
use crate::org::access::Action;
use crate::store::{ObjectFilter, StoreError, WriteCondition};

/// Routes `/web/tasks/…`.
pub fn route(
    ctx: &WebCtx<'_>,
    req: &WebRequest<'_>,
    v: &Viewer,
    tail: &[&str],
) -> Result<WebResponse, StoreError> {
    let read_only = matches!(req.method, "GET" | "HEAD");
    match (read_only, tail) {
        (true, []) => {
            let msg = req.query_form().get("msg").map(str::to_owned);
            list(ctx, v, &TaskForm::default(), &[], msg.as_deref(), 200)
        }
        (false, ["new"]) => create(ctx, req, v),
        (false, ["toggle"]) => toggle(ctx, req, v),
        (true, ["edit"]) => edit(ctx, req, v),
        (false, ["save"]) => save(ctx, req, v),
        _ => Ok(not_found(v)),
    }
}

/// Priority choices as the form posts them, in the order of `EditorTexts::priority_choices`.
const PRIORITIES: [&str; 4] = ["none", "1", "5", "9"];

/// The task form's values as text.
#[derive(Debug, Clone, Default)]
struct TaskForm {
    summary: String,
    calendar: String,
    due_date: String,
    due_time: String,
    priority: String,
    completed: bool,
}

impl TaskForm {
    fn posted(f: &Form) -> TaskForm {
        let text = |name: &str| f.get(name).unwrap_or("").trim().to_owned();
        TaskForm {
            summary: text("summary"),
            calendar: text("calendar"),
            due_date: text("due_date"),
            due_time: text("due_time"),
            priority: text("priority"),
            completed: f.get("completed").is_some(),
        }
    }

    fn of(e: &Editable) -> TaskForm {
        let (date, time) = match &e.due {
            Some(When::Date(d)) => (Some(*d), None),
            Some(When::Zoned { at, .. } | When::Floating(at)) => (Some(at.date()), Some(at.time())),
            Some(When::Utc(at)) => {
                let local = DEFAULT_ZONE
                    .parse::<chrono_tz::Tz>()
                    .map_or(*at, |tz| tz.from_utc_datetime(at).naive_local());
                (Some(local.date()), Some(local.time()))
            }
            None => (None, None),
        };
        TaskForm {
            summary: e.summary.clone(),
            calendar: String::new(),
            due_date: date.map(|d| d.to_string()).unwrap_or_default(),
            due_time: time.map(clock).unwrap_or_default(),
            priority: match e.priority {
                None => "none".into(),
                Some(1..=4) => "1".into(),
                Some(5) => "5".into(),
                Some(_) => "9".into(),
            },
            completed: e.completed,
        }
    }

    /// The task's values (a due time is in `zone`), or the errors of its fields.
    fn check(&self, t: &EditorTexts, zone: &str) -> Result<TaskFields, Vec<FieldError>> {
        let mut errors = Vec::new();
        if self.summary.is_empty() {
            errors.push(("summary", t.err_summary));
        }
        let date = match self.due_date.as_str() {
            "" => None,
            d => match NaiveDate::parse_from_str(d, "%Y-%m-%d") {
                Ok(d) => Some(d),
                Err(_) => {
                    errors.push(("due_date", t.err_date));
                    None
                }
            },
        };
        let time = match self.due_time.as_str() {
            "" => None,
            s => match NaiveTime::parse_from_str(s, "%H:%M") {
                Ok(time) if !self.due_date.is_empty() => Some(time),
                Ok(_) => {
                    errors.push(("due_date", t.err_date));
                    None
                }
                Err(_) => {
                    errors.push(("due_time", t.err_time));
                    None
                }
            },
        };
        let priority = match self.priority.as_str() {
            "none" | "" => None,
            p => match p.parse::<u8>().ok().filter(|p| (1..=9).contains(p)) {
                Some(p) => Some(p),
                None => {
                    errors.push(("priority", t.err_choice));
                    None
                }
            },
        };
        if !errors.is_empty() {
            return Err(errors);
        }
        let due = date.map(|d| match time {
            Some(time) => When::Zoned {
                at: d.and_time(time),
                tzid: zone.to_owned(),
            },
            None => When::Date(d),
        });
        Ok(TaskFields {
            summary: self.summary.clone(),
            due,
            priority,
            completed: self.completed,
        })
    }
}

/// One task of the list.
struct Row {
    cal: Calendar,
    obj: String,
    etag: String,
    values: Editable,
}

/// The calendars tasks may be written to.
fn task_calendars(all: &[Calendar]) -> Vec<Calendar> {
    all.iter()
        .filter(|c| c.writable && c.takes_tasks)
        .cloned()
        .collect()
}

/// Every task of the viewer's calendars that accept tasks, read through the store's index.
fn rows(ctx: &WebCtx<'_>, v: &Viewer, all: &[Calendar]) -> Result<Vec<Row>, StoreError> {
    let t = texts(v.lang);
    let filter = ObjectFilter {
        components: vec!["VTODO".to_owned()],
        start: None,
        end: None,
        bodies: true,
    };
    let mut out = Vec::new();
    for cal in all.iter().filter(|c| c.takes_tasks) {
        let p = match place(ctx, v, &cal.name, Action::Read, t) {
            Ok(p) => p,
            Err(Failure::Store(e)) => return Err(e),
            // A share that is not usable now is left out, as DAV leaves it out.
            Err(_) => continue,
        };
        for c in ctx.store.find_candidates(p.collection.id, &filter)? {
            let Some(values) = c.body.as_deref().and_then(|b| read(b, "VTODO")) else {
                continue;
            };
            out.push(Row {
                cal: cal.clone(),
                obj: c.meta.name,
                etag: c.meta.etag,
                values,
            });
        }
    }
    Ok(out)
}

/// The due moment as a local date and time (a date-only due ends that day) for sorting and
/// comparing with now.
fn due_key(due: &When) -> (NaiveDate, NaiveTime) {
    let end_of_day = NaiveTime::from_hms_opt(23, 59, 59).unwrap_or_default();
    match due {
        When::Date(d) => (*d, end_of_day),
        When::Zoned { at, tzid } => {
            let at = tzid
                .parse::<chrono_tz::Tz>()
                .ok()
                .and_then(|tz| tz.from_local_datetime(at).earliest())
                .map_or(*at, |t| t.with_timezone(&default_zone()).naive_local());
            (at.date(), at.time())
        }
        When::Utc(at) => {
            let at = default_zone().from_utc_datetime(at).naive_local();
            (at.date(), at.time())
        }
        When::Floating(at) => (at.date(), at.time()),
    }
}

fn default_zone() -> chrono_tz::Tz {
    DEFAULT_ZONE.parse().unwrap_or(chrono_tz::UTC)
}

fn due_text(v: &Viewer, due: &When) -> String {
    match due {
        When::Date(d) => long_date(v.lang, *d),
        other => {
            let (d, time) = due_key(other);
            format!("{} {}", long_date(v.lang, d), clock(time))
        }
    }
}

fn task_row(v: &Viewer, t: &EditorTexts, r: &Row, now: (NaiveDate, NaiveTime)) -> Markup {
    let e = &r.values;
    let overdue = !e.completed && e.due.as_ref().is_some_and(|d| due_key(d) < now);
    let edit = format!(
        "/web/tasks/edit?cal={}&obj={}",
        percent_encoding::utf8_percent_encode(&r.cal.name, percent_encoding::NON_ALPHANUMERIC),
        percent_encoding::utf8_percent_encode(&r.obj, percent_encoding::NON_ALPHANUMERIC)
    );
    html! {
        li.task.overdue[overdue].done[e.completed] {
            @if r.cal.writable {
                form.toggle method="post" action="/web/tasks/toggle" {
                    (csrf_field(v))
                    input type="hidden" name="cal" value=(r.cal.name);
                    input type="hidden" name="obj" value=(r.obj);
                    input type="hidden" name="etag" value=(r.etag);
                    input type="hidden" name="done" value=(if e.completed { "0" } else { "1" });
                    button.task-check type="submit" role="checkbox"
                        aria-checked=(if e.completed { "true" } else { "false" })
                        title=(if e.completed { t.reopen } else { t.mark_done })
                        data-task=(r.obj) {
                        span.visually-hidden {
                            (if e.completed { t.reopen } else { t.mark_done }) ": " (e.summary)
                        }
                    }
                }
            }
            div.task-text {
                span.task-summary { (e.summary) }
                span.task-meta.muted {
                    @if let Some(due) = &e.due {
                        span.task-due { (t.due) " " (due_text(v, due)) }
                    }
                    @if overdue {
                        " " strong.overdue-mark { (t.overdue) }
                    }
                    " · " (r.cal.label)
                    @if r.cal.writable {
                        " · " a href=(edit) { (t.edit) }
                    }
                }
            }
        }
    }
}

/// The task form, posting to `action`; `target` is where it writes (a calendar select for a
/// new task, the task's hidden identity for an edit).
fn task_form(
    t: &EditorTexts,
    form: &TaskForm,
    errors: &[FieldError],
    action: &str,
    target: Markup,
    with_completed: bool,
    submit: &str,
) -> Markup {
    html! {
        form.editor.task-form #task-form method="post" action=(action) novalidate {
            (target)
            (field(errors, "summary", t.summary, "text", &form.summary, false))
            div.when-grid {
                (field(errors, "due_date", t.due_date, "date", &form.due_date, false))
                (field(errors, "due_time", t.due_time, "time", &form.due_time, false))
            }
            div.field {
                label for="priority" { (t.priority) }
                select #priority name="priority" {
                    @for (value, label) in PRIORITIES.iter().zip(t.priority_choices) {
                        option value=(value) selected[form.priority == *value] { (label) }
                    }
                }
            }
            @if with_completed {
                label.check for="completed" {
                    input type="checkbox" #completed name="completed" value="on" checked[form.completed];
                    (t.completed)
                }
            }
            div.actions { button type="submit" #task-submit { (submit) } }
        }
    }
}

fn list(
    ctx: &WebCtx<'_>,
    v: &Viewer,
    form: &TaskForm,
    errors: &[FieldError],
    msg: Option<&str>,
    status: u16,
) -> Result<WebResponse, StoreError> {
    let t = texts(v.lang);
    let all = calendars(ctx, v)?;
    let mut rows = rows(ctx, v, &all)?;
    let now_local = Utc::now().with_timezone(&default_zone()).naive_local();
    let now = (now_local.date(), now_local.time());
    rows.sort_by(|a, b| {
        let key = |r: &Row| {
            (
                r.values.due.is_none(),
                r.values.due.as_ref().map(due_key),
                r.values.priority.unwrap_or(10),
                r.values.summary.to_lowercase(),
            )
        };
        key(a).cmp(&key(b))
    });
    let (done, open): (Vec<&Row>, Vec<&Row>) = rows.iter().partition(|r| r.values.completed);
    let writable = task_calendars(&all);
    let title = v.lang.texts().nav_tasks;
    let chosen = if form.calendar.is_empty() {
        writable.first().map(|c| c.name.clone()).unwrap_or_default()
    } else {
        form.calendar.clone()
    };
    let alert = match msg {
        Some("conflict") => Some(t.conflict),
        _ => None,
    };
    let summary_errors = super::event::error_summary(t, errors, alert);
    Ok(WebResponse::html(
        status,
        page(
            v,
            Area::Tasks,
            title,
            html! {
                h1 { (title) }
                (status_message(t, msg))
                (summary_errors)
                section.tasks aria-labelledby="open-heading" {
                    h2 #open-heading { (t.open_tasks) " (" (open.len()) ")" }
                    @if open.is_empty() {
                        p.empty { (t.no_tasks) }
                    } @else {
                        ul.task-list #open-tasks {
                            @for r in &open { (task_row(v, t, r, now)) }
                        }
                    }
                }
                @if !done.is_empty() {
                    details.completed-tasks #completed-tasks {
                        summary { (t.completed_tasks) " (" (done.len()) ")" }
                        ul.task-list {
                            @for r in &done { (task_row(v, t, r, now)) }
                        }
                    }
                }
                section.card.new-task aria-labelledby="new-task-heading" {
                    h2 #new-task-heading { (t.new_task) }
                    @if writable.is_empty() {
                        p.empty { (t.no_task_calendar) }
                    } @else {
                        (task_form(t, form, errors, "/web/tasks/new", html! {
                            (csrf_field(v))
                            div.field {
                                label for="calendar" { (t.calendar) }
                                select #calendar name="calendar" {
                                    @for c in &writable {
                                        option value=(c.name) selected[c.name == chosen] { (c.label) }
                                    }
                                }
                            }
                        }, false, t.create))
                    }
                }
            },
        ),
    ))
}

/// `POST new`: a new task in the chosen calendar.
fn create(ctx: &WebCtx<'_>, req: &WebRequest<'_>, v: &Viewer) -> Result<WebResponse, StoreError> {
    let t = texts(v.lang);
    let form = TaskForm::posted(&Form::parse_body(req.body));
    let all = calendars(ctx, v)?;
    let Some(cal) = task_calendars(&all)
        .into_iter()
        .find(|c| c.name == form.calendar)
    else {
        return list(ctx, v, &form, &[("calendar", t.err_calendar)], None, 422);
    };
    let zone = cal.zone.as_deref().unwrap_or(DEFAULT_ZONE);
    let fields = match form.check(t, zone) {
        Ok(f) => f,
        Err(errors) => return list(ctx, v, &form, &errors, None, 422),
    };
    let uid = new_uid();
    let body = new_task(&uid, &fields, Utc::now()).map_err(compose_failure)?;
    let name = format!("{uid}.ics");
    match place(ctx, v, &cal.name, Action::WriteContent, t)
        .and_then(|p| write(ctx, &p, &name, body, &WriteCondition::MustNotExist, t))
    {
        Ok(_) => Ok(WebResponse::see_other("/web/tasks?msg=created")),
        Err(f) => failure_page(v, Area::Tasks, f),
    }
}

/// A task composed from checked values only fails on a zone, which the form never offers
/// unknown; anything else is a server fault.
fn compose_failure(e: ComposeError) -> StoreError {
    StoreError::Backend(format!("composing a task: {e}"))
}

/// A task as stored, for the viewer to change.
struct Stored {
    cal: String,
    obj: String,
    etag: String,
    body: Vec<u8>,
    values: Editable,
    zone: String,
}

fn stored(ctx: &WebCtx<'_>, v: &Viewer, cal: &str, obj: &str) -> Result<Stored, Failure> {
    let t = texts(v.lang);
    let p = match place(ctx, v, cal, Action::WriteContent, t) {
        // Someone else's calendar looks like one that does not exist; a read-only one says so.
        Err(Failure::Forbidden) if place(ctx, v, cal, Action::Read, t).is_err() => {
            return Err(Failure::NotFound);
        }
        other => other?,
    };
    let object = ctx
        .store
        .get_object(p.collection.id, obj)?
        .ok_or(Failure::NotFound)?;
    let values = read(&object.body, "VTODO").ok_or(Failure::NotFound)?;
    let zone = calendars(ctx, v)?
        .into_iter()
        .find(|c| c.name == cal)
        .and_then(|c| c.zone)
        .unwrap_or_else(|| DEFAULT_ZONE.to_owned());
    Ok(Stored {
        cal: cal.to_owned(),
        obj: obj.to_owned(),
        etag: object.meta.etag,
        body: object.body,
        values,
        zone,
    })
}

/// `POST toggle`: marks the task done (`done=1`) or open again (`done=0`).
fn toggle(ctx: &WebCtx<'_>, req: &WebRequest<'_>, v: &Viewer) -> Result<WebResponse, StoreError> {
    let t = texts(v.lang);
    let f = Form::parse_body(req.body);
    let target = Posted::of(&f);
    let (cal, obj, etag) = (target.cal, target.obj, target.etag);
    let done = f.get("done") == Some("1");
    let result = stored(ctx, v, cal, obj).and_then(|s| {
        if s.etag != etag {
            return Err(Failure::Conflict);
        }
        let body = set_completed(&s.body, done, Utc::now()).map_err(compose_failure)?;
        rewrite(ctx, v, target, body, t)
    });
    match result {
        Ok(_) => Ok(WebResponse::see_other("/web/tasks?msg=saved")),
        Err(Failure::Conflict) => Ok(WebResponse::see_other("/web/tasks?msg=conflict")),
        Err(f) => failure_page(v, Area::Tasks, f),
    }
}

fn edit_page(
    v: &Viewer,
    s: &Stored,
    form: &TaskForm,
    errors: &[FieldError],
    other: Option<&str>,
    status: u16,
) -> WebResponse {
    let t = texts(v.lang);
    WebResponse::html(
        status,
        page(
            v,
            Area::Tasks,
            t.edit_task,
            html! {
                p.back { a href=(Area::Tasks.path()) { (v.lang.texts().nav_tasks) } }
                h1 { (t.edit_task) }
                (super::event::error_summary(t, errors, other))
                (task_form(t, form, errors, "/web/tasks/save", html! {
                    (csrf_field(v))
                    input type="hidden" name="cal" value=(s.cal);
                    input type="hidden" name="obj" value=(s.obj);
                    input type="hidden" name="etag" value=(s.etag);
                }, true, t.save))
            },
        ),
    )
}

/// `GET edit?cal&obj`: the task's form.
fn edit(ctx: &WebCtx<'_>, req: &WebRequest<'_>, v: &Viewer) -> Result<WebResponse, StoreError> {
    let q = req.query_form();
    match stored(
        ctx,
        v,
        q.get("cal").unwrap_or(""),
        q.get("obj").unwrap_or(""),
    ) {
        Ok(s) => Ok(edit_page(v, &s, &TaskForm::of(&s.values), &[], None, 200)),
        Err(f) => failure_page(v, Area::Tasks, f),
    }
}

/// `POST save`: the form's values patched into the stored task.
fn save(ctx: &WebCtx<'_>, req: &WebRequest<'_>, v: &Viewer) -> Result<WebResponse, StoreError> {
    let t = texts(v.lang);
    let f = Form::parse_body(req.body);
    let target = Posted::of(&f);
    let (cal, obj, etag) = (target.cal, target.obj, target.etag);
    let form = TaskForm::posted(&f);
    let s = match stored(ctx, v, cal, obj) {
        Ok(s) => s,
        Err(f) => return failure_page(v, Area::Tasks, f),
    };
    if s.etag != etag {
        return Ok(edit_page(v, &s, &form, &[], Some(t.conflict), 409));
    }
    let fields = match form.check(t, &s.zone) {
        Ok(f) => f,
        Err(errors) => return Ok(edit_page(v, &s, &form, &errors, None, 422)),
    };
    let body = patch_task(&s.body, &fields, Utc::now()).map_err(compose_failure)?;
    let written = rewrite(ctx, v, target, body, t);
    match written {
        Ok(_) => Ok(WebResponse::see_other("/web/tasks?msg=saved")),
        Err(Failure::Conflict) => Ok(edit_page(v, &s, &form, &[], Some(t.conflict), 409)),
        Err(Failure::Refused(m)) => Ok(edit_page(v, &s, &form, &[], Some(&m), 422)),
        Err(f) => failure_page(v, Area::Tasks, f),
    }
}
