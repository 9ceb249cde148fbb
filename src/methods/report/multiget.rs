//! calendar-multiget and addressbook-multiget: any equivalent encoding of a member href is
//! accepted, every member appears once, hrefs outside the collection or unknown get a 404 of
//! their own (compat pitfalls 11 and 19), and the members are read in one query.

use std::collections::HashMap;

use crate::dav::multistatus::Multistatus;
use crate::dav::request::PropRequest;
use crate::href::href_path;
use crate::methods::propfind::{wants_bodies, write_response};
use crate::methods::props::PropCtx;
use crate::methods::resource::{Mount, Res};
use crate::methods::target::Target;
use crate::methods::{Ctx, DavResponse, Outcome};
use crate::store::{Account, Collection};

/// Answers a multiget on `coll`.
pub fn multiget(
    ctx: &Ctx<'_>,
    user: &Account,
    mount: &Mount,
    coll: &Collection,
    props: &PropRequest,
    hrefs: &[String],
) -> Outcome {
    let mut wanted: Vec<String> = Vec::new();
    let mut foreign: Vec<&str> = Vec::new();
    for href in hrefs {
        match Target::parse(href_path(href)) {
            Ok(Target::Object(kind, login, c, name))
                if kind == coll.kind && login == mount.home.login && c == mount.name =>
            {
                if !wanted.contains(&name) {
                    wanted.push(name);
                }
            }
            _ => foreign.push(href),
        }
    }
    let found = ctx.store.get_objects(coll.id, &wanted)?;
    let by_name: HashMap<&str, usize> = found
        .iter()
        .enumerate()
        .map(|(i, o)| (o.meta.name.as_str(), i))
        .collect();
    let with_body = wants_bodies(props);
    let pc = PropCtx::new(ctx, user);
    let mut ms = Multistatus::new();
    for name in &wanted {
        match by_name.get(name.as_str()) {
            Some(&i) => {
                let obj = &found[i];
                let body = with_body.then_some(obj.body.as_slice());
                write_response(
                    &pc,
                    &mut ms,
                    &Res::Object(mount, coll, &obj.meta),
                    props,
                    body,
                )?;
            }
            None => {
                ms.status(
                    &crate::methods::target::object_href(&mount.href(coll.kind), name),
                    404,
                );
            }
        }
    }
    for href in foreign {
        ms.status(href, 404);
    }
    Ok(DavResponse::xml(207, ms.finish()))
}
