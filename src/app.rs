//! The composition root: configuration, the store and the authenticator, built once and shared
//! by every request. No logic lives here.

use std::sync::Arc;
use std::time::Duration;

use crate::config::Config;
use crate::org::accounts::DefaultCollections;
use crate::org::auth::{AuthPolicy, Authenticator};
use crate::store::clock::{Clock, FileClock, SystemClock};
use crate::store::sqlite::SqliteStore;
use crate::store::{Store, StoreError};

/// Shared server state.
pub struct AppState {
    /// Configuration in force.
    pub config: Config,
    /// The store.
    pub store: Arc<dyn Store>,
    /// Credential checks.
    pub auth: Authenticator,
}

/// File name of the SQLite database inside the data directory.
pub const DATABASE_FILE: &str = "davsuite.sqlite3";

impl AppState {
    /// Opens the embedded SQLite store in the configured data directory (created if needed).
    pub fn open(config: Config) -> Result<AppState, StoreError> {
        let dir = &config.server.data_dir;
        std::fs::create_dir_all(dir).map_err(|e| {
            StoreError::Backend(format!(
                "cannot create data directory {}: {e}",
                dir.display()
            ))
        })?;
        // The trash and the version history read the time from the store's clock, which tests
        // may point at a file (`testing.clock_file`).
        let clock: Arc<dyn Clock> = match &config.testing.clock_file {
            Some(path) => Arc::new(FileClock::new(path.clone())),
            None => Arc::new(SystemClock),
        };
        let store = SqliteStore::open_with_clock(&dir.join(DATABASE_FILE), clock)?;
        Ok(AppState::with_store(config, Arc::new(store)))
    }

    /// Builds the state around any store.
    pub fn with_store(config: Config, store: Arc<dyn Store>) -> AppState {
        let a = &config.auth;
        let auth = Authenticator::new(AuthPolicy {
            max_failures: a.max_failures,
            window: Duration::from_secs(a.failure_window_seconds),
            cache_ttl: Duration::from_secs(a.cache_seconds),
        });
        AppState {
            config,
            store,
            auth,
        }
    }

    /// The default collections new accounts get, from configuration.
    pub fn default_collections(&self) -> DefaultCollections {
        let d = &self.config.defaults;
        DefaultCollections {
            calendar: (d.calendar_name.clone(), d.calendar_display_name.clone()),
            addressbook: (
                d.addressbook_name.clone(),
                d.addressbook_display_name.clone(),
            ),
        }
    }
}
