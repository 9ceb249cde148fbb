//! The operator's command line: `user add --org/--plan/--phone/--country`, `org`, `member` and
//! `team`, with `--json`. The operator passes every role check, but the data invariants hold:
//! the last legal owner, no downgrade, the personal plans' rules.

use crate::common::*;

/// `org show NAME --json`.
fn show(s: &Server, org: &str) -> Value {
    s.cli_json(&["org", "show", org], None)
}

fn roles(org: &Value) -> Vec<(String, String)> {
    org["members"]
        .as_array()
        .expect("members")
        .iter()
        .map(|m| {
            (
                m["login"].as_str().unwrap_or_default().to_owned(),
                m["role"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
    items
        .iter()
        .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
        .collect()
}

#[test]
fn user_add_creates_an_organisation_of_its_own_or_joins_one() {
    let s = Server::start();
    // Without --org: an organisation named after the login, on the default plan.
    let alice = s.cli_json(
        &["user", "add", "alice", "--password-stdin"],
        Some("a long password"),
    );
    assert_eq!(alice["organisation"]["name"], "alice");
    assert_eq!(alice["organisation"]["plan"], "ksuite-standard");
    assert_eq!(alice["organisation_created"], true);
    assert!(alice.get("password").is_none(), "not generated, not shown");
    assert_eq!(
        roles(&show(&s, "alice")),
        pairs(&[("alice", "legal-owner")])
    );
    // --org that does not exist: created, with this account as legal owner.
    let bob = s.cli_json(
        &[
            "user",
            "add",
            "bob",
            "--org",
            "Initech",
            "--plan",
            "ksuite-pro",
        ],
        None,
    );
    assert_eq!(bob["organisation_created"], true);
    assert_eq!(bob["organisation"]["plan"], "ksuite-pro");
    assert!(
        bob["password"].as_str().is_some_and(|p| p.len() >= 16),
        "generated, shown once"
    );
    // --org that exists: joined as user.
    let carol = s.cli_json(&["user", "add", "carol", "--org", "Initech"], None);
    assert_eq!(carol["organisation_created"], false);
    assert_eq!(
        roles(&show(&s, "Initech")),
        pairs(&[("bob", "legal-owner"), ("carol", "user")])
    );
    // Plan or contact details for an existing organisation are refused, not ignored.
    let err = s.cli_err(
        &[
            "user",
            "add",
            "dave",
            "--org",
            "Initech",
            "--plan",
            "ksuite-enterprise",
        ],
        None,
    );
    assert!(
        err.contains("Initech") && err.contains("already exists"),
        "{err}"
    );
    let list = s.cli_json(&["user", "list"], None);
    let logins: Vec<&str> = list
        .as_array()
        .expect("array")
        .iter()
        .filter_map(|a| a["login"].as_str())
        .collect();
    assert_eq!(logins, vec!["admin", "alice", "bob", "carol"]);
    assert_eq!(list[3]["organisation"], "Initech");
    // The first start's admin has an organisation of its own too.
    assert_eq!(
        roles(&show(&s, "admin")),
        pairs(&[("admin", "legal-owner")])
    );
}

#[test]
fn personal_plans_need_a_phone_and_a_country_from_the_list() {
    let s = Server::start();
    let add = |login: &str, extra: &[&str]| {
        let mut args = vec!["user", "add", login, "--plan", "my-ksuite"];
        args.extend_from_slice(extra);
        s.cli(&args, None)
    };
    let no_phone = add("p1", &["--country", "FR"]);
    assert!(!no_phone.status.success());
    assert!(String::from_utf8_lossy(&no_phone.stderr).contains("mobile phone number"));
    let no_country = add("p2", &["--phone", "+33 6 12 34 56 78"]);
    assert!(String::from_utf8_lossy(&no_country.stderr).contains("country"));
    // A country outside the list.
    let outside = add("p3", &["--phone", "+55 11 91234 5678", "--country", "BR"]);
    assert!(String::from_utf8_lossy(&outside.stderr).contains("\"BR\" is not supported"));
    let users = s.cli_json(&["user", "list"], None);
    assert_eq!(
        users.as_array().map(Vec::len),
        Some(1),
        "no account was created: {users}"
    );
    let ok = add(
        "p4",
        &["--phone", "+590 690 12 34 56", "--country", "gp", "--json"],
    );
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    let org = show(&s, "p4");
    assert_eq!(org["plan"], "my-ksuite");
    assert_eq!(org["contact"]["country"], "GP");
    assert_eq!(org["contact"]["phone"], "+590 690 12 34 56");
}

#[test]
fn a_second_account_in_a_my_ksuite_organisation_is_refused() {
    let s = Server::start();
    s.cli_ok(
        &[
            "user",
            "add",
            "solo",
            "--plan",
            "my-ksuite-plus",
            "--phone",
            "+41791234567",
            "--country",
            "CH",
        ],
        None,
    );
    let err = s.cli_err(&["user", "add", "friend", "--org", "solo"], None);
    assert!(err.contains("one account per organisation"), "{err}");
    s.cli_ok(&["user", "add", "other"], None);
    let err = s.cli_err(&["member", "add", "solo", "other"], None);
    assert!(err.contains("one account per organisation"), "{err}");
    let err = s.cli_err(&["member", "add", "solo", "brandnew"], None);
    assert!(err.contains("one account per organisation"), "{err}");
    assert_eq!(roles(&show(&s, "solo")), pairs(&[("solo", "legal-owner")]));
    let users = s.cli_json(&["user", "list"], None);
    assert!(
        !users.to_string().contains("friend") && !users.to_string().contains("brandnew"),
        "{users}"
    );
}

#[test]
fn org_commands_show_list_upgrade_and_edit_contact_details() {
    let s = Server::start();
    s.cli_ok(&["user", "add", "boss"], None);
    let created = s.cli_json(
        &[
            "org",
            "create",
            "Umbrella",
            "--owner",
            "boss",
            "--plan",
            "ksuite-standard",
            "--country",
            "ch",
        ],
        None,
    );
    assert_eq!(created["name"], "Umbrella");
    assert_eq!(created["contact"]["country"], "CH");
    let err = s.cli_err(&["org", "create", "Umbrella", "--owner", "boss"], None);
    assert!(err.contains("already exists"), "{err}");
    let list = s.cli_json(&["org", "list"], None);
    let names: Vec<&str> = list
        .as_array()
        .expect("array")
        .iter()
        .filter_map(|o| o["name"].as_str())
        .collect();
    assert_eq!(names, vec!["Umbrella", "admin", "boss"]);
    let org = s.cli_json(&["org", "set-plan", "Umbrella", "ksuite-enterprise"], None);
    assert_eq!(org["plan"], "ksuite-enterprise");
    // A downgrade, even by the operator.
    let err = s.cli_err(&["org", "set-plan", "Umbrella", "ksuite-pro"], None);
    assert!(err.contains("upgraded, not downgraded"), "{err}");
    assert_eq!(show(&s, "Umbrella")["plan"], "ksuite-enterprise");
    // set-contact changes the values given; an empty one clears it.
    s.cli_ok(
        &[
            "org",
            "set-contact",
            "Umbrella",
            "--address",
            "1 Hive Road",
            "--phone",
            "+41 22 000 00 00",
        ],
        None,
    );
    let org = s.cli_json(&["org", "set-contact", "Umbrella", "--address", ""], None);
    assert_eq!(
        org["contact"],
        json!({"address": null, "phone": "+41 22 000 00 00", "email": null, "country": "CH"})
    );
    let err = s.cli_err(&["org", "set-contact", "Umbrella", "--country", "RU"], None);
    assert!(err.contains("\"RU\" is not supported"), "{err}");
    let text = s.cli_ok(&["org", "show", "Umbrella"], None);
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(
        text.contains("Umbrella") && text.contains("boss\tlegal-owner"),
        "{text}"
    );
}

#[test]
fn member_commands_keep_a_legal_owner() {
    let s = Server::start();
    s.cli_ok(&["user", "add", "ann", "--org", "Hooli"], None);
    for login in ["ben", "cat", "dan"] {
        s.cli_ok(&["user", "add", login], None);
    }
    let m = s.cli_json(
        &[
            "member",
            "add",
            "Hooli",
            "ben",
            "--role",
            "admin",
            "--contacts",
            "off",
            "--billing",
            "on",
        ],
        None,
    );
    assert_eq!(m["role"], "admin");
    assert_eq!(m["access"], json!({"calendar": true, "contacts": false}));
    assert_eq!(
        m["notices"],
        json!({"billing": true, "technical": false, "security": false})
    );
    s.cli_ok(&["member", "add", "Hooli", "cat"], None);
    s.cli_ok(&["member", "add", "Hooli", "dan"], None);
    // A new account through member add.
    let added = s.cli_json(
        &[
            "member",
            "add",
            "Hooli",
            "eve",
            "--email",
            "eve@hooli.example",
        ],
        None,
    );
    assert_eq!(added["account_created"], true);
    let eve = User {
        login: "eve".into(),
        password: added["password"].as_str().expect("password").into(),
    };
    assert_eq!(cup_propfind(&s, Some(&eve), "/", "0").status, 207);
    let err = s.cli_err(&["member", "add", "Hooli", "ben"], None);
    assert!(err.contains("already a member"), "{err}");
    let err = s.cli_err(&["member", "add", "Hooli", "cat", "--role", "boss"], None);
    assert!(err.contains("unknown role"), "{err}");

    // The last legal owner: not removed, not leaving, not stepping down.
    for args in [
        &["member", "remove", "Hooli", "cat", "ann"][..],
        &["member", "leave", "Hooli", "ann"][..],
        &["member", "set-role", "Hooli", "ann", "admin"][..],
    ] {
        let err = s.cli_err(args, None);
        assert!(err.contains("without a legal owner"), "{args:?}: {err}");
    }
    assert_eq!(
        roles(&show(&s, "Hooli")),
        pairs(&[
            ("ann", "legal-owner"),
            ("ben", "admin"),
            ("cat", "user"),
            ("dan", "user"),
            ("eve", "user")
        ])
    );
    // The operator may name a legal owner; then the first one may go.
    s.cli_ok(&["member", "set-role", "Hooli", "ben", "legal-owner"], None);
    s.cli_ok(&["member", "leave", "Hooli", "ann"], None);
    let removed = s.cli_json(&["member", "remove", "Hooli", "cat", "dan"], None);
    assert_eq!(removed["removed"], json!(["cat", "dan"]));
    let m = s.cli_json(
        &["member", "set-access", "Hooli", "eve", "--calendar", "off"],
        None,
    );
    assert_eq!(m["access"]["calendar"], false);
    assert_eq!(
        roles(&show(&s, "Hooli")),
        pairs(&[("ben", "legal-owner"), ("eve", "user")])
    );
    // Removing the account of the last legal owner of an organisation with members.
    let err = s.cli_err(&["user", "remove", "ben"], None);
    assert!(err.contains("without a legal owner"), "{err}");
}

#[test]
fn team_commands() {
    let s = Server::start();
    s.cli_ok(&["user", "add", "ann", "--org", "Hooli"], None);
    s.cli_ok(&["user", "add", "ben", "--org", "Hooli"], None);
    s.cli_ok(&["user", "add", "out"], None);
    let t = s.cli_json(&["team", "create", "Hooli", "Platform"], None);
    assert_eq!(t["name"], "Platform");
    let err = s.cli_err(&["team", "create", "Hooli", "Platform"], None);
    assert!(err.contains("already exists"), "{err}");
    s.cli_ok(&["team", "add", "Hooli", "Platform", "ben"], None);
    let t = s.cli_json(&["team", "add", "Hooli", "Platform", "ann"], None);
    assert_eq!(t["members"], json!(["ann", "ben"]));
    let err = s.cli_err(&["team", "add", "Hooli", "Platform", "out"], None);
    assert!(err.contains("not found"), "{err}");
    let t = s.cli_json(&["team", "remove", "Hooli", "Platform", "ann"], None);
    assert_eq!(t["members"], json!(["ben"]));
    // Leaving the organisation leaves its teams.
    s.cli_ok(&["member", "leave", "Hooli", "ben"], None);
    let teams = s.cli_json(&["team", "list", "Hooli"], None);
    assert_eq!(
        teams,
        json!([{"name": "Platform", "created": teams[0]["created"], "members": []}])
    );
    let deleted = s.cli_json(&["team", "delete", "Hooli", "Platform"], None);
    assert_eq!(deleted["deleted"], "Platform");
    assert_eq!(s.cli_json(&["team", "list", "Hooli"], None), json!([]));
}

#[test]
fn user_add_without_org_picks_a_free_name_when_the_login_is_taken_as_an_organisation() {
    let s = Server::start();
    s.cli_ok(&["org", "create", "dana", "--owner", "admin"], None);
    let dana = s.cli_json(&["user", "add", "dana"], None);
    assert_eq!(dana["organisation_created"], true);
    assert_eq!(dana["organisation"]["name"], "dana-2");
    assert_eq!(
        roles(&show(&s, "dana-2")),
        pairs(&[("dana", "legal-owner")])
    );
    assert_eq!(
        roles(&show(&s, "dana")),
        pairs(&[("admin", "legal-owner")]),
        "the existing organisation was not joined"
    );
    let other = s.cli_json(&["user", "add", "dana-2"], None);
    assert_eq!(other["organisation"]["name"], "dana-2-2");
}

#[test]
fn user_add_checks_the_e_mail_address_and_display_name() {
    let s = Server::start();
    let err = s.cli_err(&["user", "add", "erin", "--email", "erin"], None);
    assert!(err.contains("e-mail address"), "{err}");
    let err = s.cli_err(&["user", "add", "erin", "--display-name", "Erin\tE."], None);
    assert!(err.contains("display name"), "{err}");
    let list = s.cli_json(&["user", "list"], None);
    assert_eq!(list.as_array().map(Vec::len), Some(1), "only admin: {list}");
}

#[test]
fn with_json_errors_are_json_too_and_every_user_command_answers_in_json() {
    let s = Server::start();
    s.cli_ok(
        &["user", "add", "ann", "--password-stdin"],
        Some("a long password"),
    );
    s.cli_ok(&["user", "add", "ben"], None);
    let failure = |args: &[&str], stdin: Option<&str>| s.cli_json_err(args, stdin);
    let err = failure(&["org", "show", "nowhere", "--json"], None);
    assert_eq!(err["error"], "not-found");
    assert!(
        err["message"]
            .as_str()
            .is_some_and(|m| m.contains("nowhere"))
    );
    let err = failure(
        &["member", "set-role", "ann", "ann", "boss", "--json"],
        None,
    );
    assert_eq!(err["error"], "unknown-role");
    let err = failure(&["member", "leave", "ann", "ann", "--json"], None);
    assert_eq!(err["error"], "last-legal-owner");
    let err = failure(
        &["user", "passwd", "ann", "--password-stdin", "--json"],
        Some("short"),
    );
    assert_eq!(err["error"], "weak-password");
    let err = failure(
        &["user", "passwd", "nobody", "--password-stdin", "--json"],
        Some("a long password"),
    );
    assert_eq!(err["error"], "not-found");
    // Without --json, a line for people.
    let text = s.cli_err(&["org", "show", "nowhere"], None);
    assert!(text.starts_with("davsuite: "), "{text}");

    let changed = s.cli_json(
        &["user", "passwd", "ann", "--password-stdin"],
        Some("another long password"),
    );
    assert_eq!(changed, json!({"login": "ann", "password_changed": true}));
    let ann = User {
        login: "ann".into(),
        password: "another long password".into(),
    };
    assert_eq!(cup_propfind(&s, Some(&ann), "/", "0").status, 207);
    let removed = s.cli_json(&["user", "remove", "ben"], None);
    assert_eq!(removed, json!({"removed": ["ben"]}));
}

#[test]
fn share_link_trash_restore_and_versions_failures_are_json_with_json() {
    let s = Server::start();
    let ann = s.new_user_in("ann", "acme");
    let cal = format!("/dav/calendars/{}/personal/", ann.login);
    let failures: [(&[&str], &str); 6] = [
        (
            &["share", "add", &cal, "--with", "nobody", "--json"],
            "not-found",
        ),
        (&["share", "list", "/elsewhere/", "--json"], "invalid-path"),
        (
            &["link", "create", &cal, "--valid", "2w", "--json"],
            "unknown-validity",
        ),
        (&["trash", "restore", "o999999", "--json"], "not-found"),
        (
            &["restore", &cal, "--at", "last Tuesday", "--json"],
            "invalid-time",
        ),
        (&["versions", &cal, "--json"], "invalid-request"),
    ];
    for (args, code) in failures {
        let err = s.cli_json_err(args, None);
        assert_eq!(err["error"], code, "{args:?}: {err}");
        assert!(err["message"].as_str().is_some_and(|m| !m.is_empty()));
    }
    assert!(
        s.cli_json(&["share", "list"], None)
            .as_array()
            .is_some_and(Vec::is_empty)
    );
    assert!(
        s.cli_json(&["link", "list"], None)
            .as_array()
            .is_some_and(Vec::is_empty)
    );
    // Without --json, a line for people.
    let text = s.cli_err(&["trash", "restore", "o999999"], None);
    assert!(text.starts_with("davsuite: "), "{text}");
}
