//! Contract tests of [`crate::store::OrgStore`]: organisations, memberships, teams and the
//! directory change log, including the invariants a backend keeps inside its transactions.

use super::{account, new_account, new_collection, strings};
use crate::store::{
    Account, Authority, CollectionKind, LegalContact, Member, MemberUpdate, NewMember, NewOrg,
    Notices, Org, Placement, ProductAccess, Role, Store, StoreError, StoreResult,
};

fn new_org(name: &str, plan: &str) -> NewOrg {
    NewOrg {
        name: name.to_owned(),
        plan: plan.to_owned(),
        contact: LegalContact::default(),
    }
}

fn as_role(role: Role) -> NewMember {
    NewMember {
        role,
        access: ProductAccess::ALL,
        notices: Notices::default(),
    }
}

/// An organisation named `name` with `owner` as its legal owner.
fn org_owned_by(store: &dyn Store, name: &str, owner: &Account) -> Org {
    store
        .create_org(&new_org(name, "pro"), owner.id, &as_role(Role::LegalOwner))
        .expect("create organisation")
}

fn join(store: &dyn Store, org: &Org, who: &Account, role: Role) -> Member {
    store
        .add_member(org.id, who.id, &as_role(role), None)
        .expect("add member")
}

/// Changes only the role of `account` in `org`, from `from` to `to`.
fn set_role(
    store: &dyn Store,
    org: i64,
    account: i64,
    from: Role,
    to: Role,
) -> crate::store::StoreResult<Member> {
    store.update_member(
        org,
        account,
        from,
        &MemberUpdate {
            role: Some(to),
            ..MemberUpdate::default()
        },
        None,
    )
}

fn roles(store: &dyn Store, org: &Org) -> Vec<(String, Role)> {
    store
        .members(org.id)
        .expect("members")
        .into_iter()
        .map(|m| (m.login, m.role))
        .collect()
}

fn role_list(items: &[(&str, Role)]) -> Vec<(String, Role)> {
    items.iter().map(|(l, r)| ((*l).to_owned(), *r)).collect()
}

/// Organisations are created with their first member, found by id and name, listed by name;
/// names are unique and a missing owner creates nothing.
pub(crate) fn orgs_create_find_and_list(store: &dyn Store) {
    let ann = account(store, "ann");
    let before = store.list_orgs().expect("list").len();
    let contact = LegalContact {
        address: Some("1 rue de Rive, Genève".into()),
        phone: Some("+41 79 000 00 00".into()),
        email: Some("legal@zeta.example".into()),
        country: Some("CH".into()),
    };
    let created = store
        .create_org(
            &NewOrg {
                contact: contact.clone(),
                ..new_org("zeta", "ksuite-pro")
            },
            ann.id,
            &as_role(Role::LegalOwner),
        )
        .expect("create");
    assert_eq!(created.name, "zeta");
    assert_eq!(created.plan, "ksuite-pro");
    assert_eq!(created.contact, contact);
    assert!(created.created > 1_600_000_000);
    assert_eq!(store.org(created.id).expect("by id"), Some(created.clone()));
    assert_eq!(
        store.org_by_name("zeta").expect("by name"),
        Some(created.clone())
    );
    assert_eq!(store.org_by_name("Zeta").expect("by name"), None);
    assert_eq!(
        roles(store, &created),
        role_list(&[("ann", Role::LegalOwner)])
    );
    org_owned_by(store, "alpha", &ann);
    let names: Vec<String> = store
        .list_orgs()
        .expect("list")
        .into_iter()
        .map(|o| o.name)
        .filter(|n| n == "alpha" || n == "zeta")
        .collect();
    assert_eq!(names, strings(&["alpha", "zeta"]), "listed by name");

    match store.create_org(&new_org("zeta", "pro"), ann.id, &as_role(Role::LegalOwner)) {
        Err(StoreError::AlreadyExists(_)) => {}
        other => panic!("duplicate name: {other:?}"),
    }
    match store.create_org(
        &new_org("ghost", "pro"),
        999_999,
        &as_role(Role::LegalOwner),
    ) {
        Err(StoreError::NotFound(_)) => {}
        other => panic!("missing owner: {other:?}"),
    }
    assert_eq!(store.org_by_name("ghost").expect("lookup"), None);
    assert_eq!(store.list_orgs().expect("list").len(), before + 2);
}

/// create_account creates its organisation (with the founder's membership asked for) or joins
/// one as asked; a join beyond the member limit creates no account at all.
pub(crate) fn account_placement_creates_or_joins_atomically(store: &dyn Store) {
    let owner = store
        .create_account(&new_account("olga", Vec::new()))
        .expect("create");
    let (org, membership) = store
        .home_membership(owner.id)
        .expect("home")
        .expect("has an organisation");
    assert_eq!(org.name, "olga's organisation");
    assert_eq!(org.plan, "standard");
    assert_eq!(membership.role, Role::LegalOwner);
    assert_eq!(membership.access, ProductAccess::ALL);
    assert_eq!(membership.notices, Notices::ALL);
    // The founder's membership is the caller's, not the store's own idea of one.
    let mut founding = new_account("fay", Vec::new());
    let founder = NewMember {
        role: Role::LegalOwner,
        access: ProductAccess {
            calendar: true,
            contacts: false,
        },
        notices: Notices {
            security: true,
            ..Notices::default()
        },
    };
    if let Placement::NewOrg { founder: f, .. } = &mut founding.organisation {
        *f = founder;
    }
    let fay = store.create_account(&founding).expect("create");
    let (_, membership) = store.home_membership(fay.id).expect("home").expect("org");
    assert_eq!(
        (membership.role, membership.access, membership.notices),
        (founder.role, founder.access, founder.notices)
    );

    let mut joining = new_account("jo", Vec::new());
    joining.organisation = Placement::Join {
        org: org.id,
        member: NewMember {
            role: Role::User,
            access: ProductAccess {
                calendar: true,
                contacts: false,
            },
            notices: Notices::default(),
        },
        max_members: Some(2),
        by: None,
    };
    let jo = store.create_account(&joining).expect("join");
    let member = store
        .member(org.id, jo.id)
        .expect("member")
        .expect("joined");
    assert_eq!(member.role, Role::User);
    assert_eq!(member.login, "jo");
    assert_eq!(member.email.as_deref(), Some("jo@example.org"));
    assert!(!member.access.contacts);
    assert_eq!(store.orgs_of(jo.id).expect("orgs").len(), 1);

    let mut third = new_account(
        "third",
        vec![new_collection(CollectionKind::Calendar, "c", 0)],
    );
    third.organisation = Placement::Join {
        org: org.id,
        member: as_role(Role::User),
        max_members: Some(2),
        by: None,
    };
    match store.create_account(&third) {
        Err(StoreError::MemberLimit(2)) => {}
        other => panic!("join beyond the limit: {other:?}"),
    }
    assert!(store.account_by_login("third").expect("lookup").is_none());
    assert_eq!(store.members(org.id).expect("members").len(), 2);

    let mut nowhere = new_account("nowhere", Vec::new());
    nowhere.organisation = Placement::Join {
        org: 999_999,
        member: as_role(Role::User),
        max_members: None,
        by: None,
    };
    match store.create_account(&nowhere) {
        Err(StoreError::NotFound(_)) => {}
        other => panic!("join of a missing organisation: {other:?}"),
    }
    assert!(store.account_by_login("nowhere").expect("lookup").is_none());
}

/// The organisation joined first governs; leaving it hands that to the next one.
pub(crate) fn home_membership_is_the_first_joined(store: &dyn Store) {
    let boss = account(store, "boss");
    let first = org_owned_by(store, "first", &boss);
    let second = org_owned_by(store, "second", &boss);
    let kim = account(store, "kim");
    let kims_own = store.home_membership(kim.id).expect("home").expect("own");
    join(store, &second, &kim, Role::User);
    join(store, &first, &kim, Role::Admin);
    assert_eq!(
        store
            .home_membership(kim.id)
            .expect("home")
            .map(|(o, _)| o.id),
        Some(kims_own.0.id),
        "the organisation created with the account comes first"
    );
    let order: Vec<String> = store
        .orgs_of(kim.id)
        .expect("orgs")
        .into_iter()
        .map(|(o, _)| o.name)
        .collect();
    assert_eq!(
        order,
        vec![kims_own.0.name.clone(), "second".into(), "first".into()],
        "in join order, not by id or name"
    );
    store
        .remove_members(kims_own.0.id, &[(kim.id, Role::LegalOwner)], None)
        .expect_err("the last legal owner cannot leave");
    store
        .remove_members(second.id, &[(kim.id, Role::User)], None)
        .expect("leave second");
    store
        .update_member(
            first.id,
            boss.id,
            Role::LegalOwner,
            &MemberUpdate::default(),
            None,
        )
        .expect("unrelated change");
    let (home, member) = store.home_membership(kim.id).expect("home").expect("own");
    assert_eq!(home.id, kims_own.0.id);
    assert_eq!(member.role, Role::LegalOwner);
    let mut wanderer = new_account("wanderer", Vec::new());
    wanderer.organisation = Placement::Join {
        org: second.id,
        member: as_role(Role::User),
        max_members: None,
        by: None,
    };
    let wanderer = store.create_account(&wanderer).expect("create");
    join(store, &first, &wanderer, Role::User);
    let home = |a: &Account| {
        store
            .home_membership(a.id)
            .expect("home")
            .map(|(o, _)| o.id)
    };
    assert_eq!(home(&wanderer), Some(second.id));
    store
        .remove_members(second.id, &[(wanderer.id, Role::User)], None)
        .expect("leave the first organisation");
    assert_eq!(home(&wanderer), Some(first.id), "the next one governs now");
    store
        .remove_members(first.id, &[(wanderer.id, Role::User)], None)
        .expect("leave the last organisation");
    assert_eq!(home(&wanderer), None);
    assert_eq!(
        store.home_membership(999_999).expect("unknown account"),
        None
    );
}

/// update_member changes only what it is given, checks the expected role, and never takes the
/// last legal owner's role.
pub(crate) fn update_member_is_partial_and_guarded(store: &dyn Store) {
    let owner = account(store, "owner");
    let org = org_owned_by(store, "acme", &owner);
    let user = account(store, "user");
    join(store, &org, &user, Role::User);

    let updated = store
        .update_member(
            org.id,
            user.id,
            Role::User,
            &MemberUpdate {
                calendar: Some(false),
                security: Some(true),
                ..MemberUpdate::default()
            },
            None,
        )
        .expect("update access");
    assert_eq!(updated.role, Role::User);
    assert_eq!(
        updated.access,
        ProductAccess {
            calendar: false,
            contacts: true
        }
    );
    assert_eq!(
        updated.notices,
        Notices {
            billing: false,
            technical: false,
            security: true
        }
    );
    let promoted = set_role(store, org.id, user.id, Role::User, Role::Admin).expect("promote");
    assert_eq!(promoted.role, Role::Admin);
    assert!(!promoted.access.calendar, "the role change kept the access");

    match set_role(store, org.id, user.id, Role::User, Role::LegalOwner) {
        Err(StoreError::PreconditionFailed) => {}
        other => panic!("stale expected role: {other:?}"),
    }
    let demote_owner = MemberUpdate {
        role: Some(Role::Admin),
        ..MemberUpdate::default()
    };
    match store.update_member(org.id, owner.id, Role::LegalOwner, &demote_owner, None) {
        Err(StoreError::LastLegalOwner(name)) => assert_eq!(name, "acme"),
        other => panic!("demoting the last legal owner: {other:?}"),
    }
    assert_eq!(
        roles(store, &org),
        role_list(&[("owner", Role::LegalOwner), ("user", Role::Admin)]),
        "the refused change left everything as it was"
    );
    set_role(store, org.id, user.id, Role::Admin, Role::LegalOwner)
        .expect("name a second legal owner");
    store
        .update_member(org.id, owner.id, Role::LegalOwner, &demote_owner, None)
        .expect("now the first one may step down");
    match store.update_member(org.id, 999_999, Role::User, &MemberUpdate::default(), None) {
        Err(StoreError::NotFound(_)) => {}
        other => panic!("missing member: {other:?}"),
    }
}

/// Several members leave together or none does.
pub(crate) fn remove_members_is_all_or_nothing(store: &dyn Store) {
    let owner = account(store, "owner");
    let org = org_owned_by(store, "acme", &owner);
    let (a, b, c) = (
        account(store, "a"),
        account(store, "b"),
        account(store, "c"),
    );
    join(store, &org, &a, Role::User);
    join(store, &org, &b, Role::Admin);
    join(store, &org, &c, Role::User);
    let everyone = role_list(&[
        ("a", Role::User),
        ("b", Role::Admin),
        ("c", Role::User),
        ("owner", Role::LegalOwner),
    ]);

    match store.remove_members(
        org.id,
        &[(a.id, Role::User), (owner.id, Role::LegalOwner)],
        None,
    ) {
        Err(StoreError::LastLegalOwner(_)) => {}
        other => panic!("removing the last legal owner: {other:?}"),
    }
    match store.remove_members(org.id, &[(a.id, Role::User), (999_999, Role::User)], None) {
        Err(StoreError::NotFound(_)) => {}
        other => panic!("removing a non-member: {other:?}"),
    }
    match store.remove_members(org.id, &[(a.id, Role::User), (b.id, Role::User)], None) {
        Err(StoreError::PreconditionFailed) => {}
        other => panic!("stale role: {other:?}"),
    }
    assert_eq!(
        roles(store, &org),
        everyone,
        "refused removals removed nobody"
    );

    store
        .remove_members(org.id, &[(a.id, Role::User), (b.id, Role::Admin)], None)
        .expect("remove two at once");
    assert_eq!(
        roles(store, &org),
        role_list(&[("c", Role::User), ("owner", Role::LegalOwner)])
    );
    match store.remove_members(999_999, &[(c.id, Role::User)], None) {
        Err(StoreError::NotFound(_)) => {}
        other => panic!("missing organisation: {other:?}"),
    }
}

/// set_plan applies only over the plan it was decided on and within a member limit.
pub(crate) fn plan_change_compares_and_limits_members(store: &dyn Store) {
    let owner = account(store, "owner");
    let org = org_owned_by(store, "acme", &owner);
    let changed = store
        .set_plan(org.id, "pro", "enterprise", None, None)
        .expect("change");
    assert_eq!(changed.plan, "enterprise");
    match store.set_plan(org.id, "pro", "max", None, None) {
        Err(StoreError::PreconditionFailed) => {}
        other => panic!("stale plan: {other:?}"),
    }
    let second = account(store, "second");
    join(store, &org, &second, Role::User);
    match store.set_plan(org.id, "enterprise", "solo", Some(1), None) {
        Err(StoreError::MemberLimit(1)) => {}
        other => panic!("too many members for the plan: {other:?}"),
    }
    assert_eq!(
        store.org(org.id).expect("load").expect("org").plan,
        "enterprise"
    );
    match store.add_member(org.id, owner.id, &as_role(Role::User), None) {
        Err(StoreError::AlreadyExists(_)) => {}
        other => panic!("joining twice: {other:?}"),
    }
    let third = account(store, "third");
    match store.add_member(org.id, third.id, &as_role(Role::User), Some(2)) {
        Err(StoreError::MemberLimit(2)) => {}
        other => panic!("member limit: {other:?}"),
    }
    assert!(store.member(org.id, third.id).expect("member").is_none());
    match store.set_plan(999_999, "a", "b", None, None) {
        Err(StoreError::NotFound(_)) => {}
        other => panic!("missing organisation: {other:?}"),
    }
}

/// Legal contact details are replaced as a whole.
pub(crate) fn legal_contact_round_trips(store: &dyn Store) {
    let owner = account(store, "owner");
    let org = org_owned_by(store, "acme", &owner);
    let contact = LegalContact {
        address: Some("Rue Eugène-Marziano 25, 1227 Genève".into()),
        phone: Some("+41 22 820 35 44".into()),
        email: None,
        country: Some("CH".into()),
    };
    let updated = store
        .set_legal_contact(org.id, &contact, None)
        .expect("set");
    assert_eq!(updated.contact, contact);
    assert_eq!(
        store.org(org.id).expect("load").expect("org").contact,
        contact
    );
    let cleared = store
        .set_legal_contact(org.id, &LegalContact::default(), None)
        .expect("clear");
    assert_eq!(cleared.contact, LegalContact::default());
    match store.set_legal_contact(999_999, &contact, None) {
        Err(StoreError::NotFound(_)) => {}
        other => panic!("missing organisation: {other:?}"),
    }
}

/// Teams hold members of their own organisation only, and lose them when they leave it.
pub(crate) fn teams_hold_only_members_of_their_organisation(store: &dyn Store) {
    let owner = account(store, "owner");
    let org = org_owned_by(store, "acme", &owner);
    let other = org_owned_by(store, "other", &owner);
    let (a, b, outsider) = (
        account(store, "a"),
        account(store, "b"),
        account(store, "out"),
    );
    join(store, &org, &a, Role::User);
    join(store, &org, &b, Role::User);
    join(store, &other, &outsider, Role::User);

    let sales = store.create_team(org.id, "sales", None).expect("create");
    assert_eq!(sales.name, "sales");
    assert!(sales.members.is_empty());
    store.create_team(org.id, "dev", None).expect("create");
    store
        .create_team(other.id, "sales", None)
        .expect("same name elsewhere");
    match store.create_team(org.id, "sales", None) {
        Err(StoreError::AlreadyExists(_)) => {}
        other => panic!("duplicate team: {other:?}"),
    }
    store
        .add_team_member(org.id, "sales", b.id, None)
        .expect("add b");
    let team = store
        .add_team_member(org.id, "sales", a.id, None)
        .expect("add a");
    assert_eq!(team.members, strings(&["a", "b"]));
    match store.add_team_member(org.id, "sales", a.id, None) {
        Err(StoreError::AlreadyExists(_)) => {}
        other => panic!("added twice: {other:?}"),
    }
    match store.add_team_member(org.id, "sales", outsider.id, None) {
        Err(StoreError::NotFound(_)) => {}
        other => panic!("member of another organisation: {other:?}"),
    }
    match store.add_team_member(org.id, "nope", a.id, None) {
        Err(StoreError::NotFound(_)) => {}
        other => panic!("missing team: {other:?}"),
    }
    let names: Vec<String> = store
        .teams(org.id)
        .expect("teams")
        .into_iter()
        .map(|t| t.name)
        .collect();
    assert_eq!(names, strings(&["dev", "sales"]));

    let team = store
        .remove_team_member(org.id, "sales", b.id, None)
        .expect("remove b");
    assert_eq!(team.members, strings(&["a"]));
    match store.remove_team_member(org.id, "sales", b.id, None) {
        Err(StoreError::NotFound(_)) => {}
        other => panic!("removed twice: {other:?}"),
    }
    store
        .remove_members(org.id, &[(a.id, Role::User)], None)
        .expect("a leaves");
    let sales = store
        .teams(org.id)
        .expect("teams")
        .into_iter()
        .find(|t| t.name == "sales")
        .expect("sales");
    assert!(
        sales.members.is_empty(),
        "leaving the organisation left the team"
    );

    store.delete_team(org.id, "sales", None).expect("delete");
    match store.delete_team(org.id, "sales", None) {
        Err(StoreError::NotFound(_)) => {}
        other => panic!("deleted twice: {other:?}"),
    }
    assert_eq!(
        store.teams(other.id).expect("teams").len(),
        1,
        "other's team stays"
    );
}

/// The directory change log moves on joins, role changes and departures, not on access or
/// notice changes.
pub(crate) fn directory_changes_follow_joins_roles_and_departures(store: &dyn Store) {
    let owner = account(store, "owner");
    let org = org_owned_by(store, "acme", &owner);
    let a = account(store, "a");
    let a_entry = join(store, &org, &a, Role::User).entry;
    let all = store.directory_changes(org.id, 0).expect("initial");
    let logins = |m: &[Member]| m.iter().map(|m| m.login.clone()).collect::<Vec<_>>();
    assert_eq!(logins(&all.present), strings(&["a", "owner"]));
    assert!(all.removed.is_empty());
    let start = all.revision;
    assert_eq!(
        start,
        store
            .org(org.id)
            .expect("load")
            .expect("org")
            .directory_revision
    );

    let nothing = store.directory_changes(org.id, start).expect("no change");
    assert!(nothing.present.is_empty() && nothing.removed.is_empty());
    assert_eq!(nothing.revision, start);

    store
        .update_member(
            org.id,
            a.id,
            Role::User,
            &MemberUpdate {
                contacts: Some(false),
                billing: Some(true),
                ..MemberUpdate::default()
            },
            None,
        )
        .expect("access change");
    assert_eq!(
        store
            .directory_changes(org.id, start)
            .expect("changes")
            .revision,
        start,
        "access and notices are not in the directory"
    );
    set_role(store, org.id, a.id, Role::User, Role::Admin).expect("role change");
    let b = account(store, "b");
    join(store, &org, &b, Role::User);
    let changes = store.directory_changes(org.id, start).expect("changes");
    assert_eq!(logins(&changes.present), strings(&["a", "b"]));
    assert_eq!(changes.present[0].role, Role::Admin);
    assert!(changes.revision > start);
    let mid = changes.revision;

    store
        .remove_members(org.id, &[(a.id, Role::Admin)], None)
        .expect("a leaves");
    let changes = store.directory_changes(org.id, mid).expect("changes");
    assert!(changes.present.is_empty());
    assert_eq!(changes.removed, vec![a_entry]);
    let since_start = store.directory_changes(org.id, start).expect("changes");
    assert_eq!(logins(&since_start.present), strings(&["b"]));
    assert_eq!(since_start.removed, vec![a_entry]);

    // a comes back: a new entry, so the departure and the return are two cards.
    let back = join(store, &org, &a, Role::User);
    assert!(back.entry > a_entry);
    let changes = store.directory_changes(org.id, mid).expect("changes");
    assert_eq!(logins(&changes.present), strings(&["a"]));
    assert_eq!(changes.present[0].entry, back.entry);
    assert_eq!(changes.removed, vec![a_entry]);

    for bad in [-1, changes.revision + 1] {
        match store.directory_changes(org.id, bad) {
            Err(StoreError::InvalidSyncToken) => {}
            other => panic!("revision {bad}: {other:?}"),
        }
    }
    match store.directory_changes(999_999, 0) {
        Err(StoreError::NotFound(_)) => {}
        other => panic!("missing organisation: {other:?}"),
    }
}

/// A membership's entry is never given to another, even when the next account takes the id of
/// a removed one: the departure stays reported and the newcomer gets a card of its own.
pub(crate) fn directory_entries_are_never_reused(store: &dyn Store) {
    let owner = account(store, "owner");
    let org = org_owned_by(store, "acme", &owner);
    let hank = account(store, "hank");
    let hank_entry = join(store, &org, &hank, Role::User).entry;
    let before = store
        .directory_changes(org.id, 0)
        .expect("initial")
        .revision;
    store.remove_account("hank").expect("remove hank");
    let ivy = account(store, "ivy");
    let ivy_entry = join(store, &org, &ivy, Role::User).entry;
    assert_ne!(ivy_entry, hank_entry);
    assert!(
        store
            .member_by_entry(org.id, hank_entry)
            .expect("lookup")
            .is_none()
    );
    assert_eq!(
        store
            .member_by_entry(org.id, ivy_entry)
            .expect("lookup")
            .map(|m| m.login),
        Some("ivy".to_owned())
    );
    let changes = store.directory_changes(org.id, before).expect("changes");
    assert_eq!(changes.removed, vec![hank_entry]);
    assert_eq!(changes.present.len(), 1);
    assert_eq!(changes.present[0].entry, ivy_entry);
}

/// Removing an account drops the organisations it alone belonged to, is refused while it is
/// the last legal owner of one with other members, and shows as a departure elsewhere.
pub(crate) fn remove_account_keeps_a_legal_owner_in_shared_organisations(store: &dyn Store) {
    let owner = account(store, "owner");
    let solo = store
        .home_membership(owner.id)
        .expect("home")
        .expect("own")
        .0;
    let shared = org_owned_by(store, "shared", &owner);
    let owner_entry = store
        .member(shared.id, owner.id)
        .expect("lookup")
        .expect("owner")
        .entry;
    let member = account(store, "member");
    join(store, &shared, &member, Role::User);

    match store.remove_account("owner") {
        Err(StoreError::LastLegalOwner(name)) => assert_eq!(name, "shared"),
        other => panic!("removing the last legal owner: {other:?}"),
    }
    assert!(store.account_by_login("owner").expect("lookup").is_some());
    assert!(
        store.org(solo.id).expect("load").is_some(),
        "nothing was removed"
    );

    set_role(store, shared.id, member.id, Role::User, Role::LegalOwner)
        .expect("name another legal owner");
    let before = store
        .org(shared.id)
        .expect("load")
        .expect("org")
        .directory_revision;
    store.remove_account("owner").expect("remove");
    assert!(
        store.org(solo.id).expect("load").is_none(),
        "its own organisation went"
    );
    assert_eq!(
        roles(store, &shared),
        role_list(&[("member", Role::LegalOwner)])
    );
    let changes = store.directory_changes(shared.id, before).expect("changes");
    assert_eq!(changes.removed, vec![owner_entry]);
}

/// A collection limit counts the owner's collections of one kind only.
pub(crate) fn collection_limit_counts_one_kind(store: &dyn Store) {
    let owner = account(store, "owner");
    let limited = |kind, name: &str| {
        let mut new = new_collection(kind, name, 0);
        new.limit = Some(1);
        new
    };
    store
        .create_collection(owner.id, &limited(CollectionKind::Calendar, "one"))
        .expect("first calendar");
    store
        .create_collection(owner.id, &limited(CollectionKind::AddressBook, "book"))
        .expect("first address book");
    match store.create_collection(owner.id, &limited(CollectionKind::Calendar, "two")) {
        Err(StoreError::CollectionLimit(1)) => {}
        other => panic!("second calendar: {other:?}"),
    }
    assert_eq!(
        store
            .list_collections(owner.id, CollectionKind::Calendar)
            .expect("list")
            .len(),
        1
    );
    store
        .create_collection(
            owner.id,
            &new_collection(CollectionKind::Calendar, "unlimited", 0),
        )
        .expect("no limit given");
}

/// Writes decided on a member's role apply only while the member still has it: a stale
/// authority (the role changed, or the member left) is PreconditionFailed and changes nothing.
pub(crate) fn writes_need_the_authority_they_were_decided_on(store: &dyn Store) {
    let owner = account(store, "boss");
    let org = org_owned_by(store, "firm", &owner);
    let admin = account(store, "adam");
    let user = account(store, "ursula");
    join(store, &org, &admin, Role::Admin);
    join(store, &org, &user, Role::User);
    store
        .create_team(org.id, "kept", None)
        .expect("create team");
    store
        .add_team_member(org.id, "kept", user.id, None)
        .expect("staff team");
    set_role(store, org.id, admin.id, Role::Admin, Role::User).expect("demote");
    let stale = Some(Authority {
        account: admin.id,
        role: Role::Admin,
    });
    let before = (
        roles(store, &org),
        store.org(org.id).expect("org"),
        store.teams(org.id).expect("teams"),
    );
    let promote = MemberUpdate {
        role: Some(Role::Admin),
        ..MemberUpdate::default()
    };
    let contact = LegalContact {
        country: Some("CH".into()),
        ..LegalContact::default()
    };
    let mut hire = new_account("hired", Vec::new());
    hire.organisation = Placement::Join {
        org: org.id,
        member: as_role(Role::User),
        max_members: None,
        by: stale,
    };
    let refused: Vec<(&str, StoreResult<()>)> = vec![
        (
            "update_member",
            store
                .update_member(org.id, user.id, Role::User, &promote, stale)
                .map(drop),
        ),
        (
            "remove_members",
            store.remove_members(org.id, &[(user.id, Role::User)], stale),
        ),
        (
            "set_plan",
            store.set_plan(org.id, "pro", "max", None, stale).map(drop),
        ),
        (
            "set_legal_contact",
            store.set_legal_contact(org.id, &contact, stale).map(drop),
        ),
        (
            "create_team",
            store.create_team(org.id, "new", stale).map(drop),
        ),
        ("delete_team", store.delete_team(org.id, "kept", stale)),
        (
            "add_team_member",
            store
                .add_team_member(org.id, "kept", admin.id, stale)
                .map(drop),
        ),
        (
            "remove_team_member",
            store
                .remove_team_member(org.id, "kept", user.id, stale)
                .map(drop),
        ),
        ("create_account", store.create_account(&hire).map(drop)),
    ];
    for (what, result) in refused {
        assert!(
            matches!(result, Err(StoreError::PreconditionFailed)),
            "{what}: {result:?}"
        );
    }
    assert!(store.account_by_login("hired").expect("lookup").is_none());
    let after = (
        roles(store, &org),
        store.org(org.id).expect("org"),
        store.teams(org.id).expect("teams"),
    );
    assert_eq!(after, before, "nothing changed");
    // The authority the member has now is current (the store does not judge roles), and one
    // who left has none.
    let current = Some(Authority {
        account: admin.id,
        role: Role::User,
    });
    store
        .set_legal_contact(org.id, &contact, current)
        .expect("current authority");
    store
        .remove_members(org.id, &[(admin.id, Role::User)], None)
        .expect("leave");
    assert!(matches!(
        store.set_legal_contact(org.id, &LegalContact::default(), current),
        Err(StoreError::PreconditionFailed)
    ));
}

/// An invitation offers a membership without making one: the invitee joins with its terms only
/// by accepting; declining, a withdrawal, a join by other means or the invitee's removal ends
/// it; it holds the member limit and the inviter's authority like a join.
pub(crate) fn invitations_wait_for_consent(store: &dyn Store) {
    let owner = account(store, "owner");
    let org = org_owned_by(store, "acme", &owner);
    let by = Some(Authority {
        account: owner.id,
        role: Role::LegalOwner,
    });
    let xena = account(store, "xena");
    let offer = NewMember {
        role: Role::Admin,
        access: ProductAccess {
            calendar: true,
            contacts: false,
        },
        notices: Notices {
            technical: true,
            ..Notices::default()
        },
    };
    let invitation = store
        .invite(org.id, xena.id, &offer, None, by)
        .expect("invite");
    assert_eq!(
        (
            invitation.org,
            invitation.org_name.as_str(),
            invitation.login.as_str()
        ),
        (org.id, "acme", "xena")
    );
    assert_eq!(invitation.member, offer);
    assert_eq!(invitation.invited_by.as_deref(), Some("owner"));
    assert_eq!(
        roles(store, &org),
        role_list(&[("owner", Role::LegalOwner)])
    );
    assert_eq!(
        store.invitations_of(xena.id).expect("of"),
        vec![invitation.clone()]
    );
    assert_eq!(
        store.invitations_to(org.id).expect("to"),
        vec![invitation.clone()]
    );
    assert!(matches!(
        store.invite(org.id, xena.id, &offer, None, by),
        Err(StoreError::AlreadyExists(_))
    ));
    assert!(matches!(
        store.invite(org.id, owner.id, &offer, None, by),
        Err(StoreError::PreconditionFailed)
    ));

    let joined = store
        .accept_invitation(org.id, xena.id, None)
        .expect("accept");
    assert_eq!(
        (joined.role, joined.access, joined.notices),
        (offer.role, offer.access, offer.notices)
    );
    assert!(store.invitation(org.id, xena.id).expect("lookup").is_none());
    assert!(matches!(
        store.accept_invitation(org.id, xena.id, None),
        Err(StoreError::NotFound(_))
    ));

    // Declined, or withdrawn on a current authority (a stale one is refused).
    let yann = account(store, "yann");
    store
        .invite(org.id, yann.id, &as_role(Role::User), None, by)
        .expect("invite");
    let stale = Some(Authority {
        account: xena.id,
        role: Role::LegalOwner,
    });
    assert!(matches!(
        store.delete_invitation(org.id, yann.id, stale),
        Err(StoreError::PreconditionFailed)
    ));
    store
        .delete_invitation(org.id, yann.id, None)
        .expect("decline");
    assert!(matches!(
        store.delete_invitation(org.id, yann.id, None),
        Err(StoreError::NotFound(_))
    ));
    assert!(store.invitations_of(yann.id).expect("of").is_empty());

    // A join by other means spends it; so does the invitee's removal.
    store
        .invite(org.id, yann.id, &as_role(Role::Admin), None, by)
        .expect("invite");
    let added = join(store, &org, &yann, Role::User);
    assert_eq!(
        added.role,
        Role::User,
        "the operator's terms, not the offer's"
    );
    assert!(store.invitation(org.id, yann.id).expect("lookup").is_none());
    let zoe = account(store, "zoe");
    store
        .invite(org.id, zoe.id, &as_role(Role::User), None, by)
        .expect("invite");
    store.remove_account("zoe").expect("remove");
    assert!(store.invitations_to(org.id).expect("to").is_empty());

    // The member limit holds when inviting and again when accepting.
    let full = 4;
    let walt = account(store, "walt");
    assert!(matches!(
        store.invite(org.id, walt.id, &as_role(Role::User), Some(3), by),
        Err(StoreError::MemberLimit(3))
    ));
    store
        .invite(org.id, walt.id, &as_role(Role::User), Some(full), by)
        .expect("room for one more");
    let vic = account(store, "vic");
    join(store, &org, &vic, Role::User);
    assert!(matches!(
        store.accept_invitation(org.id, walt.id, Some(full)),
        Err(StoreError::MemberLimit(4))
    ));
    assert!(
        store.invitation(org.id, walt.id).expect("lookup").is_some(),
        "a refused acceptance keeps the invitation"
    );
}
