//! Content rules for iCalendar (RFC 5545 / RFC 4791 §4.1) and vCard (RFC 6350 / RFC 2426):
//! parse with calcard, check what a calendar object resource or a vCard must be, and extract
//! the index values the store keeps. Pure: no I/O, no async, imports nothing from the crate.
//!
//! The bytes a client sent are never replaced by a re-serialization: parsing is only for
//! validation and indexing.

mod calendar;
mod lines;
mod span;
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
    fn fuzz_all() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        static PANICS: AtomicUsize = AtomicUsize::new(0);
        std::panic::set_hook(Box::new(|info| {
            PANICS.fetch_add(1, Ordering::SeqCst);
            eprintln!("PANIC {info}");
        }));
        let all: Vec<String> = ["VEVENT", "VTODO", "VJOURNAL", "VFREEBUSY"]
            .map(String::from)
            .to_vec();
        let mut seed: u64 = 0x1234_5678;
        let mut rnd = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for dir in ["ical", "vcard"] {
            let d = format!("{}/fixtures/{dir}", env!("CARGO_MANIFEST_DIR"));
            for e in std::fs::read_dir(d).unwrap() {
                let b = std::fs::read(e.unwrap().path()).unwrap();
                if b.len() > 20000 {
                    continue;
                }
                for end in 0..=b.len() {
                    let _ = super::validate_calendar_object(&b[..end], &all);
                    let _ = super::validate_vcard(&b[..end]);
                }
                for _ in 0..300 {
                    let mut m = b.clone();
                    for _ in 0..(1 + rnd() % 4) {
                        if m.is_empty() {
                            break;
                        }
                        let i = (rnd() as usize) % m.len();
                        match rnd() % 5 {
                            0 => m[i] = b"0123456789:;=,\"\\\n\r TZ-+"[(rnd() % 23) as usize],
                            1 => {
                                m.remove(i);
                            }
                            2 => m.insert(i, b"9"[0]),
                            3 => {
                                let s = (rnd() as usize) % m.len();
                                let t = m[s..].iter().take(20).copied().collect::<Vec<_>>();
                                for (k, c) in t.into_iter().enumerate() {
                                    m.insert(i + k, c);
                                }
                            }
                            _ => m[i] = (rnd() % 256) as u8,
                        }
                    }
                    let _ = super::validate_calendar_object(&m, &all);
                    let _ = super::validate_vcard(&m);
                }
            }
        }
        let _ = std::panic::take_hook();
        assert_eq!(PANICS.load(Ordering::SeqCst), 0);
    }
}
