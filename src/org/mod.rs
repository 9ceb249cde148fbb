//! Domain policy for accounts: login rules, passwords, account creation with its default
//! collections, and [`access`], the single authority on who may do what.
//! Returns domain errors, never status codes; imports only `store`.

pub mod access;
pub mod accounts;
pub mod auth;
pub mod password;
pub mod plan;

pub use accounts::{AccountSpec, OrgError, create_account, validate_login};
