//! What a restored object needs besides its bytes: the index a PUT would have built, a new
//! UID and name for a copy, a new ETag, and a free name.

use super::TrashError;
use crate::ical::uid::new_uid;
use crate::store::{Collection, CollectionKind, ObjectIndex, Store, etag_of};
use crate::{caldav, carddav};

/// The index of `body` for collection `target`, with the validation a PUT there would make.
/// `strict`: the object goes somewhere it never was (`--into`), so content the collection does
/// not accept is refused; otherwise (back where it was) an object today's rules refuse keeps a
/// conservative index that makes queries read its content, rather than staying lost.
pub(super) fn index(
    target: &Collection,
    target_href: &str,
    body: &[u8],
    uid: &str,
    component: &str,
    strict: bool,
) -> Result<ObjectIndex, TrashError> {
    let checked = match target.kind {
        CollectionKind::Calendar => caldav::validate(target, body, None),
        CollectionKind::AddressBook => carddav::validate(body, None),
    };
    match checked {
        Ok(index) => Ok(index),
        Err(e) if strict => Err(TrashError::Unsupported {
            collection: target_href.to_owned(),
            reason: e.message,
        }),
        Err(_) => {
            // Cards are found by text search, and shown in the birthday calendar, only
            // through their index rows.
            let (text, dates) = match target.kind {
                CollectionKind::AddressBook => (
                    crate::ical::index::card_text(body),
                    carddav::contact_dates(body),
                ),
                CollectionKind::Calendar => (Vec::new(), Vec::new()),
            };
            Ok(ObjectIndex {
                uid: uid.to_owned(),
                component: component.to_owned(),
                text,
                dates,
                ..ObjectIndex::default()
            })
        }
    }
}

/// Refuses an object of one kind of collection going into the other kind.
pub(super) fn check_kind(
    object_kind: CollectionKind,
    target: &Collection,
    target_href: &str,
) -> Result<(), TrashError> {
    if object_kind == target.kind {
        return Ok(());
    }
    let reason = match target.kind {
        CollectionKind::Calendar => "a calendar holds events and tasks, not contacts",
        CollectionKind::AddressBook => "an address book holds contacts, not events or tasks",
    };
    Err(TrashError::Unsupported {
        collection: target_href.to_owned(),
        reason: reason.to_owned(),
    })
}

/// A restored object's ETag: a hash of its bytes and of this restore (`entry`, `now`), so it
/// differs from the one the object had before, while staying a strong validator.
pub(super) fn restored_etag(body: &[u8], entry: i64, now: i64) -> String {
    let mut salted = Vec::with_capacity(body.len() + 32);
    salted.extend_from_slice(body);
    salted.extend_from_slice(format!("\0restored {entry} {now}").as_bytes());
    etag_of(&salted)
}

/// `body` with a new UID, and that UID.
pub(super) fn with_new_uid(body: &[u8]) -> Result<(String, Vec<u8>), TrashError> {
    let uid = new_uid();
    let body = crate::ical::uid::replace_uid(body, &uid).ok_or_else(|| {
        TrashError::Invalid("this object has no UID line to replace, so it cannot be copied".into())
    })?;
    Ok((uid, body))
}

/// The usual resource name of an object with this UID in a collection of `kind`.
pub(super) fn name_for_uid(uid: &str, kind: CollectionKind) -> String {
    match kind {
        CollectionKind::Calendar => format!("{uid}.ics"),
        CollectionKind::AddressBook => format!("{uid}.vcf"),
    }
}

/// `preferred`, or when a member of `collection` has that name, `STEM-restored.EXT`,
/// `STEM-restored-2.EXT`, ... (one lookup of a name each, whatever the collection's size).
pub(super) fn free_name(
    store: &dyn Store,
    collection: i64,
    preferred: &str,
) -> Result<String, TrashError> {
    Ok(first_free(preferred, "-restored", |n| {
        store.member_exists(collection, n)
    })?)
}

/// `preferred`, else it with `marker` (then `marker-2`, ...) before its extension, whichever
/// `taken` says is free first.
pub(super) fn first_free<E>(
    preferred: &str,
    marker: &str,
    mut taken: impl FnMut(&str) -> Result<bool, E>,
) -> Result<String, E> {
    if !taken(preferred)? {
        return Ok(preferred.to_owned());
    }
    let (stem, ext) = match preferred.rfind('.') {
        Some(i) if i > 0 => preferred.split_at(i),
        _ => (preferred, ""),
    };
    let mut n: u64 = 1;
    loop {
        let name = match n {
            1 => format!("{stem}{marker}{ext}"),
            n => format!("{stem}{marker}-{n}{ext}"),
        };
        if !taken(&name)? {
            return Ok(name);
        }
        n += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_step_aside() {
        let taken = ["a.ics", "a-restored.ics", "book"];
        let is = |n: &str| Ok::<_, ()>(taken.contains(&n));
        assert_eq!(first_free("b.ics", "-restored", is), Ok("b.ics".into()));
        assert_eq!(
            first_free("a.ics", "-restored", is),
            Ok("a-restored-2.ics".into())
        );
        assert_eq!(
            first_free("book", "-restored", is),
            Ok("book-restored".into())
        );
        assert_eq!(
            first_free("x", "-restored", |_| Err("no store")),
            Err("no store")
        );
    }

    #[test]
    fn restored_etags_differ_from_the_content_hash() {
        let plain = etag_of(b"x");
        let restored = restored_etag(b"x", 1, 100);
        assert_ne!(plain, restored);
        assert_ne!(restored, restored_etag(b"x", 1, 101));
        assert!(restored.starts_with('"') && restored.ends_with('"'));
    }
}
