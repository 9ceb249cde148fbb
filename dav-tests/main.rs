//! Protocol tests: each starts the real binary on a free loopback port and speaks HTTP to it.
//! One file per area.

mod common;

mod architecture;
mod smoke;
mod collections;
mod discovery;
mod auth;
mod errors;
