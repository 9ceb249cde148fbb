//! `docs/openapi.yaml` against the API it documents: the file is YAML whose every `$ref`
//! resolves and whose schemas use only OpenAPI 3.0 schema keywords, and its paths and
//! operations are exactly the routes of `src/api/routes.rs` (its module table), each with the
//! answers any request may get (401, 413, 429), which are in turn what the server answers: each
//! listed method is handled and any other is a 405 whose `Allow` names them.

use std::collections::BTreeSet;
use std::path::Path;

use yaml_rust2::{Yaml, YamlLoader};

use crate::common::*;

fn repo_file(rel: &str) -> String {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join(rel);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn openapi() -> Yaml {
    let text = repo_file("docs/openapi.yaml");
    let mut docs = YamlLoader::load_from_str(&text)
        .unwrap_or_else(|e| panic!("docs/openapi.yaml is not YAML: {e}"));
    assert_eq!(docs.len(), 1, "one YAML document");
    docs.remove(0)
}

/// One row of the route table: the path as OpenAPI writes it (`/organisations/{id}`) and the
/// methods, as listed.
struct RouteRow {
    path: String,
    methods: Vec<String>,
}

/// The table in the module documentation of `src/api/routes.rs` (the `text` block).
fn route_table() -> Vec<RouteRow> {
    let source = repo_file("src/api/routes.rs");
    let rows: Vec<RouteRow> = source
        .lines()
        .map_while(|l| l.strip_prefix("//!"))
        .skip_while(|l| l.trim() != "```text")
        .skip(1)
        .take_while(|l| l.trim() != "```")
        .map(|line| {
            let mut parts = line.split_whitespace();
            let template = parts.next().expect("a path");
            let path = template
                .split('/')
                .map(|seg| match seg {
                    "ID" | "ENTRY" => "{id}",
                    "LOGIN" => "{login}",
                    "TEAM" => "{team}",
                    // A collection by its DAV path without `dav/`, and an object in it.
                    "KIND" => "{kind}",
                    "NAME" => "{collection}",
                    "OBJECT" => "{object}",
                    "SHARE-ID" => "{shareId}",
                    "LINK-ID" => "{linkId}",
                    // The DAV path of a calendar or address book, and of an object in one.
                    "COLLECTION-PATH" => "dav/{kind}/{login}/{collection}/",
                    "OBJECT-PATH" => "dav/{kind}/{login}/{collection}/{object}",
                    other => other,
                })
                .collect::<Vec<_>>()
                .join("/");
            let methods = parts
                .collect::<Vec<_>>()
                .join(" ")
                .split(',')
                .map(|m| m.trim().to_owned())
                .collect();
            RouteRow {
                path: format!("/{path}"),
                methods,
            }
        })
        .collect();
    assert!(rows.len() > 5, "the route table was found: {}", rows.len());
    rows
}

/// Every `$ref` string in `node`.
fn refs<'a>(node: &'a Yaml, out: &mut Vec<&'a str>) {
    match node {
        Yaml::Hash(h) => {
            for (k, v) in h {
                if k.as_str() == Some("$ref") {
                    out.push(v.as_str().expect("a $ref is a string"));
                } else {
                    refs(v, out);
                }
            }
        }
        Yaml::Array(a) => a.iter().for_each(|v| refs(v, out)),
        _ => {}
    }
}

/// Paths (`a.b.c`) of the null values in `node`: the YAML of a flow mapping gone wrong (an
/// unquoted comma makes the rest a key without a value); this file has no intended null.
fn nulls(node: &Yaml, at: &str, out: &mut Vec<String>) {
    match node {
        Yaml::Null => out.push(at.to_owned()),
        Yaml::Hash(h) => {
            for (k, v) in h {
                let key = k.as_str().map_or_else(|| format!("{k:?}"), str::to_owned);
                nulls(v, &format!("{at}.{key}"), out);
            }
        }
        Yaml::Array(a) => {
            for (i, v) in a.iter().enumerate() {
                nulls(v, &format!("{at}[{i}]"), out);
            }
        }
        _ => {}
    }
}

/// The keywords an OpenAPI 3.0 schema object may use (those this file needs and their
/// close relatives).
const SCHEMA_KEYWORDS: &[&str] = &[
    "$ref",
    "type",
    "format",
    "description",
    "example",
    "enum",
    "nullable",
    "items",
    "properties",
    "required",
    "additionalProperties",
    "oneOf",
    "allOf",
    "anyOf",
    "minimum",
    "maximum",
    "minLength",
    "maxLength",
    "minItems",
    "maxItems",
    "pattern",
    "default",
    "readOnly",
    "writeOnly",
];

/// Checks a schema object and the schemas inside it; the problems found, by path.
fn check_schema(schema: &Yaml, at: &str, out: &mut Vec<String>) {
    let Some(h) = schema.as_hash() else {
        out.push(format!("{at}: a schema is a mapping"));
        return;
    };
    for (k, v) in h {
        let key = k.as_str().unwrap_or_default();
        if !SCHEMA_KEYWORDS.contains(&key) {
            out.push(format!("{at}: unknown schema keyword {key:?}"));
        }
        match key {
            "items" => check_schema(v, &format!("{at}.items"), out),
            "additionalProperties" if v.as_hash().is_some() => {
                check_schema(v, &format!("{at}.additionalProperties"), out)
            }
            "properties" => {
                for (name, prop) in v.as_hash().into_iter().flatten() {
                    let name = name.as_str().unwrap_or_default();
                    check_schema(prop, &format!("{at}.properties.{name}"), out);
                }
            }
            "oneOf" | "allOf" | "anyOf" => {
                for (i, s) in v.as_vec().into_iter().flatten().enumerate() {
                    check_schema(s, &format!("{at}.{key}[{i}]"), out);
                }
            }
            _ => {}
        }
    }
}

/// Every schema object of the document: the components' and those under a `schema` key.
fn check_schemas(node: &Yaml, at: &str, out: &mut Vec<String>) {
    match node {
        Yaml::Hash(h) => {
            for (k, v) in h {
                let key = k.as_str().unwrap_or_default();
                let here = format!("{at}.{key}");
                if key == "schema" {
                    check_schema(v, &here, out);
                } else {
                    check_schemas(v, &here, out);
                }
            }
        }
        Yaml::Array(a) => {
            for (i, v) in a.iter().enumerate() {
                check_schemas(v, &format!("{at}[{i}]"), out);
            }
        }
        _ => {}
    }
}

#[test]
fn the_openapi_file_is_well_formed() {
    let doc = openapi();
    assert_eq!(doc["openapi"].as_str(), Some("3.0.3"));
    let mut found = Vec::new();
    nulls(&doc, "", &mut found);
    assert!(found.is_empty(), "null values (unquoted text?): {found:?}");
    let mut all = Vec::new();
    refs(&doc, &mut all);
    assert!(!all.is_empty());
    for r in all {
        let target = r
            .strip_prefix("#/")
            .unwrap_or_else(|| panic!("{r}: only local references"))
            .split('/')
            .fold(&doc, |node, seg| &node[seg]);
        assert!(!target.is_badvalue(), "{r} does not resolve");
    }
    let mut problems = Vec::new();
    for (name, schema) in doc["components"]["schemas"].as_hash().expect("schemas") {
        let name = name.as_str().unwrap_or_default();
        check_schema(schema, &format!("components.schemas.{name}"), &mut problems);
    }
    check_schemas(&doc["paths"], "paths", &mut problems);
    check_schemas(&doc["components"]["responses"], "responses", &mut problems);
    assert!(problems.is_empty(), "{problems:#?}");
}

/// The operations (HTTP methods, upper case) a path item of the document defines.
fn operations(item: &Yaml) -> Vec<String> {
    const METHODS: [&str; 8] = [
        "get", "put", "post", "delete", "options", "head", "patch", "trace",
    ];
    item.as_hash()
        .expect("a path item")
        .keys()
        .filter_map(Yaml::as_str)
        .filter(|k| METHODS.contains(k))
        .map(str::to_uppercase)
        .collect()
}

#[test]
fn every_route_is_documented_with_exactly_its_methods() {
    let doc = openapi();
    let paths = doc["paths"].as_hash().expect("paths");
    let documented: BTreeSet<&str> = paths.keys().filter_map(Yaml::as_str).collect();
    let table = route_table();
    let routes: BTreeSet<&str> = table.iter().map(|r| r.path.as_str()).collect();
    assert_eq!(documented, routes, "documented paths vs routes.rs");
    for row in &table {
        let item = &doc["paths"][row.path.as_str()];
        let mut ops = operations(item);
        let mut methods = row.methods.clone();
        ops.sort();
        methods.sort();
        assert_eq!(ops, methods, "{}", row.path);
        // What the HTTP layer may answer to any request, before the route is reached.
        for op in &ops {
            let responses = &item[op.to_lowercase().as_str()]["responses"];
            for status in ["401", "413", "429"] {
                assert!(
                    !responses[status].is_badvalue(),
                    "{op} {} does not document {status}",
                    row.path
                );
            }
        }
    }
}

#[test]
fn the_route_table_is_what_the_server_answers() {
    let s = Server::start();
    let u = s.new_user("routes");
    for row in route_table() {
        // An organisation, share, link, trash entry, collection or object that does not
        // exist: the handlers refuse before changing anything.
        let path = format!(
            "/api/v1{}",
            row.path
                .replace("{id}", "999999")
                .replace("{login}", &u.login)
                .replace("{team}", "t")
                .replace("{shareId}", "999999")
                .replace("{linkId}", "999999")
                .replace("{kind}", "calendars")
                .replace("{collection}", "nothing")
                .replace("{object}", "nothing.ics")
        );
        for method in &row.methods {
            let r = s.request(method, &path, Some(&u), &[], b"");
            assert_ne!(r.status, 405, "{method} {path}: {}", r.text());
            assert_ne!(
                r.header("content-type"),
                None,
                "{method} {path}: a JSON answer"
            );
        }
        let r = s.request("PROPFIND", &path, Some(&u), &[], b"");
        assert_eq!(r.status, 405, "PROPFIND {path}: {}", r.text());
        let mut allowed: Vec<&str> = r.header_values("allow");
        // HEAD is answered wherever GET is, and listed with it.
        let mut methods: Vec<&str> = row.methods.iter().map(String::as_str).collect();
        if methods.contains(&"GET") {
            methods.push("HEAD");
        }
        allowed.sort_unstable();
        methods.sort_unstable();
        assert_eq!(allowed, methods, "Allow of {path}");
    }
}
