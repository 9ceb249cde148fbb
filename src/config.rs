//! Typed configuration: every key has a default that works out of the box, and an unknown key
//! or a bad value is an error that names it (serde `deny_unknown_fields`).

use serde::Deserialize;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

/// The whole configuration file.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Listening and storage.
    pub server: ServerConfig,
    /// Authentication and throttling.
    pub auth: AuthConfig,
    /// What new accounts get.
    pub defaults: DefaultsConfig,
    /// Size limits.
    pub limits: LimitsConfig,
}

/// `[server]`
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct ServerConfig {
    /// Address to listen on.
    pub listen: SocketAddr,
    /// Directory holding the SQLite database.
    pub data_dir: PathBuf,
    /// Log filter (tracing `EnvFilter` syntax); `RUST_LOG` wins when set.
    pub log: String,
}

/// `[auth]`
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct AuthConfig {
    /// Realm in `WWW-Authenticate`.
    pub realm: String,
    /// Failed logins per login name or client address within `failure_window_seconds` before
    /// further attempts get 429.
    pub max_failures: u32,
    /// Window in which failures are counted, and how long a throttled client waits.
    pub failure_window_seconds: u64,
    /// How long a successful password verification is remembered (argon2 costs ~25 ms and
    /// clients authenticate every request).
    pub cache_seconds: u64,
}

/// `[defaults]`
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct DefaultsConfig {
    /// Path segment of every new account's calendar.
    pub calendar_name: String,
    /// Display name of that calendar.
    pub calendar_display_name: String,
    /// Path segment of every new account's address book.
    pub addressbook_name: String,
    /// Display name of that address book.
    pub addressbook_display_name: String,
    /// Plan given to accounts created without `--plan`.
    pub plan: String,
}

/// `[limits]`
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct LimitsConfig {
    /// Largest request body accepted, in bytes (413 beyond).
    pub max_request_body: usize,
    /// Largest calendar object or vCard, in bytes (CALDAV/CARDDAV:max-resource-size).
    pub max_resource_size: usize,
    /// Storage quota per account for calendar and contact data, in bytes (RFC 4331).
    pub quota_bytes: u64,
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            listen: SocketAddr::from(([127, 0, 0, 1], 8008)),
            data_dir: PathBuf::from("./data"),
            log: "info".into(),
        }
    }
}

impl Default for AuthConfig {
    fn default() -> Self {
        AuthConfig {
            realm: "davsuite".into(),
            max_failures: 10,
            failure_window_seconds: 300,
            cache_seconds: 600,
        }
    }
}

impl Default for DefaultsConfig {
    fn default() -> Self {
        DefaultsConfig {
            calendar_name: "personal".into(),
            calendar_display_name: "Personal".into(),
            addressbook_name: "contacts".into(),
            addressbook_display_name: "Contacts".into(),
            plan: "ksuite-standard".into(),
        }
    }
}

impl Default for LimitsConfig {
    fn default() -> Self {
        LimitsConfig {
            max_request_body: 10 << 20,
            max_resource_size: 5 << 20,
            quota_bytes: 1 << 30,
        }
    }
}

/// Why the configuration could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file could not be read.
    #[error("cannot read config file {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The file is not valid TOML or has an unknown key or a bad value.
    #[error("config file {path}: {message}")]
    Invalid {
        /// The file.
        path: PathBuf,
        /// What toml said, naming the key.
        message: String,
    },
    /// A value parsed but is not usable.
    #[error("config: {0}")]
    Value(String),
}

impl Config {
    /// Parses a TOML document; `path` is only used in messages.
    pub fn parse(text: &str, path: &Path) -> Result<Config, ConfigError> {
        let config: Config = toml::from_str(text).map_err(|e| ConfigError::Invalid {
            path: path.to_owned(),
            message: e.to_string(),
        })?;
        config.check()?;
        Ok(config)
    }

    /// Loads `path`, or the file named by `$DAVSUITE_CONFIG`, or the built-in defaults.
    pub fn load(path: Option<&Path>) -> Result<Config, ConfigError> {
        let from_env = std::env::var_os("DAVSUITE_CONFIG").map(PathBuf::from);
        match path.map(Path::to_path_buf).or(from_env) {
            None => Ok(Config::default()),
            Some(p) => {
                let text = std::fs::read_to_string(&p).map_err(|source| ConfigError::Read {
                    path: p.clone(),
                    source,
                })?;
                Config::parse(&text, &p)
            }
        }
    }

    fn check(&self) -> Result<(), ConfigError> {
        let names = [
            ("defaults.calendar_name", &self.defaults.calendar_name),
            ("defaults.addressbook_name", &self.defaults.addressbook_name),
        ];
        for (key, v) in names {
            if v.is_empty() || v.contains('/') || v.starts_with('.') {
                return Err(ConfigError::Value(format!(
                    "{key} = {v:?} is not a usable collection name"
                )));
            }
        }
        if self.limits.max_resource_size > self.limits.max_request_body {
            return Err(ConfigError::Value(
                "limits.max_resource_size must not exceed limits.max_request_body".into(),
            ));
        }
        if !crate::org::plan::is_known(&self.defaults.plan) {
            return Err(ConfigError::Value(format!(
                "defaults.plan = {:?} is not a known plan (known: {})",
                self.defaults.plan,
                crate::org::plan::PLANS.join(", ")
            )));
        }
        if self.auth.max_failures == 0 {
            return Err(ConfigError::Value(
                "auth.max_failures must be at least 1".into(),
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn example_file_matches_the_defaults() {
        let text = include_str!("../config.example.toml");
        assert_eq!(
            Config::parse(text, Path::new("config.example.toml")).unwrap(),
            Config::default()
        );
    }

    #[test]
    fn unknown_key_is_named() {
        let err = Config::parse("[server]\nlisten_addr = \"x\"\n", Path::new("c.toml"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("listen_addr"), "{err}");
        let err = Config::parse("[nope]\n", Path::new("c.toml"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("nope"), "{err}");
    }

    #[test]
    fn bad_value_is_named() {
        let err = Config::parse(
            "[server]\nlisten = \"not an address\"\n",
            Path::new("c.toml"),
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("listen"), "{err}");
        let err = Config::parse("[defaults]\nplan = \"gold\"\n", Path::new("c.toml"))
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("defaults.plan") && err.contains("gold"),
            "{err}"
        );
        let err = Config::parse("[auth]\nmax_failures = 0\n", Path::new("c.toml"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("max_failures"), "{err}");
    }
}
