//! What a page says after a form post. A change that worked redirects (303) back to the page
//! with a short status in the query string, which the page turns into its own words (never
//! text taken from the URL as it is); a refusal is drawn at once, with the status the JSON API
//! would answer and a message saying what to do, and nothing changed.

use maud::{Markup, html};
use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};

use crate::org::ErrorKind;
use crate::store::StoreError;

/// The message at the top of a page.
#[derive(Debug, Clone, Default)]
pub enum Notice {
    /// Nothing to say.
    #[default]
    None,
    /// A change was made.
    Done(String),
    /// A request was refused; the markup offers what to do next (a form), if anything.
    Refused(String, Option<Markup>),
}

impl Notice {
    /// The message as an alert (`role="status"` for a change, `role="alert"` for a refusal).
    pub fn render(&self) -> Markup {
        html! {
            @match self {
                Notice::None => {},
                Notice::Done(text) => p.alert.ok #notice role="status" { (text) },
                Notice::Refused(text, next) => div.alert.error #notice role="alert" {
                    p { (text) }
                    @if let Some(next) = next { (next) }
                },
            }
        }
    }
}

/// The HTTP status of a refusal of class `kind`, as the JSON API answers it; `None` for a
/// server failure, which the caller reports as such.
pub fn status(kind: ErrorKind) -> Option<u16> {
    match kind {
        ErrorKind::Invalid => Some(422),
        ErrorKind::Forbidden => Some(403),
        ErrorKind::NotFound => Some(404),
        ErrorKind::Conflict => Some(409),
        ErrorKind::Internal => None,
    }
}

/// A server failure of a domain operation, for the web view's error page (logged there).
pub fn failure(e: impl std::fmt::Display) -> StoreError {
    StoreError::Backend(e.to_string())
}

/// `path` with the query `fields` (each value percent-encoded), for a redirect after a post.
pub fn with_query(path: &str, fields: &[(&str, &str)]) -> String {
    let query: Vec<String> = fields
        .iter()
        .map(|(n, v)| format!("{n}={}", utf8_percent_encode(v, NON_ALPHANUMERIC)))
        .collect();
    if query.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?{}", query.join("&"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_are_encoded() {
        assert_eq!(
            with_query("/web/trash", &[("ok", "restored"), ("href", "/dav/a b/")]),
            "/web/trash?ok=restored&href=%2Fdav%2Fa%20b%2F"
        );
        assert_eq!(with_query("/web/trash", &[]), "/web/trash");
    }

    #[test]
    fn refusals_keep_the_api_s_statuses() {
        assert_eq!(status(ErrorKind::Conflict), Some(409));
        assert_eq!(status(ErrorKind::Invalid), Some(422));
        assert_eq!(status(ErrorKind::Internal), None);
    }

    #[test]
    fn notices_escape_their_text() {
        let html = Notice::Refused("<b>x</b>".into(), None)
            .render()
            .into_string();
        assert!(html.contains("&lt;b&gt;x&lt;/b&gt;") && html.contains("role=\"alert\""));
        assert_eq!(Notice::None.render().into_string(), "");
    }
}
