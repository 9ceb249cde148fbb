//! Preconditions and postconditions (RFC 4918 §16, RFC 4791, RFC 6352, RFC 6578, RFC 3744,
//! RFC 4331) and the one place where each picks its HTTP status.
//!
//! RFC 4791 §1.3: a precondition that can never succeed answers 403, one the client can fix
//! (a UID clash) answers 409, a quota failure 507 (RFC 4331); 412 is only for If-Match,
//! If-None-Match and If, which are not conditions and are kept apart.

use super::xml::{NS_CALDAV, NS_CARDDAV, NS_DAV, NS_DAVSUITE, XmlWriter};

/// Every DAV error element the server can answer with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Condition {
    /// DAV:propfind-finite-depth: `Depth: infinity` is not served.
    PropfindFiniteDepth,
    /// DAV:cannot-modify-protected-property (PROPPATCH, MKCOL/MKCALENDAR set).
    CannotModifyProtectedProperty,
    /// DAV:valid-sync-token: the token is unknown, foreign or too old; clients resync.
    ValidSyncToken,
    /// DAV:number-of-matches-within-limits: a report answer was truncated (RFC 6578 §3.6).
    NumberOfMatchesWithinLimits,
    /// DAV:need-privileges: the user lacks a privilege on the resource (RFC 3744 §7.1.1).
    NeedPrivileges,
    /// DAV:resource-must-be-null: MKCOL/MKCALENDAR on an existing resource.
    ResourceMustBeNull,
    /// DAV:valid-resourcetype: an extended MKCOL asked for an unsupported resource type.
    ValidResourcetype,
    /// DAV:quota-not-exceeded (RFC 4331): the write would exceed the quota.
    QuotaNotExceeded,
    /// CALDAV:valid-calendar-data: the body is not a valid calendar object resource.
    ValidCalendarData,
    /// CALDAV:valid-calendar-object-resource: the object breaks RFC 4791 §4.1.
    ValidCalendarObjectResource,
    /// CALDAV:supported-calendar-data: wrong media type.
    SupportedCalendarData,
    /// CALDAV:supported-calendar-component: the calendar does not accept that component.
    SupportedCalendarComponent,
    /// CALDAV:no-uid-conflict with the href of the object already holding the UID.
    CalNoUidConflict(String),
    /// CALDAV:max-resource-size.
    CalMaxResourceSize,
    /// CALDAV:calendar-collection-location-ok: calendars only inside the calendar home.
    CalendarCollectionLocationOk,
    /// CALDAV:supported-filter: the filter uses something the server does not support.
    CalSupportedFilter,
    /// CALDAV:valid-filter: the filter is malformed.
    CalValidFilter,
    /// CALDAV:supported-collation.
    CalSupportedCollation,
    /// CARDDAV:supported-collation.
    CardSupportedCollation,
    /// DAV:supported-report: the REPORT is not offered on this resource (RFC 3253 §3.6).
    SupportedReport,
    /// CARDDAV:valid-address-data: the body is not a valid vCard.
    ValidAddressData,
    /// CARDDAV:supported-address-data: wrong media type or version.
    SupportedAddressData,
    /// CARDDAV:supported-address-data-conversion: address-data asked for a media type or
    /// version the server cannot convert cards to.
    SupportedAddressDataConversion,
    /// CARDDAV:no-uid-conflict with the href of the object already holding the UID.
    CardNoUidConflict(String),
    /// CARDDAV:max-resource-size.
    CardMaxResourceSize,
    /// CARDDAV:addressbook-collection-location-ok.
    AddressbookCollectionLocationOk,
    /// CARDDAV:supported-filter.
    CardSupportedFilter,
    /// davsuite:collection-limit-reached: the owner's plan allows no more calendars (or
    /// address books); deleting one or upgrading the plan lifts it.
    CollectionLimitReached,
    /// davsuite:valid-destination: a COPY or MOVE whose Destination cannot take the source
    /// (the source itself, or not the URL of an object in a collection; RFC 4918 §9.8.5).
    ValidDestination,
    /// davsuite:valid-sharee: a sharing request names someone the collection cannot be
    /// shared with (unknown, outside the owner's organisations, or the owner).
    ValidSharee,
    /// davsuite:share-changes-within-limits: a sharing request changes more shares than one
    /// request may (it never will: the client must split it).
    ShareChangesWithinLimits,
    /// A request body that is not what the method expects (davsuite:invalid-request, 400).
    InvalidRequest,
    /// A path or resource name that cannot be used (davsuite:valid-resource-name, 400).
    ValidResourceName,
}

impl Condition {
    /// The HTTP status this condition is answered with. The only place that decides it.
    pub fn status(&self) -> u16 {
        use Condition::*;
        match self {
            PropfindFiniteDepth
            | CannotModifyProtectedProperty
            | ValidSyncToken
            | NeedPrivileges
            | ValidResourcetype
            | ValidCalendarData
            | ValidCalendarObjectResource
            | SupportedCalendarData
            | SupportedCalendarComponent
            | CalendarCollectionLocationOk
            | CalSupportedFilter
            | ValidAddressData
            | SupportedAddressData
            | SupportedAddressDataConversion
            | AddressbookCollectionLocationOk
            | CardSupportedFilter
            | CalSupportedCollation
            | CardSupportedCollation
            | SupportedReport
            | CalValidFilter
            | CollectionLimitReached
            | ValidDestination
            | ValidSharee
            | ShareChangesWithinLimits => 403,
            CalNoUidConflict(_) | CardNoUidConflict(_) => 409,
            ResourceMustBeNull => 405,
            NumberOfMatchesWithinLimits | QuotaNotExceeded => 507,
            CalMaxResourceSize | CardMaxResourceSize => 413,
            InvalidRequest | ValidResourceName => 400,
        }
    }

    /// Namespace and local name of the error element.
    pub fn element(&self) -> (&'static str, &'static str) {
        use Condition::*;
        match self {
            PropfindFiniteDepth => (NS_DAV, "propfind-finite-depth"),
            CannotModifyProtectedProperty => (NS_DAV, "cannot-modify-protected-property"),
            ValidSyncToken => (NS_DAV, "valid-sync-token"),
            NumberOfMatchesWithinLimits => (NS_DAV, "number-of-matches-within-limits"),
            NeedPrivileges => (NS_DAV, "need-privileges"),
            ResourceMustBeNull => (NS_DAV, "resource-must-be-null"),
            ValidResourcetype => (NS_DAV, "valid-resourcetype"),
            QuotaNotExceeded => (NS_DAV, "quota-not-exceeded"),
            ValidCalendarData => (NS_CALDAV, "valid-calendar-data"),
            ValidCalendarObjectResource => (NS_CALDAV, "valid-calendar-object-resource"),
            SupportedCalendarData => (NS_CALDAV, "supported-calendar-data"),
            SupportedCalendarComponent => (NS_CALDAV, "supported-calendar-component"),
            CalNoUidConflict(_) => (NS_CALDAV, "no-uid-conflict"),
            CalMaxResourceSize => (NS_CALDAV, "max-resource-size"),
            CalendarCollectionLocationOk => (NS_CALDAV, "calendar-collection-location-ok"),
            CalSupportedFilter => (NS_CALDAV, "supported-filter"),
            CalValidFilter => (NS_CALDAV, "valid-filter"),
            CalSupportedCollation => (NS_CALDAV, "supported-collation"),
            CardSupportedCollation => (NS_CARDDAV, "supported-collation"),
            SupportedReport => (NS_DAV, "supported-report"),
            ValidAddressData => (NS_CARDDAV, "valid-address-data"),
            SupportedAddressData => (NS_CARDDAV, "supported-address-data"),
            SupportedAddressDataConversion => (NS_CARDDAV, "supported-address-data-conversion"),
            CardNoUidConflict(_) => (NS_CARDDAV, "no-uid-conflict"),
            CardMaxResourceSize => (NS_CARDDAV, "max-resource-size"),
            AddressbookCollectionLocationOk => (NS_CARDDAV, "addressbook-collection-location-ok"),
            CardSupportedFilter => (NS_CARDDAV, "supported-filter"),
            CollectionLimitReached => (NS_DAVSUITE, "collection-limit-reached"),
            ValidDestination => (NS_DAVSUITE, "valid-destination"),
            ValidSharee => (NS_DAVSUITE, "valid-sharee"),
            ShareChangesWithinLimits => (NS_DAVSUITE, "share-changes-within-limits"),
            InvalidRequest => (NS_DAVSUITE, "invalid-request"),
            ValidResourceName => (NS_DAVSUITE, "valid-resource-name"),
        }
    }
}

/// A refused request: the condition plus a message a person can read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct DavError {
    /// The precondition that failed.
    pub condition: Condition,
    /// Human-readable explanation, shown by Apple and DAVx5.
    pub message: String,
}

impl DavError {
    /// Builds an error from a condition and a message.
    pub fn new(condition: Condition, message: impl Into<String>) -> Self {
        DavError {
            condition,
            message: message.into(),
        }
    }

    /// HTTP status of the error.
    pub fn status(&self) -> u16 {
        self.condition.status()
    }

    /// The `<D:error>` body (RFC 4918 §16) with the condition element and a `davsuite:message`.
    pub fn to_xml(&self) -> String {
        let mut w = XmlWriter::new();
        w.open(NS_DAV, "error");
        let (ns, local) = self.condition.element();
        match &self.condition {
            Condition::CalNoUidConflict(href) | Condition::CardNoUidConflict(href) => {
                w.open(ns, local);
                w.text_element(NS_DAV, "href", href);
                w.close();
            }
            _ => w.empty(ns, local),
        }
        w.text_element(NS_DAVSUITE, "message", &self.message);
        w.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uid_conflict_is_409_and_names_the_existing_href() {
        let e = DavError::new(
            Condition::CalNoUidConflict("/dav/calendars/a/b/x.ics".into()),
            "taken",
        );
        assert_eq!(e.status(), 409);
        let xml = e.to_xml();
        assert!(
            xml.contains(
                "<C:no-uid-conflict><D:href>/dav/calendars/a/b/x.ics</D:href></C:no-uid-conflict>"
            ),
            "{xml}"
        );
        assert!(xml.contains("<DS:message>taken</DS:message>"), "{xml}");
    }

    #[test]
    fn statuses_follow_rfc_4791_section_1_3() {
        assert_eq!(Condition::ValidCalendarData.status(), 403);
        assert_eq!(Condition::QuotaNotExceeded.status(), 507);
        assert_eq!(Condition::ValidSyncToken.status(), 403);
        assert_eq!(Condition::CalMaxResourceSize.status(), 413);
    }
}
