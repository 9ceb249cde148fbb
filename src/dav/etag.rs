//! Entity tags of stored bodies: strong, derived from the exact bytes, so identical content
//! has an identical tag whoever writes it (a PUT, an import, a copy).

/// A strong ETag: a hash of the exact bytes, so identical content has an identical tag.
pub fn etag_of(body: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(body);
    let hex: String = digest.iter().take(16).map(|b| format!("{b:02x}")).collect();
    format!("\"{hex}\"")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn etag_is_strong_and_content_derived() {
        let a = etag_of(b"x");
        assert!(a.starts_with('"') && a.ends_with('"') && !a.starts_with("W/"));
        assert_eq!(a, etag_of(b"x"));
        assert_ne!(a, etag_of(b"y"));
    }
}
