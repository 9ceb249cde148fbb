//! `[plans.NAME]`: the plan catalogue as configuration. A table for a built-in plan changes
//! only the keys it names; a table for a new plan must name every key. Unknown keys are errors
//! that name the key.

use std::collections::BTreeMap;
use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, Visitor};

use crate::org::plan::{Limit, Plan, Plans};

/// One `[plans.NAME]` table; absent keys keep the built-in value.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct PlanTable {
    rank: Option<u32>,
    personal: Option<bool>,
    directory: Option<bool>,
    calendars: Option<LimitValue>,
    address_books: Option<LimitValue>,
    trash_days: Option<u32>,
    quota_bytes: Option<u64>,
    max_object_size: Option<u64>,
    public_links_per_month: Option<u32>,
}

/// A count limit in TOML: a number, or the string `"unlimited"`.
#[derive(Debug, Clone, Copy)]
struct LimitValue(Limit);

impl<'de> Deserialize<'de> for LimitValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct LimitVisitor;
        impl Visitor<'_> for LimitVisitor {
            type Value = LimitValue;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a number of collections or \"unlimited\"")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<LimitValue, E> {
                u32::try_from(v)
                    .map(|n| LimitValue(Limit::AtMost(n)))
                    .map_err(|_| E::invalid_value(de::Unexpected::Signed(v), &self))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<LimitValue, E> {
                u32::try_from(v)
                    .map(|n| LimitValue(Limit::AtMost(n)))
                    .map_err(|_| E::invalid_value(de::Unexpected::Unsigned(v), &self))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<LimitValue, E> {
                match v {
                    "unlimited" => Ok(LimitValue(Limit::Unlimited)),
                    other => Err(E::invalid_value(de::Unexpected::Str(other), &self)),
                }
            }
        }
        d.deserialize_any(LimitVisitor)
    }
}

/// Reads `[plans]` over the built-in catalogue (serde `deserialize_with` of `Config::plans`).
pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Plans, D::Error> {
    let tables = BTreeMap::<String, PlanTable>::deserialize(d)?;
    let builtin = Plans::builtin();
    let mut plans: Vec<Plan> = builtin.iter().cloned().collect();
    for (name, table) in tables {
        let plan = match plans.iter_mut().find(|p| p.name == name) {
            Some(plan) => plan,
            None => {
                plans.push(new_plan(&name, &table).map_err(de::Error::custom)?);
                continue;
            }
        };
        apply(plan, &table);
    }
    Ok(Plans::new(plans))
}

/// Changes the keys `table` names.
fn apply(plan: &mut Plan, table: &PlanTable) {
    let t = table;
    plan.rank = t.rank.unwrap_or(plan.rank);
    plan.personal = t.personal.unwrap_or(plan.personal);
    plan.directory = t.directory.unwrap_or(plan.directory);
    plan.calendars = t.calendars.map_or(plan.calendars, |l| l.0);
    plan.address_books = t.address_books.map_or(plan.address_books, |l| l.0);
    plan.trash_days = t.trash_days.unwrap_or(plan.trash_days);
    plan.quota_bytes = t.quota_bytes.unwrap_or(plan.quota_bytes);
    plan.max_object_size = t.max_object_size.unwrap_or(plan.max_object_size);
    plan.public_links_per_month = t
        .public_links_per_month
        .unwrap_or(plan.public_links_per_month);
}

/// A plan that is not built in: every key must be given.
fn new_plan(name: &str, t: &PlanTable) -> Result<Plan, String> {
    fn need<T: Copy>(name: &str, key: &str, v: Option<T>) -> Result<T, String> {
        v.ok_or_else(|| format!("plans.{name}: missing key `{key}` (a new plan names every key)"))
    }
    Ok(Plan {
        name: name.to_owned(),
        rank: need(name, "rank", t.rank)?,
        personal: need(name, "personal", t.personal)?,
        directory: need(name, "directory", t.directory)?,
        calendars: need(name, "calendars", t.calendars)?.0,
        address_books: need(name, "address_books", t.address_books)?.0,
        trash_days: need(name, "trash_days", t.trash_days)?,
        quota_bytes: need(name, "quota_bytes", t.quota_bytes)?,
        max_object_size: need(name, "max_object_size", t.max_object_size)?,
        public_links_per_month: need(name, "public_links_per_month", t.public_links_per_month)?,
    })
}

/// Checks the catalogue as a whole: ranks order the plans, so no two may share one, and an
/// object a plan allows must fit in a request body.
pub fn check(plans: &Plans, max_request_body: usize) -> Result<(), String> {
    let mut previous: Option<&Plan> = None;
    for plan in plans.iter() {
        if let Some(p) = previous
            && p.rank == plan.rank
        {
            return Err(format!(
                "plans.{} and plans.{} have the same rank {}; ranks order upgrades",
                p.name, plan.name, plan.rank
            ));
        }
        if plan.max_object_size > max_request_body as u64 {
            return Err(format!(
                "plans.{}.max_object_size must not exceed limits.max_request_body",
                plan.name
            ));
        }
        previous = Some(plan);
    }
    Ok(())
}
