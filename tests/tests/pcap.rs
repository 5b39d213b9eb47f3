//! Netlink captures against the real kernel: a recorded session read back
//! with nl-wire's decoder, the facade's `NETLINK_PCAP` variable, and a
//! capture taken by the kernel itself through an `nlmon` device (VM tier:
//! this machine's kernel has no nlmon).

use std::io::{self, Write};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail, ensure};
use netlink::nl_route::OtherKind;
use netlink::nl_sock::{Recorder, Socket};
use netlink::nl_wire::netlink::{NETLINK_ROUTE, NLMSG_DONE};
use netlink::nl_wire::pcap::{Capture, Direction};
use netlink::nl_wire::{Control, Msg};
use netlink::{Handle, Link, LinkKind};
use netlink_tests::{in_netns, skip};

const RTM_NEWLINK: u16 = 16;
const RTM_GETLINK: u16 = 18;
const IFLA_IFNAME: u16 = 3;

/// An in-memory capture file.
#[derive(Clone, Default)]
struct Shared(Arc<Mutex<Vec<u8>>>);

impl Write for Shared {
    fn write(&mut self, b: &[u8]) -> io::Result<usize> {
        self.0
            .lock()
            .map_err(|_| io::Error::other("poisoned"))?
            .extend_from_slice(b);
        Ok(b.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Every message of a capture: direction, protocol and an owned copy.
fn messages(file: &[u8]) -> Result<Vec<(Direction, u16, Vec<u8>)>> {
    let mut out = Vec::new();
    for record in Capture::new(file)? {
        let frame = record?.netlink()?;
        for m in frame.msgs() {
            out.push((frame.direction(), frame.protocol, m?.bytes().to_vec()));
        }
    }
    Ok(out)
}

fn ifname(m: &Msg<'_>) -> Option<String> {
    m.attrs_after(16)
        .filter_map(Result::ok)
        .find(|a| a.ty() == IFLA_IFNAME)
        .and_then(|a| a.cstr().ok().map(str::to_owned))
}

/// What a capture of the session below must contain, in this order: the
/// add request, its ack, the dump request, the link in the dump, the end
/// of the dump, the refused request and the kernel's ext-ack text.
fn check_session(msgs: &[(Direction, u16, Vec<u8>)], name: &str) -> Result<()> {
    let mut want = [
        "add request",
        "ack",
        "dump request",
        "link in dump",
        "done",
        "bad request",
        "ext-ack",
    ]
    .into_iter()
    .peekable();
    for (dir, proto, bytes) in msgs {
        ensure!(*proto == 0, "protocol {proto}, want NETLINK_ROUTE");
        let (m, _) = Msg::parse(bytes)?;
        let Some(&next) = want.peek() else { break };
        let hit = match next {
            "add request" => {
                *dir == Direction::ToKernel
                    && m.ty() == RTM_NEWLINK
                    && ifname(&m).as_deref() == Some(name)
            }
            "ack" => *dir == Direction::ToUser && matches!(m.control()?, Some(Control::Ack(_))),
            "dump request" => *dir == Direction::ToKernel && m.ty() == RTM_GETLINK,
            "link in dump" => {
                *dir == Direction::ToUser
                    && m.ty() == RTM_NEWLINK
                    && m.is_multi()
                    && ifname(&m).as_deref() == Some(name)
            }
            "done" => *dir == Direction::ToUser && m.ty() == NLMSG_DONE,
            "bad request" => {
                *dir == Direction::ToKernel
                    && m.ty() == RTM_NEWLINK
                    && ifname(&m).as_deref() == Some("pcbad")
            }
            "ext-ack" => match m.control()? {
                Some(Control::Error(e)) if *dir == Direction::ToUser => e
                    .message()
                    .is_some_and(|t| t.contains("Unknown device type")),
                _ => false,
            },
            _ => false,
        };
        if hit {
            want.next();
        }
    }
    if let Some(missing) = want.peek() {
        let seen: Vec<String> = msgs
            .iter()
            .map(|(dir, _, b)| match Msg::parse(b) {
                Ok((m, _)) => format!("{dir:?} type {} {:?}", m.ty(), ifname(&m)),
                Err(e) => format!("{dir:?} {e}"),
            })
            .collect();
        bail!("capture lacks the {missing}; it has {seen:#?}");
    }
    Ok(())
}

/// The session both recordings make: add a link, dump links, send a
/// request the kernel refuses with ext-ack text.
fn session(h: &Handle, name: &str) -> Result<()> {
    h.link_add(&Link::new(name).kind(LinkKind::veth(format!("{name}p"))))?;
    let links = h.link_list()?;
    ensure!(links.iter().any(|l| l.name == name));
    let bad = Link::new("pcbad").kind(LinkKind::Other(OtherKind {
        kind: "no-such-kind".into(),
        data: None,
    }));
    let err = h
        .link_add(&bad)
        .expect_err("an unknown kind must be refused");
    ensure!(
        err.message() == Some("Unknown device type"),
        "kernel said {err}"
    );
    Ok(())
}

#[test]
fn recorded_session_decodes() {
    in_netns("recorded_session_decodes", |_| {
        let file = Shared::default();
        let rec = Recorder::new(file.clone())?;
        let mut sock = Socket::open(NETLINK_ROUTE)?;
        sock.set_strict(true)?;
        sock.record_to(rec.clone());
        let h = Handle::with_route_socket(sock);
        session(&h, "pc0")?;
        rec.flush()?;
        let bytes = file
            .0
            .lock()
            .map_err(|_| anyhow::anyhow!("poisoned"))?
            .clone();
        ensure!(rec.frames() >= 6, "{} frames", rec.frames());
        let msgs = messages(&bytes)?;
        check_session(&msgs, "pc0")?;
        // Every frame decodes to exactly the bytes that went over the socket:
        // re-encoding the messages gives the file back.
        let frames = Capture::new(&bytes)?.count();
        ensure!(frames as u64 == rec.frames());
        Ok(())
    });
}

/// The child half of `netlink_pcap_env`: run with `NETLINK_PCAP` set, in
/// a process of its own (the variable is read once per process).
#[test]
#[ignore = "run by netlink_pcap_env in a child process"]
fn netlink_pcap_env_child() {
    in_netns("netlink_pcap_env_child", |_| {
        session(&Handle::new()?, "pe0")
    });
}

#[test]
fn netlink_pcap_env() {
    in_netns("netlink_pcap_env", |_| {
        let dir = std::env::temp_dir().join(format!("nl-pcap-{}", std::process::id()));
        std::fs::create_dir_all(&dir)?;
        let path = dir.join("env.pcap");
        let out = Command::new(std::env::current_exe()?)
            .args([
                "--ignored",
                "--exact",
                "netlink_pcap_env_child",
                "--nocapture",
            ])
            .env("NETLINK_PCAP", &path)
            .output()?;
        ensure!(
            out.status.success(),
            "child failed: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        let bytes = std::fs::read(&path).context("the child wrote no capture")?;
        let _ = std::fs::remove_dir_all(&dir);
        check_session(&messages(&bytes)?, "pe0")
    });
}

/// The child half of `netlink_pcap_ignored_when_setuid`.
#[test]
#[ignore = "run by netlink_pcap_ignored_when_setuid in a child process"]
fn netlink_pcap_setuid_child() {
    in_netns("netlink_pcap_setuid_child", |_| {
        Handle::new()?.link_list()?;
        Ok(())
    });
}

/// A setuid program built on the facade does not write the capture its
/// (unprivileged) caller names in `NETLINK_PCAP` (AT_SECURE), while the
/// same binary without the setuid bit does.
#[test]
fn netlink_pcap_ignored_when_setuid() {
    use std::os::unix::fs::PermissionsExt;
    use std::os::unix::process::CommandExt;
    in_netns("netlink_pcap_ignored_when_setuid", |_| {
        let dir = std::env::temp_dir().join(format!("nl-suid-{}", std::process::id()));
        std::fs::create_dir_all(&dir)?;
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o777))?;
        let exe = dir.join("pcap-test");
        std::fs::copy(std::env::current_exe()?, &exe)?;
        let run = |mode: u32, uid: u32, capture: &str| -> Result<bool> {
            std::fs::set_permissions(&exe, std::fs::Permissions::from_mode(mode))?;
            let path = dir.join(capture);
            // ETXTBSY: another test thread forked while the copy was still
            // open for writing, and its child holds the descriptor until it
            // execs. That passes; try again.
            let mut tries = 0;
            let out = loop {
                let run = Command::new(&exe)
                    .args(["--ignored", "--exact", "netlink_pcap_setuid_child"])
                    .env("NETLINK_PCAP", &path)
                    .uid(uid)
                    .gid(uid)
                    .output();
                match run {
                    Err(e) if e.raw_os_error() == Some(nix::libc::ETXTBSY) && tries < 100 => {
                        tries += 1;
                        std::thread::sleep(Duration::from_millis(20));
                    }
                    other => break other?,
                }
            };
            ensure!(
                out.status.success(),
                "child (mode {mode:o}, uid {uid}) failed: {}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
            Ok(path.exists())
        };
        // Root running the plain binary: the capture is written...
        let plain = run(0o755, 0, "plain.pcap");
        // ...nobody running it setuid root: ignored.
        let setuid = run(0o4755, 65534, "setuid.pcap");
        let _ = std::fs::remove_dir_all(&dir);
        ensure!(plain?, "the plain binary wrote no capture");
        ensure!(!setuid?, "the setuid binary wrote the caller's capture");
        Ok(())
    });
}

/// A capture the kernel takes itself: `tcpdump -i nlmon0` while the
/// facade works. Checks that the kernel's frames carry the directions and
/// protocol nl-wire reads (to kernel = 7, to user = 6) and that the
/// session is there. The capture is printed between markers so the VM
/// tier's console log yields the fixture nl-wire's tests decode.
#[test]
fn nlmon_capture_decodes() {
    in_netns("nlmon_capture_decodes", |ns| {
        // Without nlmon links this skips, naming them.
        ns.ip(["link", "add", "nlmon0", "type", "nlmon"])?;
        ns.ip(["link", "set", "nlmon0", "up"])?;
        let dir = std::env::temp_dir().join(format!("nlmon-{}", std::process::id()));
        std::fs::create_dir_all(&dir)?;
        let path = dir.join("nlmon.pcap");
        let mut tcpdump = match Command::new("tcpdump")
            .args([
                "-i",
                "nlmon0",
                "--immediate-mode",
                "-U",
                "-s",
                "0",
                "-Z",
                "root",
                "-w",
            ])
            .arg(&path)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
        {
            Ok(c) => c,
            Err(e) => return Err(skip(format!("no tcpdump: {e}"))),
        };
        // tcpdump writes the file header once it is capturing.
        let start = Instant::now();
        while std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0) < 24 {
            if start.elapsed() > Duration::from_secs(20) {
                let _ = tcpdump.kill();
                let out = tcpdump.wait_with_output()?;
                bail!(
                    "tcpdump did not start: {}",
                    String::from_utf8_lossy(&out.stderr)
                );
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        std::thread::sleep(Duration::from_millis(200));
        session(&Handle::new()?, "nm0")?;
        std::thread::sleep(Duration::from_millis(1500));
        nix::sys::signal::kill(
            nix::unistd::Pid::from_raw(i32::try_from(tcpdump.id())?),
            nix::sys::signal::Signal::SIGINT,
        )?;
        let out = tcpdump.wait_with_output()?;
        let tcpdump_said = String::from_utf8_lossy(&out.stderr).into_owned();
        let bytes = std::fs::read(&path)?;
        let _ = std::fs::remove_dir_all(&dir);
        ensure!(
            Capture::new(&bytes)?.link_type() == Some(253),
            "link type is not netlink"
        );
        let msgs = messages(&bytes)?;
        // Only our session's messages (the ip and tcpdump calls before it
        // are in the file too, and are skipped by check_session's order).
        check_session(&msgs, "nm0").with_context(|| format!("tcpdump said: {tcpdump_said}"))?;
        if bytes.len() <= 64 * 1024 {
            let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
            let mut err = std::io::stderr();
            let _ = writeln!(err, "NLMON-PCAP-BEGIN");
            for line in hex.as_bytes().chunks(128) {
                let _ = writeln!(err, "{}", String::from_utf8_lossy(line));
            }
            let _ = writeln!(err, "NLMON-PCAP-END");
        }
        Ok(())
    });
}
