//! Plan names. Their limits become configuration data with the organisations issue; today
//! the name is stored per account so nothing has to migrate then.

/// The plans the service offers.
pub const PLANS: [&str; 5] = [
    "my-ksuite",
    "my-ksuite-plus",
    "ksuite-standard",
    "ksuite-pro",
    "ksuite-enterprise",
];

/// True when `name` is one of [`PLANS`].
pub fn is_known(name: &str) -> bool {
    PLANS.contains(&name)
}
