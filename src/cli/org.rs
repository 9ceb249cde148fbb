//! `davsuite org create|show|list|set-plan|set-contact`.

use clap::Subcommand;

use super::{CliResult, Common, Format, state};
use crate::app::AppState;
use crate::org::organisation::{self, find_by_name};
use crate::org::{Actor, OrgError};
use crate::store::{LegalContact, NewOrg, Org};

#[derive(Debug, Subcommand)]
pub(super) enum OrgAction {
    /// Create an organisation with an existing account as its legal owner.
    Create {
        /// Unique name.
        name: String,
        /// Login of the legal owner.
        #[arg(long)]
        owner: String,
        /// Plan (default: defaults.plan from config).
        #[arg(long)]
        plan: Option<String>,
        #[command(flatten)]
        contact: ContactArgs,
    },
    /// Show an organisation with its members and teams.
    Show {
        /// Name.
        name: String,
    },
    /// List every organisation.
    List,
    /// Change the plan (upgrades only).
    SetPlan {
        /// Name.
        name: String,
        /// The new plan.
        plan: String,
    },
    /// Change legal contact details; the options given replace those values, an empty value
    /// clears one.
    SetContact {
        /// Name.
        name: String,
        #[command(flatten)]
        contact: ContactArgs,
    },
}

/// Legal contact options.
#[derive(Debug, clap::Args)]
pub(super) struct ContactArgs {
    /// Postal address.
    #[arg(long)]
    address: Option<String>,
    /// Phone number (a mobile number for the personal plans).
    #[arg(long)]
    phone: Option<String>,
    /// Contact e-mail address.
    #[arg(long)]
    email: Option<String>,
    /// Country, ISO 3166 code.
    #[arg(long)]
    country: Option<String>,
}

impl ContactArgs {
    /// `base` with the values given here replacing its own.
    fn over(self, base: &LegalContact) -> LegalContact {
        LegalContact {
            address: self.address.or_else(|| base.address.clone()),
            phone: self.phone.or_else(|| base.phone.clone()),
            email: self.email.or_else(|| base.email.clone()),
            country: self.country.or_else(|| base.country.clone()),
        }
    }
}

/// The organisation named `name` (the operator sees every organisation).
pub(super) fn named(state: &AppState, name: &str) -> Result<Org, OrgError> {
    find_by_name(state.store.as_ref(), Actor::Operator, name).map(|(org, _)| org)
}

pub(super) fn run(common: &Common, format: Format, action: OrgAction) -> CliResult {
    let state = state(common)?;
    let store = state.store.as_ref();
    let plans = &state.config.plans;
    match action {
        OrgAction::Create {
            name,
            owner,
            plan,
            contact,
        } => {
            let owner = store
                .account_by_login(&owner)?
                .ok_or_else(|| OrgError::NotFound(format!("account {owner}")))?;
            let new = NewOrg {
                name,
                plan: plan.unwrap_or_else(|| state.config.defaults.plan.clone()),
                contact: contact.over(&LegalContact::default()),
            };
            format.org(&organisation::create(store, plans, &owner, &new)?);
        }
        OrgAction::Show { name } => {
            let org = named(&state, &name)?;
            let members = store.members(org.id)?;
            let teams = store.teams(org.id)?;
            format.org_detail(&org, &members, &teams);
        }
        OrgAction::List => {
            format.orgs(&organisation::visible(store, Actor::Operator)?);
        }
        OrgAction::SetPlan { name, plan } => {
            let org = named(&state, &name)?;
            let org = organisation::set_plan(store, plans, Actor::Operator, &org, &plan)?;
            format.org(&org);
        }
        OrgAction::SetContact { name, contact } => {
            let org = named(&state, &name)?;
            let contact = contact.over(&org.contact);
            let org = organisation::set_contact(store, plans, Actor::Operator, &org, &contact)?;
            format.org(&org);
        }
    }
    Ok(())
}
