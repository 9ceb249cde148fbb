//! The 207 Multi-Status body (RFC 4918 §13), written as it is built so that a listing of
//! 10,000 members costs one buffer, not a tree.

use super::condition::DavError;
use super::prop::{PropName, PropValue};
use super::xml::{NS_DAV, NS_DAVSUITE, XmlWriter};

/// Status line text for the codes the server puts in multistatus bodies.
pub fn status_line(code: u16) -> &'static str {
    match code {
        200 => "HTTP/1.1 200 OK",
        201 => "HTTP/1.1 201 Created",
        204 => "HTTP/1.1 204 No Content",
        400 => "HTTP/1.1 400 Bad Request",
        403 => "HTTP/1.1 403 Forbidden",
        404 => "HTTP/1.1 404 Not Found",
        409 => "HTTP/1.1 409 Conflict",
        413 => "HTTP/1.1 413 Payload Too Large",
        424 => "HTTP/1.1 424 Failed Dependency",
        507 => "HTTP/1.1 507 Insufficient Storage",
        _ => "HTTP/1.1 500 Internal Server Error",
    }
}

/// Builder for one multistatus document.
pub struct Multistatus {
    w: XmlWriter,
}

impl Default for Multistatus {
    fn default() -> Self {
        Self::new()
    }
}

impl Multistatus {
    /// Starts the document.
    pub fn new() -> Self {
        let mut w = XmlWriter::new();
        w.open(NS_DAV, "multistatus");
        Multistatus { w }
    }

    /// Makes room for `bytes` more of output at once: a report with calendar-data writes
    /// megabytes, which growing by doubling would copy over and over.
    pub fn reserve(&mut self, bytes: usize) {
        self.w.reserve(bytes);
    }

    /// A response with the properties found (200 propstat) and those absent (404 propstat).
    pub fn props(&mut self, href: &str, found: &[(PropName, PropValue)], missing: &[PropName]) {
        self.w.open(NS_DAV, "response");
        self.w.text_element(NS_DAV, "href", href);
        if !found.is_empty() {
            self.w.open(NS_DAV, "propstat");
            self.w.open(NS_DAV, "prop");
            for (name, value) in found {
                let (ns, local) = name.qname();
                if value.is_empty() {
                    self.w.empty(ns, local);
                } else {
                    self.w.open(ns, local);
                    value.write_inner(&mut self.w);
                    self.w.close();
                }
            }
            self.w.close();
            self.w.text_element(NS_DAV, "status", status_line(200));
            self.w.close();
        }
        if !missing.is_empty() {
            self.names_propstat(missing, 404);
        }
        if found.is_empty() && missing.is_empty() {
            // An empty <prop/> was asked for: still a propstat, because sync clients tell a
            // changed member (propstat) from a removed one (status 404) by it (RFC 6578 §3.5).
            self.w.open(NS_DAV, "propstat");
            self.w.empty(NS_DAV, "prop");
            self.w.text_element(NS_DAV, "status", status_line(200));
            self.w.close();
        }
        self.w.close();
    }

    /// A response listing property names only, grouped by status (PROPPATCH results,
    /// PROPFIND propname), with an optional error explaining the failure.
    pub fn statuses(
        &mut self,
        href: &str,
        groups: &[(u16, Vec<PropName>)],
        error: Option<&DavError>,
    ) {
        self.w.open(NS_DAV, "response");
        self.w.text_element(NS_DAV, "href", href);
        for (status, names) in groups.iter().filter(|(_, n)| !n.is_empty()) {
            self.names_propstat(names, *status);
        }
        if let Some(e) = error {
            let (ns, local) = e.condition.element();
            self.w.open(NS_DAV, "error");
            self.w.empty(ns, local);
            self.w.close();
            self.w
                .text_element(NS_DAV, "responsedescription", &e.message);
        }
        self.w.close();
    }

    fn names_propstat(&mut self, names: &[PropName], status: u16) {
        self.w.open(NS_DAV, "propstat");
        self.w.open(NS_DAV, "prop");
        for name in names {
            let (ns, local) = name.qname();
            self.w.empty(ns, local);
        }
        self.w.close();
        self.w.text_element(NS_DAV, "status", status_line(status));
        self.w.close();
    }

    /// A response carrying only a status (sync-collection deletions, multiget misses).
    pub fn status(&mut self, href: &str, status: u16) {
        self.w.open(NS_DAV, "response");
        self.w.text_element(NS_DAV, "href", href);
        self.w.text_element(NS_DAV, "status", status_line(status));
        self.w.close();
    }

    /// A response with a status and a readable reason (e.g. truncation, RFC 6578 §3.6).
    pub fn status_with_error(&mut self, href: &str, error: &DavError) {
        self.w.open(NS_DAV, "response");
        self.w.text_element(NS_DAV, "href", href);
        self.w
            .text_element(NS_DAV, "status", status_line(error.status()));
        let (ns, local) = error.condition.element();
        self.w.open(NS_DAV, "error");
        self.w.empty(ns, local);
        self.w.text_element(NS_DAVSUITE, "message", &error.message);
        self.w.close();
        self.w.close();
    }

    /// The `<D:sync-token>` of a sync-collection answer.
    pub fn sync_token(&mut self, token: &str) {
        self.w.text_element(NS_DAV, "sync-token", token);
    }

    /// Closes the document.
    pub fn finish(self) -> String {
        self.w.finish()
    }
}
