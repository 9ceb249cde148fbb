//! Hrefs: one canonical encoder for every path segment the server writes, and a decoder that
//! accepts any equivalent encoding a client sends (compat pitfall 11: `%20`, `@`, `#`, `?`).
//! A leaf that imports nothing from the crate, so every layer that writes or reads paths (the
//! DAV methods, and the collection paths of the command line and the JSON API in `org`) uses
//! this one.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};

/// Characters left as they are in a path segment: RFC 3986 unreserved plus a few sub-delims
/// that clients commonly leave raw. Everything else (space, `#`, `?`, `%`, `/`, non-ASCII) is
/// encoded, so an href written once is written the same way everywhere.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'@')
    .remove(b'+')
    .remove(b'=')
    .remove(b'!')
    .remove(b'$')
    .remove(b'&')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')')
    .remove(b'*')
    .remove(b',')
    .remove(b';')
    .remove(b':');

/// Encodes one decoded path segment canonically.
pub fn encode_segment(segment: &str) -> String {
    utf8_percent_encode(segment, SEGMENT).to_string()
}

/// Why a path could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PathError {
    /// A segment is `.`/`..`, decodes to something containing `/` or NUL, or is not UTF-8.
    #[error("invalid path segment")]
    InvalidSegment,
}

/// Splits a request path (no query) into decoded segments. A trailing slash is reported
/// separately because it distinguishes collections in hrefs. `..`, `.`, empty inner segments
/// and segments that decode to `/` or control characters are refused: no path can climb out of
/// the place it names.
pub fn decode_path(path: &str) -> Result<(Vec<String>, bool), PathError> {
    let trailing = path.ends_with('/');
    let mut out = Vec::new();
    for raw in path.split('/').filter(|s| !s.is_empty()) {
        let seg = percent_decode_str(raw)
            .decode_utf8()
            .map_err(|_| PathError::InvalidSegment)?;
        if seg == "." || seg == ".." || seg.contains('/') || seg.chars().any(char::is_control) {
            return Err(PathError::InvalidSegment);
        }
        out.push(seg.into_owned());
    }
    Ok((out, trailing))
}

/// Turns an href from a request body (absolute URL or absolute path) into its path part.
pub fn href_path(href: &str) -> &str {
    let h = href.trim();
    if let Some(rest) = h
        .strip_prefix("http://")
        .or_else(|| h.strip_prefix("https://"))
    {
        match rest.find('/') {
            Some(i) => &rest[i..],
            None => "/",
        }
    } else {
        h
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encoding_round_trips_awkward_names() {
        for name in [
            "a b.ics",
            "x#y?.ics",
            "müller@ex.com.vcf",
            "50%.ics",
            "plain-1_2.ics",
        ] {
            let enc = encode_segment(name);
            assert!(
                !enc.contains(' ') && !enc.contains('#') && !enc.contains('?'),
                "{enc}"
            );
            let (segs, _) = decode_path(&format!("/dav/{enc}")).unwrap();
            assert_eq!(segs[1], name);
        }
    }

    #[test]
    fn equivalent_encodings_decode_the_same() {
        assert_eq!(
            decode_path("/a/%40b").unwrap(),
            decode_path("/a/@b").unwrap()
        );
        assert_eq!(decode_path("/a/x%2Eics").unwrap().0, vec!["a", "x.ics"]);
    }

    #[test]
    fn traversal_and_control_characters_are_refused() {
        for bad in [
            "/a/../b",
            "/a/%2e%2e/b",
            "/a/%2Fetc",
            "/a/%00",
            "/a/./b",
            "/a/%ff",
        ] {
            assert_eq!(decode_path(bad), Err(PathError::InvalidSegment), "{bad}");
        }
    }

    #[test]
    fn absolute_urls_reduce_to_paths() {
        assert_eq!(href_path("https://h:8008/dav/x/"), "/dav/x/");
        assert_eq!(href_path("/dav/x"), "/dav/x");
        assert_eq!(href_path("http://h"), "/");
    }
}
