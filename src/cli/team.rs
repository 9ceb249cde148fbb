//! `davsuite team create|delete|add|remove|list`.

use clap::Subcommand;
use serde::Serialize;

use super::org::named;
use super::{CliResult, Common, Format, state};
use crate::org::{Actor, team};

#[derive(Debug, Subcommand)]
pub(super) enum TeamAction {
    /// Create an empty team.
    Create {
        /// Organisation name.
        org: String,
        /// Team name.
        team: String,
    },
    /// Delete a team (its members stay in the organisation).
    Delete {
        /// Organisation name.
        org: String,
        /// Team name.
        team: String,
    },
    /// Put a member of the organisation in a team.
    Add {
        /// Organisation name.
        org: String,
        /// Team name.
        team: String,
        /// Login of the member.
        login: String,
    },
    /// Take a member out of a team.
    Remove {
        /// Organisation name.
        org: String,
        /// Team name.
        team: String,
        /// Login of the member.
        login: String,
    },
    /// List the teams of an organisation with their members.
    List {
        /// Organisation name.
        org: String,
    },
}

/// `team delete --json`.
#[derive(Serialize)]
struct Deleted<'a> {
    deleted: &'a str,
}

pub(super) fn run(common: &Common, format: Format, action: TeamAction) -> CliResult {
    let state = state(common)?;
    let store = state.store.as_ref();
    let op = Actor::Operator;
    match action {
        TeamAction::Create { org, team } => {
            let org = named(&state, &org)?;
            format.team(&team::create(store, op, &org, &team)?);
        }
        TeamAction::Delete { org, team } => {
            let org = named(&state, &org)?;
            team::delete(store, op, &org, &team)?;
            format.emit(&Deleted { deleted: &team }, || {
                format!("deleted team {team}")
            });
        }
        TeamAction::Add { org, team, login } => {
            let org = named(&state, &org)?;
            format.team(&team::add(store, op, &org, &team, &login)?);
        }
        TeamAction::Remove { org, team, login } => {
            let org = named(&state, &org)?;
            format.team(&team::remove(store, op, &org, &team, &login)?);
        }
        TeamAction::List { org } => {
            let org = named(&state, &org)?;
            format.teams(&team::list(store, op, &org)?);
        }
    }
    Ok(())
}
