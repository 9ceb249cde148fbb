//! Domain policy: accounts, passwords and login rules; organisations, memberships, roles, teams
//! and plans, with every rule of who may change what; sharing ([`share`]) and public links
//! ([`link`]); and [`access`], the single authority on who may use which calendars and address
//! books. Returns domain errors ([`OrgError`] with a stable code and a kind), never status
//! codes; imports only `store`.

pub mod access;
pub mod accounts;
pub mod actor;
pub mod auth;
pub mod countries;
pub mod directory;
pub mod error;
pub mod fields;
pub mod home;
pub mod invitation;
pub mod link;
pub mod membership;
pub mod organisation;
pub mod password;
pub mod plan;
pub mod share;
pub mod team;

pub use accounts::{AccountSpec, Joining, Signup, create_account, sign_up, validate_login};
pub use actor::Actor;
pub use error::{ErrorKind, OrgError};
