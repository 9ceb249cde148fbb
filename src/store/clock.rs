//! The time the store records: [`Clock`] and its implementations.
//!
//! Every time the trash and the version history depend on (when an object version was written
//! and replaced, when something was deleted, what "now" is for a restore window or a purge),
//! and the times of shares and public links (their creation, a link's expiry and monthly
//! allowance), comes from the store's clock, so tests can move time without sleeping:
//! - [`SystemClock`], the real time, what a server uses;
//! - [`ManualClock`], set and advanced by unit tests;
//! - [`FileClock`], which reads the time from a file on every call, so protocol tests can move
//!   the time of a running server and of the command line together (configuration key
//!   `testing.clock_file`; never set it in production).

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};

/// A source of the current time, Unix seconds.
pub trait Clock: Send + Sync {
    /// The current time, Unix seconds.
    fn now(&self) -> i64;
}

/// The system's real time.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> i64 {
        chrono::Utc::now().timestamp()
    }
}

/// A clock that stands still until it is set or advanced (unit tests).
#[derive(Debug, Default)]
pub struct ManualClock(AtomicI64);

impl ManualClock {
    /// A clock showing `now`.
    pub fn new(now: i64) -> ManualClock {
        ManualClock(AtomicI64::new(now))
    }

    /// Sets the time.
    pub fn set(&self, now: i64) {
        self.0.store(now, Ordering::SeqCst);
    }

    /// Moves the time forward by `seconds`.
    pub fn advance(&self, seconds: i64) {
        self.0.fetch_add(seconds, Ordering::SeqCst);
    }
}

impl Clock for ManualClock {
    fn now(&self) -> i64 {
        self.0.load(Ordering::SeqCst)
    }
}

/// A clock read from a file on every call (protocol tests). The file holds one time: Unix
/// seconds (`1735689600`) or RFC 3339 (`2025-01-01T00:00:00Z`). While the file is missing or
/// unreadable the real time is used, and a warning is logged once.
#[derive(Debug)]
pub struct FileClock {
    path: PathBuf,
    warned: AtomicBool,
}

impl FileClock {
    /// A clock reading `path`.
    pub fn new(path: PathBuf) -> FileClock {
        FileClock {
            path,
            warned: AtomicBool::new(false),
        }
    }
}

/// A Unix time as RFC 3339 UTC (`2025-01-07T10:00:00Z`), as every front end prints times;
/// a time chrono cannot represent prints as the epoch.
pub fn rfc3339(ts: i64) -> String {
    chrono::DateTime::from_timestamp(ts, 0)
        .unwrap_or_default()
        .format("%Y-%m-%dT%H:%M:%SZ")
        .to_string()
}

/// Reads a time written as Unix seconds or RFC 3339.
pub fn parse_instant(text: &str) -> Option<i64> {
    let text = text.trim();
    if let Ok(seconds) = text.parse::<i64>() {
        return Some(seconds);
    }
    chrono::DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|t| t.timestamp())
}

impl Clock for FileClock {
    fn now(&self) -> i64 {
        let read = std::fs::read_to_string(&self.path).ok();
        match read.as_deref().and_then(parse_instant) {
            Some(now) => now,
            None => {
                if !self.warned.swap(true, Ordering::Relaxed) {
                    tracing::warn!(
                        path = %self.path.display(),
                        "testing.clock_file holds no time (Unix seconds or RFC 3339); using the real time"
                    );
                }
                SystemClock.now()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_manual_clock_moves_only_when_told() {
        let clock = ManualClock::new(100);
        assert_eq!(clock.now(), 100);
        clock.advance(50);
        assert_eq!(clock.now(), 150);
        clock.set(7);
        assert_eq!(clock.now(), 7);
    }

    #[test]
    fn a_file_clock_follows_its_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("now");
        let clock = FileClock::new(path.clone());
        let real = SystemClock.now();
        assert!((clock.now() - real).abs() < 5, "no file: the real time");
        std::fs::write(&path, "1700000000\n").expect("write");
        assert_eq!(clock.now(), 1_700_000_000);
        std::fs::write(&path, "2025-01-01T01:00:00+01:00").expect("write");
        assert_eq!(clock.now(), 1_735_689_600);
        std::fs::write(&path, "soon").expect("write");
        assert!((clock.now() - real).abs() < 5, "unreadable: the real time");
    }

    #[test]
    fn instants_parse_in_both_forms() {
        assert_eq!(parse_instant(" 42 "), Some(42));
        assert_eq!(parse_instant("1970-01-01T00:01:00Z"), Some(60));
        assert_eq!(parse_instant("yesterday"), None);
    }
}
