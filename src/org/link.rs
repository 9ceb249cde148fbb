//! Public links: a calendar published read-only under an unguessable URL.
//!
//! - Only the owner publishes (the operator may too), only its own stored calendars: address
//!   books and generated collections (the organisation directory, the birthday calendar,
//!   collections shared with the owner) never are.
//! - The token is 24 bytes (192 bits) from the operating system's CSPRNG (`rand`'s `OsRng`,
//!   i.e. `getrandom`), written as 32 URL-safe base64 characters.
//! - A link is valid for 7 days, 30 days, 6 months, 1 year or without limit, chosen at
//!   creation; an expired or revoked link is answered like one that never existed.
//! - Each organisation creates at most its plan's `public_links_per_month` links per calendar
//!   month (UTC), counted against the owner's governing organisation; revoking one does not
//!   give it back.
//! - A link serves while its owner has calendar access; its data is kept otherwise.

use base64::Engine;
use chrono::{Datelike, Months, TimeZone, Utc};
use rand::TryRngCore;
use rand::rngs::OsRng;

use super::access::{Product, product_on};
use super::actor::{Actor, owned_record};
use super::error::OrgError;
use super::home::home;
use super::plan::Plans;
use super::share::{CollectionPath, owned_collection};
use crate::store::{
    Collection, CollectionKind, LinkFilter, LinkLimit, NewLink, PublicLink, Store, StoreError,
};

/// Random bytes in a token: 192 bits, well above the 128 a guess must beat.
pub const TOKEN_BYTES: usize = 24;
const _: () = assert!(TOKEN_BYTES * 8 >= 128);

/// Length of a token's text.
pub const TOKEN_CHARS: usize = TOKEN_BYTES / 3 * 4;

/// Path prefix of public links.
pub const PUBLIC_PREFIX: &str = "/public/";

/// How long a link stays valid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Validity {
    /// 7 days.
    Week,
    /// 30 days.
    Month,
    /// 6 calendar months.
    HalfYear,
    /// 1 calendar year.
    Year,
    /// Until revoked.
    Unlimited,
}

impl Validity {
    /// Every validity, shortest first.
    pub const ALL: [Validity; 5] = [
        Validity::Week,
        Validity::Month,
        Validity::HalfYear,
        Validity::Year,
        Validity::Unlimited,
    ];

    /// Text form (`7d`, `30d`, `6m`, `1y`, `unlimited`).
    pub fn as_str(self) -> &'static str {
        match self {
            Validity::Week => "7d",
            Validity::Month => "30d",
            Validity::HalfYear => "6m",
            Validity::Year => "1y",
            Validity::Unlimited => "unlimited",
        }
    }

    /// Reads the text form.
    pub fn parse(text: &str) -> Result<Validity, OrgError> {
        Validity::ALL
            .into_iter()
            .find(|v| v.as_str() == text.trim())
            .ok_or_else(|| OrgError::UnknownValidity(text.to_owned()))
    }

    /// The end of validity of a link created at `now` (Unix seconds); `None` for unlimited.
    pub fn expires(self, now: i64) -> Option<i64> {
        let start = Utc.timestamp_opt(now, 0).single().unwrap_or_default();
        let end = match self {
            Validity::Week => start + chrono::Duration::days(7),
            Validity::Month => start + chrono::Duration::days(30),
            Validity::HalfYear => start.checked_add_months(Months::new(6))?,
            Validity::Year => start.checked_add_months(Months::new(12))?,
            Validity::Unlimited => return None,
        };
        Some(end.timestamp())
    }
}

/// A new token: [`TOKEN_BYTES`] bytes from the operating system's CSPRNG, URL-safe base64.
pub fn new_token() -> Result<String, OrgError> {
    let mut bytes = [0u8; TOKEN_BYTES];
    OsRng
        .try_fill_bytes(&mut bytes)
        .map_err(|e| OrgError::Random(e.to_string()))?;
    Ok(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes))
}

/// True when `token` has the form of a token (so anything else is refused without a lookup).
pub fn is_token(token: &str) -> bool {
    token.len() == TOKEN_CHARS
        && token
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// The URL of a link: `BASE/public/TOKEN.ics`, where BASE is the configured public base URL.
pub fn url(base: &str, token: &str) -> String {
    format!("{}{PUBLIC_PREFIX}{token}.ics", base.trim_end_matches('/'))
}

/// The token a path names (`/public/TOKEN.ics`), if it has that form.
pub fn token_of_path(path: &str) -> Option<&str> {
    let token = path.strip_prefix(PUBLIC_PREFIX)?.strip_suffix(".ics")?;
    is_token(token).then_some(token)
}

/// 00:00 UTC on the first day of the month of `now`.
pub fn month_start(now: i64) -> i64 {
    let t = Utc.timestamp_opt(now, 0).single().unwrap_or_default();
    Utc.with_ymd_and_hms(t.year(), t.month(), 1, 0, 0, 0)
        .single()
        .map_or(now, |d| d.timestamp())
}

/// Publishes the calendar at `path` for `validity`, counted against its owner's governing
/// organisation's monthly allowance.
pub fn create(
    store: &dyn Store,
    plans: &Plans,
    actor: Actor<'_>,
    path: &CollectionPath,
    validity: Validity,
    now: i64,
) -> Result<PublicLink, OrgError> {
    let (owner, coll) = owned_collection(store, actor, path)?;
    if coll.kind != CollectionKind::Calendar {
        return Err(OrgError::NotACalendar(path.href()));
    }
    let home = home(store, plans, owner.id)?
        .ok_or_else(|| OrgError::NoOrganisation(owner.login.clone()))?;
    let new = NewLink {
        collection: coll.id,
        org: home.org.id,
        token: new_token()?,
        created: now,
        expires: validity.expires(now),
        limit: Some(LinkLimit {
            since: month_start(now),
            max: i64::from(home.plan.public_links_per_month),
        }),
    };
    store.create_link(&new).map_err(|e| match e {
        StoreError::PublicLinkLimit(_) => OrgError::PublicLinkLimit {
            org: home.org.name.clone(),
            plan: home.plan.name.clone(),
            limit: home.plan.public_links_per_month,
        },
        other => other.into(),
    })
}

/// The links `actor` may see: its own, or every link for the operator; newest first.
pub fn list(store: &dyn Store, actor: Actor<'_>) -> Result<Vec<PublicLink>, OrgError> {
    Ok(match actor {
        Actor::Operator => store.links(LinkFilter::All)?,
        Actor::Account(a) => store.links(LinkFilter::Owner(a.id))?,
    })
}

/// The link `id`, if `actor` owns it (or is the operator); others are "not found".
pub fn find(store: &dyn Store, actor: Actor<'_>, id: i64) -> Result<PublicLink, OrgError> {
    owned_record(
        store.links(LinkFilter::Id(id))?,
        actor,
        |l| l.owner,
        || format!("public link {id}"),
    )
}

/// Revokes the link `id` at `now`.
pub fn revoke(
    store: &dyn Store,
    actor: Actor<'_>,
    id: i64,
    now: i64,
) -> Result<PublicLink, OrgError> {
    find(store, actor, id)?;
    Ok(store.revoke_link(id, now)?)
}

/// The calendar a token publishes at `now`, if the link is active and its owner has calendar
/// access; `None` for anything else, whatever the reason.
pub fn published(
    store: &dyn Store,
    plans: &Plans,
    token: &str,
    now: i64,
) -> Result<Option<(PublicLink, Collection)>, OrgError> {
    if !is_token(token) {
        return Ok(None);
    }
    let Some(link) = store.link_by_token(token)? else {
        return Ok(None);
    };
    if !link.is_active(now) {
        return Ok(None);
    }
    if !product_on(home(store, plans, link.owner)?.as_ref(), Product::Calendar) {
        return Ok(None);
    }
    let Some(coll) = store.collection(link.owner, CollectionKind::Calendar, &link.name)? else {
        return Ok(None);
    };
    Ok((coll.id == link.collection).then_some((link, coll)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validities_parse_and_end() {
        for v in Validity::ALL {
            assert_eq!(Validity::parse(v.as_str()).unwrap(), v);
        }
        assert_eq!(
            Validity::parse("2w").unwrap_err().code(),
            "unknown-validity"
        );
        // 2025-01-31 00:00 UTC.
        let now = 1_738_281_600;
        assert_eq!(Validity::Week.expires(now), Some(now + 7 * 86_400));
        assert_eq!(Validity::Month.expires(now), Some(now + 30 * 86_400));
        // Six calendar months later, clamped to the end of July: 2025-07-31.
        assert_eq!(Validity::HalfYear.expires(now), Some(1_753_920_000));
        // 2026-01-31.
        assert_eq!(Validity::Year.expires(now), Some(1_769_817_600));
        assert_eq!(Validity::Unlimited.expires(now), None);
    }

    #[test]
    fn tokens_are_long_random_and_url_safe() {
        let (a, b) = (new_token().unwrap(), new_token().unwrap());
        assert_ne!(a, b);
        assert_eq!(a.len(), TOKEN_CHARS);
        assert!(is_token(&a) && is_token(&b));
        assert!(!is_token("short"));
        assert!(!is_token(&format!("{}/", &a[1..])));
        let url = url("https://dav.example.com/", &a);
        assert_eq!(url, format!("https://dav.example.com/public/{a}.ics"));
        assert_eq!(token_of_path(&format!("/public/{a}.ics")), Some(a.as_str()));
        assert_eq!(token_of_path(&format!("/public/{a}")), None);
        assert_eq!(token_of_path("/public/x.ics"), None);
    }

    #[test]
    fn months_start_at_midnight_utc_on_the_first() {
        // 2025-03-15 12:34:56 UTC → 2025-03-01 00:00 UTC.
        assert_eq!(month_start(1_742_042_096), 1_740_787_200);
        assert_eq!(month_start(1_740_787_200), 1_740_787_200);
    }
}
