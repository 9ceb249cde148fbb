//! JSON shapes that the JSON API's answers and the command line's `--json` output share, so
//! both speak one format (see docs/openapi.yaml) without the command line depending on the
//! API: shares, collections shared with someone, and public links. Imports `org` and `store`
//! only; nothing here decides anything.

pub mod share;
