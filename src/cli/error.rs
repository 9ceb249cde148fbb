//! Why a command failed: a stable code (the domain's, as the JSON API gives it, where the domain
//! refused) and a message. Printed as `davsuite: MESSAGE` on standard error, or with `--json` as
//! the JSON API's error body `{"error": CODE, "message": MESSAGE}`, so scripts read both alike.

use std::io::Write;

use crate::api::views::{ErrorView, to_json};
use crate::org::OrgError;
use crate::store::StoreError;
use crate::transfer::TransferError;
use crate::trash::TrashError;

/// A failed command.
#[derive(Debug)]
pub struct CliError {
    code: &'static str,
    message: String,
}

impl CliError {
    /// A failure with this code and message.
    pub fn new(code: &'static str, message: impl Into<String>) -> Self {
        CliError {
            code,
            message: message.into(),
        }
    }

    /// Prints the failure on standard error, as JSON when `json`.
    pub fn print(&self, json: bool) {
        let mut err = std::io::stderr().lock();
        let _ = if json {
            let view = ErrorView {
                error: self.code,
                message: &self.message,
            };
            err.write_all(&to_json(&view))
                .and_then(|()| err.write_all(b"\n"))
        } else {
            writeln!(err, "davsuite: {}", self.message)
        };
    }
}

impl From<OrgError> for CliError {
    /// The domain's code and message; the operator sees internal failures in full.
    fn from(e: OrgError) -> Self {
        CliError::new(e.code(), e.to_string())
    }
}

impl From<StoreError> for CliError {
    fn from(e: StoreError) -> Self {
        OrgError::from(e).into()
    }
}

impl From<TrashError> for CliError {
    /// The trash's code and message, as the JSON API gives them.
    fn from(e: TrashError) -> Self {
        CliError::new(e.code(), e.to_string())
    }
}

impl From<TransferError> for CliError {
    /// The transfer's code and message, as the JSON API gives them.
    fn from(e: TransferError) -> Self {
        CliError::new(e.code(), e.to_string())
    }
}
