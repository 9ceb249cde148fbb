//! The JSON API under /api/v1/: authentication as for DAV, every organisation rule held to the
//! caller's role, errors as `{"error", "message"}` with their status, and refused requests that
//! change nothing.

use crate::common::*;

/// An organisation "acme" (kSuite Standard) with a legal owner, an admin and a user, all
/// governed by it; its id.
struct Company {
    owner: User,
    admin: User,
    user: User,
    id: i64,
}

fn company(s: &Server) -> Company {
    let owner = s.new_user_in("owner", "acme");
    let admin = s.new_user_in("admin", "acme");
    let user = s.new_user_in("user", "acme");
    let id = org_id_of(s, &owner, "acme");
    api_ok(
        s,
        &owner,
        "PATCH",
        &org_path(id, &format!("/members/{}", admin.login)),
        Some(json!({"role": "admin"})),
        200,
    );
    Company {
        owner,
        admin,
        user,
        id,
    }
}

/// The organisation as its legal owner sees it (members, teams, contact).
fn snapshot(s: &Server, c: &Company) -> Value {
    api_ok(s, &c.owner, "GET", &org_path(c.id, ""), None, 200)
}

fn role_of(org: &Value, login: &str) -> String {
    org["members"]
        .as_array()
        .expect("members")
        .iter()
        .find(|m| m["login"] == login)
        .map(|m| m["role"].as_str().unwrap_or_default().to_owned())
        .unwrap_or_else(|| "not a member".into())
}

#[test]
fn the_api_authenticates_like_dav() {
    let s = Server::start();
    let r = api(&s, None, "GET", "/api/v1/organisations", None);
    assert_api_error(&r, 401, "unauthorized");
    assert!(
        r.resp
            .header("www-authenticate")
            .is_some_and(|h| h.starts_with("Basic"))
    );
    let wrong = User {
        login: s.admin.login.clone(),
        password: "not the password".into(),
    };
    assert_api_error(
        &api(&s, Some(&wrong), "GET", "/api/v1/plans", None),
        401,
        "unauthorized",
    );
    let plans = api_ok(&s, &s.admin, "GET", "/api/v1/plans", None, 200);
    let names: Vec<&str> = plans
        .as_array()
        .expect("array")
        .iter()
        .filter_map(|p| p["name"].as_str())
        .collect();
    assert_eq!(names, PLANS.to_vec());
    assert_eq!(plans[0]["calendars"], 1);
    assert_eq!(plans[0]["trash_days"], 7);
    assert_eq!(plans[4]["calendars"], "unlimited");
    assert_eq!(plans[4]["public_links_per_month"], 500);
}

#[test]
fn signing_up_alone_makes_the_account_legal_owner_of_its_organisation() {
    let s = Server::start();
    let alice = s.new_user("alice");
    let orgs = api_ok(&s, &alice, "GET", "/api/v1/organisations", None, 200);
    assert_eq!(orgs.as_array().map(Vec::len), Some(1), "{orgs}");
    assert_eq!(orgs[0]["name"], alice.login.as_str());
    assert_eq!(orgs[0]["plan"], "ksuite-standard");
    let id = orgs[0]["id"].as_i64().expect("id");
    let org = api_ok(&s, &alice, "GET", &org_path(id, ""), None, 200);
    assert_eq!(org["members"].as_array().map(Vec::len), Some(1));
    let me = &org["members"][0];
    assert_eq!(me["role"], "legal-owner");
    assert_eq!(me["access"], json!({"calendar": true, "contacts": true}));
    assert_eq!(
        me["notices"],
        json!({"billing": true, "technical": true, "security": true})
    );
    // The first start's admin has one too.
    assert!(org_id_of(&s, &s.admin, "admin") > 0);
}

#[test]
fn creating_an_organisation_checks_name_plan_and_personal_rules() {
    let s = Server::start();
    let u = s.new_user("founder");
    let create = |body: Value| api(&s, Some(&u), "POST", "/api/v1/organisations", Some(body));
    let r = create(json!({"name": "Globex", "plan": "ksuite-pro", "contact": {"country": "de"}}));
    assert_eq!(r.status(), 201, "{}", r.resp.text());
    assert_eq!(r.json["contact"]["country"], "DE", "stored as the ISO code");
    let id = r.json["id"].as_i64().expect("id");
    assert_eq!(r.resp.header("location"), Some(org_path(id, "").as_str()));
    let org = api_ok(&s, &u, "GET", &org_path(id, ""), None, 200);
    assert_eq!(role_of(&org, &u.login), "legal-owner");

    assert_api_error(&create(json!({"name": "Globex"})), 409, "already-exists");
    assert_api_error(
        &create(json!({"name": "x", "plan": "gold"})),
        422,
        "unknown-plan",
    );
    assert_api_error(&create(json!({"name": " padded"})), 422, "invalid-name");
    let personal =
        |contact: Value| create(json!({"name": "Me", "plan": "my-ksuite", "contact": contact}));
    assert_api_error(&personal(json!({"country": "FR"})), 422, "phone-required");
    assert_api_error(
        &personal(json!({"phone": "+33 6 12 34 56 78"})),
        422,
        "country-required",
    );
    // A country outside the supported list.
    assert_api_error(
        &personal(json!({"phone": "+86 138 0000 0000", "country": "CN"})),
        422,
        "unsupported-country",
    );
    assert_api_error(
        &personal(json!({"phone": "call me", "country": "FR"})),
        422,
        "invalid-phone",
    );
    let orgs = api_ok(&s, &u, "GET", "/api/v1/organisations", None, 200);
    assert_eq!(
        orgs.as_array().map(Vec::len),
        Some(2),
        "refusals created nothing: {orgs}"
    );
    let r = personal(json!({"phone": "+33 6 12 34 56 78", "country": "GP"}));
    assert_eq!(r.status(), 201, "{}", r.resp.text());
    assert_eq!(r.json["plan"], "my-ksuite");
}

#[test]
fn only_a_legal_owner_changes_the_legal_contact_details() {
    let s = Server::start();
    let c = company(&s);
    let path = org_path(c.id, "/contact");
    let details = json!({"address": "Rue Eugène-Marziano 25, Genève", "phone": "+41 22 820 35 44",
                         "email": "legal@acme.example", "country": "CH"});
    let before = snapshot(&s, &c);
    // An admin editing the legal details, and a user.
    for who in [&c.admin, &c.user] {
        let r = api(&s, Some(who), "PUT", &path, Some(details.clone()));
        assert_api_error(&r, 403, "legal-owner-only");
    }
    assert_eq!(snapshot(&s, &c), before, "nothing changed");
    let org = api_ok(&s, &c.owner, "PUT", &path, Some(details.clone()), 200);
    assert_eq!(org["contact"], details);
    // PUT replaces: what is left out is cleared.
    let org = api_ok(
        &s,
        &c.owner,
        "PUT",
        &path,
        Some(json!({"country": "FR"})),
        200,
    );
    assert_eq!(
        org["contact"],
        json!({"address": null, "phone": null, "email": null, "country": "FR"})
    );
    assert_api_error(
        &api(
            &s,
            Some(&c.owner),
            "PUT",
            &path,
            Some(json!({"country": "BR"})),
        ),
        422,
        "unsupported-country",
    );
}

#[test]
fn legal_owners_and_admins_add_members_with_role_access_and_notices() {
    let s = Server::start();
    let c = company(&s);
    let members = org_path(c.id, "/members");
    // An existing account is invited by an admin, and joins with the terms offered once it
    // accepts.
    let outsider = s.new_user("outsider");
    let offer = json!({"login": outsider.login, "role": "admin",
                       "access": {"contacts": false}, "notices": {"technical": true}});
    let invited = api_ok(&s, &c.admin, "POST", &members, Some(offer.clone()), 202);
    assert_eq!(invited["organisation"], json!({"id": c.id, "name": "acme"}));
    assert_eq!(invited["invited_by"], c.admin.login.as_str());
    assert_eq!(invited["role"], "admin");
    assert!(
        !invited.to_string().contains("@example.com"),
        "the invitation shows nothing of the account: {invited}"
    );
    assert_eq!(
        role_of(&snapshot(&s, &c), &outsider.login),
        "not a member",
        "not before it accepts"
    );
    let r = api(&s, Some(&c.owner), "POST", &members, Some(offer));
    assert_api_error(&r, 409, "already-invited");
    let joined = api_ok(&s, &outsider, "POST", &org_path(c.id, "/join"), None, 200);
    assert_eq!(joined["role"], "admin");
    assert_eq!(
        joined["access"],
        json!({"calendar": true, "contacts": false})
    );
    assert_eq!(
        joined["notices"],
        json!({"billing": false, "technical": true, "security": false})
    );
    assert_eq!(role_of(&snapshot(&s, &c), &outsider.login), "admin");
    let r = api(
        &s,
        Some(&c.owner),
        "POST",
        &members,
        Some(json!({"login": outsider.login})),
    );
    assert_api_error(&r, 409, "already-member");
    // A new account, created in the organisation, with a generated password shown once.
    let created = api_ok(
        &s,
        &c.owner,
        "POST",
        &members,
        Some(json!({"login": "newbie", "account": {"email": "newbie@acme.example"}})),
        201,
    );
    assert_eq!(created["account_created"], true);
    assert_eq!(created["member"]["role"], "user");
    let newbie = User {
        login: "newbie".into(),
        password: created["password"].as_str().expect("password").into(),
    };
    let r = cup_propfind(&s, Some(&newbie), &calendar_url(&newbie), "0");
    assert_eq!(r.status, 207, "the new account works: {}", r.text());
    let newbie_orgs = api_ok(&s, &newbie, "GET", "/api/v1/organisations", None, 200);
    assert_eq!(newbie_orgs[0]["id"], c.id, "its only organisation is acme");
    // Unknown login without `account`; `account` for an existing login.
    assert_api_error(
        &api(
            &s,
            Some(&c.owner),
            "POST",
            &members,
            Some(json!({"login": "ghost"})),
        ),
        404,
        "not-found",
    );
    assert_api_error(
        &api(
            &s,
            Some(&c.owner),
            "POST",
            &members,
            Some(json!({"login": c.user.login, "account": {}})),
        ),
        409,
        "already-exists",
    );
    // Users do not manage members.
    let another = s.new_user("another");
    assert_api_error(
        &api(
            &s,
            Some(&c.user),
            "POST",
            &members,
            Some(json!({"login": another.login})),
        ),
        403,
        "managers-only",
    );
}

#[test]
fn admins_cannot_make_change_or_remove_legal_owners() {
    let s = Server::start();
    let c = company(&s);
    let before = snapshot(&s, &c);
    let member = |login: &str| org_path(c.id, &format!("/members/{login}"));
    let other = s.new_user("other");
    let r = api(
        &s,
        Some(&c.admin),
        "POST",
        &org_path(c.id, "/members"),
        Some(json!({"login": other.login, "role": "legal-owner"})),
    );
    assert_api_error(&r, 403, "cannot-name-legal-owner");
    let r = api(
        &s,
        Some(&c.admin),
        "PATCH",
        &member(&c.user.login),
        Some(json!({"role": "legal-owner"})),
    );
    assert_api_error(&r, 403, "cannot-name-legal-owner");
    for body in [
        json!({"role": "user"}),
        json!({"access": {"calendar": false}}),
    ] {
        let r = api(
            &s,
            Some(&c.admin),
            "PATCH",
            &member(&c.owner.login),
            Some(body),
        );
        assert_api_error(&r, 403, "legal-owner-protected");
    }
    let r = api(&s, Some(&c.admin), "DELETE", &member(&c.owner.login), None);
    assert_api_error(&r, 403, "legal-owner-protected");
    assert_eq!(snapshot(&s, &c), before, "nothing changed");
    // What admins may do: change users.
    let changed = api_ok(
        &s,
        &c.admin,
        "PATCH",
        &member(&c.user.login),
        Some(json!({"role": "admin", "notices": {"security": true}})),
        200,
    );
    assert_eq!(changed["role"], "admin");
    assert_eq!(changed["notices"]["security"], true);
}

#[test]
fn no_one_raises_their_own_role() {
    let s = Server::start();
    let c = company(&s);
    let before = snapshot(&s, &c);
    // A user promoting itself.
    let r = api(
        &s,
        Some(&c.user),
        "PATCH",
        &org_path(c.id, &format!("/members/{}", c.user.login)),
        Some(json!({"role": "admin"})),
    );
    assert_api_error(&r, 403, "own-role-raise");
    let r = api(
        &s,
        Some(&c.admin),
        "PATCH",
        &org_path(c.id, &format!("/members/{}", c.admin.login)),
        Some(json!({"role": "legal-owner"})),
    );
    assert_api_error(&r, 403, "own-role-raise");
    assert_eq!(snapshot(&s, &c), before, "nothing changed");
    // Stepping down is allowed.
    let me = api_ok(
        &s,
        &c.admin,
        "PATCH",
        &org_path(c.id, &format!("/members/{}", c.admin.login)),
        Some(json!({"role": "user"})),
        200,
    );
    assert_eq!(me["role"], "user");
}

#[test]
fn several_members_are_removed_at_once_or_not_at_all() {
    let s = Server::start();
    let c = company(&s);
    let (a, b) = (s.new_user_in("a", "acme"), s.new_user_in("b", "acme"));
    let remove = org_path(c.id, "/members/remove");
    let before = snapshot(&s, &c);
    // An admin cannot take the legal owner along.
    let r = api(
        &s,
        Some(&c.admin),
        "POST",
        &remove,
        Some(json!({"logins": [a.login, c.owner.login]})),
    );
    assert_api_error(&r, 403, "legal-owner-protected");
    // The last legal owner cannot go, even by their own hand.
    let r = api(
        &s,
        Some(&c.owner),
        "POST",
        &remove,
        Some(json!({"logins": [a.login, c.owner.login]})),
    );
    assert_api_error(&r, 409, "last-legal-owner");
    let r = api(
        &s,
        Some(&c.owner),
        "POST",
        &remove,
        Some(json!({"logins": [a.login, "ghost"]})),
    );
    assert_api_error(&r, 404, "not-found");
    assert_eq!(
        snapshot(&s, &c),
        before,
        "no refused removal removed anyone"
    );
    let r = api(
        &s,
        Some(&c.admin),
        "POST",
        &remove,
        Some(json!({"logins": [a.login, b.login]})),
    );
    assert_eq!(r.status(), 204, "{}", r.resp.text());
    let after = snapshot(&s, &c);
    assert_eq!(role_of(&after, &a.login), "not a member");
    assert_eq!(role_of(&after, &b.login), "not a member");
    assert_eq!(role_of(&after, &c.user.login), "user");
    // One at a time, by path.
    let r = api(
        &s,
        Some(&c.admin),
        "DELETE",
        &org_path(c.id, &format!("/members/{}", c.user.login)),
        None,
    );
    assert_eq!(r.status(), 204);
    let r = api(
        &s,
        Some(&c.owner),
        "POST",
        &remove,
        Some(json!({"logins": []})),
    );
    assert_api_error(&r, 400, "bad-request");
}

#[test]
fn the_last_legal_owner_names_another_before_leaving() {
    let s = Server::start();
    let c = company(&s);
    let leave = org_path(c.id, "/leave");
    let me = org_path(c.id, &format!("/members/{}", c.owner.login));
    // Removing the last legal owner, leaving, or stepping down are all refused.
    assert_api_error(
        &api(&s, Some(&c.owner), "POST", &leave, None),
        409,
        "last-legal-owner",
    );
    assert_api_error(
        &api(&s, Some(&c.owner), "DELETE", &me, None),
        409,
        "last-legal-owner",
    );
    assert_api_error(
        &api(
            &s,
            Some(&c.owner),
            "PATCH",
            &me,
            Some(json!({"role": "admin"})),
        ),
        409,
        "last-legal-owner",
    );
    assert_eq!(role_of(&snapshot(&s, &c), &c.owner.login), "legal-owner");
    // Name another legal owner; then the first may leave.
    api_ok(
        &s,
        &c.owner,
        "PATCH",
        &org_path(c.id, &format!("/members/{}", c.admin.login)),
        Some(json!({"role": "legal-owner"})),
        200,
    );
    let r = api(&s, Some(&c.owner), "POST", &leave, None);
    assert_eq!(r.status(), 204, "{}", r.resp.text());
    assert_api_error(
        &api(&s, Some(&c.owner), "GET", &org_path(c.id, ""), None),
        404,
        "not-found",
    );
    let org = api_ok(&s, &c.admin, "GET", &org_path(c.id, ""), None, 200);
    assert_eq!(role_of(&org, &c.admin.login), "legal-owner");
}

#[test]
fn any_member_can_leave_by_itself() {
    let s = Server::start();
    let c = company(&s);
    let r = api(&s, Some(&c.user), "POST", &org_path(c.id, "/leave"), None);
    assert_eq!(r.status(), 204, "{}", r.resp.text());
    assert_eq!(role_of(&snapshot(&s, &c), &c.user.login), "not a member");
    // It belongs to no organisation now: its calendars are off, its data kept.
    let r = cup_propfind(&s, Some(&c.user), &calendar_url(&c.user), "0");
    assert_dav_error(&r, 403, NS_DAV, "need-privileges");
}

#[test]
fn plans_are_upgraded_never_downgraded() {
    let s = Server::start();
    let c = company(&s);
    let plan = org_path(c.id, "/plan");
    assert_api_error(
        &api(
            &s,
            Some(&c.admin),
            "PUT",
            &plan,
            Some(json!({"plan": "ksuite-pro"})),
        ),
        403,
        "legal-owner-only",
    );
    let org = api_ok(
        &s,
        &c.owner,
        "PUT",
        &plan,
        Some(json!({"plan": "ksuite-pro"})),
        200,
    );
    assert_eq!(org["plan"], "ksuite-pro");
    // A downgrade.
    let r = api(
        &s,
        Some(&c.owner),
        "PUT",
        &plan,
        Some(json!({"plan": "ksuite-standard"})),
    );
    assert_api_error(&r, 409, "plan-downgrade");
    assert!(
        r.json["message"]
            .as_str()
            .unwrap_or_default()
            .contains("ksuite-pro")
    );
    assert_eq!(snapshot(&s, &c)["plan"], "ksuite-pro");
    assert_api_error(
        &api(
            &s,
            Some(&c.owner),
            "PUT",
            &plan,
            Some(json!({"plan": "platinum"})),
        ),
        422,
        "unknown-plan",
    );
}

#[test]
fn a_my_ksuite_organisation_takes_one_account() {
    let s = Server::start();
    let solo = s.new_user("solo");
    let org = api_ok(
        &s,
        &solo,
        "POST",
        "/api/v1/organisations",
        Some(json!({"name": "Solo", "plan": "my-ksuite",
                    "contact": {"phone": "+41 79 123 45 67", "country": "CH"}})),
        201,
    );
    let id = org["id"].as_i64().expect("id");
    let members = org_path(id, "/members");
    // A second account in a my kSuite organisation: existing, or new.
    let friend = s.new_user("friend");
    let r = api(
        &s,
        Some(&solo),
        "POST",
        &members,
        Some(json!({"login": friend.login})),
    );
    assert_api_error(&r, 409, "personal-plan-single-account");
    let r = api(
        &s,
        Some(&solo),
        "POST",
        &members,
        Some(json!({"login": "second", "account": {"password": "a long password"}})),
    );
    assert_api_error(&r, 409, "personal-plan-single-account");
    let ghost = User {
        login: "second".into(),
        password: "a long password".into(),
    };
    assert_eq!(
        cup_propfind(&s, Some(&ghost), "/", "0").status,
        401,
        "the refused account was not created"
    );
    let org = api_ok(&s, &solo, "GET", &org_path(id, ""), None, 200);
    assert_eq!(org["members"].as_array().map(Vec::len), Some(1));
    // my kSuite+ is still personal: an upgrade keeps the rule.
    api_ok(
        &s,
        &solo,
        "PUT",
        &org_path(id, "/plan"),
        Some(json!({"plan": "my-ksuite-plus"})),
        200,
    );
    let r = api(
        &s,
        Some(&solo),
        "POST",
        &members,
        Some(json!({"login": friend.login})),
    );
    assert_api_error(&r, 409, "personal-plan-single-account");
    // The phone and country stay required while the plan is personal.
    let r = api(
        &s,
        Some(&solo),
        "PUT",
        &org_path(id, "/contact"),
        Some(json!({"country": "CH"})),
    );
    assert_api_error(&r, 422, "phone-required");
    // kSuite takes more.
    api_ok(
        &s,
        &solo,
        "PUT",
        &org_path(id, "/plan"),
        Some(json!({"plan": "ksuite-standard"})),
        200,
    );
    api_ok(
        &s,
        &solo,
        "POST",
        &members,
        Some(json!({"login": friend.login})),
        202,
    );
    api_ok(&s, &friend, "POST", &org_path(id, "/join"), None, 200);
}

#[test]
fn organisations_of_others_are_not_found() {
    let s = Server::start();
    let c = company(&s);
    let stranger = s.new_user("stranger");
    for (method, path, body) in [
        ("GET", org_path(c.id, ""), None),
        ("GET", org_path(c.id, "/members"), None),
        ("PUT", org_path(c.id, "/contact"), Some(json!({}))),
        ("POST", org_path(c.id, "/leave"), None),
        ("GET", org_path(c.id, "/teams"), None),
        ("GET", org_path(999_999, ""), None),
    ] {
        let r = api(&s, Some(&stranger), method, &path, body);
        assert_api_error(&r, 404, "not-found");
    }
}

#[test]
fn teams_are_managed_by_legal_owners_and_admins() {
    let s = Server::start();
    let c = company(&s);
    let teams = org_path(c.id, "/teams");
    assert_api_error(
        &api(
            &s,
            Some(&c.user),
            "POST",
            &teams,
            Some(json!({"name": "Sales"})),
        ),
        403,
        "managers-only",
    );
    let team = api_ok(
        &s,
        &c.admin,
        "POST",
        &teams,
        Some(json!({"name": "Sales EMEA"})),
        201,
    );
    assert_eq!(team["name"], "Sales EMEA");
    let team_path = org_path(c.id, "/teams/Sales%20EMEA");
    assert_api_error(
        &api(
            &s,
            Some(&c.admin),
            "POST",
            &teams,
            Some(json!({"name": "Sales EMEA"})),
        ),
        409,
        "already-exists",
    );
    let member = |login: &str| format!("{team_path}/members/{login}");
    api_ok(&s, &c.admin, "PUT", &member(&c.user.login), None, 200);
    let team = api_ok(&s, &c.owner, "PUT", &member(&c.owner.login), None, 200);
    let mut expected = vec![c.owner.login.clone(), c.user.login.clone()];
    expected.sort();
    assert_eq!(team["members"], json!(expected));
    let stranger = s.new_user("stranger");
    assert_api_error(
        &api(&s, Some(&c.admin), "PUT", &member(&stranger.login), None),
        404,
        "not-found",
    );
    // Every member sees the teams.
    let listed = api_ok(&s, &c.user, "GET", &teams, None, 200);
    assert_eq!(listed[0]["members"], json!(expected));
    assert_eq!(
        api_ok(&s, &c.user, "GET", &team_path, None, 200)["name"],
        "Sales EMEA"
    );
    let team = api_ok(&s, &c.admin, "DELETE", &member(&c.user.login), None, 200);
    assert_eq!(team["members"], json!([c.owner.login]));
    assert_api_error(
        &api(&s, Some(&c.user), "DELETE", &team_path, None),
        403,
        "managers-only",
    );
    assert_eq!(
        api(&s, Some(&c.admin), "DELETE", &team_path, None).status(),
        204
    );
    assert_api_error(
        &api(&s, Some(&c.admin), "GET", &team_path, None),
        404,
        "not-found",
    );
}

#[test]
fn malformed_requests_are_400_405_and_404_in_json() {
    let s = Server::start();
    let u = s.new_user("clumsy");
    let id = org_id_of(&s, &u, &u.login);
    let r = s.request(
        "POST",
        "/api/v1/organisations",
        Some(&u),
        &[("Content-Type", "application/json")],
        b"{not json",
    );
    assert_eq!(r.status, 400, "{}", r.text());
    let r = api(
        &s,
        Some(&u),
        "POST",
        "/api/v1/organisations",
        Some(json!({"name": "x", "colour": "red"})),
    );
    assert_api_error(&r, 400, "bad-request");
    assert!(
        r.json["message"]
            .as_str()
            .unwrap_or_default()
            .contains("colour")
    );
    let r = api(&s, Some(&u), "DELETE", &org_path(id, ""), None);
    assert_api_error(&r, 405, "method-not-allowed");
    assert_eq!(r.resp.header("allow"), Some("GET, HEAD"));
    assert_api_error(
        &api(&s, Some(&u), "GET", "/api/v1/nothing", None),
        404,
        "not-found",
    );
    assert_api_error(
        &api(&s, Some(&u), "GET", "/api/v1/organisations/abc", None),
        400,
        "bad-request",
    );
    let r = api(
        &s,
        Some(&u),
        "PATCH",
        &org_path(id, &format!("/members/{}", u.login)),
        Some(json!({"role": "owner"})),
    );
    assert_api_error(&r, 422, "unknown-role");
}

#[test]
fn refusals_name_logins_and_a_login_named_twice_is_removed_once() {
    let s = Server::start();
    let c = company(&s);
    let team = org_path(c.id, "/teams/Sales");
    api_ok(
        &s,
        &c.owner,
        "POST",
        &org_path(c.id, "/teams"),
        Some(json!({"name": "Sales"})),
        201,
    );
    let member = format!("{team}/members/{}", c.user.login);
    // Not in the team, then already in it: the messages name the login, never an id.
    let no_digits = |r: &ApiResp| {
        let message = r.json["message"].as_str().unwrap_or_default();
        assert!(message.contains(&c.user.login), "{message}");
        assert!(
            !message
                .replace(&c.user.login, "")
                .contains(|ch: char| ch.is_ascii_digit()),
            "an internal id in {message:?}"
        );
    };
    let r = api(&s, Some(&c.admin), "DELETE", &member, None);
    assert_api_error(&r, 404, "not-found");
    no_digits(&r);
    api_ok(&s, &c.admin, "PUT", &member, None, 200);
    let r = api(&s, Some(&c.admin), "PUT", &member, None);
    assert_api_error(&r, 409, "already-exists");
    no_digits(&r);
    // The same login twice in one removal: removed once, not refused.
    let r = api(
        &s,
        Some(&c.admin),
        "POST",
        &org_path(c.id, "/members/remove"),
        Some(json!({"logins": [c.user.login, c.user.login]})),
    );
    assert_eq!(r.status(), 204, "{}", r.resp.text());
    assert_eq!(role_of(&snapshot(&s, &c), &c.user.login), "not a member");
}

#[test]
fn contact_details_display_names_and_e_mail_addresses_are_checked() {
    let s = Server::start();
    let c = company(&s);
    let contact = org_path(c.id, "/contact");
    let before = snapshot(&s, &c);
    for (body, code) in [
        (json!({"email": "not an address"}), "invalid-email"),
        (json!({"email": "legal@localhost"}), "invalid-email"),
        (json!({"address": "Rue 1\u{7}"}), "invalid-text"),
        (json!({"address": "Line one\nLine two"}), "invalid-text"),
        (json!({"address": "x".repeat(301)}), "invalid-text"),
    ] {
        let r = api(&s, Some(&c.owner), "PUT", &contact, Some(body.clone()));
        assert_api_error(&r, 422, code);
    }
    let r = api(
        &s,
        Some(&c.owner),
        "POST",
        "/api/v1/organisations",
        Some(json!({"name": "Bad Mail", "contact": {"email": "a@b"}})),
    );
    assert_api_error(&r, 422, "invalid-email");
    let members = org_path(c.id, "/members");
    for (account, code) in [
        (json!({"email": "newbie"}), "invalid-email"),
        (json!({"display_name": "New\r\nBie"}), "invalid-text"),
        (json!({"display_name": "n".repeat(101)}), "invalid-text"),
    ] {
        let r = api(
            &s,
            Some(&c.owner),
            "POST",
            &members,
            Some(json!({"login": "newbie", "account": account})),
        );
        assert_api_error(&r, 422, code);
    }
    assert_eq!(snapshot(&s, &c), before, "nothing changed");
    // Values are trimmed; an empty display name falls back to the login.
    let org = api_ok(
        &s,
        &c.owner,
        "PUT",
        &contact,
        Some(json!({"email": " legal@acme.example ", "address": "Rue du Lac 1, Genève"})),
        200,
    );
    assert_eq!(org["contact"]["email"], "legal@acme.example");
    let added = api_ok(
        &s,
        &c.owner,
        "POST",
        &members,
        Some(json!({"login": "newbie", "account": {"display_name": "  "}})),
        201,
    );
    assert_eq!(added["member"]["display_name"], "newbie");
}

#[test]
fn an_oversized_api_body_is_413_in_json() {
    let config = format!(
        "[limits]\nmax_request_body = 1000\n{}",
        every_plan("max_object_size = 500")
    );
    let s = Server::start_with_config(Some(&config));
    let u = s.new_user("big");
    let before = api_ok(&s, &u, "GET", "/api/v1/organisations", None, 200);
    let r = api(
        &s,
        Some(&u),
        "POST",
        "/api/v1/organisations",
        Some(json!({"name": "x".repeat(2000)})),
    );
    assert_api_error(&r, 413, "too-large");
    // Without a declared length too (chunked), and the DAV space keeps its own format.
    let chunk = "y".repeat(1500);
    let raw = format!(
        "POST /api/v1/organisations HTTP/1.1\r\nHost: x\r\nAuthorization: {}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n{:x}\r\n{chunk}\r\n0\r\n\r\n",
        basic_auth(&u),
        chunk.len()
    );
    let r = raw_exchange(s.port, raw.as_bytes());
    assert_eq!(r.status, 413, "{}", r.text());
    assert_eq!(r.header("content-type"), Some("application/json"));
    let body: Value = serde_json::from_slice(&r.body).expect("JSON");
    assert_eq!(body["error"], "too-large");
    let dav = put_req(
        &s,
        &u,
        &format!("{}big.ics", calendar_url(&u)),
        "z".repeat(2000).as_bytes(),
    );
    assert_eq!(dav.status, 413);
    assert_ne!(dav.header("content-type"), Some("application/json"));
    assert_eq!(
        api_ok(&s, &u, "GET", "/api/v1/organisations", None, 200),
        before,
        "nothing was created"
    );
}

#[test]
fn the_whole_api_space_answers_in_json_and_head_is_allowed_with_get() {
    let s = Server::start();
    let u = s.new_user("edge");
    for path in [
        "/api/v1",
        "/api",
        "/api/",
        "/api/v2/organisations",
        "/api/v1/",
    ] {
        assert_api_error(&api(&s, Some(&u), "GET", path, None), 404, "not-found");
        assert_api_error(&api(&s, None, "GET", path, None), 401, "unauthorized");
    }
    let head = s.request("HEAD", "/api/v1/plans", Some(&u), &[], b"");
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
    let r = api(&s, Some(&u), "PUT", "/api/v1/organisations", None);
    assert_api_error(&r, 405, "method-not-allowed");
    assert_eq!(r.resp.header("allow"), Some("GET, HEAD, POST"));
    let r = api(&s, Some(&u), "GET", "/api/v1/organisations/1/leave", None);
    assert_eq!(r.resp.header("allow"), Some("POST"), "no GET, no HEAD");
}
