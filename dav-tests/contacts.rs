//! Contact tools (issue 6): probable duplicates found and merged through the API and the
//! command line (the kept card gains the others' addresses and numbers, groups follow, the
//! others are deleted as a DELETE would), and contact groups in both forms clients write
//! (vCard 4 KIND/MEMBER, Apple X-ADDRESSBOOKSERVER-KIND/-MEMBER): stored as sent, converted
//! for clients that read the other version, found by addressbook-query, and their membership
//! answered by the API.

use crate::common::*;

fn card(uid: &str, name: &str, extra: &str) -> String {
    format!(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:{uid}\r\nFN:{name}\r\nN:{name};;;;\r\n{extra}END:VCARD\r\n"
    )
}

/// The API path of the user's default address book, with `rest` appended.
fn book_api(u: &User, rest: &str) -> String {
    format!("/api/v1/addressbooks/{}/contacts/{rest}", u.login)
}

/// Names of the cards of each duplicate group.
fn group_names(groups: &Value) -> Vec<Vec<String>> {
    groups
        .as_array()
        .expect("array")
        .iter()
        .map(|g| {
            g["cards"]
                .as_array()
                .expect("cards")
                .iter()
                .map(|c| c["name"].as_str().expect("name").to_owned())
                .collect()
        })
        .collect()
}

/// A user whose address book holds two groups of duplicates, a lone card and an Apple group
/// listing one of the duplicates.
fn with_duplicates(s: &Server) -> User {
    let u = s.new_user("dup");
    let book = addressbook_url(&u);
    let cards = [
        ("ann.vcf", card("ann", "Ann Lee", "EMAIL;TYPE=INTERNET:ann@example.org\r\nTEL;TYPE=CELL:+41 79 123 45 67\r\n")),
        (
            "ann-work.vcf",
            "BEGIN:VCARD\r\nVERSION:4.0\r\nUID:urn:uuid:ann-work\r\nFN:Ann Lee\r\nEMAIL;TYPE=work:ann@work.example\r\nADR;TYPE=work:;;Rue du Lac 1;Genève;;1204;CH\r\nEND:VCARD\r\n".to_owned(),
        ),
        ("annie.vcf", card("annie", "Annie", "item1.TEL:079 123 45 67\r\nitem1.X-ABLabel:mobile\r\nNOTE:met at the lake\r\n")),
        ("bob.vcf", card("bob", "Bob Stone", "EMAIL:bob@example.org\r\n")),
        ("robert.vcf", card("robert", "Robert Stone", "EMAIL:BOB@example.org\r\n")),
        ("carol.vcf", card("carol", "Carol", "EMAIL:carol@example.org\r\n")),
        (
            "friends.vcf",
            card(
                "friends",
                "Friends",
                "X-ADDRESSBOOKSERVER-KIND:group\r\nX-ADDRESSBOOKSERVER-MEMBER:urn:uuid:annie\r\nX-ADDRESSBOOKSERVER-MEMBER:urn:uuid:carol\r\n",
            ),
        ),
    ];
    for (name, body) in cards {
        put_created(s, &u, &format!("{book}{name}"), body.as_bytes());
    }
    u
}

#[test]
fn duplicates_are_found_by_address_number_or_name_and_merged_into_one_card() {
    let s = Server::start();
    let u = with_duplicates(&s);
    let book = addressbook_url(&u);
    let groups = api_ok(&s, &u, "GET", &book_api(&u, "duplicates"), None, 200);
    assert_eq!(
        group_names(&groups),
        [
            vec!["ann-work.vcf", "ann.vcf", "annie.vcf"],
            vec!["bob.vcf", "robert.vcf"]
        ],
        "{groups}"
    );
    assert_eq!(
        groups[0]["reasons"],
        json!(["name Ann Lee", "phone +41 79 123 45 67"])
    );
    assert_eq!(groups[1]["reasons"], json!(["e-mail bob@example.org"]));
    assert_eq!(groups[0]["cards"][1]["href"], format!("{book}ann.vcf"));

    let token = collection_sync_token(&s, &u, &book);
    let merged = api_ok(
        &s,
        &u,
        "POST",
        &book_api(&u, "duplicates/merge"),
        Some(json!({ "objects": ["ann-work.vcf", "ann.vcf", "annie.vcf"], "keep": "ann.vcf" })),
        200,
    );
    assert_eq!(merged["kept"]["uid"], "ann");
    assert_eq!(
        merged["removed"],
        json!([format!("{book}ann-work.vcf"), format!("{book}annie.vcf")])
    );
    assert_eq!(
        merged["groups_updated"],
        json!([format!("{book}friends.vcf")])
    );
    // The union: both addresses, the postal address, the number once (079... is the same).
    let kept = get_req(&s, &u, &format!("{book}ann.vcf")).text();
    assert!(
        kept.starts_with("BEGIN:VCARD\r\nVERSION:3.0\r\nUID:ann\r\n"),
        "{kept}"
    );
    assert!(
        kept.contains("EMAIL;TYPE=INTERNET:ann@example.org\r\n"),
        "{kept}"
    );
    assert!(kept.contains("ann@work.example"), "{kept}");
    assert!(
        kept.contains("ADR;TYPE=work:;;Rue du Lac 1;Genève;;1204;CH"),
        "{kept}"
    );
    assert_eq!(kept.matches("TEL").count(), 1, "{kept}");
    assert!(
        !kept.contains("NOTE") && !kept.contains("X-ABLabel"),
        "{kept}"
    );
    // The others are gone as a DELETE removes them: 404, reported deleted by sync.
    for gone in ["ann-work.vcf", "annie.vcf"] {
        assert_eq!(get_req(&s, &u, &format!("{book}{gone}")).status, 404);
    }
    let changed = sync_changes(&s, &u, &book, &token);
    assert!(
        changed.contains(&(format!("{book}annie.vcf"), false)),
        "{changed:?}"
    );
    assert!(
        changed.contains(&(format!("{book}ann.vcf"), true)),
        "{changed:?}"
    );
    // The Apple group now lists the kept card, in its own form.
    let friends = get_req(&s, &u, &format!("{book}friends.vcf")).text();
    assert!(
        friends.contains("X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:ann\r\n"),
        "{friends}"
    );
    assert!(!friends.contains("annie"), "{friends}");
    // Only Bob's pair is left.
    let groups = api_ok(&s, &u, "GET", &book_api(&u, "duplicates"), None, 200);
    assert_eq!(group_names(&groups), [vec!["bob.vcf", "robert.vcf"]]);
}

#[test]
fn refused_merges_change_nothing() {
    let s = Server::start();
    let u = with_duplicates(&s);
    let book = addressbook_url(&u);
    let before = collection_state(&s, &u, &book);
    let merge = |body: Value| {
        api(
            &s,
            Some(&u),
            "POST",
            &book_api(&u, "duplicates/merge"),
            Some(body),
        )
    };
    assert_api_error(
        &merge(json!({ "objects": ["bob.vcf"] })),
        400,
        "bad-request",
    );
    assert_api_error(
        &merge(json!({ "objects": ["bob.vcf", "friends.vcf"] })),
        400,
        "bad-request",
    );
    assert_api_error(
        &merge(json!({ "objects": ["bob.vcf", "robert.vcf"], "keep": "carol.vcf" })),
        400,
        "bad-request",
    );
    assert_api_error(
        &merge(json!({ "objects": ["bob.vcf", "nobody.vcf"] })),
        404,
        "not-found",
    );
    assert_api_error(&merge(json!({ "cards": ["bob.vcf"] })), 400, "bad-request");
    // Someone else's address book.
    let other = s.new_user("dup");
    let r = api(&s, Some(&other), "GET", &book_api(&u, "duplicates"), None);
    assert_api_error(&r, 403, "forbidden");
    let r = api(
        &s,
        Some(&other),
        "POST",
        &book_api(&u, "duplicates/merge"),
        Some(json!({ "objects": ["bob.vcf", "robert.vcf"] })),
    );
    assert_api_error(&r, 403, "forbidden");
    assert_eq!(collection_state(&s, &u, &book), before);
    // Contact tools are for address books.
    let r = api(
        &s,
        Some(&u),
        "GET",
        &format!("/api/v1/calendars/{}/personal/duplicates", u.login),
        None,
    );
    assert_api_error(&r, 404, "not-found");
}

#[test]
fn the_command_line_lists_and_merges_duplicates() {
    let s = Server::start();
    let u = with_duplicates(&s);
    let book = addressbook_url(&u);
    let groups = s.cli_json(&["contacts", "duplicates", &book], None);
    assert_eq!(group_names(&groups).len(), 2);
    let out = s.cli_ok(&["contacts", "duplicates", &book], None);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("e-mail bob@example.org\n  bob.vcf\tBob Stone\n  robert.vcf\tRobert Stone"),
        "{text}"
    );
    let merged = s.cli_json(
        &[
            "contacts",
            "merge",
            &book,
            "bob.vcf",
            "robert.vcf",
            "--keep",
            "robert.vcf",
        ],
        None,
    );
    assert_eq!(merged["kept"]["name"], "robert.vcf");
    assert_eq!(get_req(&s, &u, &format!("{book}bob.vcf")).status, 404);
    // The trash records the operator as who deleted it, as for every command-line deletion.
    let trash = trash_list(&s, &u.login);
    assert_eq!(
        trash_entry(&trash, &format!("{book}bob.vcf"))["deleted_by"],
        "(operator)"
    );
    let err = s.cli_err(
        &["contacts", "merge", &book, "carol.vcf", "nobody.vcf"],
        None,
    );
    assert!(err.contains("nobody.vcf not found"), "{err}");
    let err = s.cli_err(&["contacts", "duplicates", &calendar_url(&u)], None);
    assert!(err.contains("is a calendar"), "{err}");
}

/// A vCard 4 group of `members` (UIDs).
fn v4_group(uid: &str, name: &str, members: &[&str]) -> String {
    let lines: String = members
        .iter()
        .map(|m| format!("MEMBER:urn:uuid:{m}\r\n"))
        .collect();
    format!(
        "BEGIN:VCARD\r\nVERSION:4.0\r\nUID:{uid}\r\nFN:{name}\r\nKIND:group\r\n{lines}END:VCARD\r\n"
    )
}

#[test]
fn groups_of_both_forms_are_kept_as_sent_and_their_members_answered_by_the_api() {
    let s = Server::start();
    let u = s.new_user("grp");
    let book = addressbook_url(&u);
    // Calendar Server's group and the Apple cards it lists, as Apple clients store them.
    for file in [
        "ccs-group-card-seven-members.vcf",
        "apple-addressbook-company-card.vcf",
        "apple-addressbook-photo-base64-76k.vcf",
    ] {
        let body = fixture(&format!("vcard/{file}"));
        let href = format!("{book}{file}");
        put_created(&s, &u, &href, &body);
        assert_eq!(get_req(&s, &u, &href).body, body, "stored as sent");
    }
    let team = v4_group(
        "urn:uuid:team",
        "Team",
        &["FCBA0FA3-00B2-4C95-B4EC-4CCC4843F8B1", "nobody"],
    );
    put_created(&s, &u, &format!("{book}team.vcf"), team.as_bytes());

    let groups = api_ok(&s, &u, "GET", &book_api(&u, "groups"), None, 200);
    let forms: Vec<(String, String)> = groups
        .as_array()
        .expect("array")
        .iter()
        .map(|g| {
            (
                g["name"].as_str().unwrap().into(),
                g["form"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert_eq!(
        forms,
        [
            ("ccs-group-card-seven-members.vcf".into(), "apple".into()),
            ("team.vcf".into(), "vcard4".into())
        ]
    );
    let ccs = api_ok(
        &s,
        &u,
        "GET",
        &book_api(&u, "groups/ccs-group-card-seven-members.vcf"),
        None,
        200,
    );
    let members = ccs["members"].as_array().expect("members");
    assert_eq!(members.len(), 7);
    let resolved: Vec<&str> = members.iter().filter_map(|m| m["href"].as_str()).collect();
    assert_eq!(
        resolved,
        [
            format!("{book}apple-addressbook-photo-base64-76k.vcf"),
            format!("{book}apple-addressbook-company-card.vcf")
        ],
        "{ccs}"
    );
    assert_eq!(
        members[0]["reference"],
        "urn:uuid:3765A955-1B96-41EA-994D-335192BEDCCD"
    );
    assert_eq!(members[0]["href"], Value::Null, "dangling references stay");
    // Which groups a contact is in, across both forms.
    let of_company = api_ok(
        &s,
        &u,
        "GET",
        &book_api(&u, "objects/apple-addressbook-company-card.vcf/groups"),
        None,
        200,
    );
    let names: Vec<&str> = of_company
        .as_array()
        .expect("array")
        .iter()
        .map(|g| g["name"].as_str().expect("name"))
        .collect();
    assert_eq!(names, ["ccs-group-card-seven-members.vcf", "team.vcf"]);
    // Not a group, not there, not yours.
    let r = api(
        &s,
        Some(&u),
        "GET",
        &book_api(&u, "groups/apple-addressbook-company-card.vcf"),
        None,
    );
    assert_api_error(&r, 404, "not-found");
    let r = api(
        &s,
        Some(&u),
        "GET",
        &book_api(&u, "objects/nope.vcf/groups"),
        None,
    );
    assert_api_error(&r, 404, "not-found");
    let other = s.new_user("grp");
    let r = api(&s, Some(&other), "GET", &book_api(&u, "groups"), None);
    assert_api_error(&r, 403, "forbidden");
    // The command line lists them too.
    let listed = s.cli_json(&["contacts", "groups", &book], None);
    assert_eq!(listed, groups);
}

#[test]
fn each_form_reaches_clients_of_the_other_version_and_queries_find_groups() {
    let s = Server::start();
    let u = s.new_user("grp");
    let book = addressbook_url(&u);
    put_created(
        &s,
        &u,
        &format!("{book}team.vcf"),
        v4_group("team", "Team", &["a"]).as_bytes(),
    );
    let apple = fixture("vcard/apple-group-x-addressbookserver-kind.vcf");
    put_created(&s, &u, &format!("{book}apple.vcf"), &apple);
    put_created(
        &s,
        &u,
        &format!("{book}person.vcf"),
        card("a", "Person", "").as_bytes(),
    );
    // A vCard 3 client (Apple) reads the vCard 4 group in its own form.
    let body = format!(
        r#"<C:addressbook-multiget xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:carddav"><D:prop><C:address-data version="3.0"/></D:prop><D:href>{book}team.vcf</D:href></C:addressbook-multiget>"#
    );
    let r = report_req(&s, &u, &book, Some("1"), body.as_bytes());
    let data = multistatus(&r)[0]
        .ok_prop(NS_CARDDAV, "address-data")
        .map(|d| d.text())
        .expect("address-data");
    assert!(
        data.contains("X-ADDRESSBOOKSERVER-KIND:group\r\n"),
        "{data}"
    );
    assert!(
        data.contains("X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:a\r\n"),
        "{data}"
    );
    // addressbook-query finds the groups of each form by their own property (compat pitfall 14).
    for (prop, expected) in [
        ("KIND", "team.vcf"),
        ("X-ADDRESSBOOKSERVER-KIND", "apple.vcf"),
    ] {
        let query = format!(
            r#"<C:addressbook-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:carddav"><D:prop><D:getetag/></D:prop><C:filter><C:prop-filter name="{prop}"><C:text-match collation="i;unicode-casemap" match-type="equals">group</C:text-match></C:prop-filter></C:filter></C:addressbook-query>"#
        );
        let r = report_req(&s, &u, &book, Some("1"), query.as_bytes());
        let hrefs: Vec<String> = multistatus(&r).into_iter().map(|m| m.href).collect();
        assert_eq!(hrefs, [format!("{book}{expected}")], "{prop}");
    }
}
