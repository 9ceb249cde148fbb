//! Checking credentials: login rules, argon2id verification with a cache of successes, and
//! throttling of repeated failures per login name and per client address.
//!
//! Clients send the password with every request and argon2id costs ~25 ms, so a success is
//! remembered under a hash of (account id, login, password, stored hash): a changed password
//! or a removed account no longer matches, so it takes effect at once.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};

use super::{password, validate_login};
use crate::store::{Account, Store, StoreError};

/// Tunables, from configuration.
#[derive(Debug, Clone, Copy)]
pub struct AuthPolicy {
    /// Failures allowed per login or address within `window`.
    pub max_failures: u32,
    /// The failure window, and the wait imposed once it is exceeded.
    pub window: Duration,
    /// How long a verified password is remembered.
    pub cache_ttl: Duration,
}

/// Why authentication failed.
#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    /// Unknown login, wrong password, or an e-mail address used as login.
    #[error("invalid credentials")]
    Invalid,
    /// Too many failures: try again after this many seconds.
    #[error("too many failed logins; retry after {0} s")]
    Throttled(u64),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Most entries either map holds before it is cleared (bounds memory under attack).
const MAX_ENTRIES: usize = 100_000;

/// Verifies credentials; one per server.
pub struct Authenticator {
    policy: AuthPolicy,
    verified: Mutex<HashMap<[u8; 32], Instant>>,
    failures: Mutex<HashMap<String, (u32, Instant)>>,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Authenticator {
    /// A new authenticator with empty cache and counters.
    pub fn new(policy: AuthPolicy) -> Self {
        Authenticator {
            policy,
            verified: Mutex::new(HashMap::new()),
            failures: Mutex::new(HashMap::new()),
        }
    }

    fn throttled(&self, keys: &[String]) -> Option<u64> {
        let now = Instant::now();
        let failures = lock(&self.failures);
        keys.iter()
            .filter_map(|k| failures.get(k))
            .filter(|(n, since)| {
                *n >= self.policy.max_failures && now.duration_since(*since) < self.policy.window
            })
            .map(|(_, since)| {
                (self.policy.window - now.duration_since(*since))
                    .as_secs()
                    .max(1)
            })
            .max()
    }

    fn record_failure(&self, keys: &[String]) {
        let now = Instant::now();
        let mut failures = lock(&self.failures);
        if failures.len() > MAX_ENTRIES {
            failures.retain(|_, (_, since)| now.duration_since(*since) < self.policy.window);
        }
        for k in keys {
            let e = failures.entry(k.clone()).or_insert((0, now));
            if now.duration_since(e.1) >= self.policy.window {
                *e = (0, now);
            }
            e.0 += 1;
        }
    }

    /// Checks `login` / `password` coming from `client`.
    pub fn authenticate(
        &self,
        store: &dyn Store,
        login: &str,
        pw: &str,
        client: IpAddr,
    ) -> Result<Account, AuthError> {
        let keys = [format!("login:{login}"), format!("addr:{client}")];
        if let Some(wait) = self.throttled(&keys) {
            return Err(AuthError::Throttled(wait));
        }
        let account = match validate_login(login) {
            Ok(()) => store.account_by_login(login)?,
            Err(_) => None, // e-mail addresses and other non-logins are refused like wrong passwords
        };
        let Some(account) = account else {
            self.record_failure(&keys);
            return Err(AuthError::Invalid);
        };
        let key: [u8; 32] = Sha256::new()
            .chain_update(account.id.to_le_bytes())
            .chain_update(login.as_bytes())
            .chain_update([0])
            .chain_update(pw.as_bytes())
            .chain_update([0])
            .chain_update(account.password_hash.as_bytes())
            .finalize()
            .into();
        let now = Instant::now();
        if lock(&self.verified)
            .get(&key)
            .is_some_and(|t| now.duration_since(*t) < self.policy.cache_ttl)
        {
            return Ok(account);
        }
        if !password::verify(pw, &account.password_hash) {
            self.record_failure(&keys);
            return Err(AuthError::Invalid);
        }
        let mut verified = lock(&self.verified);
        if verified.len() > MAX_ENTRIES {
            verified.clear();
        }
        verified.insert(key, now);
        Ok(account)
    }
}
