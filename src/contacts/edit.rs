//! Creating, editing and deleting one contact from a form (the web view): the form's values are
//! written into the stored card by `ical::card_compose`, which keeps every line the form does
//! not edit, and stored with the checks of a PUT; an edit is conditional on the ETag the form
//! was drawn with, so a change made meanwhile by a client is never overwritten silently. A
//! deletion goes to the owner's trash in the name of whoever deleted, like a DAV DELETE.

use super::{address_book, put, write};
use crate::ical::card_compose::{CardForm, ComposeError, new_card, patch};
use crate::ical::uid::new_uid;
use crate::store::{Deleter, Store, StoreError, WriteCondition};
use crate::transfer::TransferError;
use crate::transfer::place::Place;

/// Why an edit was refused.
#[derive(Debug, thiserror::Error)]
pub enum EditError {
    /// The form's values cannot be written (no name, a bad date), or the card is not one the
    /// form edits (vCard 2.1).
    #[error("{0}")]
    Form(#[from] ComposeError),
    /// The card, the address book or the write refused it (not found, changed meanwhile,
    /// content rules, quota).
    #[error("{0}")]
    Transfer(#[from] TransferError),
}

/// A card written: its object name and ETag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    /// Object name.
    pub name: String,
    /// New ETag (the old one when nothing changed).
    pub etag: String,
}

/// Writes `form` into card `name` of the address book of `place`, read with ETag `etag`.
/// Unchanged values leave the card as it is (no write, same ETag).
pub fn save(
    store: &dyn Store,
    place: &Place,
    name: &str,
    etag: &str,
    form: &CardForm,
) -> Result<Written, EditError> {
    address_book(place)?;
    let object = store
        .get_object(place.collection.id, name)
        .map_err(TransferError::from)?
        .ok_or_else(|| TransferError::NotFound(format!("{name} not found")))?;
    if object.meta.etag != etag {
        return Err(TransferError::from(StoreError::PreconditionFailed).into());
    }
    let body = patch(&object.body, form)?;
    let etag = if body == object.body {
        object.meta.etag
    } else {
        write(store, place, name, etag, body)?
    };
    Ok(Written {
        name: name.to_owned(),
        etag,
    })
}

/// A new card with `form`'s values in the address book of `place`, named after its new UID.
pub fn create(store: &dyn Store, place: &Place, form: &CardForm) -> Result<Written, EditError> {
    address_book(place)?;
    let uid = new_uid();
    let name = format!("{uid}.vcf");
    let body = new_card(&uid, form)?;
    let etag = put(store, place, &name, body, &WriteCondition::MustNotExist)?;
    Ok(Written { name, etag })
}

/// Deletes card `name` (read with ETag `etag`) to the trash of the address book's owner, as
/// `by`: restorable there, and reported deleted at the clients' next sync. The owner's trash
/// and history then keep at most its plan's quota, as after any deletion
/// (`TrashStore::trim_kept`).
pub fn delete(
    store: &dyn Store,
    place: &Place,
    name: &str,
    etag: &str,
    by: Deleter,
) -> Result<(), TransferError> {
    address_book(place)?;
    let condition = WriteCondition::EtagIn(vec![etag.to_owned()]);
    store.delete_object_by(place.collection.id, name, &condition, Some(by))?;
    store.trim_kept(place.owner.id, place.plan.quota())?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::contacts::testing::{card, put_card};
    use crate::ical::card_compose::read_form;
    use crate::store::{CollectionKind, Page, TrashStore};
    use crate::transfer::testing::{place, store};

    #[test]
    fn an_edit_keeps_other_lines_and_needs_the_etag_it_was_drawn_with() {
        let (_dir, store) = store();
        let book = place(&store, "addressbooks/al/book");
        put_card(
            &store,
            &book,
            "a.vcf",
            &card("a", "Ann", "X-KEEP:me\r\nEMAIL:a@x.org\r\n"),
        );
        let first = store
            .get_object(book.collection.id, "a.vcf")
            .unwrap()
            .unwrap();
        let mut form = read_form(&first.body).unwrap();
        let same = save(&store, &book, "a.vcf", &first.meta.etag, &form).expect("no change");
        assert_eq!(same.etag, first.meta.etag, "nothing written");
        form.emails[0] = "ann@y.org".into();
        let saved = save(&store, &book, "a.vcf", &first.meta.etag, &form).expect("saved");
        assert_ne!(saved.etag, first.meta.etag);
        let now = store
            .get_object(book.collection.id, "a.vcf")
            .unwrap()
            .unwrap();
        let text = String::from_utf8(now.body).unwrap();
        assert!(text.contains("X-KEEP:me\r\nEMAIL:ann@y.org\r\n"), "{text}");
        // The form drawn before is stale now: refused, nothing written.
        form.emails[0] = "old@y.org".into();
        assert!(matches!(
            save(&store, &book, "a.vcf", &first.meta.etag, &form),
            Err(EditError::Transfer(TransferError::PreconditionFailed(_)))
        ));
        form.full_name = String::new();
        assert!(matches!(
            save(&store, &book, "a.vcf", &saved.etag, &form),
            Err(EditError::Form(ComposeError::MissingName))
        ));
        assert!(matches!(
            save(&store, &book, "nope.vcf", &saved.etag, &form),
            Err(EditError::Transfer(TransferError::NotFound(_)))
        ));
        let unchanged = store
            .get_object(book.collection.id, "a.vcf")
            .unwrap()
            .unwrap();
        assert_eq!(unchanged.meta.etag, saved.etag);
    }

    #[test]
    fn created_cards_are_named_after_their_uid_and_deleted_to_the_trash() {
        let (_dir, store) = store();
        let book = place(&store, "addressbooks/al/book");
        let form = CardForm {
            full_name: "Zoé".into(),
            ..CardForm::default()
        };
        let made = create(&store, &book, &form).expect("created");
        let object = store
            .get_object(book.collection.id, &made.name)
            .unwrap()
            .unwrap();
        assert_eq!(format!("{}.vcf", object.meta.uid), made.name);
        assert!(delete(&store, &book, &made.name, "\"stale\"", Deleter::Operator).is_err());
        let al = store.account_by_login("al").unwrap().unwrap();
        delete(
            &store,
            &book,
            &made.name,
            &made.etag,
            Deleter::Account(al.id),
        )
        .expect("deleted");
        assert!(
            store
                .get_object(book.collection.id, &made.name)
                .unwrap()
                .is_none()
        );
        let trash = store
            .trash(al.id, &[CollectionKind::AddressBook], &Page::default())
            .expect("trash");
        assert_eq!(trash.objects[0].name, made.name);
        assert_eq!(trash.objects[0].deleted_by.as_deref(), Some("al"));
    }
}
