//! The Apple configuration profile (`.mobileconfig`) that sets up CalDAV and CardDAV on macOS
//! and iOS in one step: two payloads (`com.apple.caldav.account`, `com.apple.carddav.account`)
//! with the server, port, TLS and the person's login and principal URL. The password is not in
//! the profile: the device asks for it on installation, so the file is no secret. Payload UUIDs
//! are derived from the server and the login, so downloading the profile again replaces the
//! installed one instead of adding a second account.

use sha2::{Digest, Sha256};

use crate::dav::xml::escape_text;

/// Where the server is reached, split as the profile wants it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerAddress {
    /// Host name (or address) without the port.
    pub host: String,
    /// TCP port.
    pub port: u16,
    /// Whether the server is reached over TLS.
    pub tls: bool,
}

impl ServerAddress {
    /// Reads a base URL such as `https://dav.example.org` or `http://127.0.0.1:8008`;
    /// `None` for anything else.
    pub fn parse(base: &str) -> Option<ServerAddress> {
        let (tls, rest) = if let Some(r) = base.strip_prefix("https://") {
            (true, r)
        } else {
            (false, base.strip_prefix("http://")?)
        };
        let authority = rest.split('/').next().filter(|a| !a.is_empty())?;
        let (host, port) = match authority.rsplit_once(':') {
            // An IPv6 literal without a port ends with `]`.
            Some((h, p)) if !p.ends_with(']') => (h, p.parse().ok()?),
            _ => (authority, if tls { 443 } else { 80 }),
        };
        Some(ServerAddress {
            host: host.to_owned(),
            port,
            tls,
        })
    }
}

/// A UUID (version 4 layout) derived from `parts`, stable for the same parts.
fn stable_uuid(parts: &[&str]) -> String {
    let mut h = Sha256::new();
    for p in parts {
        h.update(p.as_bytes());
        h.update([0]);
    }
    let mut b: [u8; 16] = h.finalize()[..16].try_into().unwrap_or([0; 16]);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02X}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

/// One `<key>…</key><string>…</string>` pair.
fn string(out: &mut String, key: &str, value: &str) {
    out.push_str(&format!(
        "\t\t\t<key>{key}</key>\n\t\t\t<string>{}</string>\n",
        escape_text(value)
    ));
}

/// The payload of one protocol (`CalDAV` or `CardDAV`).
fn payload(
    out: &mut String,
    protocol: &str,
    server: &ServerAddress,
    login: &str,
    principal: &str,
    label: &str,
) {
    let lower = protocol.to_ascii_lowercase();
    out.push_str("\t\t<dict>\n");
    string(out, &format!("{protocol}AccountDescription"), label);
    string(out, &format!("{protocol}HostName"), &server.host);
    out.push_str(&format!(
        "\t\t\t<key>{protocol}Port</key>\n\t\t\t<integer>{}</integer>\n",
        server.port
    ));
    string(out, &format!("{protocol}PrincipalURL"), principal);
    out.push_str(&format!(
        "\t\t\t<key>{protocol}UseSSL</key>\n\t\t\t<{}/>\n",
        server.tls
    ));
    string(out, &format!("{protocol}Username"), login);
    string(out, "PayloadDescription", label);
    string(out, "PayloadDisplayName", label);
    string(
        out,
        "PayloadIdentifier",
        &format!("{}.{}.{lower}", reverse_host(&server.host), login),
    );
    string(out, "PayloadType", &format!("com.apple.{lower}.account"));
    string(
        out,
        "PayloadUUID",
        &stable_uuid(&[&server.host, login, &lower]),
    );
    out.push_str("\t\t\t<key>PayloadVersion</key>\n\t\t\t<integer>1</integer>\n\t\t</dict>\n");
}

/// `dav.example.org` → `org.example.dav`, the usual form of profile identifiers.
fn reverse_host(host: &str) -> String {
    let mut parts: Vec<&str> = host.split('.').collect();
    parts.reverse();
    parts.join(".")
}

/// Labels the profile shows on the device.
#[derive(Debug, Clone, Copy)]
pub struct Labels<'a> {
    /// The whole profile.
    pub profile: &'a str,
    /// What the profile does.
    pub description: &'a str,
    /// The calendar account.
    pub calendars: &'a str,
    /// The contacts account.
    pub contacts: &'a str,
}

/// The profile for `login` on `server`, whose principal is at path `principal`.
pub fn mobileconfig(
    server: &ServerAddress,
    login: &str,
    principal: &str,
    labels: Labels<'_>,
) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" \"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n\
         <plist version=\"1.0\">\n<dict>\n\t<key>PayloadContent</key>\n\t<array>\n",
    );
    payload(
        &mut out,
        "CalDAV",
        server,
        login,
        principal,
        labels.calendars,
    );
    payload(
        &mut out,
        "CardDAV",
        server,
        login,
        principal,
        labels.contacts,
    );
    out.push_str("\t</array>\n");
    let mut top = String::new();
    string(&mut top, "PayloadDescription", labels.description);
    string(&mut top, "PayloadDisplayName", labels.profile);
    string(
        &mut top,
        "PayloadIdentifier",
        &format!("{}.{}", reverse_host(&server.host), login),
    );
    string(&mut top, "PayloadOrganization", &server.host);
    string(&mut top, "PayloadType", "Configuration");
    string(
        &mut top,
        "PayloadUUID",
        &stable_uuid(&[&server.host, login]),
    );
    // The top-level dict is indented one level less than the payloads.
    out.push_str(&top.replace("\t\t\t", "\t"));
    out.push_str("\t<key>PayloadRemovalDisallowed</key>\n\t<false/>\n\t<key>PayloadVersion</key>\n\t<integer>1</integer>\n</dict>\n</plist>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls_split_into_host_port_and_tls() {
        assert_eq!(
            ServerAddress::parse("https://dav.example.org"),
            Some(ServerAddress {
                host: "dav.example.org".into(),
                port: 443,
                tls: true
            })
        );
        assert_eq!(
            ServerAddress::parse("http://127.0.0.1:8008/"),
            Some(ServerAddress {
                host: "127.0.0.1".into(),
                port: 8008,
                tls: false
            })
        );
        assert_eq!(
            ServerAddress::parse("http://[::1]"),
            Some(ServerAddress {
                host: "[::1]".into(),
                port: 80,
                tls: false
            })
        );
        assert_eq!(ServerAddress::parse("ftp://x"), None);
        assert_eq!(ServerAddress::parse("https://"), None);
        assert_eq!(ServerAddress::parse("https://h:notaport"), None);
    }

    #[test]
    fn uuids_are_stable_and_well_formed() {
        let a = stable_uuid(&["h", "alice"]);
        assert_eq!(a, stable_uuid(&["h", "alice"]));
        assert_ne!(a, stable_uuid(&["h", "bob"]));
        assert_ne!(stable_uuid(&["ha", "b"]), stable_uuid(&["h", "ab"]));
        assert_eq!(a.len(), 36);
        assert_eq!(&a[14..15], "4");
    }

    #[test]
    fn the_profile_escapes_what_it_is_given() {
        let server = ServerAddress::parse("https://dav.example.org").expect("url");
        let labels = Labels {
            profile: "A & B <x>",
            description: "d",
            calendars: "c",
            contacts: "k",
        };
        let p = mobileconfig(&server, "alice", "/dav/principals/users/alice/", labels);
        assert!(p.contains("<string>A &amp; B &lt;x&gt;</string>"), "{p}");
        assert!(p.contains("<string>com.apple.caldav.account</string>"));
        assert!(p.contains("<string>com.apple.carddav.account</string>"));
        assert!(p.contains("<key>CalDAVUseSSL</key>\n\t\t\t<true/>"), "{p}");
        assert!(p.contains("<integer>443</integer>"));
        assert!(
            !p.contains("Password"),
            "the profile never carries a password"
        );
    }
}
