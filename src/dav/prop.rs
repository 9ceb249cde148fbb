//! Property names as typed enums (one per namespace, plus `Dead` for everything else) and the
//! values the server writes for them.

use super::xml::{
    NS_APPLE_ICAL, NS_CALDAV, NS_CALENDARSERVER, NS_CARDDAV, NS_DAV, QName, XmlWriter,
};

/// Declares a property enum whose variants map one-to-one to local names in one namespace.
macro_rules! prop_names {
    ($(#[$doc:meta])* $name:ident, $ns:expr, { $($(#[$vdoc:meta])* $variant:ident => $local:literal,)* }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name { $($(#[$vdoc])* $variant,)* }

        impl $name {
            /// Local XML name.
            pub fn local(self) -> &'static str {
                match self { $($name::$variant => $local,)* }
            }

            /// Looks a local name up.
            pub fn from_local(local: &str) -> Option<Self> {
                match local { $($local => Some($name::$variant),)* _ => None }
            }

            /// Namespace URI.
            pub const NS: &'static str = $ns;
        }
    };
}

prop_names!(
    /// Properties in the `DAV:` namespace (RFC 4918, RFC 3744, RFC 5397, RFC 6578, RFC 4331).
    DavProp, NS_DAV, {
    /// resourcetype
    ResourceType => "resourcetype",
    /// displayname
    DisplayName => "displayname",
    /// getetag
    GetEtag => "getetag",
    /// getcontenttype
    GetContentType => "getcontenttype",
    /// getcontentlength
    GetContentLength => "getcontentlength",
    /// getlastmodified
    GetLastModified => "getlastmodified",
    /// creationdate
    CreationDate => "creationdate",
    /// owner (RFC 3744)
    Owner => "owner",
    /// current-user-principal (RFC 5397)
    CurrentUserPrincipal => "current-user-principal",
    /// principal-URL (RFC 3744)
    PrincipalUrl => "principal-URL",
    /// principal-collection-set (RFC 3744)
    PrincipalCollectionSet => "principal-collection-set",
    /// current-user-privilege-set (RFC 3744)
    CurrentUserPrivilegeSet => "current-user-privilege-set",
    /// supported-report-set (RFC 3253)
    SupportedReportSet => "supported-report-set",
    /// sync-token (RFC 6578)
    SyncToken => "sync-token",
    /// quota-used-bytes (RFC 4331)
    QuotaUsedBytes => "quota-used-bytes",
    /// quota-available-bytes (RFC 4331)
    QuotaAvailableBytes => "quota-available-bytes",
    /// group-membership (RFC 3744); Apple asks for it on principals.
    GroupMembership => "group-membership",
    /// alternate-URI-set (RFC 3744); Apple asks for it on principals.
    AlternateUriSet => "alternate-URI-set",
});

prop_names!(
    /// Properties in the CalDAV namespace (RFC 4791).
    CalProp, NS_CALDAV, {
    /// calendar-home-set
    CalendarHomeSet => "calendar-home-set",
    /// calendar-user-address-set (RFC 6638)
    CalendarUserAddressSet => "calendar-user-address-set",
    /// calendar-user-type (RFC 6638)
    CalendarUserType => "calendar-user-type",
    /// calendar-description
    CalendarDescription => "calendar-description",
    /// calendar-timezone
    CalendarTimezone => "calendar-timezone",
    /// supported-calendar-component-set
    SupportedCalendarComponentSet => "supported-calendar-component-set",
    /// supported-calendar-data
    SupportedCalendarData => "supported-calendar-data",
    /// max-resource-size
    MaxResourceSize => "max-resource-size",
    /// calendar-data (reports only)
    CalendarData => "calendar-data",
});

prop_names!(
    /// Properties in the CardDAV namespace (RFC 6352).
    CardProp, NS_CARDDAV, {
    /// addressbook-home-set
    AddressbookHomeSet => "addressbook-home-set",
    /// addressbook-description
    AddressbookDescription => "addressbook-description",
    /// supported-address-data
    SupportedAddressData => "supported-address-data",
    /// max-resource-size
    MaxResourceSize => "max-resource-size",
    /// address-data (reports only)
    AddressData => "address-data",
});

prop_names!(
    /// Apple CalendarServer properties.
    CsProp, NS_CALENDARSERVER, {
    /// getctag: changes whenever a member changes.
    GetCtag => "getctag",
    /// invite: who a shared collection is shared with (caldav-sharing).
    Invite => "invite",
    /// shared-url: on a sharee's copy of a shared collection, the owner's URL of it.
    SharedUrl => "shared-url",
    /// allowed-sharing-modes: whether the collection can be shared / published.
    AllowedSharingModes => "allowed-sharing-modes",
});

prop_names!(
    /// Apple iCal properties.
    AppleProp, NS_APPLE_ICAL, {
    /// calendar-color
    CalendarColor => "calendar-color",
    /// calendar-order
    CalendarOrder => "calendar-order",
});

/// Any property name: a known one by namespace, or a dead one kept by its qualified name.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum PropName {
    /// `DAV:` property.
    Dav(DavProp),
    /// CalDAV property.
    Cal(CalProp),
    /// CardDAV property.
    Card(CardProp),
    /// CalendarServer property.
    CalendarServer(CsProp),
    /// Apple iCal property.
    Apple(AppleProp),
    /// Anything else: stored verbatim when set, 404 when asked for and absent.
    Dead(QName),
}

impl PropName {
    /// Classifies a qualified name.
    pub fn from_qname(q: &QName) -> PropName {
        let known = match q.ns.as_str() {
            NS_DAV => DavProp::from_local(&q.local).map(PropName::Dav),
            NS_CALDAV => CalProp::from_local(&q.local).map(PropName::Cal),
            NS_CARDDAV => CardProp::from_local(&q.local).map(PropName::Card),
            NS_CALENDARSERVER => CsProp::from_local(&q.local).map(PropName::CalendarServer),
            NS_APPLE_ICAL => AppleProp::from_local(&q.local).map(PropName::Apple),
            _ => None,
        };
        known.unwrap_or_else(|| PropName::Dead(q.clone()))
    }

    /// Namespace URI and local name.
    pub fn qname(&self) -> (&str, &str) {
        match self {
            PropName::Dav(p) => (DavProp::NS, p.local()),
            PropName::Cal(p) => (CalProp::NS, p.local()),
            PropName::Card(p) => (CardProp::NS, p.local()),
            PropName::CalendarServer(p) => (CsProp::NS, p.local()),
            PropName::Apple(p) => (AppleProp::NS, p.local()),
            PropName::Dead(q) => (&q.ns, &q.local),
        }
    }
}

/// A privilege of RFC 3744 §3 that the server reports in current-user-privilege-set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Privilege {
    /// DAV:read
    Read,
    /// DAV:write (aggregate)
    Write,
    /// DAV:write-properties
    WriteProperties,
    /// DAV:write-content
    WriteContent,
    /// DAV:bind (create members)
    Bind,
    /// DAV:unbind (delete members)
    Unbind,
    /// DAV:read-current-user-privilege-set
    ReadCurrentUserPrivilegeSet,
}

impl Privilege {
    /// Local name in `DAV:`.
    pub fn local(self) -> &'static str {
        match self {
            Privilege::Read => "read",
            Privilege::Write => "write",
            Privilege::WriteProperties => "write-properties",
            Privilege::WriteContent => "write-content",
            Privilege::Bind => "bind",
            Privilege::Unbind => "unbind",
            Privilege::ReadCurrentUserPrivilegeSet => "read-current-user-privilege-set",
        }
    }

    /// Everything an owner holds.
    pub const ALL: [Privilege; 7] = [
        Privilege::Read,
        Privilege::Write,
        Privilege::WriteProperties,
        Privilege::WriteContent,
        Privilege::Bind,
        Privilege::Unbind,
        Privilege::ReadCurrentUserPrivilegeSet,
    ];

    /// What a read-only viewer holds.
    pub const READ_ONLY: [Privilege; 2] = [Privilege::Read, Privilege::ReadCurrentUserPrivilegeSet];

    /// What a sharee with read access holds: it reads, and changes the properties of its own
    /// view (name, colour), but not the content (RFC 3744 write-properties without
    /// write-content, as DAVx5 and Apple read it).
    pub const READ_AND_VIEW: [Privilege; 3] = [
        Privilege::Read,
        Privilege::WriteProperties,
        Privilege::ReadCurrentUserPrivilegeSet,
    ];
}

/// A property value, written by [`PropValue::write_inner`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PropValue {
    /// An empty element.
    Empty,
    /// Character data.
    Text(String),
    /// One `<D:href>`.
    Href(String),
    /// Several `<D:href>` (possibly none).
    Hrefs(Vec<String>),
    /// Child elements with no content (resourcetype, calendar-user-type style lists).
    Elements(Vec<(&'static str, &'static str)>),
    /// `<D:privilege><D:x/></D:privilege>` for each.
    Privileges(Vec<Privilege>),
    /// `<D:supported-report><D:report><ns:x/></D:report></D:supported-report>` for each.
    Reports(Vec<(&'static str, &'static str)>),
    /// `<C:comp name="X"/>` for each component.
    Components(Vec<String>),
    /// `<ns:local content-type=".." version=".."/>` for each (supported-calendar-data and
    /// supported-address-data).
    DataTypes(
        &'static str,
        &'static str,
        Vec<(&'static str, &'static str)>,
    ),
    /// Trusted, self-contained XML (a dead property as stored).
    Raw(String),
    /// Nested elements (structured values such as CalendarServer's invite).
    Tree(Vec<XmlNode>),
}

/// An element of a [`PropValue::Tree`]: a name, text or child elements.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct XmlNode {
    /// Namespace URI.
    pub ns: &'static str,
    /// Local name.
    pub local: &'static str,
    /// Character data (written when there are no children).
    pub text: Option<String>,
    /// Child elements.
    pub children: Vec<XmlNode>,
}

impl XmlNode {
    /// An empty element.
    pub fn empty(ns: &'static str, local: &'static str) -> XmlNode {
        XmlNode {
            ns,
            local,
            text: None,
            children: Vec::new(),
        }
    }

    /// An element holding text.
    pub fn text(ns: &'static str, local: &'static str, text: impl Into<String>) -> XmlNode {
        XmlNode {
            text: Some(text.into()),
            ..XmlNode::empty(ns, local)
        }
    }

    /// An element holding these children.
    pub fn parent(ns: &'static str, local: &'static str, children: Vec<XmlNode>) -> XmlNode {
        XmlNode {
            children,
            ..XmlNode::empty(ns, local)
        }
    }

    fn write(&self, w: &mut XmlWriter) {
        match (&self.text, self.children.is_empty()) {
            (Some(t), true) => w.text_element(self.ns, self.local, t),
            (None, true) => w.empty(self.ns, self.local),
            _ => {
                w.open(self.ns, self.local);
                for c in &self.children {
                    c.write(w);
                }
                w.close();
            }
        }
    }
}

impl PropValue {
    /// Writes the value's content (between the property's start and end tags).
    pub fn write_inner(&self, w: &mut XmlWriter) {
        match self {
            PropValue::Empty => {}
            PropValue::Text(t) => w.text(t),
            PropValue::Href(h) => w.text_element(NS_DAV, "href", h),
            PropValue::Hrefs(hs) => {
                for h in hs {
                    w.text_element(NS_DAV, "href", h);
                }
            }
            PropValue::Elements(es) => {
                for (ns, local) in es {
                    w.empty(ns, local);
                }
            }
            PropValue::Privileges(ps) => {
                for p in ps {
                    w.open(NS_DAV, "privilege");
                    w.empty(NS_DAV, p.local());
                    w.close();
                }
            }
            PropValue::Reports(rs) => {
                for (ns, local) in rs {
                    w.open(NS_DAV, "supported-report");
                    w.open(NS_DAV, "report");
                    w.empty(ns, local);
                    w.close();
                    w.close();
                }
            }
            PropValue::Components(cs) => {
                for c in cs {
                    w.empty_attrs(NS_CALDAV, "comp", &[("name", c)]);
                }
            }
            PropValue::DataTypes(ns, local, types) => {
                for (ct, version) in types {
                    w.empty_attrs(ns, local, &[("content-type", ct), ("version", version)]);
                }
            }
            PropValue::Raw(xml) => w.raw(xml),
            PropValue::Tree(nodes) => {
                for n in nodes {
                    n.write(w);
                }
            }
        }
    }

    /// True when the value is written as an empty element (used to pick `<x/>` over `<x></x>`).
    pub fn is_empty(&self) -> bool {
        match self {
            PropValue::Empty => true,
            PropValue::Text(t) | PropValue::Raw(t) => t.is_empty(),
            PropValue::Hrefs(v) => v.is_empty(),
            PropValue::Elements(v) | PropValue::Reports(v) => v.is_empty(),
            PropValue::Privileges(v) => v.is_empty(),
            PropValue::Components(v) => v.is_empty(),
            PropValue::DataTypes(_, _, v) => v.is_empty(),
            PropValue::Tree(v) => v.is_empty(),
            PropValue::Href(_) => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_classify_by_namespace_not_prefix() {
        assert_eq!(
            PropName::from_qname(&QName::new(NS_DAV, "getetag")),
            PropName::Dav(DavProp::GetEtag)
        );
        assert_eq!(
            PropName::from_qname(&QName::new(NS_CALENDARSERVER, "getctag")),
            PropName::CalendarServer(CsProp::GetCtag)
        );
        let dead = QName::new("urn:x", "getetag");
        assert_eq!(PropName::from_qname(&dead), PropName::Dead(dead.clone()));
        assert_eq!(
            PropName::Dav(DavProp::PrincipalUrl).qname(),
            (NS_DAV, "principal-URL")
        );
    }
}
