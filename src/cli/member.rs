//! `davsuite member add|remove|set-role|set-access|leave`.

use clap::{Args, Subcommand, ValueEnum};

use super::org::named;
use super::output::Removed;
use super::{CliResult, Common, Format, new_account, state};
use crate::org::membership::{self, default_membership};
use crate::org::{Actor, OrgError};
use crate::store::{MemberUpdate, NewMember, Role};

#[derive(Debug, Subcommand)]
pub(super) enum MemberAction {
    /// Add an account to an organisation; a login that does not exist yet becomes a new
    /// account (password generated and printed once, or read with --password-stdin). The
    /// operator adds an existing account directly; through the API it is invited instead.
    Add {
        /// Organisation name.
        org: String,
        /// Login of the account.
        login: String,
        /// Role: legal-owner, admin or user.
        #[arg(long, default_value = "user")]
        role: String,
        #[command(flatten)]
        switches: Switches,
        /// E-mail address of a new account.
        #[arg(long)]
        email: Option<String>,
        /// Display name of a new account.
        #[arg(long)]
        display_name: Option<String>,
        /// Read a new account's password from standard input instead of generating one.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Remove one or several members at once (all or none).
    Remove {
        /// Organisation name.
        org: String,
        /// Logins of the members.
        #[arg(required = true)]
        logins: Vec<String>,
    },
    /// Change a member's role.
    SetRole {
        /// Organisation name.
        org: String,
        /// Login of the member.
        login: String,
        /// legal-owner, admin or user.
        role: String,
    },
    /// Turn a member's products and notices on or off.
    SetAccess {
        /// Organisation name.
        org: String,
        /// Login of the member.
        login: String,
        #[command(flatten)]
        switches: Switches,
    },
    /// Take an account out of an organisation as if it left by itself.
    Leave {
        /// Organisation name.
        org: String,
        /// Login of the member.
        login: String,
    },
}

/// On or off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(super) enum Switch {
    /// On.
    On,
    /// Off.
    Off,
}

/// Product access and notice switches; absent ones stay as they are (or take the default).
#[derive(Debug, Args)]
pub(super) struct Switches {
    /// Calendar access.
    #[arg(long)]
    calendar: Option<Switch>,
    /// Contacts access.
    #[arg(long)]
    contacts: Option<Switch>,
    /// Billing notices.
    #[arg(long)]
    billing: Option<Switch>,
    /// Technical notices.
    #[arg(long)]
    technical: Option<Switch>,
    /// Security notices.
    #[arg(long)]
    security: Option<Switch>,
}

impl Switches {
    /// The switches as a membership change.
    fn update(&self) -> MemberUpdate {
        let on = |s: Option<Switch>| s.map(|s| s == Switch::On);
        MemberUpdate {
            role: None,
            calendar: on(self.calendar),
            contacts: on(self.contacts),
            billing: on(self.billing),
            technical: on(self.technical),
            security: on(self.security),
        }
    }

    /// The default membership for `role` with these switches applied.
    fn membership(&self, role: Role) -> NewMember {
        self.update().apply(default_membership(role))
    }
}

fn role(text: &str) -> Result<Role, OrgError> {
    Role::parse(text).ok_or_else(|| OrgError::UnknownRole(text.to_owned()))
}

pub(super) fn run(common: &Common, format: Format, action: MemberAction) -> CliResult {
    let state = state(common)?;
    let store = state.store.as_ref();
    let plans = &state.config.plans;
    let op = Actor::Operator;
    match action {
        MemberAction::Add {
            org,
            login,
            role: role_name,
            switches,
            email,
            display_name,
            password_stdin,
        } => {
            let org = named(&state, &org)?;
            let member = switches.membership(role(&role_name)?);
            let grant = membership::authorise_join(store, plans, op, &org, &member)?;
            match store.account_by_login(&login)? {
                // The operator extends an existing account directly; members invite it.
                Some(account) => {
                    format.member(&membership::add(store, &grant, &account)?);
                }
                None => {
                    let (spec, generated) =
                        new_account(login, email, display_name, password_stdin)?;
                    let m = membership::add_new_account(
                        store,
                        plans,
                        &grant,
                        &spec,
                        &state.default_collections(),
                    )?;
                    let view = crate::api::views::AddedView {
                        member: (&m).into(),
                        account_created: true,
                        password: generated.clone(),
                    };
                    format.emit(&view, || {
                        let mut t =
                            format!("created account {} as a member of {}", m.login, org.name);
                        if let Some(pw) = &generated {
                            t.push_str(&format!("\npassword: {pw}\n(shown once)"));
                        }
                        t
                    });
                }
            }
        }
        MemberAction::Remove { org, logins } => {
            let org = named(&state, &org)?;
            membership::remove(store, op, &org, &logins)?;
            format.emit(&Removed { removed: &logins }, || {
                format!("removed {} from {}", logins.join(", "), org.name)
            });
        }
        MemberAction::SetRole {
            org,
            login,
            role: role_name,
        } => {
            let org = named(&state, &org)?;
            let update = MemberUpdate {
                role: Some(role(&role_name)?),
                ..MemberUpdate::default()
            };
            format.member(&membership::update(
                store, plans, op, &org, &login, &update,
            )?);
        }
        MemberAction::SetAccess {
            org,
            login,
            switches,
        } => {
            let org = named(&state, &org)?;
            let update = switches.update();
            format.member(&membership::update(
                store, plans, op, &org, &login, &update,
            )?);
        }
        MemberAction::Leave { org, login } => {
            let org = named(&state, &org)?;
            let account = store
                .account_by_login(&login)?
                .ok_or_else(|| OrgError::NotFound(format!("account {login}")))?;
            membership::leave(store, &account, &org)?;
            let left = [login];
            format.emit(&Removed { removed: &left }, || {
                format!("{} left {}", left[0], org.name)
            });
        }
    }
    Ok(())
}
