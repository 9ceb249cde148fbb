//! `davsuite link create|list|revoke`: public calendar links, as the operator. `create` prints
//! the link's full URL, built from `server.public_url`. Without it the URL is built from
//! `server.listen` of the configuration file, which says nothing of a `serve --listen` given on
//! another command line, so `create` and `list` warn on standard error that the printed URLs
//! may not be the ones clients reach.

use clap::Subcommand;

use super::{CliResult, Common, Format, state};
use crate::org::Actor;
use crate::org::link::{self, Validity};
use crate::org::share::CollectionPath;
use crate::views::share::LinkView;

#[derive(Debug, Subcommand)]
pub(super) enum LinkAction {
    /// Publish a calendar read-only under a new unguessable link; prints its URL.
    Create {
        /// The calendar's DAV path, e.g. /dav/calendars/alice/work/.
        path: String,
        /// How long the link works: 7d, 30d, 6m, 1y or unlimited.
        #[arg(long)]
        valid: String,
    },
    /// List every link, newest first.
    List,
    /// Revoke a link: it answers 404 from then on.
    Revoke {
        /// The link's id (see `link list`).
        id: i64,
    },
}

pub(super) fn run(common: &Common, format: Format, action: LinkAction) -> CliResult {
    let state = state(common)?;
    let store = state.store.as_ref();
    let base = state.config.server.public_base();
    // Said once the URLs are printed, so a failure's standard error stays the error alone.
    let warn =
        state.config.server.public_url.is_none() && !matches!(action, LinkAction::Revoke { .. });
    let op = Actor::Operator;
    let now = store.now();
    match action {
        LinkAction::Create { path, valid } => {
            let path = CollectionPath::parse(&path)?;
            let validity = Validity::parse(&valid)?;
            let l = link::create(store, &state.config.plans, op, &path, validity, now)?;
            let view = LinkView::new(&l, &base, now);
            format.emit(&view, || view.url.clone());
        }
        LinkAction::List => {
            let views: Vec<LinkView> = link::list(store, op)?
                .iter()
                .map(|l| LinkView::new(l, &base, now))
                .collect();
            format.emit(&views, || {
                views
                    .iter()
                    .map(|v| {
                        format!(
                            "{}\t{}\t{}\texpires {}\t{}",
                            v.id,
                            v.status,
                            v.calendar,
                            v.expires.as_deref().unwrap_or("never"),
                            v.url
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            });
        }
        LinkAction::Revoke { id } => {
            let l = link::revoke(store, op, id, now)?;
            let view = LinkView::new(&l, &base, now);
            format.emit(&view, || format!("revoked link {id} ({})", view.calendar));
        }
    }
    if warn {
        eprintln!(
            "warning: server.public_url is not configured, so link URLs are built from \
             server.listen ({base}), not from a serve --listen the command line cannot know: \
             set server.public_url to the URL clients reach (e.g. https://dav.example.com/)"
        );
    }
    Ok(())
}
