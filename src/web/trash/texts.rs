//! The trash page's words, in English and French, and its refusals in each language.

use crate::trash::TrashError;
use crate::web::i18n::Lang;

/// Texts of the trash page.
pub(super) struct Texts {
    pub(super) title: &'static str,
    pub(super) intro: &'static str,
    pub(super) empty: &'static str,
    pub(super) col_kind: &'static str,
    pub(super) col_name: &'static str,
    pub(super) col_where: &'static str,
    pub(super) col_deleted: &'static str,
    pub(super) col_purge: &'static str,
    pub(super) col_action: &'static str,
    pub(super) restore: &'static str,
    pub(super) restore_into: &'static str,
    pub(super) restore_as_copy: &'static str,
    pub(super) older: &'static str,
    pub(super) deleted_too: &'static str,
    pub(super) by: &'static str,
    pub(super) objects: &'static str,
    pub(super) home_calendars: &'static str,
    pub(super) home_addressbooks: &'static str,
    pub(super) storage: &'static str,
    pub(super) used: &'static str,
    pub(super) of_quota: &'static str,
    pub(super) no_quota: &'static str,
    pub(super) in_trash: &'static str,
    pub(super) in_history: &'static str,
    pub(super) outside_quota: &'static str,
    pub(super) window: &'static str,
    pub(super) days: &'static str,
    pub(super) point_in_time: &'static str,
    pub(super) point_in_time_intro: &'static str,
    pub(super) restore_to: &'static str,
    pub(super) restore_at: &'static str,
    pub(super) zone_note: &'static str,
    pub(super) restored: &'static str,
    pub(super) restored_at: &'static str,
    pub(super) restored_at_counts: fn(usize, usize, usize) -> String,
    pub(super) bad_time: &'static str,
    pub(super) unknown_collection: &'static str,
}

fn en_counts(restored: usize, deleted: usize, unchanged: usize) -> String {
    format!(
        "{restored} item(s) given back their content of then, {deleted} created since moved \
         to the trash, {unchanged} unchanged."
    )
}

fn fr_counts(restored: usize, deleted: usize, unchanged: usize) -> String {
    format!(
        "{restored} élément(s) remis dans leur état d'alors, {deleted} créé(s) depuis mis à la \
         corbeille, {unchanged} inchangé(s)."
    )
}

/// English.
pub(super) static EN: Texts = Texts {
    title: "Trash",
    intro: "What you deleted stays here until the date shown, then it is removed for good.",
    empty: "The trash is empty.",
    col_kind: "Kind",
    col_name: "Name",
    col_where: "Was in",
    col_deleted: "Deleted",
    col_purge: "Removed for good",
    col_action: "Action",
    restore: "Restore",
    restore_into: "Restore into",
    restore_as_copy: "Restore as a copy",
    older: "Older entries",
    deleted_too: "deleted too",
    by: "by",
    objects: "items",
    home_calendars: "Your calendars",
    home_addressbooks: "Your address books",
    storage: "Storage",
    used: "Used",
    of_quota: "of",
    no_quota: "no quota",
    in_trash: "In the trash",
    in_history: "Earlier versions",
    outside_quota: "The trash and earlier versions do not count against your quota.",
    window: "Kept for",
    days: "days",
    point_in_time: "Restore a whole calendar or address book to an earlier time",
    point_in_time_intro: "Everything in it goes back to what it was at that time: items \
                          changed since get their content of then back, items deleted since \
                          come back, and items created since go to the trash.",
    restore_to: "Time",
    restore_at: "Restore to this time",
    zone_note: "Times are in your time zone",
    restored: "Restored",
    restored_at: "Restored to",
    restored_at_counts: en_counts,
    bad_time: "Choose a date and time (this one does not exist in your time zone).",
    unknown_collection: "You have no calendar or address book of that name.",
};

/// French.
pub(super) static FR: Texts = Texts {
    title: "Corbeille",
    intro: "Ce que vous avez supprimé reste ici jusqu'à la date indiquée, puis est effacé \
            définitivement.",
    empty: "La corbeille est vide.",
    col_kind: "Type",
    col_name: "Nom",
    col_where: "Se trouvait dans",
    col_deleted: "Supprimé",
    col_purge: "Effacé définitivement",
    col_action: "Action",
    restore: "Restaurer",
    restore_into: "Restaurer dans",
    restore_as_copy: "Restaurer comme copie",
    older: "Entrées plus anciennes",
    deleted_too: "supprimé aussi",
    by: "par",
    objects: "éléments",
    home_calendars: "Vos calendriers",
    home_addressbooks: "Vos carnets d'adresses",
    storage: "Stockage",
    used: "Utilisé",
    of_quota: "sur",
    no_quota: "sans quota",
    in_trash: "Dans la corbeille",
    in_history: "Versions antérieures",
    outside_quota: "La corbeille et les versions antérieures ne comptent pas dans votre quota.",
    window: "Conservé",
    days: "jours",
    point_in_time: "Remettre un calendrier ou un carnet d'adresses dans un état antérieur",
    point_in_time_intro: "Tout son contenu revient à ce qu'il était à ce moment : les éléments \
                          modifiés depuis retrouvent leur contenu d'alors, ceux supprimés \
                          depuis reviennent, et ceux créés depuis vont à la corbeille.",
    restore_to: "Date et heure",
    restore_at: "Revenir à ce moment",
    zone_note: "Heures dans votre fuseau horaire",
    restored: "Restauré",
    restored_at: "Remis dans l'état du",
    restored_at_counts: fr_counts,
    bad_time: "Choisissez une date et une heure (celle-ci n'existe pas dans votre fuseau \
               horaire).",
    unknown_collection: "Vous n'avez aucun calendrier ni carnet d'adresses de ce nom.",
};

/// The texts for `lang`.
pub(super) fn texts(lang: Lang) -> &'static Texts {
    match lang {
        Lang::En => &EN,
        Lang::Fr => &FR,
    }
}

/// What an entry of kind `kind` (as [`crate::trash::Item::kind`] names it) is called.
pub(super) fn kind_label(lang: Lang, kind: &str) -> &'static str {
    match (lang, kind) {
        (Lang::En, "event") => "Event",
        (Lang::Fr, "event") => "Événement",
        (Lang::En, "task") => "Task",
        (Lang::Fr, "task") => "Tâche",
        (Lang::En, "journal") => "Journal entry",
        (Lang::Fr, "journal") => "Note de journal",
        (Lang::En, "freebusy") => "Free/busy",
        (Lang::Fr, "freebusy") => "Disponibilités",
        (_, "contact") => "Contact",
        (Lang::En, "calendar") => "Calendar",
        (Lang::Fr, "calendar") => "Calendrier",
        (Lang::En, "addressbook") => "Address book",
        (Lang::Fr, "addressbook") => "Carnet d'adresses",
        (Lang::En, _) => "Item",
        (Lang::Fr, _) => "Élément",
    }
}

/// A refused restore in the viewer's language: what happened and what to do, without the
/// command line's options that the domain's own messages name.
pub(super) fn refusal(lang: Lang, e: &TrashError) -> String {
    use TrashError::*;
    match (lang, e) {
        (Lang::En, NotFound(_) | AlreadyRestored(_)) => {
            "This entry is not in your trash (any more): it may have been restored or removed \
             for good."
                .into()
        }
        (Lang::Fr, NotFound(_) | AlreadyRestored(_)) => {
            "Cette entrée n'est pas (plus) dans votre corbeille : elle a peut-être déjà été \
             restaurée ou effacée."
                .into()
        }
        (Lang::En, UidConflict { existing, .. }) => format!(
            "Another item with the same identity (UID) was created since, at {existing}. \
             Restore this one as a copy with a new identity, or delete the other one first."
        ),
        (Lang::Fr, UidConflict { existing, .. }) => format!(
            "Un autre élément de même identité (UID) a été créé depuis, à {existing}. \
             Restaurez celui-ci comme copie avec une nouvelle identité, ou supprimez d'abord \
             l'autre."
        ),
        (Lang::En, CollectionGone { collection, .. }) => format!(
            "Its collection {collection} was deleted too: restore that first, or choose \
             another one to restore into."
        ),
        (Lang::Fr, CollectionGone { collection, .. }) => format!(
            "Sa collection {collection} a aussi été supprimée : restaurez-la d'abord, ou \
             choisissez-en une autre où le restaurer."
        ),
        (Lang::En, OutsideWindow { days, plan, .. }) => format!(
            "That time is outside the restore window: the {plan} plan keeps {days} days of \
             history."
        ),
        (Lang::Fr, OutsideWindow { days, plan, .. }) => format!(
            "Ce moment est hors de la période de restauration : l'offre {plan} conserve \
             {days} jours d'historique."
        ),
        (Lang::En, QuotaExceeded { plan, .. }) => format!(
            "Restoring would exceed the storage quota of the {plan} plan: delete something \
             first."
        ),
        (Lang::Fr, QuotaExceeded { plan, .. }) => format!(
            "La restauration dépasserait le quota de stockage de l'offre {plan} : supprimez \
             d'abord quelque chose."
        ),
        (Lang::En, CollectionLimit { plan, limit, .. }) => format!(
            "The {plan} plan allows {limit} of these per account: delete one before restoring \
             this one."
        ),
        (Lang::Fr, CollectionLimit { plan, limit, .. }) => format!(
            "L'offre {plan} en permet {limit} par compte : supprimez-en un avant de restaurer \
             celui-ci."
        ),
        (Lang::En, Busy(_)) => "It changed during the restore; please try again.".into(),
        (Lang::Fr, Busy(_)) => {
            "La collection a changé pendant la restauration ; veuillez réessayer.".into()
        }
        (Lang::En, Unsupported { reason, .. }) => {
            format!("That collection cannot hold this item: {reason}")
        }
        (Lang::Fr, Unsupported { reason, .. }) => {
            format!("Cette collection ne peut pas contenir cet élément : {reason}")
        }
        (Lang::Fr, InvalidTime(_)) => "Ce n'est pas une date et une heure valides.".into(),
        (Lang::Fr, Denied(_)) => {
            "Ce service est désactivé pour votre compte dans votre organisation.".into()
        }
        (Lang::Fr, Invalid(message)) => format!("Demande impossible : {message}"),
        _ => e.to_string(),
    }
}
