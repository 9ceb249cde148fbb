//! API errors: a status and the JSON body `{"error": code, "message": text}`, where `code` is
//! stable (programs match on it) and `message` is for people.

use super::ApiResponse;
use super::views::{ErrorView, to_json};
use crate::org::{ErrorKind, OrgError};

/// A refused API request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// HTTP status.
    pub status: u16,
    /// Stable code.
    pub code: &'static str,
    /// Human-readable message.
    pub message: String,
}

impl ApiError {
    /// An error with this status, code and message.
    pub fn new(status: u16, code: &'static str, message: impl Into<String>) -> Self {
        ApiError {
            status,
            code,
            message: message.into(),
        }
    }

    /// 400: the request cannot be read (bad JSON, unknown member, bad path).
    pub fn bad_request(message: impl Into<String>) -> Self {
        ApiError::new(400, "bad-request", message)
    }

    /// 404 for a path the API does not have.
    pub fn no_route(path: &str) -> Self {
        ApiError::new(404, "not-found", format!("no API resource at {path}"))
    }

    /// The response carrying this error.
    pub fn response(&self) -> ApiResponse {
        ApiResponse::json(
            self.status,
            to_json(&ErrorView {
                error: self.code,
                message: &self.message,
            }),
        )
    }
}

impl From<OrgError> for ApiError {
    /// Invalid requests are 422, role refusals 403, unknown things 404, conflicts with the
    /// current state 409, and server failures 500 (logged, with a generic message).
    fn from(e: OrgError) -> Self {
        let status = match e.kind() {
            ErrorKind::Invalid => 422,
            ErrorKind::Forbidden => 403,
            ErrorKind::NotFound => 404,
            ErrorKind::Conflict => 409,
            ErrorKind::Internal => {
                tracing::error!(error = %e, "API request failed");
                return ApiError::new(500, "internal", "internal error");
            }
        };
        ApiError::new(status, e.code(), e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::StoreError;

    #[test]
    fn statuses_follow_the_kind() {
        let cases = [
            (OrgError::UnsupportedCountry("CN".into()), 422),
            (OrgError::OwnRoleRaise("user"), 403),
            (OrgError::NotFound("x".into()), 404),
            (OrgError::LastLegalOwner("acme".into()), 409),
            (OrgError::Store(StoreError::Backend("disk".into())), 500),
        ];
        for (e, status) in cases {
            assert_eq!(ApiError::from(e).status, status);
        }
        let internal = ApiError::from(OrgError::Store(StoreError::Backend("secret path".into())));
        assert!(
            !internal.message.contains("secret"),
            "internals are not shown"
        );
    }

    #[test]
    fn the_body_has_error_and_message() {
        let r = ApiError::from(OrgError::LastLegalOwner("acme".into())).response();
        let v: serde_json::Value = serde_json::from_slice(&r.body).unwrap();
        assert_eq!(v["error"], "last-legal-owner");
        assert!(v["message"].as_str().unwrap().contains("acme"));
    }
}
