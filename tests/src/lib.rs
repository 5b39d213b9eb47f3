//! Harness for kernel tests: every test body runs on a thread of its own
//! inside a fresh, private network namespace, so tests never touch the
//! host's interfaces and run in parallel.
//!
//! A test that needs a kernel feature this kernel lacks returns
//! [`skip`]`("reason")`: the harness prints `SKIP <test>: <reason>` and the
//! test passes. With `NETLINK_TESTS_STRICT=1` (the VM tier, whose kernel
//! has every module) a skip is a failure.

use std::ffi::OsStr;
use std::fmt;
use std::io::Write;
use std::process::Command;

use anyhow::{Context, Result, bail};
use nix::sched::{CloneFlags, unshare};

/// Environment variable that turns skips into failures.
pub const STRICT_ENV: &str = "NETLINK_TESTS_STRICT";

/// The reason a test could not run here.
#[derive(Debug)]
pub struct Skip(pub String);

impl fmt::Display for Skip {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "skipped: {}", self.0)
    }
}

impl std::error::Error for Skip {}

/// An error that makes the harness skip the test (or fail it in strict mode).
pub fn skip(reason: impl Into<String>) -> anyhow::Error {
    anyhow::Error::new(Skip(reason.into()))
}

/// Whether skips are failures in this run.
pub fn strict() -> bool {
    std::env::var_os(STRICT_ENV).is_some_and(|v| v != "0" && !v.is_empty())
}

/// The namespace a test body runs in.
pub struct Netns {
    tid: i32,
}

impl Netns {
    /// A path other threads can open to reach this namespace
    /// (`/proc/PID/task/TID/ns/net`) while the test body runs.
    pub fn path(&self) -> String {
        format!("/proc/{}/task/{}/ns/net", std::process::id(), self.tid)
    }

    /// Runs `ip ARGS` (iproute2) in this namespace; its stdout on success,
    /// an error with its stderr otherwise.
    pub fn ip<I, S>(&self, args: I) -> Result<String>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        run_tool("ip", args)
    }

    /// Runs `ip -j ARGS` and parses its JSON.
    pub fn ip_json<I, S>(&self, args: I) -> Result<serde_json::Value>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        let mut all: Vec<std::ffi::OsString> = vec!["-j".into()];
        all.extend(args.into_iter().map(|a| a.as_ref().to_owned()));
        let out = run_tool("ip", all)?;
        if out.trim().is_empty() {
            return Ok(serde_json::Value::Array(Vec::new()));
        }
        serde_json::from_str(&out).with_context(|| format!("ip -j output: {out}"))
    }

    /// Runs any command (`tc`, `bridge`, ...) in this namespace.
    pub fn cmd<I, S>(&self, program: &str, args: I) -> Result<String>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        run_tool(program, args)
    }
}

fn run_tool<I, S>(program: &str, args: I) -> Result<String>
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    let args: Vec<_> = args.into_iter().map(|a| a.as_ref().to_owned()).collect();
    // The child is forked from this thread, so it inherits its namespace.
    let out = Command::new(program)
        .args(&args)
        .output()
        .with_context(|| format!("running {program} (is it installed?)"))?;
    if !out.status.success() {
        bail!(
            "{program} {}: {}",
            args.iter()
                .map(|a| a.to_string_lossy())
                .collect::<Vec<_>>()
                .join(" "),
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Runs `body` in a fresh network namespace on a dedicated thread.
///
/// Not root: prints `SKIP` and returns (CI runs as root, so these tests
/// run there). A body returning [`skip`] is reported the same way, or fails
/// under [`STRICT_ENV`]. Any other error fails the test with its chain.
pub fn in_netns<F>(name: &str, body: F)
where
    F: FnOnce(&Netns) -> Result<()> + Send,
{
    if !nix::unistd::geteuid().is_root() {
        report_skip(name, "needs root to create network namespaces");
        return;
    }
    let outcome = std::thread::scope(|s| {
        s.spawn(|| -> Result<()> {
            unshare(CloneFlags::CLONE_NEWNET).context("unshare(CLONE_NEWNET)")?;
            let ns = Netns {
                tid: nix::unistd::gettid().as_raw(),
            };
            body(&ns)
        })
        .join()
    });
    match outcome {
        Ok(Ok(())) => {}
        Ok(Err(e)) => match e.downcast_ref::<Skip>() {
            Some(Skip(reason)) => report_skip(name, reason),
            None => panic!("{name}: {e:?}"),
        },
        Err(panic) => std::panic::resume_unwind(panic),
    }
}

fn report_skip(name: &str, reason: &str) {
    if strict() {
        panic!("{name}: skipped in strict mode ({STRICT_ENV}): {reason}");
    }
    // Straight to the process's stderr: libtest captures `eprintln!` of a
    // passing test, which would hide every skip and its reason.
    let _ = writeln!(std::io::stderr(), "SKIP {name}: {reason}");
}

/// Turns "this kernel lacks the feature" errors (EOPNOTSUPP, "Unknown
/// device type", EAFNOSUPPORT, EPROTONOSUPPORT, ENOENT for a module-backed
/// kind) into a skip naming `feature`; other errors pass through.
pub fn need_feature<T>(result: std::result::Result<T, nl_sock::Error>, feature: &str) -> Result<T> {
    match result {
        Ok(v) => Ok(v),
        Err(e) if e.kind() == nl_sock::ErrorKind::NotSupported => {
            Err(skip(format!("kernel lacks {feature}: {e}")))
        }
        Err(e) => Err(e.into()),
    }
}

use nix::libc;
use nix::{setsockopt_impl, sockopt_impl};

sockopt_impl!(
    /// `PACKET_ADD_MEMBERSHIP` with a `struct packet_mreq`.
    PacketAddMembership,
    SetOnly,
    nix::libc::SOL_PACKET,
    nix::libc::PACKET_ADD_MEMBERSHIP,
    nix::libc::packet_mreq
);

/// Opens an `AF_PACKET` socket with `PACKET_MR_PROMISC` membership on link
/// `index`, as tcpdump does: the link's promiscuity count goes up by one
/// until the socket is closed, without `IFF_PROMISC` being set.
pub fn packet_promisc(index: u32) -> Result<std::os::fd::OwnedFd> {
    use nix::sys::socket::{AddressFamily, SockFlag, SockType, setsockopt, socket};
    let fd = socket(
        AddressFamily::Packet,
        SockType::Raw,
        SockFlag::SOCK_CLOEXEC,
        None,
    )
    .context("socket(AF_PACKET)")?;
    let mreq = nix::libc::packet_mreq {
        mr_ifindex: i32::try_from(index)?,
        mr_type: nix::libc::PACKET_MR_PROMISC as u16,
        mr_alen: 0,
        mr_address: [0; 8],
    };
    setsockopt(&fd, PacketAddMembership, &mreq).context("PACKET_ADD_MEMBERSHIP")?;
    Ok(fd)
}

/// Runs a comparison until it passes, for at most about two seconds.
///
/// The kernel finishes some changes asynchronously (carrier and operstate
/// through linkwatch, IPv6 link-local addresses and their routes after a
/// link comes up), so two dumps taken a moment apart (ours and `ip`'s) can
/// differ although both are right. A real difference persists and is
/// reported with the last attempt's error.
pub fn settled<T>(mut compare: impl FnMut() -> Result<T>) -> Result<T> {
    let mut last = None;
    for _ in 0..20 {
        match compare() {
            Ok(v) => return Ok(v),
            Err(e) => last = Some(e),
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    Err(last.unwrap_or_else(|| anyhow::anyhow!("no attempt ran")))
}
