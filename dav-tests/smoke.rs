//! The server starts, prints its first account once, logs one line per request, and stops
//! cleanly on SIGTERM.

use crate::common::*;

#[test]
fn first_start_creates_an_account_that_can_log_in() {
    let s = Server::start();
    assert!(s.admin.password.len() >= 20, "generated password is strong");
    let body = br#"<propfind xmlns="DAV:"><prop><current-user-principal/></prop></propfind>"#;
    let r = s.request("PROPFIND", "/", Some(&s.admin), &[("Depth", "0")], body);
    assert_eq!(r.status, 207, "{}", r.text());
    assert!(
        r.text()
            .contains("<D:href>/dav/principals/users/admin/</D:href>"),
        "{}",
        r.text()
    );
}

#[test]
fn accounts_added_later_do_not_create_another_admin() {
    let s = Server::start();
    s.cli_ok(
        &["user", "add", "second", "--password-stdin"],
        Some("another password"),
    );
    let listed = s.cli(&["user", "list"], None);
    let text = String::from_utf8_lossy(&listed.stdout).into_owned();
    let logins: Vec<&str> = text.lines().filter_map(|l| l.split('\t').next()).collect();
    assert_eq!(logins, vec!["admin", "second"], "{text}");
}

#[test]
fn one_log_line_per_request_with_method_path_status_duration_and_user() {
    let s = Server::start();
    let u = s.new_user("logger");
    let r = bare_propfind(&s, &u, &calendar_url(&u), "0", b"");
    assert_eq!(r.status, 207);
    let r = s.request("GET", "/dav/calendars/nobody/x/y.ics", None, &[], b"");
    assert_eq!(r.status, 401);
    // The log is written asynchronously by the server process; give it a moment.
    let mut log = String::new();
    for _ in 0..100 {
        log = std::fs::read_to_string(s.log_path()).unwrap_or_default();
        if log.lines().any(|l| l.contains("method=GET")) {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let line = log
        .lines()
        .find(|l| l.contains("method=PROPFIND") && l.contains(&calendar_url(&u)))
        .unwrap_or_else(|| panic!("no PROPFIND line in {log}"));
    assert!(line.contains("status=207"), "{line}");
    assert!(line.contains("ms="), "{line}");
    assert!(
        line.contains(&format!("user=\"{}\"", u.login))
            || line.contains(&format!("user={}", u.login)),
        "{line}"
    );
    assert!(
        log.lines()
            .any(|l| l.contains("method=GET") && l.contains("status=401")),
        "{log}"
    );
}

#[test]
fn sigterm_drains_and_exits_cleanly() {
    let mut s = Server::start();
    let u = s.new_user("term");
    let r = s.request(
        "PUT",
        &format!("{}a.ics", calendar_url(&u)),
        Some(&u),
        &[],
        event("term-a", "A").as_bytes(),
    );
    assert_eq!(r.status, 201);
    let killed = std::process::Command::new("kill")
        .arg("-TERM")
        .arg(s.pid().to_string())
        .status()
        .expect("kill");
    assert!(killed.success());
    let status = s.wait_exit(20).expect("server exits after SIGTERM");
    assert!(status.success(), "exit status {status:?}");
    let log = std::fs::read_to_string(s.log_path()).unwrap_or_default();
    assert!(log.contains("shutdown requested"), "{log}");
    assert!(log.contains("stopped"), "{log}");
    // The database is consistent: the CLI opens it and sees the account.
    let listed = s.cli(&["user", "list"], None);
    assert!(String::from_utf8_lossy(&listed.stdout).contains(&u.login));
}

#[test]
fn davsuite_config_is_read_and_an_unknown_key_is_named() {
    use std::process::{Command, Stdio};
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("data");
    // Without --config, $DAVSUITE_CONFIG decides, here the data directory.
    let good = dir.path().join("good.toml");
    std::fs::write(
        &good,
        format!("[server]\ndata_dir = {:?}\n", data.display().to_string()),
    )
    .expect("write");
    let mut add = Command::new(binary())
        .args(["user", "add", "fromenv", "--password-stdin"])
        .env("DAVSUITE_CONFIG", &good)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .expect("run");
    std::io::Write::write_all(&mut add.stdin.take().expect("stdin"), b"a long password\n")
        .expect("write");
    assert!(add.wait().expect("wait").success());
    assert!(
        data.join("davsuite.sqlite3").exists(),
        "the database lives where the config says"
    );
    let list = Command::new(binary())
        .args(["user", "list"])
        .env("DAVSUITE_CONFIG", &good)
        .output()
        .expect("run");
    assert!(String::from_utf8_lossy(&list.stdout).starts_with("fromenv\t"));
    // An unknown key stops the program with a message naming it, for serve as for the CLI.
    let bad = dir.path().join("bad.toml");
    std::fs::write(&bad, "[server]\nlisten_on = \"127.0.0.1:1\"\n").expect("write");
    for args in [
        &["user", "list"][..],
        &["serve", "--listen", "127.0.0.1:0"][..],
    ] {
        let out = Command::new(binary())
            .args(args)
            .env("DAVSUITE_CONFIG", &bad)
            .output()
            .expect("run");
        assert!(!out.status.success(), "{args:?} accepted an unknown key");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("listen_on"), "{args:?}: {err}");
    }
}
