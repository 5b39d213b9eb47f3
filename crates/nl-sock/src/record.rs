//! Recording a socket's traffic as a netlink pcap capture.
//!
//! A [`Recorder`] writes every datagram a [`Socket`](crate::Socket) sends
//! or receives as one frame of link type 253 (`LINKTYPE_NETLINK`), the
//! format `tcpdump -i nlmon0` writes: Wireshark opens the file, and
//! nl-wire's `nlpcap` example or [`nl_wire::pcap::Capture`] decode it.
//! Requests are frames "to kernel", replies and notifications "to user".
//!
//! ```no_run
//! use nl_sock::{Recorder, Socket};
//! use nl_wire::netlink::NETLINK_ROUTE;
//!
//! let rec = Recorder::create("/tmp/session.pcap")?;
//! let mut sock = Socket::open(NETLINK_ROUTE)?;
//! sock.record_to(rec.clone());
//! // ... requests and dumps ...
//! rec.flush()?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Setting the environment variable [`PCAP_ENV`] (`NETLINK_PCAP=FILE`)
//! makes the facade crate record all its sockets into one file
//! ([`Recorder::from_env`]). A socket without a recorder pays one
//! predictable branch per datagram.
//!
//! **A capture holds secrets.** It is every byte that crossed the socket:
//! IPsec keys of `ip xfrm state add`, WireGuard private keys, anything a
//! request carried. [`Recorder::create`] makes the file readable by its
//! owner only (mode 0600, also when it replaces an older capture, and a
//! symbolic link at the path is refused, not followed); share captures as
//! you would share the keys. `NETLINK_PCAP`
//! is ignored in setuid, setgid or file-capability programs (`AT_SECURE`),
//! as glibc ignores its dangerous variables there, so such a program never
//! writes a privileged capture wherever its caller points.

use std::io::{self, Write};
use std::path::Path;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{SystemTime, UNIX_EPOCH};

use nl_wire::pcap::{self, Direction, Timestamp};

/// The environment variable naming a file that [`Recorder::from_env`]
/// records into.
pub const PCAP_ENV: &str = "NETLINK_PCAP";

struct Inner {
    out: Box<dyn Write + Send>,
    scratch: Vec<u8>,
    frames: u64,
    error: Option<io::Error>,
}

/// A pcap writer shared by any number of sockets (clones share the file).
///
/// Each frame is written with one `write_all`, so frames of sockets used
/// on different threads never interleave. A write error does not fail
/// the socket's operation: the first one is kept and returned by
/// [`Recorder::flush`] and [`Recorder::take_error`], and recording stops.
#[derive(Clone)]
pub struct Recorder {
    inner: Arc<Mutex<Inner>>,
}

impl std::fmt::Debug for Recorder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Recorder")
            .field("frames", &self.frames())
            .finish_non_exhaustive()
    }
}

impl Recorder {
    /// Writes the pcap file header to `out` and records into it. Wrap a
    /// file in a `BufWriter` for throughput, and call [`Recorder::flush`]
    /// before reading the file.
    pub fn new(mut out: impl Write + Send + 'static) -> io::Result<Self> {
        let mut header = Vec::with_capacity(24);
        pcap::write_file_header(&mut header);
        out.write_all(&header)?;
        Ok(Recorder {
            inner: Arc::new(Mutex::new(Inner {
                out: Box::new(out),
                scratch: Vec::new(),
                frames: 0,
                error: None,
            })),
        })
    }

    /// Creates (or truncates) `path` and records into it, one write per
    /// frame, so the file is complete after every frame even if the
    /// process never flushes. The file is readable and writable by its
    /// owner only (0600: a capture holds keys), an existing file included;
    /// a symbolic link at `path` is refused (`ELOOP`), and so is a file
    /// whose mode this process cannot tighten (it is not truncated then).
    pub fn create(path: impl AsRef<Path>) -> io::Result<Self> {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        let file = std::fs::OpenOptions::new()
            .write(true)
            .create(true)
            .mode(0o600)
            .custom_flags(nix::libc::O_NOFOLLOW)
            .open(path)?;
        // An older capture may have a wider mode: tighten it before
        // anything is written, and truncate only then.
        file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
        file.set_len(0)?;
        Recorder::new(file)
    }

    /// The process-wide recorder named by `NETLINK_PCAP`, opened on the
    /// first call: `Ok(None)` when the variable is unset or empty, or when
    /// the process runs with privileges its caller lacks (`AT_SECURE`:
    /// setuid, setgid, file capabilities), where the variable is ignored;
    /// the open error (on every call) when the file cannot be created.
    pub fn from_env() -> io::Result<Option<Recorder>> {
        static ENV: OnceLock<Result<Option<Recorder>, (io::ErrorKind, String)>> = OnceLock::new();
        let r = ENV.get_or_init(|| match std::env::var_os(PCAP_ENV) {
            Some(_) if crate::sys::at_secure() => Ok(None),
            Some(path) if !path.is_empty() => Recorder::create(&path).map(Some).map_err(|e| {
                (
                    e.kind(),
                    format!("{PCAP_ENV}={}: {e}", Path::new(&path).display()),
                )
            }),
            _ => Ok(None),
        });
        match r {
            Ok(rec) => Ok(rec.clone()),
            Err((kind, text)) => Err(io::Error::new(*kind, text.clone())),
        }
    }

    /// Appends one frame: `datagram` (one or more netlink messages) going
    /// `direction` on a socket of `protocol`, stamped with the current time.
    pub fn record(&self, direction: Direction, protocol: i32, datagram: &[u8]) {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default();
        let time = Timestamp {
            secs: now.as_secs(),
            nanos: now.subsec_nanos(),
        };
        let Ok(mut inner) = self.inner.lock() else {
            return;
        };
        if inner.error.is_some() {
            return;
        }
        let inner = &mut *inner;
        inner.scratch.clear();
        let protocol = u16::try_from(protocol).unwrap_or(u16::MAX);
        pcap::write_record(&mut inner.scratch, time, direction, protocol, datagram);
        match inner.out.write_all(&inner.scratch) {
            Ok(()) => inner.frames += 1,
            Err(e) => inner.error = Some(e),
        }
    }

    /// Frames written so far.
    pub fn frames(&self) -> u64 {
        self.inner.lock().map(|i| i.frames).unwrap_or(0)
    }

    /// The first write error, if any; recording resumes after it is taken.
    pub fn take_error(&self) -> Option<io::Error> {
        self.inner.lock().ok().and_then(|mut i| i.error.take())
    }

    /// Flushes the writer; returns the first write error if one happened.
    pub fn flush(&self) -> io::Result<()> {
        let mut inner = self
            .inner
            .lock()
            .map_err(|_| io::Error::other("recorder lock poisoned"))?;
        if let Some(e) = inner.error.take() {
            return Err(e);
        }
        inner.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A `Write` whose bytes the test can read back.
    #[derive(Clone, Default)]
    struct Shared(Arc<Mutex<Vec<u8>>>);

    impl Write for Shared {
        fn write(&mut self, b: &[u8]) -> io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(b);
            Ok(b.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn frames_decode() {
        let buf = Shared::default();
        let rec = Recorder::new(buf.clone()).unwrap();
        rec.record(Direction::ToKernel, 0, &[1, 2, 3]);
        rec.clone().record(Direction::ToUser, 6, &[4]);
        assert_eq!(rec.frames(), 2);
        let bytes = buf.0.lock().unwrap().clone();
        let frames: Vec<_> = pcap::Capture::new(&bytes)
            .unwrap()
            .map(|r| r.unwrap().netlink().unwrap())
            .map(|f| (f.direction(), f.protocol, f.payload.to_vec()))
            .collect();
        assert_eq!(
            frames,
            [
                (Direction::ToKernel, 0, vec![1, 2, 3]),
                (Direction::ToUser, 6, vec![4])
            ]
        );
    }

    struct Broken;
    impl Write for Broken {
        fn write(&mut self, b: &[u8]) -> io::Result<usize> {
            if b.len() == 24 {
                Ok(24) // the file header goes through
            } else {
                Err(io::Error::other("disk full"))
            }
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn capture_files_are_private_and_links_refused() {
        use std::os::unix::fs::PermissionsExt;
        let dir = std::env::temp_dir().join(format!("nl-rec-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("c.pcap");
        let _ = std::fs::remove_file(&path);
        let rec = Recorder::create(&path).unwrap();
        rec.record(Direction::ToKernel, 0, &[1, 2, 3, 4]);
        rec.flush().unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "{mode:o}");
        // An older world-readable file is tightened and truncated.
        drop(rec);
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        let rec = Recorder::create(&path).unwrap();
        rec.flush().unwrap();
        let meta = std::fs::metadata(&path).unwrap();
        assert_eq!(meta.permissions().mode() & 0o777, 0o600);
        assert_eq!(meta.len(), 24, "only the pcap header");
        // A symlink planted at the path is not followed either.
        let link = dir.join("l.pcap");
        let _ = std::fs::remove_file(&link);
        std::os::unix::fs::symlink(dir.join("target"), &link).unwrap();
        assert!(Recorder::create(&link).is_err());
        assert!(!dir.join("target").exists());
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn write_errors_are_kept_not_raised() {
        let rec = Recorder::new(Broken).unwrap();
        rec.record(Direction::ToKernel, 0, &[1]);
        rec.record(Direction::ToKernel, 0, &[1]);
        assert_eq!(rec.frames(), 0);
        assert_eq!(rec.flush().unwrap_err().to_string(), "disk full");
        assert!(rec.flush().is_ok());
    }
}
