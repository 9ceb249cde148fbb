//! Content rules for iCalendar (RFC 5545 / RFC 4791 §4.1) and vCard (RFC 6350 / RFC 2426):
//! parse with calcard, check what a calendar object resource or a vCard must be, and extract
//! the index values the store keeps. Pure: no I/O, no async, imports nothing from the crate.
//!
//! The bytes a client sent are never replaced by a re-serialization: parsing is only for
//! validation and indexing.

mod calendar;
mod lines;
mod span;
pub mod tree;
mod vcard;

pub use calendar::{CalendarInfo, validate_calendar_object};
pub use vcard::{VCardInfo, validate_vcard};

/// Why a body is not acceptable; each maps to one CalDAV/CardDAV precondition.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ContentError {
    /// Not parseable, or breaks a structural rule (missing UID, several UIDs, METHOD present,
    /// several component types, not UTF-8, ...). Maps to `valid-calendar-data` /
    /// `valid-address-data`.
    #[error("{0}")]
    Invalid(String),
    /// A component type the collection does not accept (`supported-calendar-component`).
    #[error("component {component} is not accepted by this calendar (accepted: {accepted})")]
    UnsupportedComponent {
        /// The offending component.
        component: String,
        /// Comma-separated list of accepted components.
        accepted: String,
    },
}

#[cfg(test)]
mod fuzz_tmp {
    #[test]
    fn adversarial() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        static PANICS: AtomicUsize = AtomicUsize::new(0);
        std::panic::set_hook(Box::new(|info| {
            PANICS.fetch_add(1, Ordering::SeqCst);
            eprintln!("PANIC {info}");
        }));
        let all: Vec<String> = ["VEVENT", "VTODO", "VJOURNAL", "VFREEBUSY"]
            .map(String::from)
            .to_vec();
        let starts = [
            "DTSTART:99991231T235959Z",
            "DTSTART:00010101T000000",
            "DTSTART;VALUE=DATE:99991231",
            "DTSTART:20240101T000000Z",
            "DTSTART;TZID=Europe/Zurich:20240331T023000",
            "DTSTART:20240101T000000+1400",
            "DTSTART:20240101T000000-2359",
            "DTSTART:20241301T000000",
            "DTSTART:20240230T000000",
            "DTSTART:20240101T250000",
            "DTSTART:20240101T000060Z",
        ];
        let ends = [
            "",
            "DURATION:P99999999W",
            "DURATION:-P99999999W",
            "DTEND:00010101T000000Z",
            "DTEND:99991231T235959Z",
            "DURATION:PT4294967295S",
            "DTEND;TZID=Nowhere/Land:20240101T000000",
        ];
        let rules = [
            "",
            "RRULE:FREQ=SECONDLY;COUNT=3000",
            "RRULE:FREQ=YEARLY;COUNT=3000",
            "RRULE:FREQ=YEARLY;INTERVAL=65535;COUNT=3000",
            "RRULE:FREQ=DAILY;INTERVAL=0;COUNT=5",
            "RRULE:FREQ=MONTHLY;BYSETPOS=-366,366;BYDAY=MO;COUNT=100",
            "RRULE:FREQ=YEARLY;BYWEEKNO=53;BYDAY=-1SU;COUNT=2999",
            "RRULE:FREQ=DAILY;UNTIL=99991231T235959Z",
            "RRULE:FREQ=DAILY;UNTIL=00010101",
            "RRULE:FREQ=YEARLY;BYYEARDAY=-366,366;COUNT=3000",
            "RRULE:FREQ=MONTHLY;BYMONTHDAY=-31,31;COUNT=3000",
            "RRULE:FREQ=YEARLY;BYEASTER=0;COUNT=100",
            "RDATE;VALUE=PERIOD:20240101T000000Z/P99999999W",
            "RDATE:99991231T235959Z,00010101T000000Z",
            "RRULE:FREQ=WEEKLY;COUNT=4294967295",
            "RRULE:FREQ=DAILY;COUNT=0",
        ];
        let rids = ["", "RECURRENCE-ID;RANGE=THISANDFUTURE:20240102T000000Z"];
        for s in starts {
            for e in ends {
                for r in rules {
                    for rid in rids {
                        let body = format!(
                            "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:x\r\n{s}\r\n{e}\r\n{r}\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:x\r\nRECURRENCE-ID:20240105T000000Z\r\n{s}\r\n{rid}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
                        );
                        let t = std::time::Instant::now();
                        let _ = super::validate_calendar_object(body.as_bytes(), &all);
                        if t.elapsed().as_millis() > 300 {
                            eprintln!("SLOW {}ms {s} {e} {r}", t.elapsed().as_millis());
                        }
                    }
                }
            }
        }
        let _ = std::panic::take_hook();
        assert_eq!(PANICS.load(Ordering::SeqCst), 0);
    }
}
