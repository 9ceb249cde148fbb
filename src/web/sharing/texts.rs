//! The sharing page's words, in English and French, and its refusals in each language.

use crate::org::OrgError;
use crate::org::link::Validity;
use crate::web::i18n::Lang;

/// Texts of the sharing page.
pub(super) struct Texts {
    pub(super) title: &'static str,
    pub(super) intro: &'static str,
    pub(super) calendars: &'static str,
    pub(super) addressbooks: &'static str,
    pub(super) none_owned: &'static str,
    pub(super) not_shared: &'static str,
    pub(super) shared_with: &'static str,
    pub(super) team: &'static str,
    pub(super) declined: &'static str,
    pub(super) access: &'static str,
    pub(super) read: &'static str,
    pub(super) read_write: &'static str,
    pub(super) change: &'static str,
    pub(super) remove: &'static str,
    pub(super) share_with: &'static str,
    pub(super) share_with_hint: &'static str,
    pub(super) share: &'static str,
    pub(super) links: &'static str,
    pub(super) no_links: &'static str,
    pub(super) link: &'static str,
    pub(super) copy: &'static str,
    pub(super) copied: &'static str,
    pub(super) expires: &'static str,
    pub(super) never: &'static str,
    pub(super) expired: &'static str,
    pub(super) revoke: &'static str,
    pub(super) revoke_confirm: &'static str,
    pub(super) validity: &'static str,
    pub(super) create_link: &'static str,
    pub(super) link_hint: &'static str,
    pub(super) with_me: &'static str,
    pub(super) none_with_me: &'static str,
    pub(super) owner: &'static str,
    pub(super) name: &'static str,
    pub(super) decline: &'static str,
    pub(super) accept: &'static str,
    pub(super) declined_list: &'static str,
    pub(super) done_shared: &'static str,
    pub(super) done_changed: &'static str,
    pub(super) done_unshared: &'static str,
    pub(super) done_link: &'static str,
    pub(super) done_revoked: &'static str,
    pub(super) done_accepted: &'static str,
    pub(super) done_declined: &'static str,
    pub(super) unknown_collection: &'static str,
}

/// English.
pub(super) static EN: Texts = Texts {
    title: "Sharing",
    intro: "Share your calendars and address books with people and teams of your \
            organisations, and publish calendars through links anyone can subscribe to.",
    calendars: "Your calendars",
    addressbooks: "Your address books",
    none_owned: "You have none.",
    not_shared: "Not shared.",
    shared_with: "Shared with",
    team: "team",
    declined: "removed it from their list",
    access: "Access",
    read: "Read only",
    read_write: "Read and write",
    change: "Change",
    remove: "Stop sharing",
    share_with: "Share with",
    share_with_hint: "A login name, an e-mail address of a member of your organisations, or \
                      team:NAME.",
    share: "Share",
    links: "Public links",
    no_links: "No public link.",
    link: "Link",
    copy: "Copy",
    copied: "Copied",
    expires: "Valid until",
    never: "until revoked",
    expired: "expired",
    revoke: "Revoke",
    revoke_confirm: "Revoke this link? Whoever has it loses access at once.",
    validity: "Valid for",
    create_link: "Create a public link",
    link_hint: "Anyone with the link can see the calendar's events (private ones as busy \
                time only), read-only.",
    with_me: "Shared with me",
    none_with_me: "Nobody shares a calendar or address book with you.",
    owner: "Owner",
    name: "Name",
    decline: "Remove from my list",
    accept: "Add to my list",
    declined_list: "Removed from my list",
    done_shared: "Shared.",
    done_changed: "Access changed.",
    done_unshared: "No longer shared.",
    done_link: "Public link created.",
    done_revoked: "Link revoked.",
    done_accepted: "Added to your list.",
    done_declined: "Removed from your list.",
    unknown_collection: "You have no calendar or address book of that name.",
};

/// French.
pub(super) static FR: Texts = Texts {
    title: "Partage",
    intro: "Partagez vos calendriers et carnets d'adresses avec des personnes et des équipes \
            de vos organisations, et publiez des calendriers par des liens auxquels chacun peut \
            s'abonner.",
    calendars: "Vos calendriers",
    addressbooks: "Vos carnets d'adresses",
    none_owned: "Vous n'en avez aucun.",
    not_shared: "Non partagé.",
    shared_with: "Partagé avec",
    team: "équipe",
    declined: "l'a retiré de sa liste",
    access: "Accès",
    read: "Lecture seule",
    read_write: "Lecture et écriture",
    change: "Modifier",
    remove: "Arrêter le partage",
    share_with: "Partager avec",
    share_with_hint: "Un nom d'utilisateur, l'adresse e-mail d'un membre de vos organisations, \
                      ou team:NOM.",
    share: "Partager",
    links: "Liens publics",
    no_links: "Aucun lien public.",
    link: "Lien",
    copy: "Copier",
    copied: "Copié",
    expires: "Valable jusqu'au",
    never: "jusqu'à révocation",
    expired: "expiré",
    revoke: "Révoquer",
    revoke_confirm: "Révoquer ce lien ? Ceux qui l'ont perdent l'accès immédiatement.",
    validity: "Validité",
    create_link: "Créer un lien public",
    link_hint: "Toute personne ayant le lien voit les événements du calendrier (les privés \
                comme simple temps occupé), en lecture seule.",
    with_me: "Partagés avec moi",
    none_with_me: "Personne ne partage de calendrier ni de carnet d'adresses avec vous.",
    owner: "Propriétaire",
    name: "Nom",
    decline: "Retirer de ma liste",
    accept: "Ajouter à ma liste",
    declined_list: "Retirés de ma liste",
    done_shared: "Partagé.",
    done_changed: "Accès modifié.",
    done_unshared: "Le partage est arrêté.",
    done_link: "Lien public créé.",
    done_revoked: "Lien révoqué.",
    done_accepted: "Ajouté à votre liste.",
    done_declined: "Retiré de votre liste.",
    unknown_collection: "Vous n'avez aucun calendrier ni carnet d'adresses de ce nom.",
};

/// The texts for `lang`.
pub(super) fn texts(lang: Lang) -> &'static Texts {
    match lang {
        Lang::En => &EN,
        Lang::Fr => &FR,
    }
}

/// How long a link of `validity` lasts, in words.
pub(super) fn validity_label(lang: Lang, validity: Validity) -> &'static str {
    match (lang, validity) {
        (Lang::En, Validity::Week) => "7 days",
        (Lang::Fr, Validity::Week) => "7 jours",
        (Lang::En, Validity::Month) => "30 days",
        (Lang::Fr, Validity::Month) => "30 jours",
        (Lang::En, Validity::HalfYear) => "6 months",
        (Lang::Fr, Validity::HalfYear) => "6 mois",
        (Lang::En, Validity::Year) => "1 year",
        (Lang::Fr, Validity::Year) => "1 an",
        (Lang::En, Validity::Unlimited) => "Until revoked",
        (Lang::Fr, Validity::Unlimited) => "Jusqu'à révocation",
    }
}

/// A refused sharing request in the viewer's language. English uses the domain's messages,
/// written for people; French says the same in its words.
pub(super) fn refusal(lang: Lang, e: &OrgError) -> String {
    use OrgError::*;
    match (lang, e) {
        (Lang::En, _) => e.to_string(),
        (Lang::Fr, NotFound(what)) => format!(
            "Introuvable : {what}. Vérifiez le nom (un membre de vos organisations, ou \
             team:NOM pour une équipe)."
        ),
        (Lang::Fr, SelfShare(_)) => {
            "Cette collection est déjà la vôtre : partagez-la avec quelqu'un d'autre.".into()
        }
        (Lang::Fr, InvalidShareTarget(text)) => format!(
            "« {text} » ne désigne personne : donnez un nom d'utilisateur, une adresse e-mail \
             ou team:NOM."
        ),
        (Lang::Fr, AmbiguousTeam { team, orgs }) => format!(
            "Plusieurs de vos organisations ({}) ont une équipe « {team} » : écrivez \
             team:ORGANISATION/{team}.",
            orgs.join(", ")
        ),
        (Lang::Fr, SharedThroughTeam { login, teams }) => format!(
            "{login} a accès par les équipes {} : arrêtez le partage avec ces équipes.",
            teams.join(", ")
        ),
        (Lang::Fr, UnknownAccess(_)) => "Choisissez lecture seule ou lecture et écriture.".into(),
        (Lang::Fr, UnknownValidity(_)) => "Choisissez une durée de validité proposée.".into(),
        (Lang::Fr, NotShareable(_)) => {
            "Cette collection est générée ou partagée avec vous : elle ne peut être ni \
             partagée ni publiée."
                .into()
        }
        (Lang::Fr, NotACalendar(_)) => "Seuls les calendriers peuvent être publiés.".into(),
        (Lang::Fr, PublicLinkLimit { org, plan, limit }) => format!(
            "{org} a déjà créé les {limit} liens publics permis par mois par l'offre {plan} ; \
             révoquer un lien ne le rend pas. Attendez le mois prochain ou changez d'offre."
        ),
        (Lang::Fr, NoOrganisation(_)) => {
            "Un lien public est compté dans l'offre d'une organisation : vous n'en avez \
             aucune."
                .into()
        }
        (Lang::Fr, TooManyShareChanges { max, .. }) => {
            format!("Au plus {max} changements de partage à la fois.")
        }
        (Lang::Fr, _) => e.to_string(),
    }
}
