//! MKCALENDAR (RFC 4791 §5.3.1) and extended MKCOL (RFC 5689): create a calendar in the
//! calendar home or an address book in the address book home, with initial properties.

use super::proppatch::{prop_change, resourcetype_of};
use super::put::valid_member_name;
use super::resource::{forbidden, home_owner};
use super::target::Target;
use super::{Ctx, DavRequest, DavResponse, Failure, Method, Outcome};
use crate::caldav;
use crate::dav::condition::{Condition, DavError};
use crate::dav::prop::{CalProp, PropName};
use crate::dav::request::parse_mkcol;
use crate::dav::xml::NS_CALDAV;
use crate::store::{
    CollectionKind, CollectionProps, LiveProp, NewCollection, PropChange, StoreError,
};

fn location_error(kind_wanted: CollectionKind) -> Failure {
    match kind_wanted {
        CollectionKind::Calendar => DavError::new(
            Condition::CalendarCollectionLocationOk,
            "calendars can only be created directly inside your calendar home",
        ),
        CollectionKind::AddressBook => DavError::new(
            Condition::AddressbookCollectionLocationOk,
            "address books can only be created directly inside your address book home",
        ),
    }
    .into()
}

/// Handles MKCOL and MKCALENDAR.
pub fn mkcol(ctx: &Ctx<'_>, req: &DavRequest<'_>) -> Outcome {
    let body = parse_mkcol(req.body)?;
    // Which kind of collection the client asks for.
    let wanted = if req.method == Method::Mkcalendar {
        CollectionKind::Calendar
    } else {
        match &body.resourcetype {
            Some(rt)
                if rt
                    .iter()
                    .any(|q| *q == resourcetype_of(CollectionKind::Calendar)) =>
            {
                CollectionKind::Calendar
            }
            Some(rt)
                if rt
                    .iter()
                    .any(|q| *q == resourcetype_of(CollectionKind::AddressBook)) =>
            {
                CollectionKind::AddressBook
            }
            _ => {
                return Err(DavError::new(
                    Condition::ValidResourcetype,
                    "only calendars and address books can be created (extended MKCOL with a calendar or addressbook resourcetype)",
                )
                .into());
            }
        }
    };
    let (kind, login, name) = match &req.target {
        Target::Collection(kind, login, name) => (*kind, login, name),
        Target::Home(..) | Target::HomeSet(_) => {
            return Err(DavError::new(
                Condition::ResourceMustBeNull,
                "this collection already exists",
            )
            .into());
        }
        Target::Object(..) => return Err(location_error(wanted)),
        _ => return Err(forbidden()),
    };
    if kind != wanted {
        return Err(location_error(wanted));
    }
    valid_member_name(name)?;
    let owner = home_owner(ctx, req.user, kind, login)?;
    let plan = ctx.plan(&owner)?;
    let limit = match kind {
        CollectionKind::Calendar => plan.calendars,
        CollectionKind::AddressBook => plan.address_books,
    };
    let mut props = CollectionProps::default();
    let mut dead = Vec::new();
    let mut components: Vec<String> = match kind {
        CollectionKind::Calendar => caldav::DEFAULT_COMPONENTS
            .iter()
            .map(|c| c.to_string())
            .collect(),
        CollectionKind::AddressBook => Vec::new(),
    };
    for (name, value) in &body.set {
        if *name == PropName::Cal(CalProp::SupportedCalendarComponentSet)
            && kind == CollectionKind::Calendar
        {
            components = component_set(value)?;
            continue;
        }
        match prop_change(kind, name, Some(value))? {
            PropChange::Live(p, v) => match p {
                LiveProp::DisplayName => props.display_name = v,
                LiveProp::Description => props.description = v,
                LiveProp::Color => props.color = v,
                LiveProp::Order => props.order = v,
                LiveProp::Timezone => props.timezone = v,
            },
            PropChange::Dead {
                namespace,
                name,
                value,
            } => dead.push(crate::store::DeadProp {
                namespace,
                name,
                value: value.unwrap_or_default(),
            }),
        }
    }
    let new = NewCollection {
        kind,
        name: name.clone(),
        components,
        props,
        dead,
        position: 1,
        limit: limit.as_store(),
    };
    match ctx.store.create_collection(owner.id, &new) {
        Ok(_) => Ok(DavResponse::empty(201)),
        Err(StoreError::AlreadyExists(_)) => Err(DavError::new(
            Condition::ResourceMustBeNull,
            format!("{name} already exists"),
        )
        .into()),
        Err(StoreError::CollectionLimit(n)) => {
            let what = match kind {
                CollectionKind::Calendar => "calendar",
                CollectionKind::AddressBook => "address book",
            };
            Err(DavError::new(
                Condition::CollectionLimitReached,
                format!(
                    "your plan ({}) allows {n} {what}{}; delete one or upgrade the plan to create another",
                    plan.name,
                    if n == 1 { "" } else { "s" }
                ),
            )
            .into())
        }
        Err(e) => Err(e.into()),
    }
}

fn component_set(value: &crate::dav::xml::Element) -> Result<Vec<String>, DavError> {
    let mut out: Vec<String> = Vec::new();
    for comp in value.elements().filter(|e| e.is(NS_CALDAV, "comp")) {
        let name = comp.attr("name").unwrap_or("").trim().to_ascii_uppercase();
        if name == "VTIMEZONE" {
            continue; // SOHO Organizer lists it; time zones travel with every object anyway.
        }
        if !caldav::KNOWN_COMPONENTS.contains(&name.as_str()) {
            return Err(DavError::new(
                Condition::SupportedCalendarComponent,
                format!(
                    "component {name:?} is not supported (supported: {})",
                    caldav::KNOWN_COMPONENTS.join(", ")
                ),
            ));
        }
        if !out.contains(&name) {
            out.push(name);
        }
    }
    if out.is_empty() {
        return Err(DavError::new(
            Condition::SupportedCalendarComponent,
            "supported-calendar-component-set is empty",
        ));
    }
    Ok(out)
}
