//! The server starts, prints its first account once, and serves discovery.

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
