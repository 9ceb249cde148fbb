//! Content rules for iCalendar (RFC 5545 / RFC 4791 §4.1) and vCard (RFC 6350 / RFC 2426):
//! parse with calcard, check what a calendar object resource or a vCard must be, and extract
//! the index values the store keeps. Pure: no I/O, no async, imports nothing from the crate.
//!
//! The bytes a client sent are never replaced by a re-serialization: parsing is only for
//! validation and indexing.

pub mod alarm;
mod blocks;
mod calendar;
pub mod calendar_data;
pub mod card_compose;
pub mod compose;
pub mod contact;
pub mod dates;
mod duration;
pub mod editable;
pub mod export;
pub mod fold;
pub mod freebusy;
pub mod group_compose;
pub mod index;
pub mod join;
mod lines;
pub mod overrides;
pub mod recur;
mod span;
pub mod split;
pub mod tree;
pub mod tz_definition;
pub mod uid;
mod vcard;
pub mod vcard_convert;
pub mod vcard_merge;
pub mod vcard_write;
mod vtimezone;
pub mod write;

pub use calendar::{CalendarInfo, validate_and_index, validate_calendar_object};
pub use vcard::{VCardInfo, validate_vcard};

/// Why a body is not acceptable; each maps to one CalDAV/CardDAV precondition.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ContentError {
    /// Not parseable (bad syntax, unbalanced BEGIN/END, not UTF-8, an unreadable date value,
    /// ...), or a vCard that breaks a rule (no UID, no FN, two cards). Maps to
    /// `valid-calendar-data` / `valid-address-data`.
    #[error("{0}")]
    Invalid(String),
    /// Parses, but breaks a rule of what one calendar object resource may hold (RFC 4791 §4.1:
    /// a METHOD, several UIDs or component types, no UID, two masters). Maps to
    /// `valid-calendar-object-resource`.
    #[error("{0}")]
    ObjectRule(String),
    /// A component type the collection does not accept (`supported-calendar-component`).
    #[error("component {component} is not accepted by this calendar (accepted: {accepted})")]
    UnsupportedComponent {
        /// The offending component.
        component: String,
        /// Comma-separated list of accepted components.
        accepted: String,
    },
}
