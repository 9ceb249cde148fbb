//! What is specific to calendars (RFC 4791): their properties, the reports they offer, and the
//! seam where iCalendar validation errors become CalDAV preconditions.

use crate::dav::condition::{Condition, DavError};
use crate::dav::media::media_type;
use crate::dav::prop::{AppleProp, CalProp, PropName, PropValue};
use crate::dav::request::{CalendarDataComp, CalendarDataSpec};
use crate::dav::xml::{NS_CALDAV, NS_DAV};
use crate::ical::calendar_data::{Select, SelectProp, Shape};
use crate::ical::freebusy::{FbType, ObjectBusy};
use crate::ical::{ContentError, calendar_data as shape_calendar, validate_and_index};
use crate::store::{BusyKind, Collection, ObjectIndex};
use std::borrow::Cow;

/// Components a calendar accepts when MKCALENDAR does not say.
pub const DEFAULT_COMPONENTS: [&str; 3] = ["VEVENT", "VTODO", "VJOURNAL"];

/// Components a calendar may be created for.
pub const KNOWN_COMPONENTS: [&str; 4] = ["VEVENT", "VTODO", "VJOURNAL", "VFREEBUSY"];

/// Reports a calendar offers.
pub const REPORTS: [(&str, &str); 4] = [
    (NS_CALDAV, "calendar-query"),
    (NS_CALDAV, "calendar-multiget"),
    (NS_CALDAV, "free-busy-query"),
    (NS_DAV, "sync-collection"),
];

/// Media type of a stored calendar object.
pub fn content_type(component: &str) -> String {
    format!(
        "text/calendar; charset=utf-8; component={}",
        component.to_ascii_lowercase()
    )
}

/// The value of a calendar-specific collection property, if `name` is one.
pub fn collection_prop(
    coll: &Collection,
    name: &PropName,
    max_resource_size: u64,
) -> Option<PropValue> {
    let text = |v: &Option<String>| v.clone().map(PropValue::Text);
    match name {
        PropName::Cal(CalProp::CalendarDescription) => text(&coll.props.description),
        PropName::Cal(CalProp::CalendarTimezone) => text(&coll.props.timezone),
        PropName::Cal(CalProp::SupportedCalendarComponentSet) => {
            Some(PropValue::Components(coll.components.clone()))
        }
        PropName::Cal(CalProp::SupportedCalendarData) => Some(PropValue::DataTypes(
            NS_CALDAV,
            "calendar-data",
            vec![("text/calendar", "2.0")],
        )),
        PropName::Cal(CalProp::MaxResourceSize) => {
            Some(PropValue::Text(max_resource_size.to_string()))
        }
        PropName::Apple(AppleProp::CalendarColor) => text(&coll.props.color),
        PropName::Apple(AppleProp::CalendarOrder) => text(&coll.props.order),
        _ => None,
    }
}

/// Calendar properties included in allprop.
pub const ALLPROP: [PropName; 5] = [
    PropName::Cal(CalProp::CalendarDescription),
    PropName::Cal(CalProp::SupportedCalendarComponentSet),
    PropName::Cal(CalProp::SupportedCalendarData),
    PropName::Apple(AppleProp::CalendarColor),
    PropName::Apple(AppleProp::CalendarOrder),
];

/// Checks a PUT body for a calendar and extracts its index (RFC 4791 §5.3.2.1 preconditions).
pub fn validate(
    coll: &Collection,
    body: &[u8],
    content_type: Option<&str>,
) -> Result<ObjectIndex, DavError> {
    if let Some(ct) = content_type {
        let media = media_type(ct);
        if media.starts_with("text/vcard")
            || media.starts_with("text/x-vcard")
            || media.ends_with("+json")
        {
            return Err(DavError::new(
                Condition::SupportedCalendarData,
                format!("a calendar stores text/calendar, not {media}"),
            ));
        }
    }
    // Instances are listed up to a horizon measured from now; a query past it (or an object
    // not written again for years) falls back to the content check.
    let horizon = chrono::Utc::now()
        .timestamp()
        .saturating_add(crate::ical::index::HORIZON);
    let info = validate_and_index(body, &coll.components, horizon).map_err(|e| match e {
        ContentError::Invalid(m) => DavError::new(Condition::ValidCalendarData, m),
        // RFC 4791 §5.3.2.1: breaking a §4.1 restriction is valid-calendar-object-resource.
        ContentError::ObjectRule(m) => DavError::new(Condition::ValidCalendarObjectResource, m),
        e @ ContentError::UnsupportedComponent { .. } => {
            DavError::new(Condition::SupportedCalendarComponent, e.to_string())
        }
    })?;
    Ok(ObjectIndex {
        uid: info.uid,
        component: info.component,
        first_start: info.first_start,
        last_end: info.last_end,
        span_exact: info.span_exact,
        contained_match: info.contained_match,
        busy: info.busy.and_then(busy_kind),
        instances_until: info.series.as_ref().map(|series| series.until),
        instances_floating: info.series.as_ref().is_some_and(|series| series.floating),
        instances: info
            .series
            .map(|series| series.instances)
            .unwrap_or_default(),
        text: Vec::new(),
        dates: Vec::new(),
    })
}

/// The store's form of an object's free-busy class; BUSY-UNAVAILABLE (which only VFREEBUSY
/// components give, never a whole object) is left to the content.
fn busy_kind(busy: ObjectBusy) -> Option<BusyKind> {
    match busy {
        ObjectBusy::Free => Some(BusyKind::Free),
        ObjectBusy::Shows(FbType::Busy) => Some(BusyKind::Busy),
        ObjectBusy::Shows(FbType::BusyTentative) => Some(BusyKind::Tentative),
        ObjectBusy::Shows(FbType::BusyUnavailable) => None,
    }
}

/// The CALDAV:calendar-data value of a stored calendar object as `spec` asks (RFC 4791 §9.6):
/// partial retrieval, expansion, limited recurrence and free-busy sets. The stored bytes when
/// the spec asks for nothing more, so an ordinary sync never sees a re-serialised object.
pub fn calendar_data<'b>(body: &'b [u8], spec: &CalendarDataSpec) -> Cow<'b, [u8]> {
    if spec.is_identity() {
        return Cow::Borrowed(body);
    }
    fn select(comp: &CalendarDataComp) -> Select {
        Select {
            name: comp.name.clone(),
            props: comp.props.as_ref().map(|props| {
                props
                    .iter()
                    .map(|p| SelectProp {
                        name: p.name.clone(),
                        novalue: p.novalue,
                    })
                    .collect()
            }),
            comps: comp
                .comps
                .as_ref()
                .map(|comps| comps.iter().map(select).collect()),
        }
    }
    let shape = Shape {
        select: spec.comp.as_ref().map(select),
        expand: spec.expand,
        limit_recurrence_set: spec.limit_recurrence_set,
        limit_freebusy_set: spec.limit_freebusy_set,
    };
    shape_calendar::calendar_data(body, &shape)
}
