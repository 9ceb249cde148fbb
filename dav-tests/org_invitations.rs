//! Consent: through the API an existing account joins an organisation only by accepting an
//! invitation, so an organisation anyone can create cannot capture an account (make it a
//! member, a legal owner stuck with the organisation, or switch its products off), and only
//! those who may add members learn whether a login exists.

use crate::common::*;

/// `name`'s id after `by` creates it (the creator is its legal owner).
fn create_org(s: &Server, by: &User, name: &str) -> i64 {
    let org = api_ok(
        s,
        by,
        "POST",
        "/api/v1/organisations",
        Some(json!({"name": name})),
        201,
    );
    org["id"].as_i64().expect("id")
}

fn member_logins(s: &Server, u: &User, org: i64) -> Vec<String> {
    api_ok(s, u, "GET", &org_path(org, "/members"), None, 200)
        .as_array()
        .expect("members")
        .iter()
        .filter_map(|m| m["login"].as_str().map(str::to_owned))
        .collect()
}

fn org_names(s: &Server, u: &User) -> Vec<String> {
    api_ok(s, u, "GET", "/api/v1/organisations", None, 200)
        .as_array()
        .expect("organisations")
        .iter()
        .filter_map(|o| o["name"].as_str().map(str::to_owned))
        .collect()
}

#[test]
fn an_organisation_anyone_can_create_cannot_capture_an_account() {
    let s = Server::start();
    let carol = s.new_user("carol");
    let alice = s.new_user("alice");
    let mallory = s.new_user("mallory");
    let trap = create_org(&s, &mallory, "Trap");
    let members = org_path(trap, "/members");
    // Adding carol only invites her: the answer shows nothing of her account.
    let r = api(
        &s,
        Some(&mallory),
        "POST",
        &members,
        Some(json!({"login": carol.login})),
    );
    assert_eq!(r.status(), 202, "{}", r.resp.text());
    assert!(
        !r.resp.text().contains("@example.com"),
        "carol's e-mail address: {}",
        r.resp.text()
    );
    assert_eq!(
        member_logins(&s, &mallory, trap),
        vec![mallory.login.clone()]
    );
    assert_eq!(org_names(&s, &carol), vec![carol.login.clone()]);
    // Her products are not Trap's to switch off.
    let r = api(
        &s,
        Some(&mallory),
        "PATCH",
        &org_path(trap, &format!("/members/{}", carol.login)),
        Some(json!({"access": {"calendar": false, "contacts": false}})),
    );
    assert_api_error(&r, 404, "not-found");
    assert_eq!(
        bare_propfind(&s, &carol, &calendar_url(&carol), "0", b"").status,
        207
    );
    // Naming alice legal owner and leaving would strand her with Trap: she is only invited,
    // so mallory stays its last legal owner.
    let r = api(
        &s,
        Some(&mallory),
        "POST",
        &members,
        Some(json!({"login": alice.login, "role": "legal-owner"})),
    );
    assert_eq!(r.status(), 202, "{}", r.resp.text());
    assert_api_error(
        &api(&s, Some(&mallory), "POST", &org_path(trap, "/leave"), None),
        409,
        "last-legal-owner",
    );
    assert_api_error(
        &api(&s, Some(&alice), "POST", &org_path(trap, "/leave"), None),
        404,
        "not-found",
    );
    assert_eq!(org_names(&s, &alice), vec![alice.login.clone()]);
    // The invitations wait for their answers.
    let pending = api_ok(&s, &alice, "GET", "/api/v1/invitations", None, 200);
    assert_eq!(pending.as_array().map(Vec::len), Some(1), "{pending}");
    assert_eq!(
        pending[0]["organisation"],
        json!({"id": trap, "name": "Trap"})
    );
    assert_eq!(pending[0]["role"], "legal-owner");
    assert_eq!(pending[0]["invited_by"], mallory.login.as_str());
    let r = api(&s, Some(&alice), "POST", &org_path(trap, "/decline"), None);
    assert_eq!(r.status(), 204, "{}", r.resp.text());
    assert_eq!(
        api_ok(&s, &alice, "GET", "/api/v1/invitations", None, 200),
        json!([])
    );
    assert_api_error(
        &api(&s, Some(&alice), "POST", &org_path(trap, "/join"), None),
        404,
        "not-found",
    );
    assert_eq!(
        member_logins(&s, &mallory, trap),
        vec![mallory.login.clone()]
    );
}

#[test]
fn only_those_who_may_add_members_learn_whether_a_login_exists() {
    let s = Server::start();
    let owner = s.new_user_in("owner", "acme");
    let user = s.new_user_in("user", "acme");
    let stranger = s.new_user("stranger");
    let existing = s.new_user("existing");
    let acme = org_id_of(&s, &owner, "acme");
    let add = |who: &User, login: &str| {
        api(
            &s,
            Some(who),
            "POST",
            &org_path(acme, "/members"),
            Some(json!({"login": login})),
        )
    };
    let known = add(&user, &existing.login);
    let unknown = add(&user, "no-such-login");
    assert_api_error(&known, 403, "managers-only");
    assert_api_error(&unknown, 403, "managers-only");
    assert_eq!(known.json, unknown.json, "the same answer either way");
    for login in [existing.login.as_str(), "no-such-login"] {
        assert_api_error(&add(&stranger, login), 404, "not-found");
    }
    assert!(
        api_ok(&s, &existing, "GET", "/api/v1/invitations", None, 200)
            .as_array()
            .is_some_and(Vec::is_empty),
        "no invitation came of it"
    );
}

#[test]
fn an_invitation_is_answered_by_its_invitee_alone_and_joins_with_its_terms() {
    let s = Server::start();
    let owner = s.new_user_in("owner", "acme");
    s.cli_ok(&["org", "set-plan", "acme", "ksuite-pro"], None);
    let acme = org_id_of(&s, &owner, "acme");
    let dave = s.new_user("dave");
    let eve = s.new_user("eve");
    api_ok(
        &s,
        &owner,
        "POST",
        &org_path(acme, "/members"),
        Some(json!({"login": dave.login, "role": "admin", "notices": {"security": true}})),
        202,
    );
    // Someone else can neither accept nor decline it.
    for action in ["/join", "/decline"] {
        let r = api(&s, Some(&eve), "POST", &org_path(acme, action), None);
        assert_api_error(&r, 404, "not-found");
    }
    assert_eq!(
        api_ok(&s, &dave, "GET", "/api/v1/invitations", None, 200)
            .as_array()
            .map(Vec::len),
        Some(1)
    );
    let me = api_ok(&s, &dave, "POST", &org_path(acme, "/join"), None, 200);
    assert_eq!(me["role"], "admin");
    assert_eq!(me["notices"]["security"], true);
    assert_eq!(
        org_names(&s, &dave),
        vec![dave.login.clone(), "acme".to_owned()],
        "its own organisation still governs its data, acme comes after"
    );
    assert_eq!(
        api_ok(&s, &dave, "GET", "/api/v1/invitations", None, 200),
        json!([])
    );
    // A member now: it sees acme's directory.
    let dir = format!("/dav/addressbooks/{}/.directory-{acme}/", dave.login);
    assert_eq!(bare_propfind(&s, &dave, &dir, "0", b"").status, 207);
    assert_api_error(
        &api(&s, Some(&dave), "POST", &org_path(acme, "/join"), None),
        404,
        "not-found",
    );
}

#[test]
fn managers_list_and_withdraw_invitations() {
    let s = Server::start();
    let owner = s.new_user_in("owner", "acme");
    let admin = s.new_user_in("admin", "acme");
    let user = s.new_user_in("user", "acme");
    let acme = org_id_of(&s, &owner, "acme");
    s.cli_ok(&["member", "set-role", "acme", &admin.login, "admin"], None);
    let frank = s.new_user("frank");
    let gina = s.new_user("gina");
    let invite = |by: &User, who: &User, role: &str| {
        api_ok(
            &s,
            by,
            "POST",
            &org_path(acme, "/members"),
            Some(json!({"login": who.login, "role": role})),
            202,
        )
    };
    invite(&owner, &frank, "legal-owner");
    invite(&admin, &gina, "user");
    let list = org_path(acme, "/invitations");
    assert_api_error(
        &api(&s, Some(&user), "GET", &list, None),
        403,
        "managers-only",
    );
    let pending = api_ok(&s, &admin, "GET", &list, None, 200);
    let logins: Vec<&str> = pending
        .as_array()
        .expect("array")
        .iter()
        .filter_map(|i| i["login"].as_str())
        .collect();
    let mut expected = vec![frank.login.as_str(), gina.login.as_str()];
    expected.sort_unstable();
    assert_eq!(logins, expected);
    let one = |who: &User| org_path(acme, &format!("/invitations/{}", who.login));
    assert_api_error(
        &api(&s, Some(&user), "DELETE", &one(&gina), None),
        403,
        "managers-only",
    );
    // An admin leaves an offer of the legal-owner role alone.
    assert_api_error(
        &api(&s, Some(&admin), "DELETE", &one(&frank), None),
        403,
        "cannot-name-legal-owner",
    );
    assert_eq!(
        api(&s, Some(&admin), "DELETE", &one(&gina), None).status(),
        204
    );
    assert_eq!(
        api(&s, Some(&owner), "DELETE", &one(&frank), None).status(),
        204
    );
    assert_eq!(api_ok(&s, &owner, "GET", &list, None, 200), json!([]));
    assert_api_error(
        &api(&s, Some(&owner), "DELETE", &one(&frank), None),
        404,
        "not-found",
    );
    assert_api_error(
        &api(&s, Some(&frank), "POST", &org_path(acme, "/join"), None),
        404,
        "not-found",
    );
}
