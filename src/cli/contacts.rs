//! `davsuite contacts duplicates|merge|groups ADDRESS-BOOK-PATH`: the contact tools of the API
//! (`contacts`) for the operator, with the API's JSON shapes under `--json`.

use clap::Subcommand;

use super::error::CliError;
use super::{CliResult, Common, Format, state};
use crate::contacts::{duplicates, groups, merge};
use crate::org::Actor;
use crate::org::access::Action;
use crate::org::share::CollectionPath;
use crate::store::Deleter;
use crate::transfer::place::{Place, open};

#[derive(Debug, Subcommand)]
pub(super) enum ContactsAction {
    /// List the groups of probable duplicate contacts (same e-mail address, phone number or
    /// name).
    Duplicates {
        /// The address book: /dav/addressbooks/LOGIN/NAME/.
        book: String,
    },
    /// Merge cards into one: the kept card gains the others' e-mail addresses, phone numbers
    /// and postal addresses; the others are deleted (to the trash).
    Merge {
        /// The address book: /dav/addressbooks/LOGIN/NAME/.
        book: String,
        /// The object names of the cards (two or more).
        #[arg(required = true, num_args = 2..)]
        cards: Vec<String>,
        /// The card to keep (default: the first named).
        #[arg(long)]
        keep: Option<String>,
    },
    /// List the contact groups with their members.
    Groups {
        /// The address book: /dav/addressbooks/LOGIN/NAME/.
        book: String,
    },
}

pub(super) fn run(common: &Common, format: Format, action: ContactsAction) -> CliResult {
    let state = state(common)?;
    let store = state.store.as_ref();
    // The operator may do anything, so the action asked for changes nothing.
    let place = |path: &str| -> Result<Place, CliError> {
        let path = CollectionPath::parse(path)?;
        Ok(open(
            store,
            &state.config.plans,
            Actor::Operator,
            &path,
            Action::WriteContent,
        )?)
    };
    match action {
        ContactsAction::Duplicates { book } => {
            let found = duplicates::duplicates(store, &place(&book)?)?;
            format.emit(&found, || {
                if found.is_empty() {
                    return "no probable duplicates".to_owned();
                }
                found
                    .iter()
                    .map(|g| {
                        let cards: Vec<String> = g
                            .cards
                            .iter()
                            .map(|c| format!("  {}\t{}", c.name, c.display_name))
                            .collect();
                        format!("{}\n{}", g.reasons.join("; "), cards.join("\n"))
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            });
        }
        ContactsAction::Merge { book, cards, keep } => {
            let merged = merge::merge(
                store,
                &place(&book)?,
                &cards,
                keep.as_deref(),
                Deleter::Operator,
            )?;
            format.emit(&merged, || {
                format!(
                    "kept {} ({}); removed {}",
                    merged.kept.href,
                    merged.kept.display_name,
                    merged.removed.join(", ")
                )
            });
        }
        ContactsAction::Groups { book } => {
            let all = groups::groups(store, &place(&book)?)?;
            format.emit(&all, || {
                all.iter()
                    .map(|g| {
                        let members: Vec<String> = g
                            .members
                            .iter()
                            .map(|m| m.display_name.clone().unwrap_or_else(|| m.uid.clone()))
                            .collect();
                        format!("{}\t{}\t{}", g.name, g.display_name, members.join(", "))
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            });
        }
    }
    Ok(())
}
