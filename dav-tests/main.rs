//! Protocol tests: each starts the real binary on a free loopback port and speaks HTTP to it.
//! One file per area.

mod common;

mod addressbook_query;
mod architecture;
mod auth;
mod authz_matrix;
mod birthdays;
mod browser_harness;
mod calendar_data;
mod clients;
mod collections;
mod contacts;
mod copy_move;
mod discovery;
mod errors;
mod fixtures_roundtrip;
mod free_busy;
mod holidays;
mod import_export;
mod objects;
mod openapi;
mod org_access;
mod org_api;
mod org_cli;
mod org_directory;
mod org_invitations;
mod plan_limits;
mod public_links;
mod reports;
mod sharing;
mod smoke;
mod sync;
mod time_ranges;
mod transfer_history;
mod trash;
mod web_devices;
mod web_e2e;
mod web_login;
mod web_session;
mod web_sharing;
mod web_transfer;
mod web_trash;
