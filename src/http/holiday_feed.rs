//! The holiday feeds, read-only and without authentication (like public links, but nothing in
//! them is anyone's): `GET /holidays/REGION.ics` serves the region's holidays from last year
//! to five years ahead as one `text/calendar` stream clients subscribe to (`?lang=fr` names
//! them in French; English by default), and `GET /holidays/` lists the regions as JSON, for
//! pickers.
//!
//! - The ETag is a hash of the bytes (which change once a year, with the span, or when the
//!   rules do), so `If-None-Match` answers 304; caches may keep an answer a day.
//! - An unknown region answers 404, an unknown language 400; only GET and HEAD (and OPTIONS),
//!   anything else is 405 with `Allow`.

use std::ops::RangeInclusive;

use chrono::{DateTime, Datelike};
use serde_json::json;

use super::service::text;
use crate::holidays::{self, Lang, PATH_PREFIX, REGIONS};
use crate::methods::{DavResponse, Method, etag_listed, etag_of};

/// How long caches may keep an answer, seconds: the feed moves on once a year.
const MAX_AGE: u32 = 86_400;

/// The methods the feeds answer.
const ALLOW: &str = "GET, HEAD, OPTIONS";

/// Years served before the current one.
const YEARS_BEFORE: i32 = 1;

/// Years served after the current one.
const YEARS_AFTER: i32 = 5;

/// The years a feed served at `now` (Unix seconds) spans, UTC; `None` for a time chrono
/// cannot represent.
fn span(now: i64) -> Option<RangeInclusive<i32>> {
    let year = DateTime::from_timestamp(now, 0)?.year();
    Some(year - YEARS_BEFORE..=year + YEARS_AFTER)
}

/// The language a query asks for (`lang=en|fr`, other parameters ignored): English without
/// one, `Err` with the value for one it does not know.
fn language(query: Option<&str>) -> Result<Lang, String> {
    let asked = query
        .unwrap_or_default()
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(key, _)| *key == "lang")
        .map(|(_, value)| value);
    match asked {
        None => Ok(Lang::default()),
        Some(value) => Lang::parse(value).ok_or_else(|| value.to_owned()),
    }
}

/// Every region, its names (with its country) and its feed's path.
fn region_list() -> DavResponse {
    let regions: Vec<_> = REGIONS
        .iter()
        .map(|r| {
            json!({
                "code": r.code,
                "name": { "en": r.title(Lang::En), "fr": r.title(Lang::Fr) },
                "calendar": holidays::feed_path(r),
            })
        })
        .collect();
    DavResponse {
        status: 200,
        headers: vec![("content-type", "application/json".into())],
        body: serde_json::Value::Array(regions).to_string().into_bytes(),
        stream: None,
    }
    .with("cache-control", format!("public, max-age={MAX_AGE}"))
}

/// Answers `method` on `path` (under [`PATH_PREFIX`]) with `query`, at `now` (Unix seconds).
pub(super) fn respond(
    method: Method,
    path: &str,
    query: Option<&str>,
    if_none_match: Option<&str>,
    now: i64,
) -> DavResponse {
    match method {
        Method::Get | Method::Head => {}
        Method::Options => return DavResponse::empty(200).with("allow", ALLOW),
        _ => {
            return text(405, "a holiday calendar can only be read").with("allow", ALLOW);
        }
    }
    if path == PATH_PREFIX {
        return region_list();
    }
    let Some(region) = holidays::feed_region(path) else {
        return text(
            404,
            &format!("no holiday calendar here; the regions are listed at {PATH_PREFIX}"),
        );
    };
    let lang = match language(query) {
        Ok(lang) => lang,
        Err(value) => {
            return text(
                400,
                &format!("unknown language {value:?}: lang is en or fr"),
            );
        }
    };
    let Some(years) = span(now) else {
        tracing::error!(now, "the clock is outside the calendar");
        return text(500, "internal error");
    };
    let body = holidays::calendar(region, years, lang).into_bytes();
    let tag = etag_of(&body);
    let cache = format!("public, max-age={MAX_AGE}");
    if let Some(h) = if_none_match
        && etag_listed(h, &tag, true)
    {
        return DavResponse::empty(304)
            .with("etag", tag)
            .with("cache-control", cache);
    }
    DavResponse::calendar(body)
        .with("etag", tag)
        .with("cache-control", cache)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 2026-11-26T12:00:00Z.
    const NOW: i64 = 1_795_694_400;

    #[test]
    fn serves_last_year_to_five_years_ahead() {
        assert_eq!(span(NOW), Some(2025..=2031));
        assert_eq!(span(i64::MAX), None);
    }

    #[test]
    fn the_language_comes_from_the_lang_parameter_only() {
        assert_eq!(language(None), Ok(Lang::En));
        assert_eq!(language(Some("")), Ok(Lang::En));
        assert_eq!(language(Some("x=1&lang=fr")), Ok(Lang::Fr));
        assert_eq!(language(Some("language=fr")), Ok(Lang::En));
        assert_eq!(language(Some("lang=de")), Err("de".to_owned()));
    }

    #[test]
    fn a_feed_is_a_calendar_with_a_strong_etag_and_a_day_of_caching() {
        let r = respond(Method::Get, "/holidays/CH-GE.ics", None, None, NOW);
        assert_eq!(r.status, 200);
        let header = |name: &str| {
            r.headers
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| v.as_str())
        };
        assert_eq!(header("content-type"), Some("text/calendar; charset=utf-8"));
        assert_eq!(header("cache-control"), Some("public, max-age=86400"));
        let tag = header("etag").expect("etag");
        assert!(tag.starts_with('"'), "{tag}");
        let again = respond(Method::Head, "/holidays/ch-ge.ics", None, Some(tag), NOW);
        assert_eq!(again.status, 304);
    }
}
