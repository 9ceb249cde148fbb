//! The ETags objects are stored with: a strong validator derived from the exact bytes.
//!
//! Lives with the records because every writer derives it the same way (a PUT, the
//! organisation directory, a restore salting it), and the store compares it to tell a write of
//! the same bytes from a change.

use sha2::{Digest, Sha256};

/// A strong ETag: a hash of the exact bytes, so identical content has an identical tag.
pub fn etag_of(body: &[u8]) -> String {
    let digest = Sha256::digest(body);
    let hex: String = digest.iter().take(16).map(|b| format!("{b:02x}")).collect();
    format!("\"{hex}\"")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_bytes_equal_tags_and_tags_are_strong() {
        let a = etag_of(b"x");
        assert_eq!(a, etag_of(b"x"));
        assert_ne!(a, etag_of(b"y"));
        assert!(a.starts_with('"') && a.ends_with('"') && !a.starts_with("W/"));
        assert_eq!(a.len(), 34);
    }
}
