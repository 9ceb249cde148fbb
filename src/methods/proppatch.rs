//! PROPPATCH (RFC 4918 §9.2) on collections: all instructions succeed together or none is
//! applied; protected properties answer DAV:cannot-modify-protected-property and the others
//! 424 Failed Dependency. Properties in other namespaces are kept as dead properties.
//!
//! On a collection shared with the user, PROPPATCH changes the user's own view only: its
//! display name, colour, order and dead properties; the description and time zone belong to
//! the owner (403 DAV:need-privileges).

use super::props::is_protected;
use super::resource::{Resource, resolve};
use super::{Ctx, DavRequest, DavResponse, Outcome};
use crate::dav::condition::{Condition, DavError};
use crate::dav::multistatus::Multistatus;
use crate::dav::prop::{AppleProp, CalProp, CardProp, DavProp, PropName};
use crate::dav::request::{PropOp, parse_proppatch};
use crate::dav::xml::{Element, QName};
use crate::org::access::{Action, Denial};
use crate::store::{CollectionKind, LiveProp, PropChange};

/// Turns one set (`Some(value)`) or remove (`None`) of `name` on a collection of `kind` into a
/// store change, or explains why it cannot be done. Shared by PROPPATCH and MKCOL/MKCALENDAR.
pub fn prop_change(
    kind: CollectionKind,
    name: &PropName,
    value: Option<&Element>,
) -> Result<PropChange, DavError> {
    if is_protected(name) {
        let (_, local) = name.qname();
        return Err(DavError::new(
            Condition::CannotModifyProtectedProperty,
            format!("{local} is computed by the server and cannot be changed"),
        ));
    }
    let live = |p: LiveProp| {
        let text = value.map(|e| e.text().trim().to_owned());
        Ok(PropChange::Live(p, text))
    };
    use CollectionKind::*;
    match (kind, name) {
        (_, PropName::Dav(DavProp::DisplayName)) => live(LiveProp::DisplayName),
        (Calendar, PropName::Cal(CalProp::CalendarDescription))
        | (AddressBook, PropName::Card(CardProp::AddressbookDescription)) => {
            live(LiveProp::Description)
        }
        (Calendar, PropName::Apple(AppleProp::CalendarColor)) => live(LiveProp::Color),
        (Calendar, PropName::Apple(AppleProp::CalendarOrder)) => live(LiveProp::Order),
        (Calendar, PropName::Cal(CalProp::CalendarTimezone)) => {
            // RFC 4791 §5.2.2: a VCALENDAR holding exactly one VTIMEZONE.
            let text = value.map(|e| e.text());
            if let Some(t) = &text
                && !(t.contains("BEGIN:VCALENDAR") && t.matches("BEGIN:VTIMEZONE").count() == 1)
            {
                return Err(DavError::new(
                    Condition::ValidCalendarData,
                    "calendar-timezone must be a VCALENDAR with exactly one VTIMEZONE",
                ));
            }
            Ok(PropChange::Live(LiveProp::Timezone, text))
        }
        _ => {
            let (ns, local) = name.qname();
            Ok(PropChange::Dead {
                namespace: ns.to_owned(),
                name: local.to_owned(),
                value: value.map(Element::inner_xml),
            })
        }
    }
}

/// Handles PROPPATCH.
pub fn proppatch(ctx: &Ctx<'_>, req: &DavRequest<'_>) -> Outcome {
    let ops = parse_proppatch(req.body)?;
    let res = resolve(ctx, req.user, &req.target)?;
    let names: Vec<PropName> = ops
        .iter()
        .map(|op| match op {
            PropOp::Set(n, _) | PropOp::Remove(n) => n.clone(),
        })
        .collect();
    let href = res.as_res().href();
    let mut ms = Multistatus::new();
    let Resource::Collection(mount, coll) = &res else {
        let error = DavError::new(
            Condition::CannotModifyProtectedProperty,
            "only collections have changeable properties",
        );
        ms.statuses(&href, &[(403, names)], Some(&error));
        return Ok(DavResponse::xml(207, ms.finish()));
    };
    let mut changes = Vec::new();
    // Each refused property under its own status; the rest 424 (RFC 4918 §9.2.1).
    let mut failed: Vec<(u16, Vec<PropName>)> = Vec::new();
    let mut first_error = None;
    for op in &ops {
        let (name, value) = match op {
            PropOp::Set(n, e) => (n, Some(e)),
            PropOp::Remove(n) => (n, None),
        };
        let change = prop_change(coll.kind, name, value).and_then(|c| {
            if !mount.is_shared() {
                return Ok(c);
            }
            let action = match c {
                PropChange::Live(LiveProp::Description | LiveProp::Timezone, _) => {
                    Action::Administer
                }
                _ => Action::WriteViewProperties,
            };
            match mount.access.allows(action) {
                Ok(()) => Ok(c),
                Err(denial) => Err(refused(name, &denial)),
            }
        });
        match change {
            Ok(c) => changes.push(c),
            Err(e) => {
                match failed.iter_mut().find(|(status, _)| *status == e.status()) {
                    Some((_, group)) => group.push(name.clone()),
                    None => failed.push((e.status(), vec![name.clone()])),
                }
                first_error.get_or_insert(e);
            }
        }
    }
    if let Some(error) = first_error {
        let others: Vec<PropName> = names
            .iter()
            .filter(|n| !failed.iter().any(|(_, group)| group.contains(n)))
            .cloned()
            .collect();
        failed.push((424, others));
        ms.statuses(&href, &failed, Some(&error));
        return Ok(DavResponse::xml(207, ms.finish()));
    }
    if mount.is_shared() {
        ctx.store
            .update_share_view(mount.home.id, coll.id, &changes)?;
    } else {
        ctx.store.update_collection(coll.id, &changes)?;
    }
    ms.statuses(&href, &[(200, names)], None);
    Ok(DavResponse::xml(207, ms.finish()))
}

/// Why a sharee may not change `name`.
fn refused(name: &PropName, denial: &Denial) -> DavError {
    let (_, local) = name.qname();
    DavError::new(
        Condition::NeedPrivileges,
        format!("{local}: {}", denial.message()),
    )
}

/// The resourcetype children of a collection kind (for extended MKCOL checks).
pub fn resourcetype_of(kind: CollectionKind) -> QName {
    match kind {
        CollectionKind::Calendar => QName::new(crate::dav::xml::NS_CALDAV, "calendar"),
        CollectionKind::AddressBook => QName::new(crate::dav::xml::NS_CARDDAV, "addressbook"),
    }
}
