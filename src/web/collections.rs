//! The calendars or address books a person sees in the web view, as DAV shows them in their
//! homes: their own (when the product is on for them) and those shared with them (under their
//! mount name, with the share's access). Pages name a collection by its name in the viewer's
//! home (`NAME` in forms and query strings) and open it with `transfer::place::open`, which
//! checks access again for every action.

use crate::org::OrgError;
use crate::org::access::{Access, Product, home_access};
use crate::org::home::home;
use crate::org::plan::Plans;
use crate::org::share::{CollectionPath, mount_name, shared_with};
use crate::store::{Account, Collection, CollectionKind, ShareAccess, Store};

/// A collection as the viewer sees it.
#[derive(Debug, Clone)]
pub struct Listed {
    /// Its path in the viewer's home (`path.name` is what forms send).
    pub path: CollectionPath,
    /// The name to show: the viewer's own for a share, else the display name, else the
    /// path segment.
    pub title: String,
    /// Its colour (`#RRGGBB` or `#RRGGBBAA`), the viewer's own for a share.
    pub color: Option<String>,
    /// `None` for the viewer's own; the owner's login and the share's access otherwise.
    pub shared_by: Option<(String, ShareAccess)>,
    /// The collection itself (its id for store queries, its `calendar-timezone`).
    pub collection: Collection,
}

impl Listed {
    /// True when the viewer may change its members.
    pub fn writable(&self) -> bool {
        self.shared_by
            .as_ref()
            .is_none_or(|(_, access)| *access == ShareAccess::ReadWrite)
    }
}

/// The viewer's collections of `kind`: own ones first (in their order), then shared ones.
pub fn visible(
    store: &dyn Store,
    plans: &Plans,
    viewer: &Account,
    kind: CollectionKind,
) -> Result<Vec<Listed>, OrgError> {
    let mut out = Vec::new();
    let own_home = home(store, plans, viewer.id)?;
    let own = home_access(viewer, viewer.id, Product::of(kind), own_home.as_ref());
    if matches!(own, Access::Owner) {
        for c in store.list_collections(viewer.id, kind)? {
            out.push(Listed {
                path: CollectionPath::of(kind, &viewer.login, &c.name),
                title: c
                    .props
                    .display_name
                    .clone()
                    .unwrap_or_else(|| c.name.clone()),
                color: c.props.color.clone(),
                shared_by: None,
                collection: c,
            });
        }
    }
    for (shared, access) in shared_with(store, plans, viewer)? {
        if shared.collection.kind != kind {
            continue;
        }
        let c = shared.collection;
        out.push(Listed {
            path: CollectionPath::of(kind, &viewer.login, &mount_name(c.id)),
            title: shared
                .view
                .display_name
                .or_else(|| c.props.display_name.clone())
                .unwrap_or_else(|| c.name.clone()),
            color: shared.view.color.or_else(|| c.props.color.clone()),
            shared_by: Some((shared.owner.login, access)),
            collection: c,
        });
    }
    Ok(out)
}

/// The viewer's own calendars, then its own address books (those of a product that is on for
/// it): what it may share, publish and restore to an earlier time.
pub fn own(store: &dyn Store, plans: &Plans, viewer: &Account) -> Result<Vec<Listed>, OrgError> {
    let mut out = Vec::new();
    for kind in [CollectionKind::Calendar, CollectionKind::AddressBook] {
        out.extend(
            visible(store, plans, viewer, kind)?
                .into_iter()
                .filter(|c| c.shared_by.is_none()),
        );
    }
    Ok(out)
}
