//! The server under test: the release `davsuite` binary started as a separate process in a
//! temporary data directory, exactly as deployed (default configuration, `info` logging with
//! one line per request, written to a file), plus what the benchmark reads from outside:
//! memory from `/proc/PID/status` and server-side durations from the request log.

use std::io::{BufRead, BufReader, Read, Seek, SeekFrom};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// How long the server may take to print its port.
const START_TIMEOUT: Duration = Duration::from_secs(60);

/// Finds the server binary: `explicit` if given, else `davsuite` next to this executable.
pub fn locate_binary(explicit: Option<&Path>) -> Result<PathBuf, String> {
    let path = match explicit {
        Some(p) => p.to_path_buf(),
        None => {
            let me = std::env::current_exe()
                .map_err(|e| format!("cannot find the benchmark's own executable: {e}"))?;
            let dir = me
                .parent()
                .ok_or("the benchmark executable has no parent directory")?;
            dir.join(format!("davsuite{}", std::env::consts::EXE_SUFFIX))
        }
    };
    if !path.is_file() {
        return Err(format!(
            "server binary {} not found.\n  Build it first:  cargo build --release && cargo run --release --bin davsuite-bench\n  (or pass --server PATH)",
            path.display()
        ));
    }
    Ok(path)
}

/// Memory figures of the server process, in KiB.
#[derive(Debug, Clone, Copy)]
pub struct Memory {
    /// Peak resident set size (`VmHWM`).
    pub peak_kib: u64,
    /// Current resident set size (`VmRSS`).
    pub current_kib: u64,
}

/// One request line of the server log.
#[derive(Debug, Clone)]
pub struct LogLine {
    /// HTTP method.
    pub method: String,
    /// Request path.
    pub path: String,
    /// Response status.
    pub status: u16,
    /// Server-side duration in milliseconds (request received to response built).
    pub ms: f64,
}

/// A running server; killed (and its directory removed unless kept) when dropped.
pub struct Server {
    child: Child,
    /// Address it listens on.
    pub addr: SocketAddr,
    /// Password of the `admin` account it created on first start.
    pub admin_password: String,
    /// Temporary directory holding the data directory and the log.
    pub dir: PathBuf,
    /// The server's standard error (its log).
    pub log: PathBuf,
    /// Keep `dir` when dropped.
    pub keep: bool,
}

impl Server {
    /// Starts `binary serve --listen 127.0.0.1:0 --data DIR/data` in a fresh temporary
    /// directory and waits for its port and the admin password on standard output.
    pub fn start(binary: &Path) -> Result<Server, String> {
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or_default();
        let dir =
            std::env::temp_dir().join(format!("davsuite-bench-{}-{nanos}", std::process::id()));
        std::fs::create_dir_all(&dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        let log = dir.join("server.log");
        let log_file = std::fs::File::create(&log)
            .map_err(|e| format!("cannot create {}: {e}", log.display()))?;
        let mut child = Command::new(binary)
            .arg("serve")
            .arg("--listen")
            .arg("127.0.0.1:0")
            .arg("--data")
            .arg(dir.join("data"))
            // Default configuration and default (info) logging, as deployed.
            .env_remove("DAVSUITE_CONFIG")
            .env_remove("RUST_LOG")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::from(log_file))
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", binary.display()))?;
        let stdout = child.stdout.take().ok_or("no stdout pipe")?;
        // A thread reads standard output for good (so the server never blocks on a full pipe)
        // and forwards the lines; the wait for the port can then time out.
        let (tx, rx) = mpsc::channel::<String>();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                // Once nobody listens any more, keep draining.
                let _ = tx.send(line);
            }
        });
        let mut server = Server {
            child,
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            admin_password: String::new(),
            dir,
            log,
            keep: false,
        };
        let deadline = std::time::Instant::now() + START_TIMEOUT;
        loop {
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            let line = match rx.recv_timeout(left) {
                Ok(line) => line,
                Err(_) => {
                    server.keep = true;
                    return Err(format!(
                        "the server did not report its port within {START_TIMEOUT:?} (or exited); its log {}:\n{}",
                        server.log.display(),
                        server.log_tail(20)
                    ));
                }
            };
            if let Some(rest) =
                line.strip_prefix("created the first account: login admin, password ")
            {
                server.admin_password = rest.trim().to_owned();
            }
            if let Some(rest) = line.strip_prefix("davsuite listening on http://") {
                let addr = rest.trim_end_matches('/');
                server.addr = addr
                    .parse()
                    .map_err(|e| format!("cannot parse the listen address {addr:?}: {e}"))?;
                break;
            }
        }
        if server.admin_password.is_empty() {
            return Err("the server did not print the admin password on first start".into());
        }
        Ok(server)
    }

    /// Process id of the server.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Peak and current resident set size from `/proc/PID/status`.
    pub fn memory(&self) -> Result<Memory, String> {
        let path = format!("/proc/{}/status", self.pid());
        let status = std::fs::read_to_string(&path)
            .map_err(|e| format!("cannot read {path} (Linux only): {e}"))?;
        let field = |name: &str| -> Result<u64, String> {
            status
                .lines()
                .find_map(|l| l.strip_prefix(name))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
                .ok_or_else(|| format!("no {name} in {path}"))
        };
        Ok(Memory {
            peak_kib: field("VmHWM:")?,
            current_kib: field("VmRSS:")?,
        })
    }

    /// Current size of the log, as a position to read from later.
    pub fn log_position(&self) -> u64 {
        std::fs::metadata(&self.log).map(|m| m.len()).unwrap_or(0)
    }

    /// The request lines logged between two positions.
    pub fn log_requests(&self, from: u64, to: u64) -> Vec<LogLine> {
        let Ok(mut file) = std::fs::File::open(&self.log) else {
            return Vec::new();
        };
        if file.seek(SeekFrom::Start(from)).is_err() {
            return Vec::new();
        }
        let mut text = String::new();
        let len = to.saturating_sub(from);
        if file.take(len).read_to_string(&mut text).is_err() {
            return Vec::new();
        }
        text.lines().filter_map(parse_log_line).collect()
    }

    /// Number of lines in the log (to show that logging was on).
    pub fn log_lines(&self) -> usize {
        std::fs::read(&self.log)
            .map(|b| b.iter().filter(|&&c| c == b'\n').count())
            .unwrap_or(0)
    }

    /// The last `n` lines of the log, for error messages.
    pub fn log_tail(&self, n: usize) -> String {
        let text = std::fs::read_to_string(&self.log).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(n)..].join("\n")
    }

    /// True while the process runs.
    pub fn running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }
}

/// CPU time (user + system, all threads) a process has used so far, in seconds, from
/// `/proc/PID/stat` (`pid` may be `"self"`). Assumes the usual 100 clock ticks per second.
pub fn cpu_seconds(pid: &str) -> Option<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name is in parentheses and may contain spaces; fields follow the last ')'.
    let rest = &stat[stat.rfind(')')? + 1..];
    let fields: Vec<&str> = rest.split_ascii_whitespace().collect();
    // Fields 14 (utime) and 15 (stime) of proc(5); `rest` starts at field 3.
    let utime: f64 = fields.get(11)?.parse().ok()?;
    let stime: f64 = fields.get(12)?.parse().ok()?;
    Some((utime + stime) / 100.0)
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        if !self.keep {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

/// Reads `... request method=GET path=/x status=200 ms=0.12 user=admin` (tracing's format).
fn parse_log_line(line: &str) -> Option<LogLine> {
    if !line.contains(" request ") && !line.contains(" request:") {
        return None;
    }
    let mut method = None;
    let mut path = None;
    let mut status = None;
    let mut ms = None;
    for token in line.split_ascii_whitespace() {
        if let Some(v) = token.strip_prefix("method=") {
            method = Some(v.to_owned());
        } else if let Some(v) = token.strip_prefix("path=") {
            path = Some(v.to_owned());
        } else if let Some(v) = token.strip_prefix("status=") {
            status = v.parse().ok();
        } else if let Some(v) = token.strip_prefix("ms=") {
            ms = v.parse().ok();
        }
    }
    Some(LogLine {
        method: method?,
        path: path?,
        status: status?,
        ms: ms?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_a_request_line() {
        let l = parse_log_line(
            "2025-01-01T00:00:00.000000Z  INFO davsuite::http::service: request method=PROPFIND path=/dav/calendars/admin/personal/ status=207 ms=12.34 user=admin",
        )
        .expect("parsed");
        assert_eq!(l.method, "PROPFIND");
        assert_eq!(l.status, 207);
        assert!((l.ms - 12.34).abs() < 1e-9);
    }
}
