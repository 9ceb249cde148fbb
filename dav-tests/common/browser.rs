//! Browser tests: Debian's headless Chromium driven through WebDriver (`chromedriver`), so the
//! web view is tested as people use it, at a desktop and at a phone size.
//!
//! Each `Browser` starts its own `chromedriver` (on a port the kernel picks, so parallel tests
//! never race for one) and one Chromium session with a fresh profile. Dropping it ends the
//! session, kills the driver and then any process still running with its profile, so a failed
//! test leaks no browser. Every wait is bounded by `WAIT`; nothing sleeps for a fixed time.

use super::{Resp, Server, binary};
use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};
use std::future::Future;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// The browser Debian's `chromium` package installs.
pub const CHROMIUM: &str = "/usr/bin/chromium";
/// The WebDriver server of Debian's `chromium-driver` package.
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// How long a wait (an element, a text, a page) may take before the test fails: generous,
/// because the machine running the tests may be busy.
pub const WAIT: Duration = Duration::from_secs(15);

/// How long one WebDriver command may take: chromedriver fails a page load after `WAIT`
/// itself; this bounds the commands it has no time limit for, should the browser hang.
const COMMAND: Duration = Duration::from_secs(30);

/// The script reading a page's visible text.
const BODY_TEXT: &str = "return document.body ? document.body.innerText : ''";

/// How often a wait looks again.
const POLL: Duration = Duration::from_millis(50);

/// The window a page is rendered in. Both are Chromium's mobile emulation (device metrics), so
/// the viewport is exactly this size in CSS pixels (a plain window size loses the height of
/// the headless window's frame); the phone also renders as a phone does: a page without
/// `<meta name="viewport">` is laid out 980 pixels wide and shrunk, and touch events exist.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Size {
    /// 1280×800, device pixel ratio 1.
    Desktop,
    /// 390×844 (an iPhone 12 to 14), device pixel ratio 3.
    Phone,
}

impl Size {
    /// Viewport width and height in CSS pixels, and the device pixel ratio.
    pub fn metrics(self) -> (u32, u32, u32) {
        match self {
            Size::Desktop => (1280, 800, 1),
            Size::Phone => (390, 844, 3),
        }
    }

    /// The `mobileEmulation` capability of chromedriver for this size.
    fn emulation(self) -> Value {
        let (width, height, ratio) = self.metrics();
        let phone = self == Size::Phone;
        json!({"deviceMetrics": {
            "width": width,
            "height": height,
            "pixelRatio": ratio,
            "mobile": phone,
            "touch": phone,
        }})
    }
}

/// A cookie as the browser holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrowserCookie {
    /// Name.
    pub name: String,
    /// Value.
    pub value: String,
    /// Hidden from page scripts.
    pub http_only: bool,
    /// Sent over HTTPS only.
    pub secure: bool,
    /// `Strict`, `Lax` or `None`, when the server set the attribute.
    pub same_site: Option<String>,
}

/// A headless Chromium session on a server, with its own driver process and profile.
pub struct Browser {
    runtime: tokio::runtime::Runtime,
    client: Option<Client>,
    driver: Child,
    profile: tempfile::TempDir,
    base: String,
}

impl Browser {
    /// An English browser at the desktop size, its relative paths resolved against `server`.
    pub fn desktop(server: &Server) -> Browser {
        Browser::open(server, Size::Desktop, &["en-US", "en"])
    }

    /// An English browser at the phone size, its relative paths resolved against `server`.
    pub fn phone(server: &Server) -> Browser {
        Browser::open(server, Size::Phone, &["en-US", "en"])
    }

    /// Starts chromedriver and a Chromium session at this size, asking for pages in these
    /// languages (its `Accept-Language`, first choice first). Fails the test, never skips it,
    /// when Chromium or chromedriver is not installed.
    pub fn open(server: &Server, size: Size, languages: &[&str]) -> Browser {
        for program in [CHROMIUM, CHROMEDRIVER] {
            assert!(
                Path::new(program).exists(),
                "{program} is missing: the browser tests need Debian's chromium and \
                 chromium-driver packages; run `.ci/run`, which installs them"
            );
        }
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("tokio runtime for the WebDriver client");
        let profile = tempfile::tempdir().expect("temporary Chromium profile");
        let (driver, port) = start_driver();
        let mut browser = Browser {
            runtime,
            client: None,
            driver,
            profile,
            base: server.url(),
        };
        let capabilities = browser.capabilities(size, languages);
        let mut builder =
            ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new());
        builder.capabilities(capabilities);
        let connected = browser.runtime.block_on(async {
            tokio::time::timeout(WAIT, builder.connect(&format!("http://127.0.0.1:{port}"))).await
        });
        // On failure `browser` is dropped by the panic, which stops the driver.
        let client = connected
            .unwrap_or_else(|_| panic!("Chromium did not start within {WAIT:?}"))
            .unwrap_or_else(|e| panic!("chromedriver could not start Chromium: {e}"));
        browser.client = Some(client);
        browser
    }

    /// The session's capabilities: the Debian binary, the arguments that keep Chromium quiet
    /// on a closed network (without the background-networking ones it waits for servers it
    /// cannot reach), the languages and the window size.
    fn capabilities(&self, size: Size, languages: &[&str]) -> serde_json::Map<String, Value> {
        let first = languages.first().expect("at least one language");
        let args = [
            "--headless".to_owned(),
            "--no-sandbox".to_owned(),
            "--disable-gpu".to_owned(),
            "--disable-quic".to_owned(),
            "--no-first-run".to_owned(),
            "--disable-background-networking".to_owned(),
            "--disable-component-update".to_owned(),
            "--disable-sync".to_owned(),
            "--disable-dev-shm-usage".to_owned(),
            format!("--lang={first}"),
            profile_argument(self.profile.path()),
        ];
        let capabilities = json!({
            "browserName": "chrome",
            "pageLoadStrategy": "normal",
            "timeouts": {"pageLoad": WAIT.as_millis(), "script": WAIT.as_millis(), "implicit": 0},
            "goog:chromeOptions": {
                "binary": CHROMIUM,
                "args": args,
                "mobileEmulation": size.emulation(),
                "prefs": {"intl": {"accept_languages": languages.join(",")}},
            },
        });
        capabilities
            .as_object()
            .cloned()
            .expect("a JSON object literal")
    }

    fn client(&self) -> &Client {
        self.client.as_ref().expect("an open session")
    }

    /// Runs one WebDriver command (bounded by `COMMAND`), failing the test with `what` and
    /// the error.
    fn run<T, E: std::fmt::Display>(
        &self,
        what: &str,
        command: impl Future<Output = Result<T, E>>,
    ) -> T {
        self.runtime
            .block_on(async { tokio::time::timeout(COMMAND, command).await })
            .unwrap_or_else(|_| panic!("{what}: no answer within {COMMAND:?}"))
            .unwrap_or_else(|e| panic!("{what}: {e}"))
    }

    /// Polls `probe` until it returns something, failing the test after `WAIT` with
    /// `waiting_for` and the page's address and text.
    #[track_caller]
    fn poll<T>(&self, waiting_for: &str, mut probe: impl FnMut(&Browser) -> Option<T>) -> T {
        let deadline = Instant::now() + WAIT;
        loop {
            if let Some(found) = probe(self) {
                return found;
            }
            if Instant::now() >= deadline {
                panic!("waited {WAIT:?} for {waiting_for}; {}", self.describe());
            }
            std::thread::sleep(POLL);
        }
    }

    /// Where the browser is and what it shows, for a failure message: never fails itself.
    fn describe(&self) -> String {
        let client = self.client();
        let read = async {
            let url = client.current_url().await?;
            let text = client.execute(BODY_TEXT, Vec::new()).await?;
            Ok::<_, fantoccini::error::CmdError>((url, text))
        };
        match self
            .runtime
            .block_on(async { tokio::time::timeout(COMMAND, read).await })
        {
            Ok(Ok((url, text))) => format!(
                "the browser is at {url} showing:\n{}",
                text.as_str().unwrap_or_default()
            ),
            Ok(Err(e)) => format!("the page cannot be read: {e}"),
            Err(_) => format!("the page cannot be read within {COMMAND:?}"),
        }
    }

    /// Loads `path` (relative to the server, like `/login`) or an absolute URL (`data:`,
    /// `http://…`) and waits for the page to load.
    pub fn goto(&self, path: &str) {
        let url = if path.starts_with('/') {
            format!("{}{path}", self.base)
        } else {
            path.to_owned()
        };
        self.run(&format!("load {url}"), self.client().goto(&url));
    }

    /// The current address.
    pub fn url(&self) -> String {
        self.run("read the address", self.client().current_url())
            .to_string()
    }

    /// The path of the current address, like `/web/calendar` (no query: see `url`).
    pub fn path(&self) -> String {
        self.run("read the address", self.client().current_url())
            .path()
            .to_owned()
    }

    /// The visible text of the page (`innerText` of the body).
    pub fn text(&self) -> String {
        self.script(BODY_TEXT)
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    /// Runs JavaScript in the page (a function body: `return …`); its JSON result.
    pub fn script(&self, js: &str) -> Value {
        self.run(
            &format!("run {js:?}"),
            self.client().execute(js, Vec::new()),
        )
    }

    /// The elements matching a CSS selector now (no wait).
    fn all(&self, css: &str) -> Vec<Element> {
        self.run(
            &format!("look for {css:?}"),
            self.client().find_all(Locator::Css(css)),
        )
    }

    /// Waits until an element matches the CSS selector; the first one.
    #[track_caller]
    pub fn wait_for(&self, css: &str) -> Element {
        self.poll(&format!("an element matching {css:?}"), |b| {
            b.all(css).into_iter().next()
        })
    }

    /// The visible text of the first element matching the CSS selector (waited for).
    #[track_caller]
    pub fn text_of(&self, css: &str) -> String {
        let element = self.wait_for(css);
        self.run(&format!("read the text of {css:?}"), element.text())
    }

    /// Waits until the page's visible text contains `text`.
    #[track_caller]
    pub fn wait_for_text(&self, text: &str) {
        self.poll(&format!("the text {text:?}"), |b| {
            b.text().contains(text).then_some(())
        })
    }

    /// Waits until the browser is at `path` (whatever the query), e.g. after a form was sent.
    #[track_caller]
    pub fn wait_for_path(&self, path: &str) {
        self.poll(&format!("the address {path}"), |b| {
            (b.path() == path).then_some(())
        })
    }

    /// The value of an attribute of the first element matching the CSS selector (waited for).
    #[track_caller]
    pub fn attribute(&self, css: &str, name: &str) -> Option<String> {
        let element = self.wait_for(css);
        self.run(&format!("read {name} of {css:?}"), element.attr(name))
    }

    /// Types `value` into the form field named `name` (waited for), replacing its content.
    #[track_caller]
    pub fn fill(&self, name: &str, value: &str) {
        assert!(!name.contains('"'), "field name {name:?}");
        self.fill_in(&format!("[name=\"{name}\"]"), value);
    }

    /// Types `value` into the first field matching the CSS selector (waited for), replacing
    /// its content: for a page with several forms whose fields share a name.
    #[track_caller]
    pub fn fill_in(&self, css: &str, value: &str) {
        let field = self.wait_for(css);
        self.run(&format!("clear field {css:?}"), field.clear());
        self.run(&format!("type into field {css:?}"), field.send_keys(value));
    }

    /// Clicks the first element matching the CSS selector (waited for).
    #[track_caller]
    pub fn click(&self, css: &str) {
        let element = self.wait_for(css);
        self.run(&format!("click {css:?}"), element.click());
    }

    /// Clicks the first element matching the CSS selector (waited for), waits for the
    /// confirmation dialog that click opens and accepts it, as a person answering "OK"; the
    /// dialog's text.
    #[track_caller]
    pub fn click_and_confirm(&self, css: &str) -> String {
        self.click(css);
        let text = self.poll(&format!("a dialog after clicking {css:?}"), |b| {
            b.runtime
                .block_on(async {
                    tokio::time::timeout(COMMAND, b.client().get_alert_text()).await
                })
                .ok()
                .and_then(Result::ok)
        });
        self.run("accept the dialog", self.client().accept_alert());
        text
    }

    /// Clicks the button (`<button>` or `<input type=submit|button>`) whose text is `text`.
    #[track_caller]
    pub fn click_button(&self, text: &str) {
        assert!(!text.contains('\''), "button text {text:?}");
        let xpath = format!(
            "//button[normalize-space(.)='{text}'] | \
             //input[(@type='submit' or @type='button') and @value='{text}']"
        );
        let button = self.poll(&format!("a button {text:?}"), |b| {
            b.run(
                &format!("look for button {text:?}"),
                b.client().find_all(Locator::XPath(&xpath)),
            )
            .into_iter()
            .next()
        });
        self.run(&format!("click button {text:?}"), button.click());
    }

    /// The cookies the browser would send to the current page.
    pub fn cookies(&self) -> Vec<BrowserCookie> {
        self.run("read cookies", self.client().get_all_cookies())
            .into_iter()
            .map(|c| BrowserCookie {
                name: c.name().to_owned(),
                value: c.value().to_owned(),
                http_only: c.http_only().unwrap_or(false),
                secure: c.secure().unwrap_or(false),
                same_site: c.same_site().map(|s| s.to_string()),
            })
            .collect()
    }

    /// Sends a request with the plain HTTP helper (`Server::request`), carrying the browser's
    /// cookies as the browser would: what a page's session may do, checked byte for byte.
    pub fn request(
        &self,
        server: &Server,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> Resp {
        let cookie = cookie_header(&self.cookies());
        let mut all = headers.to_vec();
        all.push(("Cookie", &cookie));
        server.request(method, path, None, &all, body)
    }

    /// Saves a PNG of the viewport as `target/web-screenshots/NAME.png` (printed), the
    /// artefacts that show the views; its path.
    pub fn screenshot(&self, name: &str) -> PathBuf {
        assert!(
            !name.is_empty()
                && name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'),
            "screenshot name {name:?}: letters, digits, - and _"
        );
        let png = self.run("take a screenshot", self.client().screenshot());
        let dir = screenshot_dir();
        std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("create {}: {e}", dir.display()));
        let path = dir.join(format!("{name}.png"));
        std::fs::write(&path, png).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
        println!("screenshot: {}", path.display());
        path
    }

    /// The profile directory of this browser's Chromium (unique to it).
    pub fn profile_dir(&self) -> &Path {
        self.profile.path()
    }

    /// Process id of this browser's chromedriver.
    pub fn driver_pid(&self) -> u32 {
        self.driver.id()
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        // Ending the session makes chromedriver quit Chromium; killing chromedriver alone
        // would leave Chromium running.
        if let Some(client) = self.client.take() {
            let _ = self
                .runtime
                .block_on(async { tokio::time::timeout(WAIT, client.close()).await });
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
        // A session that could not be ended (a hung browser, a failed start) leaves
        // processes with this profile behind: they are this browser's and no one else's.
        let deadline = Instant::now() + WAIT;
        loop {
            let left = processes_with_profile(self.profile.path());
            if left.is_empty() || Instant::now() >= deadline {
                break;
            }
            let _ = Command::new("kill")
                .arg("-KILL")
                .args(left.iter().map(u32::to_string))
                .stderr(Stdio::null())
                .status();
            std::thread::sleep(POLL);
        }
    }
}

/// `--user-data-dir=DIR`, the argument that marks a Chromium process as a given browser's.
fn profile_argument(dir: &Path) -> String {
    format!("--user-data-dir={}", dir.display())
}

/// Starts chromedriver on a port of the kernel's choosing and waits (bounded) until it says it
/// listens; the process and the port.
fn start_driver() -> (Child, u16) {
    let mut driver = Command::new(CHROMEDRIVER)
        .arg("--port=0")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("start {CHROMEDRIVER}: {e}"));
    let stdout = driver.stdout.take().expect("chromedriver's stdout");
    let (port_tx, port_rx) = mpsc::channel();
    // Reads the port, then keeps draining so chromedriver never blocks on a full pipe.
    std::thread::spawn(move || {
        let mut announced = false;
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if !announced && let Some(port) = announced_port(&line) {
                announced = true;
                let _ = port_tx.send(port);
            }
        }
    });
    match port_rx.recv_timeout(WAIT) {
        Ok(port) => (driver, port),
        Err(_) => {
            let _ = driver.kill();
            let _ = driver.wait();
            panic!("{CHROMEDRIVER} did not report a port within {WAIT:?}");
        }
    }
}

/// The port of chromedriver's "ChromeDriver was started successfully on port N." line.
fn announced_port(line: &str) -> Option<u16> {
    line.split_once("started successfully on port ")
        .and_then(|(_, rest)| rest.trim_end_matches('.').trim().parse().ok())
}

/// Process ids of the running processes started with this Chromium profile.
pub fn processes_with_profile(dir: &Path) -> Vec<u32> {
    let marker = profile_argument(dir);
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .filter_map(Result::ok)
        .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            std::fs::read(format!("/proc/{pid}/cmdline")).is_ok_and(|cmdline| {
                cmdline
                    .split(|b| *b == 0)
                    .any(|arg| arg == marker.as_bytes())
            })
        })
        .collect()
}

/// The `Cookie` header carrying these cookies.
pub fn cookie_header(cookies: &[BrowserCookie]) -> String {
    cookies
        .iter()
        .map(|c| format!("{}={}", c.name, c.value))
        .collect::<Vec<_>>()
        .join("; ")
}

/// `target/web-screenshots`, next to the binary under test (so `CARGO_TARGET_DIR` is honoured).
pub fn screenshot_dir() -> PathBuf {
    Path::new(binary())
        .parent()
        .and_then(Path::parent)
        .expect("the binary lives in target/PROFILE/")
        .join("web-screenshots")
}
