//! OPTIONS: the DAV compliance classes and the methods the server implements.

use super::{ALLOW, DavResponse};

/// Compliance classes (RFC 4918 §10.1, RFC 4791 §5.1, RFC 6352 §6.1, RFC 5689 §3), and the
/// sharing extensions: `calendarserver-sharing` (Apple's caldav-sharing: `CS:share`,
/// `CS:invite-reply`) and `resource-sharing` (draft-pot-webdav-resource-sharing).
pub const DAV_CLASSES: &str = "1, 3, access-control, calendar-access, addressbook, extended-mkcol, calendarserver-sharing, resource-sharing";

/// Handles OPTIONS.
pub fn options() -> DavResponse {
    DavResponse::empty(200)
        .with("dav", DAV_CLASSES)
        .with("allow", ALLOW)
}
