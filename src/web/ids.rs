//! `id` attributes of form controls that name one of the viewer's collections, stable across
//! renders so labels, scripts and browser tests find them: `PREFIX-KIND-NAME`, white space in
//! the name replaced (an `id` may hold anything else).

use crate::store::CollectionKind;

/// The `id` of the control `prefix` of collection `name` of `kind`.
pub fn control_id(prefix: &str, kind: CollectionKind, name: &str) -> String {
    let name: String = name
        .chars()
        .map(|c| if c.is_whitespace() { '_' } else { c })
        .collect();
    format!("{prefix}-{}-{name}", kind.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_hold_no_white_space() {
        assert_eq!(
            control_id("at", CollectionKind::AddressBook, "my\tbook 2"),
            "at-addressbook-my_book_2"
        );
    }
}
