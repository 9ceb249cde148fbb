//! The command line: `serve`, the operator's commands `user`, `org`, `member`, `team`,
//! `share`, `link`, `trash`, `restore` and `versions`, `import` / `export` of calendars and
//! address books, and the `contacts` tools.
//! Every subcommand takes `--config` and `--data` like `serve`, so the same database is found
//! the same way.
//!
//! The command line acts as the operator: it passes every role check (whoever runs it runs the
//! server), while the data invariants hold as for anyone: an organisation keeps a legal owner,
//! plans are only upgraded, and the personal plans keep one account with a phone number and a
//! supported country. Every organisation command prints JSON with `--json` (the API's shapes).

mod contacts;
mod error;
mod link;
mod member;
mod org;
mod output;
mod share;
mod team;
mod transfer;
mod trash;
mod user;

use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;
use std::sync::Arc;

use clap::{Args, Parser, Subcommand};

use self::error::CliError;
use crate::app::AppState;
use crate::config::Config;
use crate::org::organisation;
use crate::org::{AccountSpec, Signup, password, sign_up};

/// davsuite: CalDAV/CardDAV sync server.
#[derive(Debug, Parser)]
#[command(name = "davsuite", version, about)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// Options every subcommand shares.
#[derive(Debug, Args, Clone)]
pub struct Common {
    /// Configuration file (default: $DAVSUITE_CONFIG, else built-in defaults).
    #[arg(long, global = true)]
    config: Option<PathBuf>,
    /// Data directory holding the database (overrides server.data_dir).
    #[arg(long, global = true)]
    data: Option<PathBuf>,
}

/// How the account and organisation commands print their result.
#[derive(Debug, Args, Clone, Copy)]
pub struct Format {
    /// Print the result as JSON (the JSON API's shapes).
    #[arg(long, global = true)]
    json: bool,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the server.
    Serve {
        /// Address to listen on (overrides server.listen), e.g. 127.0.0.1:8008 or 127.0.0.1:0.
        #[arg(long)]
        listen: Option<std::net::SocketAddr>,
        #[command(flatten)]
        common: Common,
    },
    /// Manage accounts.
    User {
        #[command(subcommand)]
        action: user::UserAction,
        #[command(flatten)]
        common: Common,
        #[command(flatten)]
        format: Format,
    },
    /// Manage organisations: create, show, list, plan and legal contact details.
    Org {
        #[command(subcommand)]
        action: org::OrgAction,
        #[command(flatten)]
        common: Common,
        #[command(flatten)]
        format: Format,
    },
    /// Manage the members of an organisation.
    Member {
        #[command(subcommand)]
        action: member::MemberAction,
        #[command(flatten)]
        common: Common,
        #[command(flatten)]
        format: Format,
    },
    /// Manage the teams of an organisation.
    Team {
        #[command(subcommand)]
        action: team::TeamAction,
        #[command(flatten)]
        common: Common,
        #[command(flatten)]
        format: Format,
    },
    /// Share calendars and address books with members and teams.
    Share {
        #[command(subcommand)]
        action: share::ShareAction,
        #[command(flatten)]
        common: Common,
        #[command(flatten)]
        format: Format,
    },
    /// Publish calendars under public links.
    Link {
        #[command(subcommand)]
        action: link::LinkAction,
        #[command(flatten)]
        common: Common,
        #[command(flatten)]
        format: Format,
    },
    /// List, restore and purge deleted events, tasks, contacts, calendars and address books.
    Trash {
        #[command(subcommand)]
        action: trash::TrashAction,
        #[command(flatten)]
        common: Common,
        #[command(flatten)]
        format: Format,
    },
    /// Restore a calendar or address book (or one object) as it was at a time within its
    /// owner's restore window, or an object to one of its versions; what is removed goes to
    /// the trash.
    Restore {
        /// /dav/calendars/LOGIN/NAME/ or /dav/addressbooks/LOGIN/NAME/ (or an object's path).
        #[arg(value_name = "PATH")]
        path: String,
        /// The time: 2025-01-07T10:00:00Z, 2025-01-07T11:00:00+01:00 or 2025-01-07 10:00 (UTC).
        #[arg(long, required_unless_present = "version", conflicts_with = "version")]
        at: Option<String>,
        /// An object's version, by the id `versions PATH` shows.
        #[arg(long, value_name = "ID")]
        version: Option<i64>,
        #[command(flatten)]
        common: Common,
        #[command(flatten)]
        format: Format,
    },
    /// List the versions kept of an object (restore one with `restore PATH --version ID`).
    Versions {
        /// The object's path, /dav/calendars/LOGIN/NAME/OBJECT.
        #[arg(value_name = "PATH")]
        path: String,
        #[command(flatten)]
        common: Common,
        #[command(flatten)]
        format: Format,
    },
    /// Import an .ics file into a calendar or a .vcf file into an address book (objects with
    /// a UID already there are updated, identical ones left alone).
    Import {
        /// The file (`-`: standard input).
        file: PathBuf,
        /// The collection: /dav/calendars/LOGIN/NAME/ or /dav/addressbooks/LOGIN/NAME/.
        #[arg(long)]
        into: String,
        #[command(flatten)]
        common: Common,
        #[command(flatten)]
        format: Format,
    },
    /// Contact tools: probable duplicates and their merge, contact groups.
    Contacts {
        #[command(subcommand)]
        action: contacts::ContactsAction,
        #[command(flatten)]
        common: Common,
        #[command(flatten)]
        format: Format,
    },
    /// Export a calendar as one .ics file or an address book as one .vcf file.
    Export {
        /// The collection: /dav/calendars/LOGIN/NAME/ or /dav/addressbooks/LOGIN/NAME/.
        collection: String,
        /// Write to this file instead of standard output.
        #[arg(long)]
        out: Option<PathBuf>,
        #[command(flatten)]
        common: Common,
        /// `--json`: a failure as the JSON API's error body (the export itself is the file).
        #[command(flatten)]
        format: Format,
    },
}

/// What a command fails with.
type CliResult = Result<(), CliError>;

fn load(common: &Common) -> Result<Config, CliError> {
    let mut config = Config::load(common.config.as_deref())
        .map_err(|e| CliError::new("invalid-config", e.to_string()))?;
    if let Some(d) = &common.data {
        config.server.data_dir = d.clone();
    }
    Ok(config)
}

fn open(config: Config) -> Result<AppState, CliError> {
    Ok(AppState::open(config)?)
}

/// Loads the configuration and opens the store, for every command but `serve`.
fn state(common: &Common) -> Result<AppState, CliError> {
    open(load(common)?)
}

fn read_password() -> Result<String, CliError> {
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(|e| CliError::new("bad-input", format!("cannot read password: {e}")))?;
    Ok(line.trim_end_matches(['\r', '\n']).to_owned())
}

/// A new account's spec, its password read from standard input or generated; the generated
/// password is returned too, to be shown once.
fn new_account(
    login: String,
    email: Option<String>,
    display_name: Option<String>,
    password_stdin: bool,
) -> Result<(AccountSpec, Option<String>), CliError> {
    let (password, generated) = if password_stdin {
        (read_password()?, None)
    } else {
        let pw = password::generate();
        (pw.clone(), Some(pw))
    };
    let spec = AccountSpec {
        login,
        password,
        email,
        display_name,
    };
    Ok((spec, generated))
}

/// Parses the command line and runs it; returns the process exit code.
pub fn main() -> i32 {
    let cli = Cli::parse();
    let (json, result) = match cli.command {
        Command::Serve { listen, common } => (false, serve(&common, listen)),
        Command::User {
            action,
            common,
            format,
        } => (format.json, user::run(&common, format, action)),
        Command::Org {
            action,
            common,
            format,
        } => (format.json, org::run(&common, format, action)),
        Command::Member {
            action,
            common,
            format,
        } => (format.json, member::run(&common, format, action)),
        Command::Team {
            action,
            common,
            format,
        } => (format.json, team::run(&common, format, action)),
        Command::Share {
            action,
            common,
            format,
        } => (format.json, share::run(&common, format, action)),
        Command::Link {
            action,
            common,
            format,
        } => (format.json, link::run(&common, format, action)),
        Command::Trash {
            action,
            common,
            format,
        } => (format.json, trash::run(&common, format, action)),
        Command::Restore {
            path,
            at,
            version,
            common,
            format,
        } => (
            format.json,
            trash::restore_at(&common, format, &path, at.as_deref(), version),
        ),
        Command::Versions {
            path,
            common,
            format,
        } => (format.json, trash::versions(&common, format, &path)),
        Command::Import {
            file,
            into,
            common,
            format,
        } => (
            format.json,
            transfer::run_import(&common, format, &file, &into),
        ),
        Command::Export {
            collection,
            out,
            common,
            format,
        } => (
            format.json,
            transfer::run_export(&common, &collection, out.as_ref()),
        ),
        Command::Contacts {
            action,
            common,
            format,
        } => (format.json, contacts::run(&common, format, action)),
    };
    match result {
        Ok(()) => 0,
        Err(e) => {
            e.print(json);
            1
        }
    }
}

/// Creates the first account on an empty database, in an organisation of its own (like any
/// account created without `--org`), and prints its password once.
fn bootstrap(state: &AppState) -> CliResult {
    if state.store.count_accounts()? > 0 {
        return Ok(());
    }
    let pw = password::generate();
    let spec = AccountSpec {
        login: "admin".into(),
        password: pw.clone(),
        email: None,
        display_name: Some("Administrator".into()),
    };
    sign_up(
        state.store.as_ref(),
        &state.config.plans,
        &spec,
        &Signup::default(),
        &state.config.defaults.plan,
        &state.default_collections(),
    )?;
    println!("created the first account: login admin, password {pw}");
    println!("(shown once; change it with `davsuite user passwd admin --password-stdin`)");
    Ok(())
}

/// Refuses to serve while an organisation's plan is missing from the configuration: every
/// request of its members would fail. Names each organisation with its plan.
fn check_plans(state: &AppState) -> CliResult {
    let plans = &state.config.plans;
    let missing = organisation::unconfigured(state.store.as_ref(), plans)?;
    if missing.is_empty() {
        return Ok(());
    }
    let named: Vec<String> = missing
        .iter()
        .map(|o| format!("{} ({})", o.name, o.plan))
        .collect();
    Err(CliError::new(
        "unconfigured-plan",
        format!(
            "the configuration does not define the plan of these organisations: {}; add a \
             [plans.NAME] table for each (known plans: {})",
            named.join(", "),
            plans.names()
        ),
    ))
}

fn serve(common: &Common, listen: Option<std::net::SocketAddr>) -> CliResult {
    let mut config = load(common)?;
    if let Some(l) = listen {
        config.server.listen = l;
    }
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .or_else(|_| tracing_subscriber::EnvFilter::try_new(&config.server.log))
        .map_err(|e| CliError::new("invalid-config", format!("server.log: {e}")))?;
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::stderr().is_terminal())
        .with_writer(std::io::stderr)
        .init();
    let state = open(config)?;
    check_plans(&state)?;
    bootstrap(&state)?;
    let failed = |e: std::io::Error| CliError::new("startup", e.to_string());
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(failed)?;
    runtime.block_on(async move {
        let addr = state.config.server.listen;
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .map_err(|e| CliError::new("startup", format!("cannot listen on {addr}: {e}")))?;
        let local = listener.local_addr().map_err(failed)?;
        // Tests and scripts read this line to find the port when listening on port 0.
        println!("davsuite listening on http://{local}/");
        let _ = std::io::stdout().flush();
        let state = Arc::new(state);
        let purge = trash::background_purge(state.clone());
        crate::http::run(listener, state, shutdown_signal()).await;
        if let Some(task) = purge {
            task.abort();
        }
        Ok::<(), CliError>(())
    })?;
    tracing::info!("stopped");
    Ok(())
}

/// Completes on Ctrl-C or SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
    tracing::info!("shutdown requested; draining");
}
