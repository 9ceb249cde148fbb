//! Contract tests of [`crate::store::ShareStore`]: shares with accounts and teams that follow
//! memberships, sharees' own views, and public links with their monthly allowance. A backend
//! runs them with [`share_contract_tests!`].

use super::{account, calendar, new_account, strings};
use crate::store::{
    Account, Collection, CollectionKind, Grantee, LinkFilter, LinkLimit, LiveProp, MemberUpdate,
    NewLink, NewMember, NewOrg, NewShare, Notices, Org, ProductAccess, PropChange, Role,
    ShareAccess, ShareFilter, ShareRoute, Sharee, Store, StoreError,
};

/// Generates one `#[test]` per share contract function for a backend (`$fresh` as in
/// `store_contract_tests!`).
macro_rules! share_contract_tests {
    ($fresh:path) => {
        $crate::store::contract::share::share_contract_tests!(@each $fresh;
            shares_reach_accounts_and_teams_of_the_organisation,
            team_shares_follow_team_membership,
            leaving_the_organisation_ends_a_share,
            sharing_again_changes_access_and_keeps_a_decline,
            removing_a_share_removes_the_last_route_only,
            several_changes_apply_in_one_transaction,
            co_members_are_found_by_email,
            sharee_views_are_private_and_all_or_nothing,
            hidden_collections_stay_shared,
            shares_listed_by_filter,
            links_round_trip_and_revoke,
            link_allowance_counts_an_organisation_per_period,
            routes_name_their_organisation_and_the_sharees_switches_there,
        );
    };
    (@each $fresh:path; $($name:ident),* $(,)?) => {
        $(
            #[test]
            fn $name() {
                let (_keep, store) = $fresh();
                $crate::store::contract::share::$name(&store);
            }
        )*
    };
}
pub(crate) use share_contract_tests;

/// An organisation "acme" with `owner` as legal owner and `members` as users.
fn acme(store: &dyn Store, owner: &Account, members: &[&Account]) -> Org {
    let org = store
        .create_org(
            &NewOrg {
                name: "acme".into(),
                plan: "pro".into(),
                contact: Default::default(),
            },
            owner.id,
            &NewMember {
                role: Role::LegalOwner,
                access: ProductAccess::ALL,
                notices: Notices::ALL,
            },
        )
        .expect("create acme");
    for m in members {
        store
            .add_member(
                org.id,
                m.id,
                &NewMember {
                    role: Role::User,
                    access: ProductAccess::ALL,
                    notices: Notices::default(),
                },
                None,
            )
            .expect("join acme");
    }
    org
}

/// The creation time of the shares and links the tests make.
const CREATED: i64 = 1_700_000_000;

fn share(
    store: &dyn Store,
    coll: &Collection,
    org: &Org,
    grantee: Grantee,
    access: ShareAccess,
) -> bool {
    store
        .put_share(&NewShare {
            collection: coll.id,
            org: org.id,
            grantee,
            access,
            created: CREATED,
        })
        .expect("put share")
        .1
}

/// The ids of the calendars shared with `who`, with their access.
fn shared_ids(store: &dyn Store, who: &Account) -> Vec<(i64, ShareAccess)> {
    store
        .shared_with(who.id, CollectionKind::Calendar)
        .expect("shared with")
        .into_iter()
        .map(|s| (s.collection.id, s.access))
        .collect()
}

/// Shares with an account or a team of the share's organisation reach them; nobody else, and
/// not a sharee outside the organisation; the strongest route wins.
pub(crate) fn shares_reach_accounts_and_teams_of_the_organisation(store: &dyn Store) {
    let owner = account(store, "owner");
    let (ann, bob, out) = (
        account(store, "ann"),
        account(store, "bob"),
        account(store, "out"),
    );
    let org = acme(store, &owner, &[&ann, &bob]);
    let cal = calendar(store, owner.id, "work");
    let team = store.create_team(org.id, "crew", None).expect("team");
    store
        .add_team_member(org.id, "crew", bob.id, None)
        .expect("bob in crew");
    store
        .add_team_member(org.id, "crew", owner.id, None)
        .expect("owner in crew");

    assert!(share(
        store,
        &cal,
        &org,
        Grantee::Account(ann.id),
        ShareAccess::Read
    ));
    assert!(share(
        store,
        &cal,
        &org,
        Grantee::Team(team.id),
        ShareAccess::ReadWrite
    ));
    assert_eq!(shared_ids(store, &ann), vec![(cal.id, ShareAccess::Read)]);
    assert_eq!(
        shared_ids(store, &bob),
        vec![(cal.id, ShareAccess::ReadWrite)]
    );
    assert!(
        shared_ids(store, &owner).is_empty(),
        "never to its own owner"
    );
    assert!(shared_ids(store, &out).is_empty());
    assert!(
        store
            .shared_with(bob.id, CollectionKind::AddressBook)
            .expect("address books")
            .is_empty()
    );
    // The strongest of two routes.
    share(
        store,
        &cal,
        &org,
        Grantee::Account(bob.id),
        ShareAccess::Read,
    );
    assert_eq!(
        shared_ids(store, &bob),
        vec![(cal.id, ShareAccess::ReadWrite)]
    );

    let one = store
        .shared_collection(ann.id, cal.id)
        .expect("shared collection")
        .expect("shared with ann");
    assert_eq!(one.owner.login, "owner");
    assert_eq!(one.collection.name, "work");
    assert!(!one.view.hidden);
    assert!(
        store
            .shared_collection(out.id, cal.id)
            .expect("read")
            .is_none()
    );
    let routes: Vec<(String, ShareAccess)> = [&ann, &bob]
        .into_iter()
        .filter_map(|a| {
            let shared = store.shared_collection(a.id, cal.id).expect("read")?;
            Some((a.login.clone(), shared.access))
        })
        .collect();
    assert_eq!(
        routes,
        vec![
            ("ann".into(), ShareAccess::Read),
            ("bob".into(), ShareAccess::ReadWrite)
        ]
    );

    match store.put_share(&NewShare {
        collection: cal.id,
        org: org.id,
        grantee: Grantee::Account(out.id),
        access: ShareAccess::Read,
        created: CREATED,
    }) {
        Err(StoreError::NotFound(_)) => {}
        other => panic!("sharee outside the organisation: {other:?}"),
    }
    match store.put_share(&NewShare {
        collection: 9_999,
        org: org.id,
        grantee: Grantee::Account(ann.id),
        access: ShareAccess::Read,
        created: CREATED,
    }) {
        Err(StoreError::NotFound(_)) => {}
        other => panic!("missing collection: {other:?}"),
    }
}

/// A team share reaches who is in the team now: members who join get it, those who leave lose
/// it; deleting the team ends the share.
pub(crate) fn team_shares_follow_team_membership(store: &dyn Store) {
    let owner = account(store, "owner");
    let (ann, bob) = (account(store, "ann"), account(store, "bob"));
    let org = acme(store, &owner, &[&ann, &bob]);
    let cal = calendar(store, owner.id, "work");
    let team = store.create_team(org.id, "crew", None).expect("team");
    store
        .add_team_member(org.id, "crew", ann.id, None)
        .expect("ann");
    share(store, &cal, &org, Grantee::Team(team.id), ShareAccess::Read);
    assert_eq!(shared_ids(store, &ann).len(), 1);
    assert!(shared_ids(store, &bob).is_empty());

    store
        .add_team_member(org.id, "crew", bob.id, None)
        .expect("bob joins");
    assert_eq!(shared_ids(store, &bob).len(), 1, "joined later, gets it");
    store
        .remove_team_member(org.id, "crew", ann.id, None)
        .expect("ann leaves");
    assert!(shared_ids(store, &ann).is_empty(), "left, loses it");
    store
        .delete_team(org.id, "crew", None)
        .expect("delete team");
    assert!(shared_ids(store, &bob).is_empty());
    assert!(
        store
            .shares(ShareFilter::Collection(cal.id))
            .expect("shares")
            .is_empty()
    );
}

/// A sharee leaving the organisation ends its share; an owner leaving it ends every share
/// made there, for good: they do not come back when it returns.
pub(crate) fn leaving_the_organisation_ends_a_share(store: &dyn Store) {
    let owner = account(store, "owner");
    let (ann, bob) = (account(store, "ann"), account(store, "bob"));
    let org = acme(store, &owner, &[&ann, &bob]);
    let cal = calendar(store, owner.id, "work");
    share(
        store,
        &cal,
        &org,
        Grantee::Account(ann.id),
        ShareAccess::Read,
    );
    share(
        store,
        &cal,
        &org,
        Grantee::Account(bob.id),
        ShareAccess::Read,
    );
    store
        .remove_members(org.id, &[(ann.id, Role::User)], None)
        .expect("ann leaves");
    assert!(shared_ids(store, &ann).is_empty());
    assert_eq!(
        store
            .shares(ShareFilter::Collection(cal.id))
            .expect("shares")
            .len(),
        1,
        "ann's share went with her membership"
    );
    // The owner's account governs the calendar; a second legal owner lets it leave acme.
    store
        .update_member(
            org.id,
            bob.id,
            Role::User,
            &crate::store::MemberUpdate {
                role: Some(Role::LegalOwner),
                ..Default::default()
            },
            None,
        )
        .expect("bob legal owner");
    let team = store.create_team(org.id, "crew", None).expect("team");
    store
        .add_team_member(org.id, "crew", bob.id, None)
        .expect("bob");
    share(store, &cal, &org, Grantee::Team(team.id), ShareAccess::Read);
    store
        .update_share_view(
            bob.id,
            cal.id,
            &[PropChange::Live(LiveProp::DisplayName, Some("Mine".into()))],
        )
        .expect("bob's view");
    store
        .remove_members(org.id, &[(owner.id, Role::LegalOwner)], None)
        .expect("owner leaves");
    assert!(
        shared_ids(store, &bob).is_empty(),
        "owner no longer in acme"
    );
    assert!(
        store
            .shares(ShareFilter::Collection(cal.id))
            .expect("shares")
            .is_empty(),
        "the owner's shares in acme ended"
    );
    store
        .add_member(
            org.id,
            owner.id,
            &NewMember {
                role: Role::User,
                access: ProductAccess::ALL,
                notices: Notices::default(),
            },
            None,
        )
        .expect("owner back");
    assert!(shared_ids(store, &bob).is_empty(), "nothing comes back");
    share(
        store,
        &cal,
        &org,
        Grantee::Account(bob.id),
        ShareAccess::Read,
    );
    let view = store
        .shared_collection(bob.id, cal.id)
        .expect("read")
        .expect("shared anew");
    assert_eq!(view.view.display_name, None, "a fresh view");
}

/// Sharing again with the same grantee changes the access (no second share) and leaves a
/// sharee's decline alone; a new share after an unshare shows the collection again.
pub(crate) fn sharing_again_changes_access_and_keeps_a_decline(store: &dyn Store) {
    let owner = account(store, "owner");
    let ann = account(store, "ann");
    let org = acme(store, &owner, &[&ann]);
    let cal = calendar(store, owner.id, "work");
    assert!(share(
        store,
        &cal,
        &org,
        Grantee::Account(ann.id),
        ShareAccess::Read
    ));
    store.set_share_hidden(ann.id, cal.id, true).expect("hide");
    let shares = store
        .shares(ShareFilter::Collection(cal.id))
        .expect("shares");
    assert!(shares[0].declined);
    let (changed, created) = store
        .put_share(&NewShare {
            collection: cal.id,
            org: org.id,
            grantee: Grantee::Account(ann.id),
            access: ShareAccess::ReadWrite,
            created: CREATED + 60,
        })
        .expect("change");
    assert!(!created);
    assert_eq!(changed.created, CREATED, "a change keeps the creation time");
    let shares = store
        .shares(ShareFilter::Collection(cal.id))
        .expect("shares");
    assert_eq!(shares.len(), 1);
    assert_eq!(shares[0].access, ShareAccess::ReadWrite);
    assert!(shares[0].declined, "the owner's change keeps ann's decline");
    let s = store
        .shared_collection(ann.id, cal.id)
        .expect("read")
        .expect("shared");
    assert!(s.view.hidden);
    assert_eq!(s.access, ShareAccess::ReadWrite);
    store
        .remove_share(cal.id, Grantee::Account(ann.id))
        .expect("unshare");
    assert!(share(
        store,
        &cal,
        &org,
        Grantee::Account(ann.id),
        ShareAccess::Read
    ));
    let s = store
        .shared_collection(ann.id, cal.id)
        .expect("read")
        .expect("shared anew");
    assert!(!s.view.hidden, "a new share is shown");
}

/// Removing a share removes it (NotFound the second time) and the view of whoever it was the
/// last route for; another route keeps the collection and the view.
pub(crate) fn removing_a_share_removes_the_last_route_only(store: &dyn Store) {
    let owner = account(store, "owner");
    let (ann, bob) = (account(store, "ann"), account(store, "bob"));
    let org = acme(store, &owner, &[&ann, &bob]);
    let cal = calendar(store, owner.id, "work");
    let team = store.create_team(org.id, "crew", None).expect("team");
    store
        .add_team_member(org.id, "crew", bob.id, None)
        .expect("bob");
    share(
        store,
        &cal,
        &org,
        Grantee::Account(ann.id),
        ShareAccess::Read,
    );
    share(
        store,
        &cal,
        &org,
        Grantee::Account(bob.id),
        ShareAccess::Read,
    );
    share(store, &cal, &org, Grantee::Team(team.id), ShareAccess::Read);
    let rename = [PropChange::Live(LiveProp::DisplayName, Some("Mine".into()))];
    store
        .update_share_view(ann.id, cal.id, &rename)
        .expect("ann view");
    store
        .update_share_view(bob.id, cal.id, &rename)
        .expect("bob view");

    store
        .remove_share(cal.id, Grantee::Account(ann.id))
        .expect("unshare ann");
    store
        .remove_share(cal.id, Grantee::Account(bob.id))
        .expect("unshare bob");
    assert!(shared_ids(store, &ann).is_empty());
    let bob_view = store
        .shared_collection(bob.id, cal.id)
        .expect("read")
        .expect("still through crew");
    assert_eq!(bob_view.view.display_name.as_deref(), Some("Mine"));
    match store.remove_share(cal.id, Grantee::Account(ann.id)) {
        Err(StoreError::NotFound(_)) => {}
        other => panic!("removed twice: {other:?}"),
    }
    // Shared with ann again: a fresh view.
    share(
        store,
        &cal,
        &org,
        Grantee::Account(ann.id),
        ShareAccess::Read,
    );
    let ann_view = store
        .shared_collection(ann.id, cal.id)
        .expect("read")
        .expect("shared again");
    assert_eq!(ann_view.view.display_name, None);
}

/// Several changes of one collection's shares apply together, removals first, or not at all.
pub(crate) fn several_changes_apply_in_one_transaction(store: &dyn Store) {
    let owner = account(store, "owner");
    let (ann, bob, out) = (
        account(store, "ann"),
        account(store, "bob"),
        account(store, "out"),
    );
    let org = acme(store, &owner, &[&ann, &bob]);
    let cal = calendar(store, owner.id, "work");
    let team = store.create_team(org.id, "crew", None).expect("team");
    share(
        store,
        &cal,
        &org,
        Grantee::Account(ann.id),
        ShareAccess::Read,
    );
    let put = |grantee, access| NewShare {
        collection: cal.id,
        org: org.id,
        grantee,
        access,
        created: CREATED,
    };
    store
        .apply_shares(
            cal.id,
            &[Grantee::Account(ann.id), Grantee::Account(out.id)],
            &[
                put(Grantee::Account(bob.id), ShareAccess::ReadWrite),
                put(Grantee::Team(team.id), ShareAccess::Read),
            ],
        )
        .expect("apply");
    assert!(shared_ids(store, &ann).is_empty());
    assert_eq!(
        shared_ids(store, &bob),
        vec![(cal.id, ShareAccess::ReadWrite)]
    );
    assert_eq!(
        store
            .shares(ShareFilter::Collection(cal.id))
            .expect("shares")
            .len(),
        2
    );
    // One impossible share (out is not in acme) and nothing changes.
    let refused = store.apply_shares(
        cal.id,
        &[Grantee::Account(bob.id)],
        &[
            put(Grantee::Account(ann.id), ShareAccess::Read),
            put(Grantee::Account(out.id), ShareAccess::Read),
        ],
    );
    assert!(
        matches!(refused, Err(StoreError::NotFound(_))),
        "{refused:?}"
    );
    assert!(shared_ids(store, &ann).is_empty());
    assert_eq!(
        shared_ids(store, &bob),
        vec![(cal.id, ShareAccess::ReadWrite)]
    );
}

/// Accounts are found by e-mail address, without ASCII case, among the members of the
/// organisations of the one asking only.
pub(crate) fn co_members_are_found_by_email(store: &dyn Store) {
    let owner = account(store, "owner");
    let (ann, out) = (account(store, "ann"), account(store, "out"));
    acme(store, &owner, &[&ann]);
    let found = store
        .co_members_by_email(
            owner.id,
            &strings(&["ANN@example.org", "out@example.org", "none@example.org"]),
        )
        .expect("lookup");
    assert_eq!(found, vec![("ann@example.org".into(), "ann".into())]);
    assert_eq!(out.email.as_deref(), Some("out@example.org"));
    assert!(
        store
            .co_members_by_email(owner.id, &[])
            .expect("nothing")
            .is_empty()
    );
}

/// A sharee's view changes only its own view, all together; others and the collection keep
/// theirs; only a sharee has a view.
pub(crate) fn sharee_views_are_private_and_all_or_nothing(store: &dyn Store) {
    let owner = account(store, "owner");
    let (ann, bob, out) = (
        account(store, "ann"),
        account(store, "bob"),
        account(store, "out"),
    );
    let org = acme(store, &owner, &[&ann, &bob]);
    let cal = calendar(store, owner.id, "work");
    share(
        store,
        &cal,
        &org,
        Grantee::Account(ann.id),
        ShareAccess::Read,
    );
    share(
        store,
        &cal,
        &org,
        Grantee::Account(bob.id),
        ShareAccess::Read,
    );
    let view = store
        .update_share_view(
            ann.id,
            cal.id,
            &[
                PropChange::Live(LiveProp::DisplayName, Some("Team plans".into())),
                PropChange::Live(LiveProp::Color, Some("#FF0000".into())),
                PropChange::Live(LiveProp::Order, Some("3".into())),
                PropChange::Dead {
                    namespace: "urn:x".into(),
                    name: "y".into(),
                    value: Some("<y xmlns=\"urn:x\">1</y>".into()),
                },
            ],
        )
        .expect("update view");
    assert_eq!(view.display_name.as_deref(), Some("Team plans"));
    assert_eq!(view.color.as_deref(), Some("#FF0000"));
    assert_eq!(view.order.as_deref(), Some("3"));
    assert_eq!(view.dead.len(), 1);
    let bob_view = store
        .shared_collection(bob.id, cal.id)
        .expect("read")
        .expect("bob");
    assert_eq!(bob_view.view.display_name, None);
    let coll = store
        .collection(owner.id, CollectionKind::Calendar, "work")
        .expect("read")
        .expect("work");
    assert_eq!(coll.props.display_name, None);
    assert!(coll.dead.is_empty());

    // A live property of the owner's rolls back the whole change.
    let refused = store.update_share_view(
        ann.id,
        cal.id,
        &[
            PropChange::Live(LiveProp::DisplayName, Some("Changed".into())),
            PropChange::Live(LiveProp::Timezone, Some("x".into())),
        ],
    );
    assert!(refused.is_err());
    let ann_view = store
        .shared_collection(ann.id, cal.id)
        .expect("read")
        .expect("ann");
    assert_eq!(ann_view.view.display_name.as_deref(), Some("Team plans"));
    // Removing the dead property.
    let view = store
        .update_share_view(
            ann.id,
            cal.id,
            &[PropChange::Dead {
                namespace: "urn:x".into(),
                name: "y".into(),
                value: None,
            }],
        )
        .expect("remove dead");
    assert!(view.dead.is_empty());
    match store.update_share_view(out.id, cal.id, &[]) {
        Err(StoreError::NotFound(_)) => {}
        other => panic!("not a sharee: {other:?}"),
    }
}

/// A hidden collection is still shared (and listed, marked hidden) and can be shown again.
pub(crate) fn hidden_collections_stay_shared(store: &dyn Store) {
    let owner = account(store, "owner");
    let (ann, out) = (account(store, "ann"), account(store, "out"));
    let org = acme(store, &owner, &[&ann]);
    let cal = calendar(store, owner.id, "work");
    share(
        store,
        &cal,
        &org,
        Grantee::Account(ann.id),
        ShareAccess::Read,
    );
    store.set_share_hidden(ann.id, cal.id, true).expect("hide");
    let listed = store
        .shared_with(ann.id, CollectionKind::Calendar)
        .expect("shared with");
    assert_eq!(listed.len(), 1);
    assert!(listed[0].view.hidden);
    assert!(
        store.is_shared(cal.id).expect("shared"),
        "declined, still shared"
    );
    assert!(
        store
            .shares(ShareFilter::Collection(cal.id))
            .expect("shares")[0]
            .declined
    );
    store.set_share_hidden(ann.id, cal.id, false).expect("show");
    assert!(
        !store
            .shared_collection(ann.id, cal.id)
            .expect("read")
            .expect("ann")
            .view
            .hidden
    );
    match store.set_share_hidden(out.id, cal.id, true) {
        Err(StoreError::NotFound(_)) => {}
        other => panic!("not a sharee: {other:?}"),
    }
}

/// Shares are listed by id, collection, owner or all, with the names people use.
pub(crate) fn shares_listed_by_filter(store: &dyn Store) {
    let owner = account(store, "owner");
    let other = store
        .create_account(&new_account("zed", Vec::new()))
        .expect("zed");
    let ann = account(store, "ann");
    let org = acme(store, &owner, &[&ann, &other]);
    let work = calendar(store, owner.id, "work");
    let home = calendar(store, owner.id, "home");
    let zed_cal = calendar(store, other.id, "zcal");
    let team = store.create_team(org.id, "crew", None).expect("team");
    share(
        store,
        &work,
        &org,
        Grantee::Account(ann.id),
        ShareAccess::Read,
    );
    share(
        store,
        &home,
        &org,
        Grantee::Team(team.id),
        ShareAccess::ReadWrite,
    );
    share(
        store,
        &zed_cal,
        &org,
        Grantee::Account(ann.id),
        ShareAccess::Read,
    );

    let mine = store.shares(ShareFilter::Owner(owner.id)).expect("owner");
    let names: Vec<String> = mine.iter().map(|s| s.name.clone()).collect();
    assert_eq!(names, strings(&["home", "work"]));
    assert_eq!(
        mine[0].sharee,
        Sharee::Team {
            id: team.id,
            name: "crew".into()
        }
    );
    assert_eq!(mine[1].owner_login, "owner");
    assert_eq!(mine[1].created, CREATED);
    assert_eq!(mine[1].kind, CollectionKind::Calendar);
    assert_eq!(
        mine[1].sharee,
        Sharee::Account {
            id: ann.id,
            login: "ann".into(),
            display_name: ann.display_name.clone(),
            email: ann.email.clone(),
        }
    );
    assert_eq!(
        store
            .shares(ShareFilter::Collection(work.id))
            .expect("collection")
            .len(),
        1
    );
    assert_eq!(store.shares(ShareFilter::All).expect("all").len(), 3);
    let spare = calendar(store, owner.id, "spare");
    assert!(store.is_shared(work.id).expect("work") && store.is_shared(home.id).expect("home"));
    assert!(!store.is_shared(spare.id).expect("spare"));
    let one = store.shares(ShareFilter::Id(mine[0].id)).expect("id");
    assert_eq!(one, vec![mine[0].clone()]);
    assert!(
        store
            .shares(ShareFilter::Id(9_999))
            .expect("none")
            .is_empty()
    );
}

fn new_link(coll: &Collection, org: &Org, token: &str, limit: Option<LinkLimit>) -> NewLink {
    NewLink {
        collection: coll.id,
        org: org.id,
        token: token.into(),
        created: CREATED,
        expires: Some(4_000_000_000),
        limit,
    }
}

/// Links are found by their token, listed by owner (newest first), and revoked once.
pub(crate) fn links_round_trip_and_revoke(store: &dyn Store) {
    let owner = account(store, "owner");
    let other = account(store, "other");
    let org = acme(store, &owner, &[]);
    let cal = calendar(store, owner.id, "work");
    let link = store
        .create_link(&new_link(&cal, &org, "tok-1", None))
        .expect("create");
    assert_eq!(link.token, "tok-1");
    assert_eq!((link.collection, link.owner), (cal.id, owner.id));
    assert_eq!(link.name, "work");
    assert_eq!(link.owner_login, "owner");
    assert_eq!(link.expires, Some(4_000_000_000));
    assert_eq!(link.created, CREATED, "the caller's time");
    assert_eq!(link.revoked, None);
    let second = store
        .create_link(&NewLink {
            expires: None,
            ..new_link(&cal, &org, "tok-2", None)
        })
        .expect("second");
    assert_eq!(
        store.link_by_token("tok-1").expect("lookup"),
        Some(link.clone())
    );
    assert_eq!(store.link_by_token("tok-").expect("lookup"), None);
    let ids: Vec<i64> = store
        .links(LinkFilter::Owner(owner.id))
        .expect("list")
        .iter()
        .map(|l| l.id)
        .collect();
    assert_eq!(ids, vec![second.id, link.id]);
    assert!(
        store
            .links(LinkFilter::Owner(other.id))
            .expect("list")
            .is_empty()
    );
    assert_eq!(store.links(LinkFilter::All).expect("all").len(), 2);
    match store.create_link(&new_link(&cal, &org, "tok-1", None)) {
        Err(StoreError::AlreadyExists(_)) => {}
        other => panic!("duplicate token: {other:?}"),
    }

    let revoked = store.revoke_link(link.id, 1_000).expect("revoke");
    assert_eq!(revoked.revoked, Some(1_000));
    let again = store.revoke_link(link.id, 2_000).expect("revoke again");
    assert_eq!(again.revoked, Some(1_000), "the first revocation stands");
    match store.revoke_link(9_999, 1) {
        Err(StoreError::NotFound(_)) => {}
        other => panic!("missing link: {other:?}"),
    }
    assert_eq!(
        store.links(LinkFilter::Id(link.id)).expect("one")[0].revoked,
        Some(1_000)
    );
    // Deleting the calendar takes its links.
    store.delete_collection(cal.id).expect("delete");
    assert!(store.link_by_token("tok-2").expect("lookup").is_none());
}

/// The allowance counts the links an organisation created since the period's start, revoked
/// ones too, and refuses the one beyond it.
pub(crate) fn link_allowance_counts_an_organisation_per_period(store: &dyn Store) {
    let owner = account(store, "owner");
    let org = acme(store, &owner, &[]);
    let own = store.orgs_of(owner.id).expect("orgs")[0].0.clone();
    let cal = calendar(store, owner.id, "work");
    let limit = Some(LinkLimit { since: 0, max: 2 });
    let first = store
        .create_link(&new_link(&cal, &org, "a", limit))
        .expect("first");
    store.revoke_link(first.id, 1).expect("revoke");
    store
        .create_link(&new_link(&cal, &org, "b", limit))
        .expect("second");
    match store.create_link(&new_link(&cal, &org, "c", limit)) {
        Err(StoreError::PublicLinkLimit(2)) => {}
        other => panic!("third link: {other:?}"),
    }
    // Another organisation, and a period that starts later, have their own count.
    store
        .create_link(&new_link(&cal, &own, "d", limit))
        .expect("other organisation");
    store
        .create_link(&new_link(
            &cal,
            &org,
            "e",
            Some(LinkLimit {
                since: i64::MAX,
                max: 2,
            }),
        ))
        .expect("new period");
    assert!(matches!(
        store.create_link(&new_link(
            &cal,
            &org,
            "f",
            Some(LinkLimit { since: 0, max: 0 })
        )),
        Err(StoreError::PublicLinkLimit(0))
    ));
}

/// Every share that gives an account a collection is listed as a route, strongest first, with
/// its organisation and the account's product switches in that organisation as they are now.
pub(crate) fn routes_name_their_organisation_and_the_sharees_switches_there(store: &dyn Store) {
    let owner = account(store, "owner");
    let ann = account(store, "ann");
    let org = acme(store, &owner, &[&ann]);
    let cal = calendar(store, owner.id, "work");
    let team = store.create_team(org.id, "crew", None).expect("team");
    store
        .add_team_member(org.id, "crew", ann.id, None)
        .expect("ann in crew");
    share(
        store,
        &cal,
        &org,
        Grantee::Account(ann.id),
        ShareAccess::Read,
    );
    share(
        store,
        &cal,
        &org,
        Grantee::Team(team.id),
        ShareAccess::ReadWrite,
    );
    let route = |access, calendar| ShareRoute {
        org: org.id,
        org_name: "acme".into(),
        access,
        member_access: ProductAccess {
            calendar,
            contacts: true,
        },
    };
    let shared = store
        .shared_collection(ann.id, cal.id)
        .expect("load")
        .expect("shared");
    assert_eq!(
        shared.routes,
        vec![
            route(ShareAccess::ReadWrite, true),
            route(ShareAccess::Read, true)
        ]
    );
    assert_eq!(shared.access, ShareAccess::ReadWrite);
    store
        .update_member(
            org.id,
            ann.id,
            Role::User,
            &MemberUpdate {
                calendar: Some(false),
                ..Default::default()
            },
            None,
        )
        .expect("calendar off");
    let listed = store
        .shared_with(ann.id, CollectionKind::Calendar)
        .expect("shared with");
    assert_eq!(listed.len(), 1, "the store still lists it; org decides");
    assert_eq!(
        listed[0].routes,
        vec![
            route(ShareAccess::ReadWrite, false),
            route(ShareAccess::Read, false)
        ]
    );
}
