//! What is specific to calendars (RFC 4791): their properties, the reports they offer, and the
//! seam where iCalendar validation errors become CalDAV preconditions.

use crate::dav::condition::{Condition, DavError};
use crate::dav::media::media_type;
use crate::dav::prop::{AppleProp, CalProp, PropName, PropValue};
use crate::dav::xml::{NS_CALDAV, NS_DAV};
use crate::ical::{ContentError, validate_calendar_object};
use crate::store::{Collection, ObjectIndex};

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
    max_resource_size: usize,
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
    let info = validate_calendar_object(body, &coll.components).map_err(|e| match e {
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
    })
}
