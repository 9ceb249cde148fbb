//! `davsuite user add|passwd|list|remove`: accounts, and where a new one starts (`--org`).

use clap::Subcommand;
use serde::Serialize;

use super::output::Removed;
use super::{CliResult, Common, Format, new_account, read_password, state};
use crate::api::views::OrgView;
use crate::org::{Signup, password, sign_up};
use crate::store::LegalContact;

#[derive(Debug, Subcommand)]
pub(super) enum UserAction {
    /// Create an account with its default calendar and address book, in organisation --org
    /// (joined as user when it exists, created with this account as legal owner when not) or,
    /// without --org, in a new organisation named after the login (LOGIN-2, ... when taken).
    Add {
        /// Login name (a-z, 0-9, '.', '_', '-').
        login: String,
        /// Read the password from standard input instead of generating one.
        #[arg(long)]
        password_stdin: bool,
        /// E-mail address.
        #[arg(long)]
        email: Option<String>,
        /// Display name.
        #[arg(long)]
        display_name: Option<String>,
        /// Organisation to join or create.
        #[arg(long)]
        org: Option<String>,
        /// Plan of the organisation created (default: defaults.plan from config).
        #[arg(long)]
        plan: Option<String>,
        /// Mobile phone number of the organisation created (the personal plans require it).
        #[arg(long)]
        phone: Option<String>,
        /// Country (ISO 3166 code) of the organisation created (the personal plans require it).
        #[arg(long)]
        country: Option<String>,
    },
    /// Change an account's password (read from standard input).
    Passwd {
        /// Login name.
        login: String,
        /// Read the password from standard input (required).
        #[arg(long, required = true)]
        password_stdin: bool,
    },
    /// List accounts with the organisation that governs their data.
    List,
    /// Remove an account and all its data (refused while it is the last legal owner of an
    /// organisation with other members).
    Remove {
        /// Login name.
        login: String,
    },
}

/// `user add --json`: the account, where it went, and its generated password (shown once).
#[derive(Serialize)]
struct AddedAccount {
    login: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    password: Option<String>,
    organisation: OrgView,
    organisation_created: bool,
}

/// `user passwd --json`.
#[derive(Serialize)]
struct PasswordChanged<'a> {
    login: &'a str,
    password_changed: bool,
}

/// `user list --json`: one account.
#[derive(Serialize)]
struct AccountLine {
    login: String,
    display_name: String,
    email: Option<String>,
    organisation: Option<String>,
    plan: Option<String>,
}

pub(super) fn run(common: &Common, format: Format, action: UserAction) -> CliResult {
    let state = state(common)?;
    let store = state.store.as_ref();
    match action {
        UserAction::Add {
            login,
            password_stdin,
            email,
            display_name,
            org,
            plan,
            phone,
            country,
        } => {
            let (spec, generated) = new_account(login, email, display_name, password_stdin)?;
            let signup = Signup {
                org,
                plan,
                contact: LegalContact {
                    phone,
                    country,
                    ..LegalContact::default()
                },
            };
            let (account, org, created) = sign_up(
                store,
                &state.config.plans,
                &spec,
                &signup,
                &state.config.defaults.plan,
                &state.default_collections(),
            )?;
            let view = AddedAccount {
                login: account.login.clone(),
                password: generated.clone(),
                organisation: (&org).into(),
                organisation_created: created,
            };
            format.emit(&view, || {
                let mut text = format!(
                    "created account {} in organisation {} ({}{})",
                    account.login,
                    org.name,
                    if created { "new, legal owner, plan " } else { "joined as user, plan " },
                    org.plan
                );
                if let Some(pw) = &generated {
                    text.push_str(&format!(
                        "\npassword: {pw}\n(shown once; change it with `davsuite user passwd {} --password-stdin`)",
                        account.login
                    ));
                }
                text
            });
            Ok(())
        }
        UserAction::Passwd { login, .. } => {
            let hash = password::hash_new(&read_password()?)?;
            store.set_password_hash(&login, &hash)?;
            let view = PasswordChanged {
                login: &login,
                password_changed: true,
            };
            format.emit(&view, || format!("password changed for {login}"));
            Ok(())
        }
        UserAction::List => {
            let mut lines = Vec::new();
            for a in store.list_accounts()? {
                let home = store.home_membership(a.id)?;
                lines.push(AccountLine {
                    login: a.login,
                    display_name: a.display_name,
                    email: a.email,
                    organisation: home.as_ref().map(|(o, _)| o.name.clone()),
                    plan: home.map(|(o, _)| o.plan),
                });
            }
            format.emit(&lines, || {
                lines
                    .iter()
                    .map(|a| {
                        format!(
                            "{}\t{}\t{}\t{}\t{}",
                            a.login,
                            a.display_name,
                            a.email.as_deref().unwrap_or(""),
                            a.organisation.as_deref().unwrap_or("-"),
                            a.plan.as_deref().unwrap_or("-")
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            });
            Ok(())
        }
        UserAction::Remove { login } => {
            store.remove_account(&login)?;
            let removed = [login];
            format.emit(&Removed { removed: &removed }, || {
                format!("removed account {}", removed[0])
            });
            Ok(())
        }
    }
}
