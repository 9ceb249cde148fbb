//! The JSON shapes of organisations, members, teams and plans (the JSON API that serves them
//! arrives with the next change; the command line's `--json` uses them already).

pub mod views;
