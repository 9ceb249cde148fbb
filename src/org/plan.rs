//! Plans: what an organisation's subscription allows. The catalogue is configuration data
//! (`[plans.NAME]`, see `config::plans`), with the service's published offer as defaults, so
//! changing a limit needs no code change. Plans are ordered by rank: moving up is an upgrade.

use std::fmt;

/// A count limit that may be absent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limit {
    /// No limit.
    Unlimited,
    /// At most this many.
    AtMost(u32),
}

impl Limit {
    /// The limit as the store takes it (`None`: no limit).
    pub fn as_store(self) -> Option<i64> {
        match self {
            Limit::Unlimited => None,
            Limit::AtMost(n) => Some(i64::from(n)),
        }
    }
}

impl fmt::Display for Limit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Limit::Unlimited => f.write_str("unlimited"),
            Limit::AtMost(n) => write!(f, "{n}"),
        }
    }
}

/// One plan and its limits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    /// Name, as stored on organisations (`ksuite-standard`).
    pub name: String,
    /// Position in the offer: a higher rank is an upgrade, a lower one a downgrade.
    pub rank: u32,
    /// A personal offer: one account per organisation, created with a mobile phone number
    /// and a country from the supported list.
    pub personal: bool,
    /// Members get the organisation directory (a read-only address book of the members).
    pub directory: bool,
    /// Calendars per account.
    pub calendars: Limit,
    /// Address books per account.
    pub address_books: Limit,
    /// Days deleted items stay restorable.
    pub trash_days: u32,
    /// Storage per account for calendar and contact data, in bytes (RFC 4331 quota).
    pub quota_bytes: u64,
    /// Largest calendar object or vCard, in bytes (max-resource-size).
    pub max_object_size: u64,
    /// Public links an organisation may create per month.
    pub public_links_per_month: u32,
}

impl Plan {
    /// The storage quota in the store's unit (bytes as `i64`): the most an account's live
    /// objects may take, and the most its trash and history keep.
    pub fn quota(&self) -> i64 {
        i64::try_from(self.quota_bytes).unwrap_or(i64::MAX)
    }
}

/// The plan catalogue, by rank.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plans {
    plans: Vec<Plan>,
}

/// 1 MiB, for readable byte sizes below.
const MIB: u64 = 1 << 20;

impl Plans {
    /// A catalogue of these plans (sorted by rank here).
    pub fn new(mut plans: Vec<Plan>) -> Plans {
        plans.sort_by_key(|p| p.rank);
        Plans { plans }
    }

    /// The published offer: my kSuite (1 calendar, 1 address book, 7 days of trash), my
    /// kSuite+ and the three kSuite plans (no collection limit, 30 days).
    pub fn builtin() -> Plans {
        let plan = |name: &str, rank, personal, collections, quota_mib, links| Plan {
            name: name.to_owned(),
            rank,
            personal,
            directory: !personal,
            calendars: collections,
            address_books: collections,
            trash_days: if collections == Limit::Unlimited {
                30
            } else {
                7
            },
            quota_bytes: quota_mib * MIB,
            max_object_size: 5 * MIB,
            public_links_per_month: links,
        };
        Plans::new(vec![
            plan("my-ksuite", 1, true, Limit::AtMost(1), 256, 20),
            plan("my-ksuite-plus", 2, true, Limit::Unlimited, 1024, 20),
            plan("ksuite-standard", 3, false, Limit::Unlimited, 1024, 20),
            plan("ksuite-pro", 4, false, Limit::Unlimited, 2048, 100),
            plan("ksuite-enterprise", 5, false, Limit::Unlimited, 5120, 500),
        ])
    }

    /// The plan with this name.
    pub fn get(&self, name: &str) -> Option<&Plan> {
        self.plans.iter().find(|p| p.name == name)
    }

    /// Every plan, by rank.
    pub fn iter(&self) -> impl Iterator<Item = &Plan> {
        self.plans.iter()
    }

    /// The plan names, by rank, comma-separated (for messages that list the choices).
    pub fn names(&self) -> String {
        self.plans
            .iter()
            .map(|p| p.name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

impl Default for Plans {
    fn default() -> Self {
        Plans::builtin()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_published_offer() {
        let plans = Plans::builtin();
        assert_eq!(
            plans.names(),
            "my-ksuite, my-ksuite-plus, ksuite-standard, ksuite-pro, ksuite-enterprise"
        );
        let my = plans.get("my-ksuite").expect("my-ksuite");
        assert_eq!(
            (my.calendars, my.address_books),
            (Limit::AtMost(1), Limit::AtMost(1))
        );
        assert_eq!(my.trash_days, 7);
        assert!(my.personal && !my.directory);
        let plus = plans.get("my-ksuite-plus").expect("my-ksuite-plus");
        assert_eq!((plus.calendars, plus.trash_days), (Limit::Unlimited, 30));
        assert!(plus.personal && !plus.directory);
        for name in ["ksuite-standard", "ksuite-pro", "ksuite-enterprise"] {
            let p = plans.get(name).expect(name);
            assert_eq!(
                (p.calendars, p.address_books, p.trash_days),
                (Limit::Unlimited, Limit::Unlimited, 30)
            );
            assert!(!p.personal && p.directory, "{name}");
        }
        let links: Vec<u32> = plans.iter().map(|p| p.public_links_per_month).collect();
        assert_eq!(links, vec![20, 20, 20, 100, 500]);
        assert!(plans.get("gold").is_none());
    }

    #[test]
    fn limits_convert_and_print() {
        assert_eq!(Limit::Unlimited.as_store(), None);
        assert_eq!(Limit::AtMost(3).as_store(), Some(3));
        assert_eq!(Limit::Unlimited.to_string(), "unlimited");
        assert_eq!(Limit::AtMost(1).to_string(), "1");
    }
}
