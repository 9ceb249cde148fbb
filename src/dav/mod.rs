//! Generic WebDAV (RFC 4918, RFC 3744 subset, RFC 6578): XML model, property names and values,
//! preconditions with their status codes and request-body parsing.
//! Imports nothing from the crate.

pub mod condition;
pub mod media;
pub mod multistatus;
pub mod prop;
pub mod request;
pub mod xml;
