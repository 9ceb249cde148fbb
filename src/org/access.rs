//! Who may do what with calendars and address books. Every protocol front end asks here;
//! nothing else decides access. Today a home and everything in it belongs to its owner alone,
//! and only while the owner's governing membership has the product turned on (data is kept
//! while it is off); sharing extends this.

use super::home::Home;
use crate::store::{Account, CollectionKind};

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

    /// Name in messages.
    pub fn as_str(self) -> &'static str {
        match self {
            Product::Calendar => "calendar",
            Product::Contacts => "contacts",
        }
    }
}

/// What a user may do with a resource.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Access {
    /// Full control: read, write, create and delete members, change properties.
    Owner,
    /// Nothing; the resource is answered as forbidden, for this reason.
    Denied(Denial),
}

/// Why access was denied; each reason has a message a person can act on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Denial {
    /// The resource belongs to someone else.
    NotOwner,
    /// The user belongs to no organisation, so no product is on.
    NoOrganisation,
    /// The user's governing membership has this product turned off.
    ProductOff {
        /// The product.
        product: Product,
        /// The organisation that turned it off.
        org: String,
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

/// Access of `user` to the `product` homes of the account with id `owner`, given the user's
/// governing organisation (`home`, `None` when the user belongs to none).
pub fn home_access(user: &Account, owner: i64, product: Product, home: Option<&Home>) -> Access {
    if let denied @ Access::Denied(_) = principal_access(user, owner) {
        return denied;
    }
    let Some(home) = home else {
        return Access::Denied(Denial::NoOrganisation);
    };
    let on = match product {
        Product::Calendar => home.member.access.calendar,
        Product::Contacts => home.member.access.contacts,
    };
    if on {
        Access::Owner
    } else {
        Access::Denied(Denial::ProductOff {
            product,
            org: home.org.name.clone(),
        })
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

    #[test]
    fn no_organisation_means_no_product() {
        assert_eq!(
            home_access(&account(1), 1, Product::Contacts, None),
            Access::Denied(Denial::NoOrganisation)
        );
    }
}
