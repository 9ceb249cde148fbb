//! The organisation directory in the DAV URL space: `/dav/addressbooks/LOGIN/.directory-ORG/`
//! holds one generated vCard per member of organisation ORG (`member-ENTRY.vcf`, named after the
//! membership's directory entry, which no later membership reuses). Nothing is stored: cards
//! come from membership on each request, the sync token from the directory entries' revisions
//! (`urn:davsuite:directory:ORG:REVISION`), so clients see joins, departures and role changes
//! incrementally. Read-only: every write answers 403 DAV:need-privileges.
//!
//! The collection name starts with a dot, which no client-created collection may
//! (`put::valid_member_name`), so a directory can never hide an address book of the user's.

use super::resource::{Res, denied, home_owner};
use super::target::{Target, collection_href, object_href};
use super::{Ctx, DavResponse, Failure, Outcome, etag_of};
use crate::carddav::directory::member_card;
use crate::dav::condition::{Condition, DavError};
use crate::dav::multistatus::Multistatus;
use crate::dav::request::{CardFilter, PropRequest, Report};
use crate::href::href_path;
use crate::ical::tree;
use crate::methods::propfind::write_response;
use crate::methods::props::PropCtx;
use crate::org::directory::{self as org_directory, Lookup};
use crate::query::card_matches;
use crate::store::{Account, CollectionKind, Member, Org};

/// Prefix of a directory's collection name.
const NAME_PREFIX: &str = ".directory-";

/// The collection name of `org`'s directory.
pub fn collection_name(org: i64) -> String {
    format!("{NAME_PREFIX}{org}")
}

/// The organisation id a collection name names as a directory, if it is one.
pub fn org_of_name(name: &str) -> Option<i64> {
    name.strip_prefix(NAME_PREFIX)?.parse().ok()
}

/// True when an address book collection name has the directory form (whether or not such a
/// directory exists).
pub fn is_directory_name(name: &str) -> bool {
    name.starts_with(NAME_PREFIX)
}

/// True when `target` is a directory or one of its cards (whether or not it exists).
pub fn is_directory_target(target: &Target) -> bool {
    match target {
        Target::Collection(CollectionKind::AddressBook, _, name)
        | Target::Object(CollectionKind::AddressBook, _, name, _) => is_directory_name(name),
        _ => false,
    }
}

/// The answer to any write in a directory.
pub fn read_only() -> Failure {
    Failure::Dav(DavError::new(
        Condition::NeedPrivileges,
        "the organisation directory is read-only: it is generated from the organisation's members",
    ))
}

/// A directory a user sees.
#[derive(Debug, Clone)]
pub struct Directory {
    /// Its organisation (its `directory_revision` is the directory's revision).
    pub org: Org,
}

/// One generated card.
#[derive(Debug, Clone)]
pub struct Card {
    /// Resource name.
    pub name: String,
    /// Strong ETag of `body`.
    pub etag: String,
    /// The vCard.
    pub body: Vec<u8>,
}

impl Card {
    fn of(org: &Org, member: &Member) -> Card {
        let body = member_card(org, member);
        Card {
            name: card_name(member.entry),
            etag: etag_of(&body),
            body,
        }
    }
}

fn card_name(entry: i64) -> String {
    format!("member-{entry}.vcf")
}

fn entry_of_card(name: &str) -> Option<i64> {
    name.strip_prefix("member-")?
        .strip_suffix(".vcf")?
        .parse()
        .ok()
}

impl Directory {
    /// Href of the directory in `owner`'s home.
    pub fn href(&self, owner: &Account) -> String {
        collection_href(
            CollectionKind::AddressBook,
            &owner.login,
            &collection_name(self.org.id),
        )
    }

    /// Display name shown by clients.
    pub fn display_name(&self) -> String {
        format!("{} (directory)", self.org.name)
    }

    /// The sync token (and getctag) at `revision`.
    pub fn sync_token(&self, revision: i64) -> String {
        format!("urn:davsuite:directory:{}:{revision}", self.org.id)
    }

    fn parse_sync_token(&self, token: &str) -> Option<i64> {
        let rest = token.strip_prefix("urn:davsuite:directory:")?;
        let (org, rev) = rest.split_once(':')?;
        (org.parse::<i64>().ok()? == self.org.id)
            .then(|| rev.parse().ok())
            .flatten()
            .filter(|r| *r >= 0)
    }

    /// Every card, ordered by login.
    pub fn cards(&self, ctx: &Ctx<'_>) -> Result<Vec<Card>, Failure> {
        Ok(ctx
            .store
            .members(self.org.id)?
            .iter()
            .map(|m| Card::of(&self.org, m))
            .collect())
    }

    /// The card named `name`, if it is a member's.
    pub fn card(&self, ctx: &Ctx<'_>, name: &str) -> Result<Option<Card>, Failure> {
        let Some(entry) = entry_of_card(name) else {
            return Ok(None);
        };
        Ok(ctx
            .store
            .member_by_entry(self.org.id, entry)?
            .map(|m| Card::of(&self.org, &m)))
    }
}

/// The directory named `name` in the address book home of `login`, for `user`: the home's
/// access rules first, then membership and the plan (404 otherwise), then the member's
/// contacts access in that organisation (403 DAV:need-privileges when off).
pub fn find(
    ctx: &Ctx<'_>,
    user: &Account,
    login: &str,
    name: &str,
) -> Result<(Account, Directory), Failure> {
    let owner = home_owner(ctx, user, CollectionKind::AddressBook, login)?;
    let not_found = || Failure::Status(404, format!("no address book named {name}"));
    let org = org_of_name(name).ok_or_else(not_found)?;
    match org_directory::find(ctx.store, ctx.plans, owner.id, org)? {
        Lookup::Visible(org) => Ok((owner, Directory { org })),
        Lookup::Denied(why) => Err(denied(&why)),
        Lookup::Missing => Err(not_found()),
    }
}

/// The directories in `owner`'s address book home, listed after its own address books.
pub fn visible(ctx: &Ctx<'_>, owner: &Account) -> Result<Vec<Directory>, Failure> {
    Ok(org_directory::visible(ctx.store, ctx.plans, owner.id)?
        .into_iter()
        .map(|org| Directory { org })
        .collect())
}

/// Answers a REPORT on a directory (or on one card of it, `only`): sync-collection,
/// addressbook-multiget and addressbook-query; anything else is DAV:supported-report.
pub fn report(
    ctx: &Ctx<'_>,
    user: &Account,
    owner: &Account,
    dir: &Directory,
    only: Option<&Card>,
    report: &Report,
) -> Outcome {
    let pc = PropCtx::new(ctx, user);
    let mut ms = Multistatus::new();
    let write = |ms: &mut Multistatus, card: &Card, props: &PropRequest| {
        write_response(
            &pc,
            ms,
            &Res::DirectoryCard(owner, dir, card),
            props,
            Some(&card.body),
        )
    };
    match report {
        Report::SyncCollection {
            token,
            props,
            limit,
        } if only.is_none() => {
            let since = if token.is_empty() {
                0
            } else {
                dir.parse_sync_token(token).ok_or_else(|| {
                    DavError::new(
                        Condition::ValidSyncToken,
                        "this sync token is not valid for this directory; resync",
                    )
                })?
            };
            let changes = ctx.store.directory_changes(dir.org.id, since)?;
            if limit.is_some_and(|n| changes.present.len() + changes.removed.len() > n) {
                // The change log keeps one revision per member, not per change: the answer
                // cannot be cut and resumed, so a limit it exceeds refuses it as a whole.
                return Err(DavError::new(
                    Condition::NumberOfMatchesWithinLimits,
                    "the directory's changes are sent whole; sync again without a limit",
                )
                .into());
            }
            let href = dir.href(owner);
            for entry in &changes.removed {
                ms.status(&object_href(&href, &card_name(*entry)), 404);
            }
            for member in &changes.present {
                write(&mut ms, &Card::of(&dir.org, member), props)?;
            }
            ms.sync_token(&dir.sync_token(changes.revision));
        }
        Report::Multiget {
            calendar: false,
            props,
            hrefs,
        } => {
            // Every card once, whatever encoding of its href came (compat pitfall 19).
            let mut seen: Vec<String> = Vec::new();
            for href in hrefs {
                let card = match Target::parse(href_path(href)) {
                    Ok(Target::Object(CollectionKind::AddressBook, login, coll, name))
                        if login == owner.login && org_of_name(&coll) == Some(dir.org.id) =>
                    {
                        dir.card(ctx, &name)?
                    }
                    _ => None,
                };
                match card {
                    Some(c) if !seen.contains(&c.name) => {
                        write(&mut ms, &c, props)?;
                        seen.push(c.name);
                    }
                    Some(_) => {}
                    None => ms.status(href, 404),
                }
            }
        }
        Report::AddressbookQuery {
            props,
            filter,
            limit,
        } => {
            let cards = match only {
                Some(card) => vec![card.clone()],
                None => dir.cards(ctx)?,
            };
            let mut matching: Vec<Card> = cards
                .into_iter()
                .filter(|c| matches(filter, &c.body))
                .collect();
            let truncated = limit.is_some_and(|n| matching.len() > n);
            if let Some(n) = limit {
                matching.truncate(*n);
            }
            for card in &matching {
                write(&mut ms, card, props)?;
            }
            if truncated {
                // RFC 6352 §8.6.1: a 507 response for the request-URI says the answer is
                // incomplete.
                let e = DavError::new(
                    Condition::NumberOfMatchesWithinLimits,
                    "more results match than the limit allows",
                );
                ms.status_with_error(&dir.href(owner), &e);
            }
        }
        _ => {
            return Err(DavError::new(
                Condition::SupportedReport,
                "the organisation directory answers sync-collection, addressbook-multiget and addressbook-query",
            )
            .into());
        }
    }
    Ok(DavResponse::xml(207, ms.finish()))
}

fn matches(filter: &CardFilter, body: &[u8]) -> bool {
    tree::parse(body).is_some_and(|card| card_matches(filter, &card))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::org::fixtures;

    #[test]
    fn names_round_trip() {
        assert_eq!(org_of_name(&collection_name(42)), Some(42));
        assert_eq!(org_of_name("contacts"), None);
        assert_eq!(org_of_name(".directory-x"), None);
        assert_eq!(entry_of_card(&card_name(7)), Some(7));
        assert_eq!(entry_of_card("member-7.ics"), None);
    }

    #[test]
    fn sync_tokens_belong_to_one_directory() {
        let dir = |id| Directory {
            org: fixtures::org(id, "ksuite-pro"),
        };
        let token = dir(3).sync_token(5);
        assert_eq!(dir(3).parse_sync_token(&token), Some(5));
        assert_eq!(dir(4).parse_sync_token(&token), None);
        assert_eq!(dir(3).parse_sync_token("urn:davsuite:sync:3:5"), None);
        assert_eq!(dir(3).parse_sync_token("urn:davsuite:directory:3:-1"), None);
    }
}
