//! Real clients against the real server: `vdirsyncer` syncs a calendar and an address book both
//! ways and subscribes to a holiday feed, and the Python `caldav` library runs its discovery,
//! event, todo and sync-token flows, and finds a shared calendar whose read-write sharee's
//! change reaches the owner.
//!
//! The clients come from the Python package index, pinned in `dav-tests/requirements.txt`, and
//! live in the virtualenv `dav-tests/.venv`, which `dav-tests/clients/ensure_venv.py` builds on
//! first use (and rebuilds when the requirements change); `.ci/run` calls the same script
//! before `cargo test`. The flows themselves are the Python scripts in `dav-tests/clients/`;
//! each test starts a server, adds an account, runs its script and fails with the script's
//! output and the server's request log if the script exits non-zero. A venv that cannot be
//! built fails the tests: they never skip.

use crate::common::*;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// `dav-tests/`.
fn tests_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("dav-tests")
}

/// The venv's interpreter once built (or why it could not be), shared by the tests of this
/// process; the lock in `ensure_venv.py` covers other processes.
static VENV: Mutex<Option<Result<PathBuf, String>>> = Mutex::new(None);

/// The Python interpreter of `dav-tests/.venv`, building the venv first if needed.
fn venv_python() -> PathBuf {
    let mut guard = VENV.lock().unwrap_or_else(|e| e.into_inner());
    let result = guard.get_or_insert_with(build_venv).clone();
    drop(guard);
    result.unwrap_or_else(|e| panic!("{e}"))
}

fn build_venv() -> Result<PathBuf, String> {
    let script = tests_dir().join("clients").join("ensure_venv.py");
    let started = Instant::now();
    let out = Command::new("python3")
        .arg(&script)
        .env_remove("PYTHONPATH")
        .env_remove("PYTHONHOME")
        .env_remove("VIRTUAL_ENV")
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .stdin(Stdio::null())
        .output()
        .map_err(|e| {
            format!(
                "cannot run `python3 {}` to build the client venv: {e}",
                script.display()
            )
        })?;
    let stderr = String::from_utf8_lossy(&out.stderr);
    if !out.status.success() {
        return Err(format!(
            "building dav-tests/.venv from dav-tests/requirements.txt failed ({}):\n{stderr}",
            out.status
        ));
    }
    if !stderr.is_empty() {
        eprintln!("{stderr}");
    }
    let python = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
    eprintln!(
        "client venv ready: {} ({:.1}s)",
        python.display(),
        started.elapsed().as_secs_f64()
    );
    Ok(python)
}

/// Runs a script of `dav-tests/clients/` with the venv's interpreter, with a time limit; fails
/// the test with the script's output and the server's log unless it exits 0.
fn run_client_script(server: &Server, script: &str, args: &[&str], limit: Duration) {
    let python = venv_python();
    let work = tempfile::tempdir().expect("tempdir");
    let out_path = work.path().join("client-output.txt");
    let out_file = std::fs::File::create(&out_path).expect("create output file");
    let mut child = Command::new(&python)
        .arg(tests_dir().join("clients").join(script))
        .args(args)
        .env_remove("PYTHONPATH")
        .env_remove("PYTHONHOME")
        .env_remove("VDIRSYNCER_CONFIG")
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .env("PYTHONUNBUFFERED", "1")
        .env("NO_PROXY", "127.0.0.1,localhost")
        .env("no_proxy", "127.0.0.1,localhost")
        .stdin(Stdio::null())
        .stdout(out_file.try_clone().expect("clone output file"))
        .stderr(out_file)
        .spawn()
        .unwrap_or_else(|e| panic!("start {} {script}: {e}", python.display()));
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for client") {
            break Some(status);
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let output = std::fs::read_to_string(&out_path).unwrap_or_default();
    let elapsed = started.elapsed().as_secs_f64();
    match status {
        Some(s) if s.success() => {
            eprintln!("{script} passed in {elapsed:.1}s");
        }
        status => {
            let what = match status {
                Some(s) => format!("exited with {s}"),
                None => format!("was killed after {}s", limit.as_secs()),
            };
            panic!(
                "{script} {what} after {elapsed:.1}s\n\
                 ===== client output =====\n{output}\n\
                 ===== server log: requests not answered 2xx, warnings, errors =====\n{}",
                server_log_excerpt(server)
            );
        }
    }
}

/// The lines of the server log that show something went wrong: requests answered with a status
/// other than 2xx, and anything logged above INFO.
fn server_log_excerpt(server: &Server) -> String {
    let log = std::fs::read_to_string(server.log_path()).unwrap_or_default();
    let lines: Vec<&str> = log
        .lines()
        .filter(|l| !(l.contains(" INFO ") && l.contains(" status=2")))
        .collect();
    const MAX: usize = 300;
    let skipped = lines.len().saturating_sub(MAX);
    let mut out = lines[skipped..].join("\n");
    if skipped > 0 {
        out = format!("({skipped} earlier lines left out)\n{out}");
    }
    out
}

#[test]
fn vdirsyncer_syncs_a_calendar_and_an_address_book_both_ways() {
    let s = Server::start();
    let u = s.new_user("vdirsyncer");
    let work = tempfile::tempdir().expect("tempdir");
    run_client_script(
        &s,
        "vdirsyncer_sync.py",
        &[
            &s.url(),
            &u.login,
            &u.password,
            work.path().to_str().expect("utf-8 temp path"),
        ],
        Duration::from_secs(300),
    );
}

#[test]
fn python_caldav_library_discovery_and_event_flows() {
    let s = Server::start();
    let u = s.new_user("caldavpy");
    run_client_script(
        &s,
        "caldav_flows.py",
        &[&s.url(), &u.login, &u.password],
        Duration::from_secs(300),
    );
}

#[test]
fn python_caldav_library_sees_a_read_write_sharees_change_reach_the_owner() {
    let s = Server::start();
    let owner = s.new_user_in("owner", "acme");
    let writer = s.new_user_in("writer", "acme");
    let reader = s.new_user_in("reader", "acme");
    let cal = calendar_url(&owner);
    share_with(&s, &cal, &writer.login, "read-write");
    share_with(&s, &cal, &reader.login, "read");
    run_client_script(
        &s,
        "caldav_sharing.py",
        &[
            &s.url(),
            &owner.login,
            &owner.password,
            &writer.login,
            &writer.password,
            &reader.login,
            &reader.password,
        ],
        Duration::from_secs(300),
    );
}

#[test]
fn vdirsyncer_subscribes_to_a_holiday_feed() {
    // 2026-06-15T12:00:00Z: the feed spans 2025 to 2031, as the script expects.
    let clock = TestClock::new(1_781_524_800);
    let s = clocked_server(&clock, "");
    let work = tempfile::tempdir().expect("tempdir");
    run_client_script(
        &s,
        "holiday_subscription.py",
        &[&s.url(), work.path().to_str().expect("utf-8 temp path")],
        Duration::from_secs(300),
    );
}
