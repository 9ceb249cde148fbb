//! The web view's contacts pages over plain HTTP: address books listed and searched, a card
//! shown and edited without losing what clients wrote, new cards, deletions to the trash,
//! groups in both forms, duplicates and their merge; refusals (stale ETag, read-only share,
//! another person's book) change nothing; every change is what CardDAV clients sync.

use crate::common::*;

/// A vCard 3.0 as Apple writes it: a photo, a labelled `itemN.` e-mail, X- properties.
fn apple_card(uid: &str, name: &str, email: &str) -> String {
    format!(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nPRODID:-//Apple Inc.//iOS 17//EN\r\nUID:{uid}\r\nN:{name};;;;\r\nFN:{name}\r\n\
         item1.EMAIL;type=INTERNET;type=pref:{email}\r\nitem1.X-ABLabel:_$!<Work>!$_\r\nTEL;type=CELL:+41 79 555 00 11\r\n\
         X-SOCIALPROFILE;type=mastodon:https://example.social/@x\r\nPHOTO;ENCODING=b;TYPE=JPEG:/9j/4AAQSkZJRgABAQAAAQABAAD\r\n\
         CATEGORIES:Friends,Work\r\nEND:VCARD\r\n"
    )
}

/// A vCard 4.0 with a data-URI photo and a year-less birthday.
fn v4_card(uid: &str, name: &str) -> String {
    format!(
        "BEGIN:VCARD\r\nVERSION:4.0\r\nUID:{uid}\r\nFN:{name}\r\nN:{name};;;;\r\nBDAY:--0203\r\n\
         TEL;VALUE=uri;TYPE=work:tel:+41-22-555-99-99\r\nPHOTO:data:image/png;base64,iVBORw0KGgo=\r\n\
         X-CUSTOM:kept\r\nEND:VCARD\r\n"
    )
}

fn book(u: &User) -> String {
    addressbook_url(u)
}

/// The `ETag` of a member over DAV.
fn etag(s: &Server, u: &User, href: &str) -> String {
    let r = get_req(s, u, href);
    assert_eq!(r.status, 200, "{href}");
    r.header("etag").expect("an ETag").to_owned()
}

/// GETs a page and asserts 200.
#[track_caller]
fn page(s: &Server, w: &WebSession, path: &str) -> String {
    let r = w.get(s, path);
    assert_eq!(r.status, 200, "{path}: {}", r.text());
    r.text()
}

/// The value of `<input ... name="NAME" value="...">` in a page (the first such input).
fn input_value(page: &str, name: &str) -> Option<String> {
    let at = page.find(&format!("name=\"{name}\" value=\""))?;
    let tail = &page[at + name.len() + 15..];
    Some(tail.split('"').next()?.replace("&quot;", "\""))
}

#[test]
fn cards_written_over_carddav_are_listed_alphabetically_and_searchable() {
    let s = Server::start();
    let al = s.new_user("al");
    put_created(
        &s,
        &al,
        &format!("{}zoe.vcf", book(&al)),
        apple_card("zoe", "Zoé Zurbriggen", "zoe@work.example").as_bytes(),
    );
    put_created(
        &s,
        &al,
        &format!("{}emile.vcf", book(&al)),
        v4_card("emile", "Émile Aubert").as_bytes(),
    );
    put_created(
        &s,
        &al,
        &format!("{}bob.vcf", book(&al)),
        vcard("bob", "bob Martin").as_bytes(),
    );
    let w = web_login(&s, &al);
    let list = page(&s, &w, "/web/contacts");
    let (b, e, z) = (
        list.find("bob Martin").expect("bob listed"),
        list.find("Émile Aubert").expect("Émile listed"),
        list.find("Zoé Zurbriggen").expect("Zoé listed"),
    );
    assert!(b < e && e < z, "alphabetical, accents aside: {list}");
    assert!(list.contains("id=\"letter-E\""), "letter headings: {list}");
    assert!(list.contains("zoe@work.example"));
    // The same page names the book explicitly.
    assert_eq!(page(&s, &w, "/web/contacts?book=contacts"), list);
    // A search by e-mail, by phone, by name in another case.
    for (q, found) in [
        ("WORK.example", "Zoé Zurbriggen"),
        ("555 00", "Zoé Zurbriggen"),
        ("MARTIN", "bob Martin"),
    ] {
        let r = page(
            &s,
            &w,
            &format!("/web/contacts?book=contacts&q={}", urlencode(q)),
        );
        assert!(r.contains(found), "{q}: {r}");
        assert_eq!(
            r.matches("class=\"contact\"").count(),
            1,
            "{q} finds one: {r}"
        );
    }
    let none = page(&s, &w, "/web/contacts?q=nobody");
    assert!(none.contains("id=\"no-contacts\""), "{none}");
    // What was searched for is shown escaped, never as markup.
    let evil = "<script>alert(1)</script>\"&";
    let r = page(&s, &w, &format!("/web/contacts?q={}", urlencode(evil)));
    assert!(!r.contains("<script>alert"), "{r}");
    assert!(r.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "{r}");
    // An unknown book is a 404.
    assert_eq!(w.get(&s, "/web/contacts?book=nope").status, 404);
}

fn urlencode(s: &str) -> String {
    form_body(&[("x", s)])[2..].to_owned()
}

#[test]
fn editing_keeps_what_clients_wrote_and_clients_sync_the_change() {
    let s = Server::start();
    let al = s.new_user("al");
    let href = format!("{}zoe.vcf", book(&al));
    put_created(
        &s,
        &al,
        &href,
        apple_card("zoe", "Zoé Z", "zoe@work.example").as_bytes(),
    );
    let token = collection_sync_token(&s, &al, &book(&al));
    let old_etag = etag(&s, &al, &href);
    let w = web_login(&s, &al);
    let view = page(&s, &w, "/web/contacts/card?book=contacts&card=zoe.vcf");
    assert!(
        view.contains("Zoé Z")
            && view.contains("zoe@work.example")
            && view.contains("+41 79 555 00 11")
    );
    assert_eq!(
        input_value(&view, "etag").as_deref(),
        Some(old_etag.as_str())
    );
    for id in [
        "id=\"fn\"",
        "id=\"email-0\"",
        "id=\"email-1\"",
        "id=\"tel-0\"",
        "id=\"bday\"",
        "id=\"note\"",
        "id=\"save-contact\"",
        "id=\"delete-contact\"",
    ] {
        assert!(view.contains(id), "{id}");
    }
    let r = w.post(
        &s,
        "/web/contacts/card/save",
        &[
            ("book", "contacts"),
            ("card", "zoe.vcf"),
            ("etag", &old_etag),
            ("fn", "Zoé Zurbriggen"),
            ("given", ""),
            ("family", "Zurbriggen"),
            ("org", "Acme; R&D"),
            ("title", ""),
            ("email", "zoe@work.example"),
            ("email", "zoe@home.example"),
            ("tel", "+41 79 555 00 11"),
            ("tel", ""),
            ("adr_street", "Rue du Lac 1"),
            ("adr_code", "1204"),
            ("adr_locality", "Genève"),
            ("adr_region", ""),
            ("adr_country", "CH"),
            ("url", ""),
            ("bday", "1990-05-17"),
            ("note", "line 1\r\nline 2"),
        ],
    );
    assert_eq!(r.status, 303, "{}", r.text());
    assert_eq!(
        r.header("location"),
        Some("/web/contacts/card?book=contacts&card=zoe.vcf&done=saved")
    );
    let g = get_req(&s, &al, &href);
    let body = g.text();
    let new_etag = g.header("etag").expect("etag").to_owned();
    assert_ne!(new_etag, old_etag);
    for kept in [
        "VERSION:3.0\r\n",
        "PRODID:-//Apple Inc.//iOS 17//EN\r\n",
        "UID:zoe\r\n",
        "item1.EMAIL;type=INTERNET;type=pref:zoe@work.example\r\n",
        "item1.X-ABLabel:_$!<Work>!$_\r\n",
        "X-SOCIALPROFILE;type=mastodon:https://example.social/@x\r\n",
        "PHOTO;ENCODING=b;TYPE=JPEG:/9j/4AAQSkZJRgABAQAAAQABAAD\r\n",
        "CATEGORIES:Friends,Work\r\n",
    ] {
        assert!(body.contains(kept), "{kept:?} kept: {body}");
    }
    for written in [
        "FN:Zoé Zurbriggen\r\n",
        "N:Zurbriggen;;;;\r\n",
        "ORG:Acme\\; R&D\r\n",
        "EMAIL:zoe@home.example\r\n",
        "ADR:;;Rue du Lac 1;Genève;;1204;CH\r\n",
        "BDAY:1990-05-17\r\n",
        "NOTE:line 1\\nline 2\r\n",
    ] {
        assert!(body.contains(written), "{written:?} written: {body}");
    }
    assert_eq!(
        sync_changes(&s, &al, &book(&al), &token),
        [(href.clone(), true)],
        "the next sync reports the change"
    );
    let shown = page(
        &s,
        &w,
        "/web/contacts/card?book=contacts&card=zoe.vcf&done=saved",
    );
    assert!(shown.contains("id=\"status\""), "{shown}");
    assert!(
        shown.contains("Rue du Lac 1") && shown.contains("17 May 1990"),
        "{shown}"
    );
    // The form drawn before the change is stale: refused with a message, nothing written.
    let r = w.post(
        &s,
        "/web/contacts/card/save",
        &[
            ("book", "contacts"),
            ("card", "zoe.vcf"),
            ("etag", &old_etag),
            ("fn", "Overwritten"),
        ],
    );
    assert_eq!(r.status, 409, "{}", r.text());
    assert!(r.text().contains("changed elsewhere"), "{}", r.text());
    assert_eq!(
        input_value(&r.text(), "etag").as_deref(),
        Some(new_etag.as_str()),
        "the current version is shown"
    );
    assert_eq!(get_req(&s, &al, &href).body, body.as_bytes());
    // Bad input: a message, the typed values kept, nothing written.
    for (field, value, says) in [
        ("fn", "", "display name"),
        ("bday", "31.02.1990", "not a date"),
    ] {
        let mut fields = vec![
            ("book", "contacts"),
            ("card", "zoe.vcf"),
            ("etag", new_etag.as_str()),
            ("fn", "Zoé"),
            ("bday", ""),
        ];
        fields.retain(|(n, _)| *n != field);
        fields.push((field, value));
        let r = w.post(&s, "/web/contacts/card/save", &fields);
        assert_eq!(r.status, 400, "{field}: {}", r.text());
        assert!(r.text().contains(says), "{field}: {}", r.text());
        assert_eq!(get_req(&s, &al, &href).body, body.as_bytes());
    }
}

#[test]
fn a_version_4_card_keeps_its_version_and_a_yearless_birthday() {
    let s = Server::start();
    let al = s.new_user("al");
    let href = format!("{}emile.vcf", book(&al));
    put_created(&s, &al, &href, v4_card("emile", "Émile").as_bytes());
    let w = web_login(&s, &al);
    let view = page(&s, &w, "/web/contacts/card?book=contacts&card=emile.vcf");
    assert_eq!(input_value(&view, "bday").as_deref(), Some("--02-03"));
    assert_eq!(
        input_value(&view, "tel").as_deref(),
        Some("+41-22-555-99-99")
    );
    let e = input_value(&view, "etag").expect("etag");
    let r = w.post(
        &s,
        "/web/contacts/card/save",
        &[
            ("book", "contacts"),
            ("card", "emile.vcf"),
            ("etag", &e),
            ("fn", "Émile"),
            ("family", "Émile"),
            ("tel", "+41 22 555 99 98"),
            ("bday", "--02-03"),
            ("email", "emile@example.org"),
        ],
    );
    assert_eq!(r.status, 303, "{}", r.text());
    let body = get_req(&s, &al, &href).text();
    for line in [
        "VERSION:4.0\r\n",
        "BDAY:--0203\r\n",
        "TEL;VALUE=uri;TYPE=work:tel:+41-22-555-99-98\r\n",
        "PHOTO:data:image/png;base64,iVBORw0KGgo=\r\n",
        "X-CUSTOM:kept\r\n",
        "EMAIL:emile@example.org\r\n",
    ] {
        assert!(body.contains(line), "{line:?}: {body}");
    }
}

#[test]
fn new_contacts_and_deletions_reach_the_clients_and_the_trash() {
    let s = Server::start();
    let al = s.new_user("al");
    let token = collection_sync_token(&s, &al, &book(&al));
    let w = web_login(&s, &al);
    let form = page(&s, &w, "/web/contacts/new?book=contacts");
    assert!(form.contains("id=\"create-contact\""), "{form}");
    let r = w.post(
        &s,
        "/web/contacts/new",
        &[
            ("book", "contacts"),
            ("fn", ""),
            ("given", "Ann"),
            ("family", "Lee"),
            ("email", "ann@example.org"),
        ],
    );
    assert_eq!(r.status, 303, "{}", r.text());
    let location = r.header("location").expect("location").to_owned();
    assert!(
        location.starts_with("/web/contacts/card?book=contacts&card="),
        "{location}"
    );
    let changes = sync_changes(&s, &al, &book(&al), &token);
    assert_eq!(changes.len(), 1, "{changes:?}");
    let href = changes[0].0.clone();
    let body = get_req(&s, &al, &href).text();
    assert!(
        body.contains("FN:Ann Lee\r\n")
            && body.contains("N:Lee;Ann;;;\r\n")
            && body.contains("VERSION:3.0"),
        "{body}"
    );
    let view = page(&s, &w, &location);
    assert!(view.contains("Ann Lee") && view.contains("id=\"status\""));
    // Without a name nothing is created.
    let r = w.post(
        &s,
        "/web/contacts/new",
        &[("book", "contacts"), ("email", "x@example.org")],
    );
    assert_eq!(r.status, 400);
    assert_eq!(sync_changes(&s, &al, &book(&al), &token).len(), 1);
    // Deleting: a stale ETag is refused; then to the trash, and the next sync says so.
    let name = href.rsplit('/').next().expect("name").to_owned();
    let e = input_value(&view, "etag").expect("etag");
    let stale = w.post(
        &s,
        "/web/contacts/card/delete",
        &[("book", "contacts"), ("card", &name), ("etag", "\"old\"")],
    );
    assert_eq!(stale.status, 409);
    assert_eq!(get_req(&s, &al, &href).status, 200);
    let token = collection_sync_token(&s, &al, &book(&al));
    let r = w.post(
        &s,
        "/web/contacts/card/delete",
        &[("book", "contacts"), ("card", &name), ("etag", &e)],
    );
    assert_eq!(r.status, 303);
    assert_eq!(
        r.header("location"),
        Some("/web/contacts?book=contacts&done=deleted")
    );
    assert_eq!(get_req(&s, &al, &href).status, 404);
    assert_eq!(
        sync_changes(&s, &al, &book(&al), &token),
        [(href.clone(), false)]
    );
    let trash = api_ok(&s, &al, "GET", "/api/v1/trash", None, 200);
    assert!(trash.to_string().contains(&name), "{trash}");
    let list = page(&s, &w, "/web/contacts?book=contacts&done=deleted");
    assert!(
        list.contains("href=\"/web/trash\""),
        "a link to the trash: {list}"
    );
}

#[test]
fn a_read_only_share_is_shown_but_never_changed_and_others_books_stay_hidden() {
    let s = Server::start();
    let alice = s.new_user_in("alice", "acme");
    let bob = s.new_user_in("bob", "acme");
    let carol = s.new_user_in("carol", "acme");
    let href = format!("{}c.vcf", book(&alice));
    put_created(
        &s,
        &alice,
        &href,
        apple_card("c1", "Carl Secret", "carl@example.org").as_bytes(),
    );
    share_with(&s, &book(&alice), &bob.login, "read");
    let mount = shared_path(&s, &bob);
    let mount_name = mount
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .expect("mount")
        .to_owned();
    let original = get_req(&s, &alice, &href).body;
    let e = etag(&s, &alice, &href);

    let wb = web_login(&s, &bob);
    let list = page(&s, &wb, "/web/contacts");
    assert!(
        list.contains(&mount_name) && list.contains(&alice.login),
        "listed as shared by alice: {list}"
    );
    let shared = page(&s, &wb, &format!("/web/contacts?book={mount_name}"));
    assert!(shared.contains("Carl Secret"), "{shared}");
    assert!(
        !shared.contains("id=\"new-contact\""),
        "no new contact in a read-only book"
    );
    let view = page(
        &s,
        &wb,
        &format!("/web/contacts/card?book={mount_name}&card=c.vcf"),
    );
    assert!(
        view.contains("carl@example.org") && view.contains("id=\"read-only\""),
        "{view}"
    );
    assert!(!view.contains("id=\"save-contact\"") && !view.contains("id=\"delete-contact\""));
    let fields = [
        ("book", mount_name.as_str()),
        ("card", "c.vcf"),
        ("etag", e.as_str()),
        ("fn", "Changed"),
    ];
    for path in ["/web/contacts/card/save", "/web/contacts/card/delete"] {
        let r = wb.post(&s, path, &fields);
        assert_eq!(r.status, 403, "{path}: {}", r.text());
        assert!(r.text().contains("read-only"), "{}", r.text());
    }
    let r = wb.post(
        &s,
        "/web/contacts/new",
        &[("book", &mount_name), ("fn", "New")],
    );
    assert_eq!(r.status, 403);
    let r = wb.post(
        &s,
        "/web/contacts/groups/create",
        &[("book", &mount_name), ("name", "G")],
    );
    assert_eq!(r.status, 403);
    assert_eq!(get_req(&s, &alice, &href).body, original, "nothing changed");
    assert_eq!(
        getetag_listing(&s, &alice, &book(&alice))
            .text()
            .matches("<D:href>")
            .count(),
        2,
        "still one card"
    );

    // Carol has no share: neither listed nor reachable by URL, for any page or action.
    let wc = web_login(&s, &carol);
    let hers = page(&s, &wc, "/web/contacts");
    assert!(
        !hers.contains("Carl Secret") && !hers.contains(&mount_name),
        "{hers}"
    );
    for path in [
        format!("/web/contacts?book={mount_name}"),
        format!("/web/contacts/card?book={mount_name}&card=c.vcf"),
        format!("/web/contacts/groups?book={mount_name}"),
        format!("/web/contacts/duplicates?book={mount_name}"),
        format!("/web/contacts/new?book={mount_name}"),
    ] {
        let r = wc.get(&s, &path);
        assert_eq!(r.status, 404, "{path}");
        assert!(!r.text().contains("Carl"), "{path}");
    }
    for path in [
        "/web/contacts/card/save",
        "/web/contacts/card/delete",
        "/web/contacts/merge",
    ] {
        let r = wc.post(&s, path, &fields);
        assert_eq!(r.status, 404, "{path}");
        assert!(!r.text().contains("Carl"), "{path}");
    }
    assert_eq!(get_req(&s, &alice, &href).body, original, "nothing changed");
}

#[test]
fn duplicates_are_found_and_merged_with_the_others_in_the_trash() {
    let s = Server::start();
    let al = s.new_user("al");
    let b = book(&al);
    put_created(
        &s,
        &al,
        &format!("{b}a.vcf"),
        apple_card("a", "Ann Lee", "ann@example.org").as_bytes(),
    );
    let other = "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:b\r\nFN:A. Lee\r\nN:Lee;A.;;;\r\nEMAIL:ANN@example.org\r\nEMAIL:ann@home.example\r\nEND:VCARD\r\n";
    put_created(&s, &al, &format!("{b}b.vcf"), other.as_bytes());
    put_created(&s, &al, &format!("{b}c.vcf"), vcard("c", "Carl").as_bytes());
    let w = web_login(&s, &al);
    let dupes = page(&s, &w, "/web/contacts/duplicates?book=contacts");
    assert!(
        dupes.contains("Ann Lee") && dupes.contains("A. Lee") && !dupes.contains(">Carl<"),
        "{dupes}"
    );
    assert!(
        dupes.contains("id=\"merge-0\"") && dupes.contains("id=\"keep-0-0\""),
        "{dupes}"
    );
    let r = w.post(
        &s,
        "/web/contacts/merge",
        &[
            ("book", "contacts"),
            ("card", "a.vcf"),
            ("card", "b.vcf"),
            ("keep", "a.vcf"),
        ],
    );
    assert_eq!(r.status, 303, "{}", r.text());
    assert_eq!(
        r.header("location"),
        Some("/web/contacts/duplicates?book=contacts&done=merged")
    );
    let kept = get_req(&s, &al, &format!("{b}a.vcf")).text();
    assert!(
        kept.contains("ann@home.example") && kept.contains("PHOTO;"),
        "{kept}"
    );
    assert_eq!(get_req(&s, &al, &format!("{b}b.vcf")).status, 404);
    let trash = api_ok(&s, &al, "GET", "/api/v1/trash", None, 200);
    assert!(trash.to_string().contains("b.vcf"), "{trash}");
    let after = page(&s, &w, "/web/contacts/duplicates?book=contacts&done=merged");
    assert!(
        after.contains("id=\"no-duplicates\"") && after.contains("href=\"/web/trash\""),
        "{after}"
    );
    // A merge of one card is refused, nothing changes.
    let r = w.post(
        &s,
        "/web/contacts/merge",
        &[("book", "contacts"), ("card", "a.vcf")],
    );
    assert_eq!(r.status, 400, "{}", r.text());
    assert_eq!(get_req(&s, &al, &format!("{b}a.vcf")).text(), kept);
}

#[test]
fn groups_in_both_forms_are_listed_and_changed_through_the_domain() {
    let s = Server::start();
    let al = s.new_user("al");
    let b = book(&al);
    put_created(
        &s,
        &al,
        &format!("{b}ann.vcf"),
        vcard("ann", "Ann").as_bytes(),
    );
    put_created(
        &s,
        &al,
        &format!("{b}bob.vcf"),
        vcard("bob", "Bob").as_bytes(),
    );
    let apple = "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:friends\r\nFN:Friends\r\nN:Friends;;;;\r\nX-ADDRESSBOOKSERVER-KIND:group\r\nX-ADDRESSBOOKSERVER-MEMBER:urn:uuid:ann\r\nEND:VCARD\r\n";
    let v4 = "BEGIN:VCARD\r\nVERSION:4.0\r\nUID:team\r\nFN:Team\r\nKIND:group\r\nMEMBER:urn:uuid:bob\r\nMEMBER:urn:uuid:gone\r\nEND:VCARD\r\n";
    put_created(&s, &al, &format!("{b}friends.vcf"), apple.as_bytes());
    put_created(&s, &al, &format!("{b}team.vcf"), v4.as_bytes());
    let w = web_login(&s, &al);
    let groups = page(&s, &w, "/web/contacts/groups?book=contacts");
    assert!(
        groups.contains("Friends") && groups.contains("Apple group"),
        "{groups}"
    );
    assert!(
        groups.contains("Team") && groups.contains("vCard 4 group"),
        "{groups}"
    );
    assert!(
        groups.contains("a contact not in this address book"),
        "the dangling member: {groups}"
    );
    // Groups are not contacts in the list; a group filter lists its members.
    let list = page(&s, &w, "/web/contacts?book=contacts");
    assert!(!list.contains(">Friends<"), "{list}");
    let members = page(&s, &w, "/web/contacts?book=contacts&group=team.vcf");
    assert!(
        members.contains(">Bob<") && !members.contains(">Ann<"),
        "{members}"
    );
    // Add Bob to Friends, remove Ann: the group keeps its form.
    let r = w.post(
        &s,
        "/web/contacts/groups/add",
        &[
            ("book", "contacts"),
            ("group", "friends.vcf"),
            ("card", "bob.vcf"),
        ],
    );
    assert_eq!(r.status, 303, "{}", r.text());
    let r = w.post(
        &s,
        "/web/contacts/groups/remove",
        &[
            ("book", "contacts"),
            ("group", "friends.vcf"),
            ("uid", "ann"),
        ],
    );
    assert_eq!(r.status, 303, "{}", r.text());
    let friends = get_req(&s, &al, &format!("{b}friends.vcf")).text();
    assert!(
        friends.contains("X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:bob\r\n")
            && !friends.contains("urn:uuid:ann"),
        "{friends}"
    );
    // A new group, over DAV at once.
    let token = collection_sync_token(&s, &al, &b);
    let r = w.post(
        &s,
        "/web/contacts/groups/create",
        &[("book", "contacts"), ("name", "Club <b>")],
    );
    assert_eq!(r.status, 303, "{}", r.text());
    let changes = sync_changes(&s, &al, &b, &token);
    assert_eq!(changes.len(), 1);
    let created = get_req(&s, &al, &changes[0].0).text();
    assert!(
        created.contains("FN:Club <b>\r\n") && created.contains("X-ADDRESSBOOKSERVER-KIND:group"),
        "{created}"
    );
    let groups = page(
        &s,
        &w,
        "/web/contacts/groups?book=contacts&done=group-created",
    );
    assert!(groups.contains("Club &lt;b&gt;"), "{groups}");
    // An empty name or a card that is not a group: refused, nothing written.
    let token = collection_sync_token(&s, &al, &b);
    assert_eq!(
        w.post(
            &s,
            "/web/contacts/groups/create",
            &[("book", "contacts"), ("name", " ")]
        )
        .status,
        400
    );
    assert_eq!(
        w.post(
            &s,
            "/web/contacts/groups/add",
            &[
                ("book", "contacts"),
                ("group", "ann.vcf"),
                ("card", "bob.vcf")
            ]
        )
        .status,
        404
    );
    assert!(sync_changes(&s, &al, &b, &token).is_empty());
}

#[test]
fn the_pages_speak_french() {
    let s = Server::start();
    let al = s.new_user("al");
    put_created(
        &s,
        &al,
        &format!("{}a.vcf", book(&al)),
        vcard("a", "Ann").as_bytes(),
    );
    let w = web_login(&s, &al);
    let get = |path: &str| {
        let r = s.request(
            "GET",
            path,
            None,
            &[
                ("cookie", &w.cookie_header()),
                ("accept-language", "fr-CH, fr;q=0.9"),
            ],
            b"",
        );
        assert_eq!(r.status, 200, "{path}");
        r.text()
    };
    let list = get("/web/contacts");
    assert!(
        list.contains("Rechercher")
            && list.contains("Nouveau contact")
            && list.contains("Doublons"),
        "{list}"
    );
    let card = get("/web/contacts/card?book=contacts&card=a.vcf");
    assert!(
        card.contains("Enregistrer")
            && card.contains("Anniversaire")
            && card.contains("lang=\"fr\""),
        "{card}"
    );
    assert!(get("/web/contacts/groups?book=contacts").contains("Créer le groupe"));
    assert!(get("/web/contacts/duplicates?book=contacts").contains("Aucun doublon"));
}
