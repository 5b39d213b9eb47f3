//! Harness for kernel tests: every test body runs on a thread of its own
//! inside a fresh, private network namespace, so tests never touch the
//! host's interfaces and run in parallel.
//!
//! A test that needs a kernel feature this kernel lacks returns
//! [`skip`]`("reason")`: the harness prints `SKIP <test>: <reason>` and the
//! test passes. With `NETLINK_TESTS_STRICT=1` (the VM tier, whose kernel
//! has every module) a skip is a failure. The reason names the feature:
//! [`need_feature`] for the library's own requests, and [`Netns::ip`] /
//! [`Netns::cmd`] read the reference tool's error and the command line
//! ("kernel lacks bridge VLAN filtering", "kernel lacks seg6 lightweight
//! tunnels"), so a setup command that needs an optional feature skips too.
//! [`Netns::partial`] skips one part of a test and runs the rest.
//!
//! A reference tool that is not installed skips naming its Debian package;
//! with `NETLINK_TESTS_TOOLS=1` (set by `scripts/test`, which installs
//! them first) that is a failure.

use std::ffi::OsStr;
use std::fmt;
use std::io::Write;
use std::process::Command;

use anyhow::{Context, Result, bail};
use nix::sched::{CloneFlags, unshare};

/// Environment variable that turns skips into failures.
pub const STRICT_ENV: &str = "NETLINK_TESTS_STRICT";

/// Environment variable listing modules (space-separated) that the VM
/// tier's chosen kernel is known to lack: a test needing one of them skips
/// even in strict mode, saying so (see [`need_module`]).
pub const ABSENT_ENV: &str = "NETLINK_TESTS_ABSENT_MODULES";

/// Environment variable that makes a missing reference tool a failure
/// (`scripts/test` sets it after `scripts/install-deps`).
pub const TOOLS_ENV: &str = "NETLINK_TESTS_TOOLS";

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
    env_on(STRICT_ENV)
}

fn env_on(name: &str) -> bool {
    std::env::var_os(name).is_some_and(|v| v != "0" && !v.is_empty())
}

/// The namespace a test body runs in.
pub struct Netns {
    tid: i32,
    test: String,
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

    /// Runs one part of a test that needs an optional kernel feature:
    /// `Ok(Some(v))` when it ran; when it skipped (a [`skip`] error, such
    /// as a setup command the kernel refused for a missing feature), the
    /// harness reports `SKIP <test> (part): <reason>` and the test goes on
    /// with `Ok(None)`. Strict mode fails instead.
    pub fn partial<T>(&self, result: Result<T>) -> Result<Option<T>> {
        match result {
            Ok(v) => Ok(Some(v)),
            Err(e) => match e.downcast_ref::<Skip>() {
                Some(Skip(reason)) => {
                    report_skip(&format!("{} (part)", self.test), reason);
                    Ok(None)
                }
                None => Err(e),
            },
        }
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
    let out = match Command::new(program).args(&args).output() {
        Ok(out) => out,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let package = package_of(program);
            let reason = format!("`{program}` is not installed (Debian package {package})");
            if env_on(TOOLS_ENV) {
                bail!("{reason}, and {TOOLS_ENV} is set: run scripts/install-deps");
            }
            return Err(skip(reason));
        }
        Err(e) => return Err(e).with_context(|| format!("running {program}")),
    };
    if !out.status.success() {
        let words: Vec<String> = args
            .iter()
            .map(|a| a.to_string_lossy().into_owned())
            .collect();
        let stderr = String::from_utf8_lossy(&out.stderr);
        let stderr = stderr.trim();
        let line = format!("{program} {}: {stderr}", words.join(" "));
        if let Some(feature) = missing_feature(program, &words, stderr) {
            return Err(skip(format!("kernel lacks {feature}: {line}")));
        }
        bail!("{line}");
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// The Debian package that ships a reference tool.
fn package_of(program: &str) -> &'static str {
    match program {
        "ip" | "tc" | "bridge" | "ss" | "genl" | "rdma" | "vdpa" | "devlink" => "iproute2",
        "nsenter" => "util-linux",
        "tcpdump" => "tcpdump",
        "strace" => "strace",
        "conntrack" => "conntrack",
        "ipset" => "ipset",
        "nft" => "nftables",
        "ethtool" => "ethtool",
        "wg" => "wireguard-tools",
        "iw" => "iw",
        _ => "unknown: add it to scripts/install-deps",
    }
}

/// The word after `key` in a command line.
fn after<'a>(words: &'a [String], key: &str) -> Option<&'a str> {
    let i = words.iter().position(|w| w == key)?;
    words.get(i + 1).map(String::as_str)
}

/// The kind word of a `tc qdisc|class|filter add ...` command: the first
/// word that is not one of tc's placement options (`prio` is one only
/// with a number after it: `prio bands 4` is the prio qdisc).
fn tc_kind(words: &[String]) -> Option<&str> {
    let mut it = words.iter().skip(2).peekable();
    while let Some(w) = it.next() {
        let number_next = it.peek().is_some_and(|n| n.parse::<u32>().is_ok());
        match w.as_str() {
            "prio" | "pref" if !number_next => return Some(w),
            "dev" | "parent" | "handle" | "classid" | "protocol" | "prio" | "pref" | "chain"
            | "estimator" => {
                it.next();
            }
            "root" => {}
            kind => return Some(kind),
        }
    }
    None
}

/// When a reference tool's error says the kernel lacks something, what
/// it lacks, named from the command line: `None` for any other failure.
pub fn missing_feature(program: &str, words: &[String], stderr: &str) -> Option<String> {
    let has = |w: &str| words.iter().any(|x| x == w);
    if stderr.contains("Unknown device type") {
        return Some(match after(words, "type") {
            Some(kind) => format!("{kind} links"),
            None => "the link type".into(),
        });
    }
    if stderr.contains("lwt encapsulation type not supported") {
        return Some(match after(words, "encap") {
            Some(encap) => format!("{encap} lightweight tunnels"),
            None => "the lightweight tunnel type".into(),
        });
    }
    if stderr.contains("Specified qdisc kind is unknown") {
        return Some(format!("the {} qdisc", tc_kind(words).unwrap_or("?")));
    }
    if stderr.contains("TC classifier not found") {
        return Some(format!("the {} classifier", tc_kind(words).unwrap_or("?")));
    }
    if stderr.contains("Failed to load TC action module") {
        return Some(format!(
            "the {} action",
            after(words, "action").unwrap_or("?")
        ));
    }
    if program == "ip" && has("xfrm") && stderr.contains("Requested type not found") {
        return Some(format!(
            "xfrm {} states",
            after(words, "proto").unwrap_or("?")
        ));
    }
    let unsupported = ["Operation not supported", "Protocol not supported"]
        .iter()
        .any(|t| stderr.contains(t));
    if unsupported {
        if after(words, "vlan_filtering") == Some("1") {
            return Some("bridge VLAN filtering".into());
        }
        return Some(format!("what `{program} {}` needs", words.join(" ")));
    }
    None
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
                test: name.to_string(),
            };
            body(&ns)
        })
        .join()
    });
    match outcome {
        Ok(Ok(())) => {}
        Ok(Err(e)) => {
            if let Some(Absent(module)) = e.downcast_ref::<Absent>() {
                let _ = writeln!(
                    std::io::stderr(),
                    "SKIP {name}: this kernel has no module {module} (declared in {ABSENT_ENV})"
                );
                return;
            }
            match e.downcast_ref::<Skip>() {
                Some(Skip(reason)) => report_skip(name, reason),
                None => panic!("{name}: {e:?}"),
            }
        }
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

/// An error that can say "this kernel lacks the feature".
pub trait FeatureError: Into<anyhow::Error> {
    /// Whether the kernel refused for lack of a feature (EOPNOTSUPP,
    /// "Unknown device type", EAFNOSUPPORT, EPROTONOSUPPORT, ENOSYS).
    fn not_supported(&self) -> bool;
}

impl FeatureError for nl_sock::Error {
    fn not_supported(&self) -> bool {
        self.kind() == nl_sock::ErrorKind::NotSupported
    }
}

impl FeatureError for netlink::Error {
    fn not_supported(&self) -> bool {
        self.kind() == nl_sock::ErrorKind::NotSupported
    }
}

/// Turns "this kernel lacks the feature" errors of the library's own
/// requests into a skip naming `feature`; other errors pass through.
pub fn need_feature<T, E: FeatureError + std::fmt::Display>(
    result: std::result::Result<T, E>,
    feature: &str,
) -> Result<T> {
    match result {
        Ok(v) => Ok(v),
        Err(e) if e.not_supported() => Err(skip(format!("kernel lacks {feature}: {e}"))),
        Err(e) => Err(e.into()),
    }
}

/// A module the VM tier declared absent from its kernel.
#[derive(Debug)]
struct Absent(String);

impl fmt::Display for Absent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "kernel has no module {} ({ABSENT_ENV})", self.0)
    }
}

impl std::error::Error for Absent {}

/// Loads kernel module `module` (as `modprobe` does) unless it is loaded or
/// built in. A kernel without it skips the test naming the module; in
/// strict mode that fails, unless the VM tier declared the module absent
/// from its kernel in [`ABSENT_ENV`] (6.1's cloud build has no
/// mac80211_hwsim, say), which skips and says so.
pub fn need_module(module: &str) -> Result<()> {
    let sys = format!("/sys/module/{}", module.replace('-', "_"));
    if std::path::Path::new(&sys).exists() {
        return Ok(());
    }
    let loaded = Command::new("modprobe")
        .args(["-q", module])
        .status()
        .is_ok_and(|s| s.success());
    if loaded {
        return Ok(());
    }
    let declared = std::env::var(ABSENT_ENV)
        .unwrap_or_default()
        .split_whitespace()
        .any(|m| m == module);
    if declared {
        return Err(anyhow::Error::new(Absent(module.to_string())));
    }
    Err(skip(format!(
        "kernel lacks module {module} (modprobe {module} failed)"
    )))
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

/// The bytes of each netlink message `program` sent with `args` (strace's
/// dump of every `sendto`/`sendmsg`, whichever descriptor its socket got),
/// run in the calling thread's namespace. Fails if the program fails.
pub fn sent_messages(program: &str, args: &[&str]) -> Result<Vec<Vec<u8>>> {
    traced_messages(program, args, true)
}

/// [`sent_messages`] of a program the kernel is expected to refuse (its
/// exit status is not looked at): what it would send.
pub fn sent_messages_refused(program: &str, args: &[&str]) -> Result<Vec<Vec<u8>>> {
    traced_messages(program, args, false)
}

fn traced_messages(program: &str, args: &[&str], must_succeed: bool) -> Result<Vec<Vec<u8>>> {
    let out = Command::new("strace")
        .args([
            "-qq",
            "-o",
            "/dev/stdout",
            "-e",
            "trace=sendto,sendmsg",
            "-e",
            "write=all",
            program,
        ])
        .args(args)
        .output()
        .context("strace")?;
    if must_succeed && !out.status.success() {
        bail!(
            "strace {program} {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let mut msgs: Vec<Vec<u8>> = Vec::new();
    for line in String::from_utf8_lossy(&out.stdout).lines() {
        if line.starts_with("send") {
            msgs.push(Vec::new());
        } else if let Some(hex) = line.trim_start().strip_prefix("| ") {
            let Some(cur) = msgs.last_mut() else { continue };
            for b in hex.split_whitespace().skip(1).take(16) {
                match u8::from_str_radix(b, 16) {
                    Ok(v) if b.len() == 2 => cur.push(v),
                    _ => break,
                }
            }
        }
    }
    Ok(msgs)
}

/// Whether two requests are the same but for sequence number and port id.
pub fn same_request(ours: &[u8], theirs: &[u8]) -> bool {
    ours.len() == theirs.len()
        && ours.get(..8) == theirs.get(..8)
        && ours.get(16..) == theirs.get(16..)
}

#[cfg(test)]
mod tests {
    use super::missing_feature;

    fn words(s: &str) -> Vec<String> {
        s.split(' ').map(str::to_string).collect()
    }

    #[test]
    fn features_named_from_the_command() {
        let cases = [
            (
                "ip",
                "link add d0 type dummy",
                "Error: Unknown device type.",
                Some("dummy links"),
            ),
            (
                "ip",
                "link add br0 type bridge vlan_filtering 1",
                "RTNETLINK answers: Operation not supported",
                Some("bridge VLAN filtering"),
            ),
            (
                "ip",
                "-6 route add 2001:db8::/48 encap seg6 mode encap segs 2001:db8::9 dev v0",
                "Error: lwt encapsulation type not supported.",
                Some("seg6 lightweight tunnels"),
            ),
            (
                "tc",
                "qdisc add dev v0 root handle 1: netem delay 10ms",
                "Error: Specified qdisc kind is unknown.",
                Some("the netem qdisc"),
            ),
            (
                "tc",
                "qdisc add dev v0 root handle 6: prio bands 4",
                "Error: Specified qdisc kind is unknown.",
                Some("the prio qdisc"),
            ),
            (
                "tc",
                "filter add dev v0 parent ffff: protocol ip prio 3 flower action drop",
                "Error: TC classifier not found.",
                Some("the flower classifier"),
            ),
            (
                "tc",
                "filter add dev v0 ingress u32 match u32 0 0 action police rate 1mbit burst 10k",
                "Error: Failed to load TC action module.",
                Some("the police action"),
            ),
            (
                "ip",
                "xfrm state add src 192.0.2.1 dst 192.0.2.2 proto esp spi 1",
                "Error: Requested type not found.",
                Some("xfrm esp states"),
            ),
            (
                "ip",
                "route add 192.0.2.0/24 via 198.51.100.1",
                "Error: Nexthop has invalid gateway.",
                None,
            ),
            (
                "ip",
                "link add v0 type veth peer name v1",
                "RTNETLINK answers: File exists",
                None,
            ),
        ];
        for (program, cmd, stderr, want) in cases {
            assert_eq!(
                missing_feature(program, &words(cmd), stderr).as_deref(),
                want,
                "{cmd}"
            );
        }
    }
}
