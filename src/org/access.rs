//! Who may do what. Every protocol front end asks here; nothing else decides access.
//! Today a home and everything in it belongs to its owner alone; sharing extends this.

use crate::store::Account;

/// What a user may do with a resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Full control: read, write, create and delete members, change properties.
    Owner,
    /// Nothing; the resource is answered as forbidden.
    None,
}

/// Access of `user` to anything in the homes of the account with id `owner`.
pub fn home_access(user: &Account, owner: i64) -> Access {
    if user.id == owner {
        Access::Owner
    } else {
        Access::None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::PrincipalKind;

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

    #[test]
    fn only_the_owner_has_access() {
        assert_eq!(home_access(&account(1), 1), Access::Owner);
        assert_eq!(home_access(&account(1), 2), Access::None);
    }
}
