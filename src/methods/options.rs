//! OPTIONS: the DAV compliance classes and the methods the server implements.

use super::{ALLOW, DavResponse};

/// Compliance classes (RFC 4918 §10.1, RFC 4791 §5.1, RFC 6352 §6.1, RFC 5689 §3).
pub const DAV_CLASSES: &str = "1, 3, access-control, calendar-access, addressbook, extended-mkcol";

/// Handles OPTIONS.
pub fn options() -> DavResponse {
    DavResponse::empty(200)
        .with("dav", DAV_CLASSES)
        .with("allow", ALLOW)
}
