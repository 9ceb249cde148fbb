//! davsuite: a CalDAV/CardDAV sync server.
//!
//! Requests flow one way, and a module only imports the ones below it:
//!
//! | module | owns | may import |
//! |---|---|---|
//! | `cli`, `app`, `config` | command line, composition root, typed configuration | everything |
//! | `http` | hyper: accept loop, auth header, throttling, body limits, logging, shutdown, streamed exports; routes `/api` and below to `api`, `/public/` (public links, unauthenticated), `/holidays/` (holiday feeds, unauthenticated), the web view's paths to `web` and the rest to `methods` | `app` (the shared state), `config`, `api`, `web`, `methods`, `transfer` (export readers), `holidays`, `org`, `dav`, `store` (trait) |
//! | `web` | the web view: log-in and sessions, server-rendered pages (maud), embedded assets, French and English | `birthdays`, `holidays`, `transfer`, `contacts`, `trash`, `views`, `methods::target` (hrefs), `org`, `ical`, `dav` (XML escapes), `store`, `config` |
//! | `api` | the JSON API: routes, request bodies, JSON views, error bodies | `transfer`, `contacts`, `trash`, `views`, `org`, `store`, `config` |
//! | `views` | JSON shapes the API and the command line both print (shares, public links) | `org`, `store` |
//! | `trash` | the trash, the version history and restores: windows from plans, who may restore what, restored objects re-indexed like a PUT | `caldav`, `carddav`, `ical`, `methods::target` (hrefs), `org`, `store` |
//! | `methods` | one file per DAV method / report: the resource model over the store (own and shared collections), the organisation directory, sharing requests, public links | `config`, `dav`, `href`, `caldav`, `carddav`, `query`, `transfer`, `org`, `ical`, `store` |
//! | `transfer` | import, export, copy and move of objects, for DAV, the API and the command line alike | `dav`, `href`, `caldav`, `carddav`, `ical`, `org`, `store` |
//! | `birthdays` | the birthday calendar of the web view: the birthdays and anniversaries of the contacts a person reads over CardDAV, dated over a range of days, from the store's date index; never a DAV resource | `carddav::contact_dates` (a card's dates), `href`, `org`, `store` |
//! | `contacts` | contact tools: probable duplicates and their merge, contact groups | `transfer`, `ical`, `store` |
//! | `caldav`, `carddav` | what is specific to calendars / address books (properties, content rules) | `dav`, `ical`, `store` (records) |
//! | `query` | evaluating calendar-query / addressbook-query filters on object trees | `dav`, `ical` |
//! | `org` | accounts, passwords, login rules; organisations, roles, teams, plans and their rules; sharing and public links; `access`: who may do what | `store`, `href` |
//! | `dav` | generic WebDAV: XML, property names and values, conditions, request parsing | nothing from the crate |
//! | `holidays` | public holidays per country, Swiss canton and German state, computed (Easter included); their read-only iCalendar feed | `ical::write` (folding, escapes) |
//! | `href` | the one encoder and decoder of path segments (hrefs) | nothing from the crate |
//! | `ical` | iCalendar / vCard validation, index extraction (calcard) and generated vCards | nothing from the crate |
//! | `store` | records and the `Store` / `OrgStore` / `ShareStore` / `TrashStore` traits; `store::sqlite` implements them | nothing above it |
//!
//! Only `cli`/`app` and tests name `store::sqlite`; only `http` names hyper; only `dav::xml` names
//! quick-xml. `dav-tests/architecture.rs` checks these rules.

pub mod api;
pub mod app;
pub mod birthdays;
pub mod caldav;
pub mod carddav;
pub mod cli;
pub mod config;
pub mod contacts;
pub mod dav;
pub mod holidays;
pub mod href;
pub mod http;
pub mod ical;
pub mod methods;
pub mod org;
pub mod query;
pub mod store;
pub mod transfer;
pub mod trash;
pub mod views;
pub mod web;
