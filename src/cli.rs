//! The command line: `serve` and the `user` subcommands. Every subcommand takes `--config` and
//! `--data` like `serve`, so the same database is found the same way.

use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;
use std::sync::Arc;

use clap::{Args, Parser, Subcommand};

use crate::app::AppState;
use crate::config::Config;
use crate::org::{AccountSpec, create_account, password};

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
        action: UserAction,
        #[command(flatten)]
        common: Common,
    },
}

#[derive(Debug, Subcommand)]
enum UserAction {
    /// Create an account with its default calendar and address book.
    Add {
        /// Login name (a-z, 0-9, '.', '_', '-').
        login: String,
        /// Read the password from standard input instead of generating one.
        #[arg(long)]
        password_stdin: bool,
        /// E-mail address.
        #[arg(long)]
        email: Option<String>,
        /// Display name.
        #[arg(long)]
        display_name: Option<String>,
        /// Plan (default: defaults.plan from config).
        #[arg(long)]
        plan: Option<String>,
    },
    /// Change an account's password (read from standard input).
    Passwd {
        /// Login name.
        login: String,
        /// Read the password from standard input (required).
        #[arg(long, required = true)]
        password_stdin: bool,
    },
    /// List accounts.
    List,
    /// Remove an account and all its data.
    Remove {
        /// Login name.
        login: String,
    },
}

type CliResult = Result<(), String>;

fn load(common: &Common) -> Result<Config, String> {
    let mut config = Config::load(common.config.as_deref()).map_err(|e| e.to_string())?;
    if let Some(d) = &common.data {
        config.server.data_dir = d.clone();
    }
    Ok(config)
}

fn open(config: Config) -> Result<AppState, String> {
    AppState::open(config).map_err(|e| e.to_string())
}

fn read_password() -> Result<String, String> {
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(|e| format!("cannot read password: {e}"))?;
    Ok(line.trim_end_matches(['\r', '\n']).to_owned())
}

/// Parses the command line and runs it; returns the process exit code.
pub fn main() -> i32 {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Serve { listen, common } => serve(&common, listen),
        Command::User { action, common } => user(&common, action),
    };
    match result {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("davsuite: {e}");
            1
        }
    }
}

fn user(common: &Common, action: UserAction) -> CliResult {
    let state = open(load(common)?)?;
    let store = state.store.as_ref();
    match action {
        UserAction::Add {
            login,
            password_stdin,
            email,
            display_name,
            plan,
        } => {
            let (pw, generated) = if password_stdin {
                (read_password()?, false)
            } else {
                (password::generate(), true)
            };
            let spec = AccountSpec {
                login,
                password: pw.clone(),
                email,
                display_name,
                plan: plan.unwrap_or_else(|| state.config.defaults.plan.clone()),
            };
            let account = create_account(store, &spec, &state.default_collections())
                .map_err(|e| e.to_string())?;
            println!("created account {}", account.login);
            if generated {
                println!("password: {pw}");
                println!(
                    "(shown once; change it with `davsuite user passwd {} --password-stdin`)",
                    account.login
                );
            }
            Ok(())
        }
        UserAction::Passwd { login, .. } => {
            let pw = read_password()?;
            if !(8..=1024).contains(&pw.len()) {
                return Err("password must be 8 to 1024 characters".into());
            }
            let hash = password::hash(&pw)?;
            store
                .set_password_hash(&login, &hash)
                .map_err(|e| e.to_string())?;
            println!("password changed for {login}");
            Ok(())
        }
        UserAction::List => {
            let mut out = std::io::stdout().lock();
            for a in store.list_accounts().map_err(|e| e.to_string())? {
                let _ = writeln!(
                    out,
                    "{}\t{}\t{}",
                    a.login,
                    a.display_name,
                    a.email.unwrap_or_default(),
                );
            }
            Ok(())
        }
        UserAction::Remove { login } => {
            store.remove_account(&login).map_err(|e| e.to_string())?;
            println!("removed account {login}");
            Ok(())
        }
    }
}

/// Creates the first account on an empty database and prints its password once.
fn bootstrap(state: &AppState) -> CliResult {
    if state.store.count_accounts().map_err(|e| e.to_string())? > 0 {
        return Ok(());
    }
    let pw = password::generate();
    let spec = AccountSpec {
        login: "admin".into(),
        password: pw.clone(),
        email: None,
        display_name: Some("Administrator".into()),
        plan: state.config.defaults.plan.clone(),
    };
    create_account(state.store.as_ref(), &spec, &state.default_collections())
        .map_err(|e| e.to_string())?;
    println!("created the first account: login admin, password {pw}");
    println!("(shown once; change it with `davsuite user passwd admin --password-stdin`)");
    Ok(())
}

fn serve(common: &Common, listen: Option<std::net::SocketAddr>) -> CliResult {
    let mut config = load(common)?;
    if let Some(l) = listen {
        config.server.listen = l;
    }
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .or_else(|_| tracing_subscriber::EnvFilter::try_new(&config.server.log))
        .map_err(|e| format!("server.log: {e}"))?;
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::stderr().is_terminal())
        .with_writer(std::io::stderr)
        .init();
    let state = open(config)?;
    bootstrap(&state)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    runtime.block_on(async move {
        let addr = state.config.server.listen;
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .map_err(|e| format!("cannot listen on {addr}: {e}"))?;
        let local = listener.local_addr().map_err(|e| e.to_string())?;
        // Tests and scripts read this line to find the port when listening on port 0.
        println!("davsuite listening on http://{local}/");
        let _ = std::io::stdout().flush();
        crate::http::run(listener, Arc::new(state), shutdown_signal()).await;
        Ok::<(), String>(())
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
