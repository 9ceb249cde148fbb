//! The calendar area: the person's calendars.

use maud::html;

use super::layout::{Area, page};
use super::{Viewer, WebCtx, WebRequest, WebResponse, not_found};
use crate::store::{CollectionKind, StoreError};

/// Routes `/web/calendar/…`.
pub fn route(
    ctx: &WebCtx<'_>,
    _req: &WebRequest<'_>,
    v: &Viewer,
    tail: &[&str],
) -> Result<WebResponse, StoreError> {
    if !tail.is_empty() {
        return Ok(not_found(v));
    }
    let calendars = ctx
        .store
        .list_collections(v.account.id, CollectionKind::Calendar)?;
    let title = v.lang.texts().nav_calendar;
    Ok(WebResponse::html(
        200,
        page(
            v,
            Area::Calendar,
            title,
            html! {
                h1 { (title) }
                ul {
                    @for c in &calendars {
                        li { (c.props.display_name.as_deref().unwrap_or(&c.name)) }
                    }
                }
            },
        ),
    ))
}
