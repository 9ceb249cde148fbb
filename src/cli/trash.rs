//! `davsuite trash list|restore|purge|usage`, `davsuite restore PATH --at TIME` and
//! `davsuite versions PATH`: the trash and the version history, as the operator (every
//! account's). `--json` prints the JSON API's shapes.

use std::sync::Arc;
use std::time::Duration;

use clap::Subcommand;

use super::{CliResult, Common, Format, state};
use crate::api::trash::{
    PointInTimeView, PurgeView, RestoredView, StorageView, TrashItemView, VersionView,
};
use crate::app::AppState;
use crate::org::Actor;
use crate::trash::{self, Item, Paging, TrashError, rfc3339};

#[derive(Debug, Subcommand)]
pub(super) enum TrashAction {
    /// List an account's trash, most recent deletion first.
    List {
        /// The account.
        login: String,
    },
    /// Restore a trash entry: an object into its collection (or --into another), a calendar or
    /// address book with all its objects.
    Restore {
        /// The entry's id, from `trash list` (o12: an object, c3: a collection).
        id: String,
        /// Restore the object into this calendar or address book of the same owner
        /// (/dav/calendars/LOGIN/NAME/), e.g. when its own was deleted.
        #[arg(long, value_name = "COLLECTION-PATH")]
        into: Option<String>,
        /// Restore the object as a copy with a new UID (when its UID is used again).
        #[arg(long)]
        as_copy: bool,
    },
    /// Remove from every account what is older than its restore window (its plan's
    /// trash_days now) or beyond its plan's quota; the server does it on its own every
    /// `trash.purge_interval_seconds`.
    Purge {
        /// Then rewrite the whole database to give its free space back to the file system
        /// (needed once for a database created before davsuite freed space at each purge;
        /// slow on a large database, which is blocked for writes meanwhile).
        #[arg(long)]
        vacuum: bool,
    },
    /// Show an account's storage: live data against the quota, trash and history outside it.
    Usage {
        /// The account.
        login: String,
    },
}

fn item_line(i: &Item) -> String {
    let mut line = format!(
        "{}\t{}\t{}\tdeleted {}",
        i.id,
        i.kind,
        i.href,
        rfc3339(i.deleted_at)
    );
    if let Some(by) = &i.deleted_by {
        line.push_str(&format!(" by {by}"));
    }
    line.push_str(&format!("\tpurged {}", rfc3339(i.purge_at)));
    if let Some(n) = i.objects {
        line.push_str(&format!("\t{n} object(s)"));
    }
    if let Some(c) = i.collection_deleted {
        line.push_str(&format!("\t(its collection is in the trash: {c})"));
    }
    line
}

/// Runs a `trash` subcommand.
pub(super) fn run(common: &Common, format: Format, action: TrashAction) -> CliResult {
    let state = state(common)?;
    let store = state.store.as_ref();
    let plans = &state.config.plans;
    match action {
        TrashAction::List { login } => {
            let items =
                trash::list(store, plans, Actor::Operator, &login, &Paging::default())?.items;
            let views: Vec<TrashItemView> = items.iter().map(TrashItemView::from).collect();
            format.emit(&views, || {
                if items.is_empty() {
                    format!("the trash of {login} is empty")
                } else {
                    items.iter().map(item_line).collect::<Vec<_>>().join("\n")
                }
            });
        }
        TrashAction::Restore { id, into, as_copy } => {
            let done =
                trash::restore(store, plans, Actor::Operator, &id, into.as_deref(), as_copy)?;
            format.emit(&RestoredView::from(&done), || {
                match (done.objects, &done.uid) {
                    (Some(n), _) => format!("restored {} with {n} object(s)", done.href),
                    (None, Some(uid)) => format!("restored {} (UID {uid})", done.href),
                    (None, None) => format!("restored {}", done.href),
                }
            });
        }
        TrashAction::Purge { vacuum } => {
            let mut report = trash::purge(store, plans)?;
            if vacuum {
                report.released_bytes += trash::vacuum(store)?;
            }
            let p = report.purged;
            format.emit(&PurgeView::from(&report), || {
                format!(
                    "purged {} object(s), {} collection(s) and {} stored version(s) in all \
                     ({} bytes) from {} account(s); the database gave {} bytes back",
                    p.objects,
                    p.collections,
                    p.versions,
                    p.bytes,
                    report.accounts,
                    report.released_bytes
                )
            });
        }
        TrashAction::Usage { login } => {
            let s = trash::usage(store, plans, Actor::Operator, &login)?;
            format.emit(&StorageView::from(&s), || {
                let quota = s
                    .quota_bytes
                    .map_or_else(|| "no quota".to_owned(), |q| format!("of {q}"));
                format!(
                    "{login}: {} bytes used {quota}; trash {} bytes and history {} bytes kept \
                     {} days ({} plan), outside the quota",
                    s.used_bytes,
                    s.kept.trash_bytes,
                    s.kept.history_bytes,
                    s.window.days,
                    s.window.plan
                )
            });
        }
    }
    Ok(())
}

/// `davsuite restore PATH --at TIME` and `davsuite restore OBJECT-PATH --version ID` (clap
/// makes sure one of them is given).
pub(super) fn restore_at(
    common: &Common,
    format: Format,
    path: &str,
    at: Option<&str>,
    version: Option<i64>,
) -> CliResult {
    let state = state(common)?;
    let (store, plans) = (state.store.as_ref(), &state.config.plans);
    let done = match (version, at) {
        (Some(id), _) => trash::restore_version(store, plans, Actor::Operator, path, id),
        (None, Some(at)) => trash::parse_time(at)
            .and_then(|at| trash::restore_at(store, plans, Actor::Operator, path, at)),
        (None, None) => Err(TrashError::Invalid("give --at TIME or --version ID".into())),
    }?;
    format.emit(&PointInTimeView::from(&done), || {
        format!(
            "restored {} as it was at {}: {} brought back, {} removed (to the trash), {} unchanged",
            done.href,
            rfc3339(done.at),
            done.restored,
            done.deleted,
            done.unchanged
        )
    });
    Ok(())
}

/// `davsuite versions PATH`.
pub(super) fn versions(common: &Common, format: Format, path: &str) -> CliResult {
    let state = state(common)?;
    let items = trash::versions(
        state.store.as_ref(),
        &state.config.plans,
        Actor::Operator,
        path,
        &Paging::default(),
    )?
    .items;
    let views: Vec<VersionView> = items.iter().map(VersionView::from).collect();
    format.emit(&views, || {
        items
            .iter()
            .map(|v| {
                let until = match (v.to, v.ended) {
                    (Some(to), Some(how)) => format!("until {} ({how})", rfc3339(to)),
                    _ => "current".to_owned(),
                };
                let id =
                    v.id.map_or_else(|| "current".to_owned(), |id| format!("version {id}"));
                format!(
                    "{id}\tfrom {}\t{until}\t{}\t{} bytes",
                    rfc3339(v.from),
                    v.etag,
                    v.size
                )
            })
            .collect::<Vec<_>>()
            .join("\n")
    });
    Ok(())
}

/// Starts the server's purge on its interval (`trash.purge_interval_seconds`, the first run at
/// once), on a blocking thread each time; `None` when the interval is 0.
pub(super) fn background_purge(state: Arc<AppState>) -> Option<tokio::task::JoinHandle<()>> {
    let seconds = state.config.trash.purge_interval_seconds;
    if seconds == 0 {
        return None;
    }
    Some(tokio::spawn(async move {
        let mut ticks = tokio::time::interval(Duration::from_secs(seconds));
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            let state = state.clone();
            let run = tokio::task::spawn_blocking(move || {
                trash::purge(state.store.as_ref(), &state.config.plans)
            });
            match run.await {
                Ok(Ok(report)) if report.accounts > 0 => {
                    let p = report.purged;
                    tracing::info!(
                        accounts = report.accounts,
                        objects = p.objects,
                        collections = p.collections,
                        versions = p.versions,
                        bytes = p.bytes,
                        released_bytes = report.released_bytes,
                        "trash purged"
                    );
                }
                Ok(Ok(_)) => {}
                Ok(Err(e)) => tracing::error!(error = %e, "trash purge failed"),
                Err(e) => tracing::error!(error = %e, "trash purge panicked"),
            }
        }
    }))
}
