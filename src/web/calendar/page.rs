//! The calendar page: the toolbar (previous / today / next, the period's title, the view
//! switch, "New event"), the list of calendars with their check boxes, and the chosen view;
//! and the answer to the check boxes (the hidden-calendars cookie, then back to the page).

use maud::{Markup, html};

use super::calendars::{self, Cal, HIDDEN_COOKIE};
use super::events;
use super::links;
use super::overlays::{self, BIRTHDAYS_COOKIE, DEFAULT_REGION, HOLIDAYS_COOKIE, Overlays};
use super::period::View;
use super::texts::Texts;
use super::{Shown, agenda, month, period_of, today_in, week, zone_of};
use crate::holidays;
use crate::store::StoreError;
use crate::web::form::cookie;
use crate::web::layout::{Area, page};
use crate::web::{Viewer, WebCtx, WebRequest, WebResponse};

/// `GET /web/calendar`: the chosen view of the person's shown calendars.
pub fn calendar(
    ctx: &WebCtx<'_>,
    req: &WebRequest<'_>,
    v: &Viewer,
) -> Result<WebResponse, StoreError> {
    let t = Texts::of(v.lang);
    let hidden = calendars::hidden_names(cookie(req.cookies, HIDDEN_COOKIE));
    let cals = calendars::list(ctx, v, &hidden)?;
    let zone = zone_of(req, &cals);
    let today = today_in(ctx, zone);
    let period = period_of(req, today);
    let shown: Vec<(usize, i64)> = cals
        .iter()
        .enumerate()
        .filter(|(_, c)| !c.hidden)
        .map(|(i, c)| (i, c.collection.id))
        .collect();
    let events = events::read(
        &shown,
        period.first,
        period.end(),
        zone,
        &mut |id, filter| ctx.store.find_candidates(id, filter),
    )?;
    let on = Overlays::of(req);
    let marks = overlays::marks(ctx, v, on, period.first, period.last())?;
    let s = Shown {
        period,
        today,
        cals: &cals,
        events: &events,
        marks: &marks,
        t,
    };
    let title = match period.view {
        View::Month => t.month_year(period.anchor),
        View::Week | View::Agenda => t.range(period.first, period.last()),
    };
    let body = match period.view {
        View::Month => month::render(&s),
        View::Week => week::render(&s),
        View::Agenda => agenda::render(&s),
    };
    let content = html! {
        div.cal-page data-tz=(zone.name()) data-view=(period.view.as_str()) {
            (toolbar(&s, &title))
            div.cal-layout {
                (sidebar(&s, on, v, &zone.name()))
                div.cal-main { (body) }
            }
        }
    };
    Ok(WebResponse::html(
        200,
        page(v, Area::Calendar, &title, content),
    ))
}

/// Navigation, title, view switch and the new-event button.
fn toolbar(s: &Shown<'_>, title: &str) -> Markup {
    let t = s.t;
    let p = &s.period;
    let new_on = if p.view == View::Month && !p.in_month(s.today) {
        p.month_start()
    } else if p.dates().any(|d| d == s.today) {
        s.today
    } else {
        p.first
    };
    html! {
        div.cal-toolbar {
            nav.cal-nav.no-print aria-label=(t.calendars) {
                a.button.secondary #cal-prev href=(links::same_view(p, p.previous())) aria-label=(t.previous) title=(t.previous) { "‹" }
                a.button.secondary #cal-today href=(links::same_view(p, s.today)) { (t.today) }
                a.button.secondary #cal-next href=(links::same_view(p, p.next())) aria-label=(t.next) title=(t.next) { "›" }
            }
            h1 #cal-title { (title) }
            nav.cal-views.no-print aria-label=(t.view) {
                @for view in View::ALL {
                    @let label = match view { View::Month => t.month, View::Week => t.week, View::Agenda => t.agenda };
                    a #{ "cal-view-" (view.as_str()) } href=(links::view(view, p.anchor, None))
                        aria-current=[(view == p.view).then_some("page")] { (label) }
                }
            }
            a.button.no-print #new-event href=(links::new_event(new_on, None, None)) { "+ " (t.new_event) }
        }
    }
}

/// The calendars with their check boxes: a GET form that works without script;
/// `calendar.js` applies a change at once instead.
fn sidebar(s: &Shown<'_>, on: Overlays, v: &Viewer, zone: &str) -> Markup {
    let t = s.t;
    let region = on.holidays.map_or(DEFAULT_REGION, |r| r.code);
    let lang = overlays::holiday_lang(v.lang);
    let p = &s.period;
    html! {
        aside.cal-side.no-print {
            form #cal-visibility method="get" action=(links::VISIBILITY) {
                fieldset {
                    legend { (t.calendars) }
                    @if s.cals.is_empty() { p.empty { (t.no_calendars) } }
                    @for (i, c) in s.cals.iter().enumerate() {
                        (toggle(t, i, c))
                    }
                }
                fieldset.overlays {
                    legend { (t.also_show) }
                    div.cal-toggle.overlay {
                        input type="checkbox" name="birthdays" value="on" id="cal-birthdays" checked[on.birthdays];
                        label.check for="cal-birthdays" { span.swatch.birthday aria-hidden="true" {} span.name { (t.birthdays) } }
                    }
                    div.cal-toggle.overlay {
                        input type="checkbox" name="holidays" value="on" id="cal-holidays" checked[on.holidays.is_some()];
                        label.check for="cal-holidays" { span.swatch.holiday aria-hidden="true" {} span.name { (t.holidays) } }
                    }
                    label for="cal-region" { (t.region) }
                    select name="region" id="cal-region" {
                        @for r in holidays::REGIONS {
                            option value=(r.code) selected[r.code == region] { (r.title(lang)) }
                        }
                    }
                    @if let Some(r) = on.holidays {
                        p.feed {
                            a #holiday-feed href={ (holidays::feed_path(r)) "?lang=" (v.lang.tag()) } { (t.subscribe_holidays) }
                        }
                    }
                }
                input type="hidden" name="view" value=(p.view.as_str());
                input type="hidden" name="date" value=(p.anchor.format("%Y-%m-%d").to_string());
                @if p.view == View::Agenda { input type="hidden" name="days" value=(p.days); }
                button.secondary #cal-apply type="submit" { (t.apply) }
            }
            p.muted.tz { (t.times_in) " " (zone) }
        }
    }
}

/// One calendar's check box.
fn toggle(t: &Texts, i: usize, c: &Cal) -> Markup {
    let id = format!("cal-show-{i}");
    html! {
        div.cal-toggle style={ "--c:" (c.color) } {
            input type="checkbox" name="show" value=(c.name) id=(id) data-cal=(c.name) checked[!c.hidden];
            label.check for=(id) {
                span.swatch aria-hidden="true" {}
                span.name { (c.label) }
            }
            @if let Some(owner) = &c.shared_by {
                span.owner.muted {
                    (t.shared_by) " " (owner)
                    @if !c.writable { " · " (t.read_only) }
                }
            }
        }
    }
}

/// `GET /web/calendar/calendars?show=NAME&…&birthdays=on&holidays=on&region=CODE`: hides the
/// person's calendars that are not ticked and switches the overlays (cookies keep both), then
/// back to the view the form was on.
pub fn visibility(
    ctx: &WebCtx<'_>,
    req: &WebRequest<'_>,
    v: &Viewer,
) -> Result<WebResponse, StoreError> {
    let query = req.query_form();
    let shown: Vec<&str> = query.all("show").collect();
    let cals = calendars::list(ctx, v, &[])?;
    let value = calendars::hidden_cookie_value(
        cals.iter()
            .map(|c| c.name.as_str())
            .filter(|n| !shown.contains(n)),
    );
    let today = today_in(ctx, zone_of(req, &cals));
    let period = period_of(req, today);
    let back = links::same_view(&period, period.anchor);
    let birthdays = if query.get("birthdays") == Some("on") {
        "on"
    } else {
        "off"
    };
    let region = query
        .get("region")
        .and_then(holidays::region)
        .filter(|_| query.get("holidays") == Some("on"))
        .map_or("", |r| r.code);
    let secure = if ctx.settings.secure_cookies {
        "; Secure"
    } else {
        ""
    };
    let set = |name: &str, value: &str| {
        format!("{name}={value}; Path=/web/; Max-Age=31536000; SameSite=Lax{secure}")
    };
    Ok(WebResponse::see_other(&back)
        .with("set-cookie", set(HIDDEN_COOKIE, &value))
        .with("set-cookie", set(BIRTHDAYS_COOKIE, birthdays))
        .with("set-cookie", set(HOLIDAYS_COOKIE, region)))
}
