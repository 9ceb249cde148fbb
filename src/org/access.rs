//! Who may do what with calendars and address books. Every protocol front end asks here;
//! nothing else decides access. A home and the collections in it belong to its owner, and only
//! while the owner's governing membership has the product turned on (data is kept while it is
//! off). A collection shared with someone appears in that sharee's home too, with the share's
//! access ([`shared_access`]), while the sharee's switch of the product is on in the share's
//! organisation: a membership's switches gate what its organisation serves the member, its
//! directory and the shares made through it as much as the governing organisation's own homes.
//! What each access allows is [`Access::allows`].

use super::home::Home;
use crate::store::{Account, CollectionKind, ProductAccess, ShareAccess, ShareRoute};

/// The two products a membership switches on or off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Product {
    /// Calendars.
    Calendar,
    /// Address books.
    Contacts,
}

impl Product {
    /// The product a kind of collection belongs to.
    pub fn of(kind: CollectionKind) -> Product {
        match kind {
            CollectionKind::Calendar => Product::Calendar,
            CollectionKind::AddressBook => Product::Contacts,
        }
    }

    /// The kind of collection the product serves.
    pub fn kind(self) -> CollectionKind {
        match self {
            Product::Calendar => CollectionKind::Calendar,
            Product::Contacts => CollectionKind::AddressBook,
        }
    }

    /// Name in messages.
    pub fn as_str(self) -> &'static str {
        match self {
            Product::Calendar => "calendar",
            Product::Contacts => "contacts",
        }
    }

    /// Whether a membership's switches have this product on.
    pub fn is_on(self, access: ProductAccess) -> bool {
        match self {
            Product::Calendar => access.calendar,
            Product::Contacts => access.contacts,
        }
    }
}

/// What a user may do with a resource.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Access {
    /// Full control: read, write, create and delete members, change properties, share and
    /// publish.
    Owner,
    /// A collection shared with the user, with the share's access.
    Shared(ShareAccess),
    /// Nothing; the resource is answered as forbidden, for this reason.
    Denied(Denial),
}

/// What a request does to a collection or its members; [`Access::allows`] says who may.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Read the collection, its properties and its members (PROPFIND, GET, REPORT).
    Read,
    /// Create, change or delete members (PUT, DELETE of a member).
    WriteContent,
    /// Change the properties of one's view of the collection (its name, colour, order and
    /// dead properties: for a sharee, its own view).
    WriteViewProperties,
    /// What only the owner decides: the collection's own properties (description, time
    /// zone), sharing it, publishing it.
    Administer,
    /// Take the collection out of one's home: the owner deletes it, a sharee removes (declines)
    /// its share, leaving the owner's data alone.
    Remove,
}

impl Access {
    /// Whether this access allows `action`; the denial says why not.
    pub fn allows(&self, action: Action) -> Result<(), Denial> {
        match (self, action) {
            (Access::Denied(d), _) => Err(d.clone()),
            (Access::Owner, _) => Ok(()),
            (Access::Shared(_), Action::Read | Action::WriteViewProperties | Action::Remove) => {
                Ok(())
            }
            (Access::Shared(ShareAccess::ReadWrite), Action::WriteContent) => Ok(()),
            (Access::Shared(ShareAccess::Read), Action::WriteContent) => Err(Denial::ReadOnlyShare),
            (Access::Shared(_), Action::Administer) => Err(Denial::OwnerOnly),
        }
    }
}

/// Why access was denied; each reason has a message a person can act on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Denial {
    /// The resource belongs to someone else.
    NotOwner,
    /// The user belongs to no organisation, so no product is on.
    NoOrganisation,
    /// The user's membership has this product turned off: the governing one (for its own
    /// homes), or that of the organisation serving the resource (its directory, a share made
    /// through it).
    ProductOff {
        /// The product.
        product: Product,
        /// The organisation that turned it off.
        org: String,
    },
    /// A share that allows reading only.
    ReadOnlyShare,
    /// Something only the owner of a shared collection may do.
    OwnerOnly,
    /// The owner of a shared collection has the product turned off (or belongs to no
    /// organisation): its data is kept but not served.
    OwnerUnavailable {
        /// The product.
        product: Product,
    },
}

impl Denial {
    /// A message for the user.
    pub fn message(&self) -> String {
        match self {
            Denial::NotOwner => "you do not have access to this resource".into(),
            Denial::NoOrganisation => {
                "your account belongs to no organisation, so calendars and contacts are off; \
                 your data is kept"
                    .into()
            }
            Denial::ProductOff { product, org } => format!(
                "{} access is turned off for your account in {org}; your data is kept and \
                 comes back when an administrator turns it on again",
                product.as_str()
            ),
            Denial::ReadOnlyShare => "this collection is shared with you read-only; ask its \
                                      owner for read-write access to change it"
                .into(),
            Denial::OwnerOnly => "only the owner of this shared collection may do this; \
                                  you may rename and recolour your own view of it"
                .into(),
            Denial::OwnerUnavailable { product } => format!(
                "the owner of this shared collection has no {} access at the moment, so it \
                 is unavailable",
                product.as_str()
            ),
        }
    }
}

/// Access of `user` to the principal of the account with id `owner`: its own only.
pub fn principal_access(user: &Account, owner: i64) -> Access {
    if user.id == owner {
        Access::Owner
    } else {
        Access::Denied(Denial::NotOwner)
    }
}

/// Whether the governing membership `home` (`None`: no organisation) has `product` on.
pub fn product_on(home: Option<&Home>, product: Product) -> bool {
    home.is_some_and(|h| product.is_on(h.member.access))
}

/// Access of `user` to the `product` homes of the account with id `owner`, given the user's
/// governing organisation (`home`, `None` when the user belongs to none).
pub fn home_access(user: &Account, owner: i64, product: Product, home: Option<&Home>) -> Access {
    if let denied @ Access::Denied(_) = principal_access(user, owner) {
        return denied;
    }
    let Some(home) = home else {
        return Access::Denied(Denial::NoOrganisation);
    };
    if product_on(Some(home), product) {
        Access::Owner
    } else {
        Access::Denied(Denial::ProductOff {
            product,
            org: home.org.name.clone(),
        })
    }
}

/// Access of a sharee to a collection shared with it through `routes` (the shares that give
/// it the collection), seen in the sharee's own home: `home` is the sharee's access to that
/// home (its own product must be on), and `owner_home` the owner's governing organisation (the
/// owner's product must be on too, or the data is kept but not served). The access is then the
/// strongest of the routes whose organisation has the sharee's product on ([`route_access`]).
pub fn shared_access(
    home: Access,
    routes: &[ShareRoute],
    product: Product,
    owner_home: Option<&Home>,
) -> Access {
    match home {
        Access::Owner if !product_on(owner_home, product) => {
            Access::Denied(Denial::OwnerUnavailable { product })
        }
        Access::Owner => route_access(routes, product),
        other => other,
    }
}

/// The access the shares `routes` give a sharee to a collection of `product`: the strongest
/// among those made through an organisation where the sharee's `product` is on. When it is off
/// in all of them, the denial names the organisation of the strongest share; no route at all
/// is no access.
pub fn route_access(routes: &[ShareRoute], product: Product) -> Access {
    let usable = routes
        .iter()
        .filter(|r| product.is_on(r.member_access))
        .map(|r| r.access)
        .max();
    match (usable, routes.first()) {
        (Some(access), _) => Access::Shared(access),
        (None, Some(gated)) => Access::Denied(Denial::ProductOff {
            product,
            org: gated.org_name.clone(),
        }),
        (None, None) => Access::Denied(Denial::NotOwner),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::org::plan::Plans;
    use crate::store::org::fixtures;
    use crate::store::{PrincipalKind, ProductAccess, Role};

    fn account(id: i64) -> Account {
        Account {
            id,
            login: format!("u{id}"),
            display_name: String::new(),
            email: None,
            password_hash: String::new(),
            kind: PrincipalKind::Individual,
            created: 0,
        }
    }

    fn home(plans: &Plans, calendar: bool, contacts: bool) -> Home {
        let mut member = fixtures::member(1, Role::User);
        member.access = ProductAccess { calendar, contacts };
        Home {
            org: fixtures::org(1, "ksuite-pro"),
            member,
            plan: plans.get("ksuite-pro").expect("plan").clone(),
        }
    }

    #[test]
    fn only_the_owner_has_access() {
        let plans = Plans::builtin();
        let h = home(&plans, true, true);
        assert_eq!(
            home_access(&account(1), 1, Product::Calendar, Some(&h)),
            Access::Owner
        );
        assert_eq!(
            home_access(&account(1), 2, Product::Calendar, Some(&h)),
            Access::Denied(Denial::NotOwner)
        );
    }

    #[test]
    fn a_product_turned_off_denies_its_homes_only() {
        let plans = Plans::builtin();
        let h = home(&plans, false, true);
        let denied = home_access(&account(1), 1, Product::Calendar, Some(&h));
        assert_eq!(
            denied,
            Access::Denied(Denial::ProductOff {
                product: Product::Calendar,
                org: "acme".into()
            })
        );
        if let Access::Denied(d) = denied {
            assert!(
                d.message().contains("calendar access is turned off")
                    && d.message().contains("kept")
            );
        }
        assert_eq!(
            home_access(&account(1), 1, Product::Contacts, Some(&h)),
            Access::Owner
        );
    }

    /// A share through organisation `org` (named `oORG`) giving `access`, to a sharee whose
    /// switches there are `calendar` and `contacts`.
    fn route(org: i64, access: ShareAccess, calendar: bool, contacts: bool) -> ShareRoute {
        ShareRoute {
            org,
            org_name: format!("o{org}"),
            access,
            member_access: ProductAccess { calendar, contacts },
        }
    }

    #[test]
    fn shared_collections_follow_the_grant_and_both_products() {
        let plans = Plans::builtin();
        let on = home(&plans, true, true);
        let off = home(&plans, false, true);
        let cal = Product::Calendar;
        let read = [route(1, ShareAccess::Read, true, true)];
        let write = [route(1, ShareAccess::ReadWrite, true, true)];
        assert_eq!(
            shared_access(Access::Owner, &read, cal, Some(&on)),
            Access::Shared(ShareAccess::Read)
        );
        assert_eq!(
            shared_access(Access::Owner, &write, cal, Some(&off)),
            Access::Denied(Denial::OwnerUnavailable { product: cal })
        );
        assert_eq!(
            shared_access(Access::Owner, &write, cal, None),
            Access::Denied(Denial::OwnerUnavailable { product: cal })
        );
        let sharee_off = home_access(&account(1), 1, cal, Some(&off));
        assert_eq!(
            shared_access(sharee_off.clone(), &write, cal, Some(&on)),
            sharee_off,
            "the sharee's own product decides first"
        );
    }

    #[test]
    fn a_share_works_while_the_product_is_on_in_its_organisation() {
        let (cal, contacts) = (Product::Calendar, Product::Contacts);
        // Calendar off in o2: its read-write share gives nothing, o3's read share still works.
        let routes = [
            route(2, ShareAccess::ReadWrite, false, true),
            route(3, ShareAccess::Read, true, true),
        ];
        assert_eq!(
            route_access(&routes, cal),
            Access::Shared(ShareAccess::Read)
        );
        assert_eq!(
            route_access(&routes[..1], cal),
            Access::Denied(Denial::ProductOff {
                product: cal,
                org: "o2".into()
            })
        );
        // Each product by its own switch.
        assert_eq!(
            route_access(&routes[..1], contacts),
            Access::Shared(ShareAccess::ReadWrite)
        );
        assert_eq!(
            route_access(&[], cal),
            Access::Denied(Denial::NotOwner),
            "no share, no access"
        );
    }

    #[test]
    fn what_each_access_allows() {
        use Action::*;
        let read = Access::Shared(ShareAccess::Read);
        let write = Access::Shared(ShareAccess::ReadWrite);
        let denied = Access::Denied(Denial::NotOwner);
        for action in [Read, WriteContent, WriteViewProperties, Administer, Remove] {
            assert_eq!(Access::Owner.allows(action), Ok(()));
            assert_eq!(denied.allows(action), Err(Denial::NotOwner));
        }
        for action in [Read, WriteViewProperties, Remove] {
            assert_eq!(read.allows(action), Ok(()));
            assert_eq!(write.allows(action), Ok(()));
        }
        assert_eq!(read.allows(WriteContent), Err(Denial::ReadOnlyShare));
        assert_eq!(write.allows(WriteContent), Ok(()));
        assert_eq!(read.allows(Administer), Err(Denial::OwnerOnly));
        assert_eq!(write.allows(Administer), Err(Denial::OwnerOnly));
        assert!(Denial::ReadOnlyShare.message().contains("read-only"));
    }

    #[test]
    fn no_organisation_means_no_product() {
        assert_eq!(
            home_access(&account(1), 1, Product::Contacts, None),
            Access::Denied(Denial::NoOrganisation)
        );
    }
}
