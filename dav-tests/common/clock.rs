//! The test clock and the trash helpers shared by the tests of the trash, the version history
//! and what writes into them (imports, COPY/MOVE, contact merges).

use std::path::PathBuf;

use super::*;

/// The time the server and the CLI read (`testing.clock_file`): tests set it instead of
/// sleeping.
pub struct TestClock {
    dir: tempfile::TempDir,
}

impl TestClock {
    /// A clock showing `t` (Unix seconds).
    pub fn new(t: i64) -> TestClock {
        let clock = TestClock {
            dir: tempfile::tempdir().expect("tempdir"),
        };
        clock.set(t);
        clock
    }

    /// The file the server reads.
    pub fn path(&self) -> PathBuf {
        self.dir.path().join("now")
    }

    /// Moves the clock to `t`.
    pub fn set(&self, t: i64) {
        std::fs::write(self.path(), t.to_string()).expect("write clock");
    }

    /// The configuration that makes a server read this clock.
    pub fn config(&self) -> String {
        format!("[testing]\nclock_file = \"{}\"\n", self.path().display())
    }
}

/// A server reading time from `clock`, with more configuration `extra`.
pub fn clocked_server(clock: &TestClock, extra: &str) -> Server {
    Server::start_with_config(Some(&format!("{}{extra}", clock.config())))
}

/// A server reading time from `clock` whose new users' plan (ksuite-standard) has `quota`
/// bytes of storage, without the background purge: for the tests of what the trash and the
/// history keep against the quota.
pub fn quota_server(clock: &TestClock, quota: i64) -> Server {
    clocked_server(
        clock,
        &format!(
            "[trash]\npurge_interval_seconds = 0\n[plans.ksuite-standard]\nquota_bytes = {quota}\n"
        ),
    )
}

/// `GET /api/v1/storage` as `u`: live, trash and history bytes, quota and window.
#[track_caller]
pub fn storage(s: &Server, u: &User) -> Value {
    api_ok(s, u, "GET", "/api/v1/storage", None, 200)
}

/// Bytes `u`'s trash and history keep together (at most its plan's quota).
#[track_caller]
pub fn kept_bytes(s: &Server, u: &User) -> i64 {
    let f = storage(s, u);
    f["trash_bytes"].as_i64().expect("trash") + f["history_bytes"].as_i64().expect("history")
}

/// A Unix time as the CLI and the API take it.
pub fn rfc3339(t: i64) -> String {
    chrono::DateTime::from_timestamp(t, 0)
        .expect("time")
        .format("%Y-%m-%dT%H:%M:%SZ")
        .to_string()
}

/// `trash list LOGIN --json`.
#[track_caller]
pub fn trash_list(s: &Server, login: &str) -> Vec<Value> {
    s.cli_json(&["trash", "list", login], None)
        .as_array()
        .expect("an array")
        .clone()
}

/// The trash entry with this href.
#[track_caller]
pub fn trash_entry<'a>(items: &'a [Value], href: &str) -> &'a Value {
    items
        .iter()
        .find(|i| i["href"] == href)
        .unwrap_or_else(|| panic!("no trash entry for {href}: {items:?}"))
}
