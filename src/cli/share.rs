//! `davsuite share add|remove|list`: sharing calendars and address books, as the operator.
//! COLLECTION-PATH is the collection's DAV path as clients see it
//! (`/dav/calendars/LOGIN/NAME/`); `--with` names a login or `team:NAME`.

use clap::Subcommand;

use super::{CliResult, Common, Format, state};
use crate::org::Actor;
use crate::org::share::{self, CollectionPath, ShareWith, parse_access};
use crate::store::Share;
use crate::views::share::ShareItemView;

#[derive(Debug, Subcommand)]
pub(super) enum ShareAction {
    /// Share a collection with a member or a team of the owner's organisations (again: change
    /// the access).
    Add {
        /// The collection's DAV path, e.g. /dav/calendars/alice/work/.
        path: String,
        /// A login, or team:NAME.
        #[arg(long = "with")]
        with: String,
        /// read or read-write.
        #[arg(long, default_value = "read")]
        access: String,
    },
    /// Stop sharing a collection with a member or a team.
    Remove {
        /// The collection's DAV path.
        path: String,
        /// A login, or team:NAME.
        #[arg(long = "with")]
        with: String,
    },
    /// List the shares of one collection, or every share.
    List {
        /// The collection's DAV path (default: every collection).
        path: Option<String>,
    },
}

fn share_line(s: &Share) -> String {
    let v = ShareItemView::from(s);
    format!(
        "{}\t{}\t{}\t{}{}",
        v.id,
        v.collection,
        v.with,
        v.access,
        if v.declined { "\tdeclined" } else { "" }
    )
}

pub(super) fn run(common: &Common, format: Format, action: ShareAction) -> CliResult {
    let state = state(common)?;
    let store = state.store.as_ref();
    let op = Actor::Operator;
    match action {
        ShareAction::Add { path, with, access } => {
            let path = CollectionPath::parse(&path)?;
            let with = ShareWith::parse(&with)?;
            let access = parse_access(&access)?;
            let (s, created) = share::add(store, op, &path, &with, access)?;
            format.emit(&ShareItemView::from(&s), || {
                let verb = if created { "shared" } else { "now sharing" };
                format!("{verb} {} with {with} ({})", path.href(), access.as_str())
            });
        }
        ShareAction::Remove { path, with } => {
            let path = CollectionPath::parse(&path)?;
            let with = ShareWith::parse(&with)?;
            share::remove(store, op, &path, &with)?;
            format.emit(
                &serde_json::json!({"unshared": path.href(), "with": with.to_string()}),
                || format!("stopped sharing {} with {with}", path.href()),
            );
        }
        ShareAction::List { path } => {
            let path = path.as_deref().map(CollectionPath::parse).transpose()?;
            let shares = share::list(store, op, path.as_ref())?;
            let views: Vec<ShareItemView> = shares.iter().map(ShareItemView::from).collect();
            format.emit(&views, || {
                shares.iter().map(share_line).collect::<Vec<_>>().join("\n")
            });
        }
    }
    Ok(())
}
