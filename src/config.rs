//! Typed configuration: every key has a default that works out of the box, and an unknown key
//! or a bad value is an error that names it (serde `deny_unknown_fields`).

pub mod plans;

use serde::Deserialize;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use crate::org::plan::Plans;

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
    /// The plan catalogue (`[plans.NAME]`), over the built-in offer.
    #[serde(deserialize_with = "plans::deserialize")]
    pub plans: Plans,
    /// The trash's background purge.
    pub trash: TrashConfig,
    /// The web view.
    pub web: WebConfig,
    /// Aids for tests; never set in production.
    pub testing: TestingConfig,
}

/// `[trash]`
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct TrashConfig {
    /// Seconds between two runs of the server's purge of what is older than each account's
    /// restore window (the first run is at start); 0 turns it off (`davsuite trash purge`
    /// still purges on demand).
    pub purge_interval_seconds: u64,
}

impl Default for TrashConfig {
    fn default() -> Self {
        TrashConfig {
            purge_interval_seconds: 3600,
        }
    }
}

/// `[web]`
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct WebConfig {
    /// Hours a web session lasts from its login; the person then logs in again.
    pub session_hours: u32,
}

impl Default for WebConfig {
    fn default() -> Self {
        WebConfig { session_hours: 12 }
    }
}

/// `[testing]`
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct TestingConfig {
    /// A file holding the time (Unix seconds or RFC 3339) the store records and the trash,
    /// shares and public links read, read again on every use: protocol tests move the time of a running server and
    /// of the command line together without sleeping (see `store::clock::FileClock`). Unset:
    /// the system clock.
    pub clock_file: Option<PathBuf>,
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
    /// The server's base URL as clients reach it (scheme, host, port, path prefix), for the
    /// URLs the server hands out (public calendar links); `None`: derived from `listen`.
    pub public_url: Option<String>,
}

impl ServerConfig {
    /// The public base URL without a trailing slash: `public_url`, else `http://` and the
    /// listen address (`localhost` for an unspecified address).
    pub fn public_base(&self) -> String {
        if let Some(url) = &self.public_url {
            return url.trim_end_matches('/').to_owned();
        }
        let port = self.listen.port();
        match self.listen.ip() {
            ip if ip.is_unspecified() => format!("http://localhost:{port}"),
            std::net::IpAddr::V4(ip) => format!("http://{ip}:{port}"),
            std::net::IpAddr::V6(ip) => format!("http://[{ip}]:{port}"),
        }
    }
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
    /// Largest request body accepted, in bytes (413 beyond). Object size and storage limits
    /// belong to plans.
    pub max_request_body: usize,
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            listen: SocketAddr::from(([127, 0, 0, 1], 8008)),
            data_dir: PathBuf::from("./data"),
            log: "info".into(),
            public_url: None,
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
        plans::check(&self.plans, self.limits.max_request_body).map_err(ConfigError::Value)?;
        match self.plans.get(&self.defaults.plan) {
            None => {
                return Err(ConfigError::Value(format!(
                    "defaults.plan = {:?} is not a known plan (known: {})",
                    self.defaults.plan,
                    self.plans.names()
                )));
            }
            // Organisations created without --plan (the first start's included) have no phone
            // number or country to give.
            Some(plan) if plan.personal => {
                return Err(ConfigError::Value(format!(
                    "defaults.plan = {:?} is a personal plan, which needs a phone number and a \
                     country for each organisation; choose a plan that is not personal",
                    self.defaults.plan
                )));
            }
            Some(_) => {}
        }
        if let Some(url) = &self.server.public_url {
            let rest = url
                .strip_prefix("https://")
                .or_else(|| url.strip_prefix("http://"));
            if rest.is_none_or(|r| r.is_empty() || r.starts_with('/') || r.contains(['?', '#'])) {
                return Err(ConfigError::Value(format!(
                    "server.public_url = {url:?} is not an http:// or https:// base URL \
                     (like https://dav.example.com/)"
                )));
            }
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
    use crate::org::plan::Limit;

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
        let err = Config::parse("[defaults]\nplan = \"my-ksuite\"\n", Path::new("c.toml"))
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("defaults.plan") && err.contains("personal"),
            "{err}"
        );
        let err = Config::parse("[auth]\nmax_failures = 0\n", Path::new("c.toml"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("max_failures"), "{err}");
    }

    #[test]
    fn the_public_url_is_configured_or_derived_from_listen() {
        let config = Config::default();
        assert_eq!(config.server.public_base(), "http://127.0.0.1:8008");
        let config =
            Config::parse("[server]\nlisten = \"0.0.0.0:9000\"\n", Path::new("c.toml")).unwrap();
        assert_eq!(config.server.public_base(), "http://localhost:9000");
        let config =
            Config::parse("[server]\nlisten = \"[::1]:9000\"\n", Path::new("c.toml")).unwrap();
        assert_eq!(config.server.public_base(), "http://[::1]:9000");
        let config = Config::parse(
            "[server]\npublic_url = \"https://dav.example.com/base/\"\n",
            Path::new("c.toml"),
        )
        .unwrap();
        assert_eq!(config.server.public_base(), "https://dav.example.com/base");
        for bad in ["dav.example.com", "ftp://x/", "https://", "https://x/?a"] {
            let err = Config::parse(
                &format!("[server]\npublic_url = \"{bad}\"\n"),
                Path::new("c.toml"),
            )
            .unwrap_err()
            .to_string();
            assert!(err.contains("public_url"), "{bad}: {err}");
        }
    }

    #[test]
    fn a_plan_table_changes_only_its_keys() {
        let config = Config::parse(
            "[plans.my-ksuite]\ncalendars = 3\nquota_bytes = 1000\n\
             [plans.ksuite-pro]\naddress_books = \"unlimited\"\ncalendars = 12\n",
            Path::new("c.toml"),
        )
        .unwrap();
        let my = config.plans.get("my-ksuite").unwrap();
        assert_eq!(my.calendars, Limit::AtMost(3));
        assert_eq!(my.quota_bytes, 1000);
        assert_eq!(
            my.address_books,
            Limit::AtMost(1),
            "untouched key keeps its default"
        );
        assert_eq!(my.trash_days, 7);
        let pro = config.plans.get("ksuite-pro").unwrap();
        assert_eq!(
            (pro.calendars, pro.address_books),
            (Limit::AtMost(12), Limit::Unlimited)
        );
        assert_eq!(
            config.plans.get("ksuite-standard"),
            Plans::builtin().get("ksuite-standard")
        );
    }

    #[test]
    fn a_new_plan_names_every_key() {
        let full = "[plans.gold]\nrank = 9\npersonal = false\ndirectory = true\n\
                    calendars = \"unlimited\"\naddress_books = 50\ntrash_days = 90\n\
                    quota_bytes = 10\nmax_object_size = 10\npublic_links_per_month = 1000\n\
                    [defaults]\nplan = \"gold\"\n";
        let config = Config::parse(full, Path::new("c.toml")).unwrap();
        let gold = config.plans.get("gold").unwrap();
        assert_eq!(gold.address_books, Limit::AtMost(50));
        assert_eq!(
            config.plans.iter().last().map(|p| p.name.as_str()),
            Some("gold")
        );
        let err = Config::parse("[plans.gold]\nrank = 9\n", Path::new("c.toml"))
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("plans.gold") && err.contains("personal"),
            "{err}"
        );
    }

    #[test]
    fn bad_plan_keys_and_values_are_named() {
        for (text, needle) in [
            ("[plans.my-ksuite]\ncalendar = 2\n", "calendar"),
            ("[plans.my-ksuite]\ncalendars = \"many\"\n", "unlimited"),
            ("[plans.my-ksuite]\ncalendars = -1\n", "calendars"),
            ("[plans.my-ksuite]\nrank = 3\n", "same rank"),
            (
                "[plans.ksuite-pro]\nmax_object_size = 99999999\n",
                "max_object_size",
            ),
        ] {
            let err = Config::parse(text, Path::new("c.toml"))
                .unwrap_err()
                .to_string();
            assert!(err.contains(needle), "{text}: {err}");
        }
    }
}
