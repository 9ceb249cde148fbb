//! A trash entry's title as people know it: an event's or task's SUMMARY, a contact's FN, a
//! collection's display name. Resource names (`8f2c….ics`) say little to a person; the web
//! view lists entries by these.

use super::{Item, TrashError, TrashId};
use crate::ical::tree;
use crate::store::Store;

/// The title of `item` (an entry [`super::list`] gave, so the actor may see it); `None` when
/// it has none (a collection without a display name, an object without SUMMARY or FN).
pub fn title(store: &dyn Store, item: &Item) -> Result<Option<String>, TrashError> {
    match item.id {
        TrashId::Collection(_) => Ok(item.display_name.clone()),
        TrashId::Object(id) => Ok(store.version(id)?.and_then(|(_, body)| title_of(&body))),
    }
}

/// SUMMARY of the first component of a calendar object that is not a time zone, or FN of a
/// vCard.
fn title_of(body: &[u8]) -> Option<String> {
    let root = tree::parse(body)?;
    let property = if root.name == "VCARD" {
        root.properties_named("FN").next()
    } else {
        root.components
            .iter()
            .filter(|c| c.name != "VTIMEZONE")
            .find_map(|c| c.properties_named("SUMMARY").next())
    }?;
    let text = property.text();
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_tasks_and_contacts_have_titles() {
        let event = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VTIMEZONE\r\nTZID:X\r\nEND:VTIMEZONE\r\nBEGIN:VEVENT\r\nUID:1\r\nSUMMARY:Lunch\\, with Ada\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
        assert_eq!(title_of(event).as_deref(), Some("Lunch, with Ada"));
        let task = b"BEGIN:VCALENDAR\r\nBEGIN:VTODO\r\nUID:2\r\nSUMMARY:  \r\nEND:VTODO\r\nEND:VCALENDAR\r\n";
        assert_eq!(title_of(task), None, "a blank summary is no title");
        let card = b"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:3\r\nitem1.FN:Ada Lovelace\r\nEND:VCARD\r\n";
        assert_eq!(title_of(card).as_deref(), Some("Ada Lovelace"));
        assert_eq!(title_of(b"\xff not text"), None);
    }
}
