//! The `nl` tools over generic netlink against the reference tools on the
//! same namespace: `nl genl ctrl` byte for byte with iproute2's `genl`,
//! `nl ip mptcp` with `ip mptcp` both ways (text, `-j`, and the lines of
//! `monitor` for a real MPTCP connection), and `nl wg` with
//! wireguard-tools' `wg` both ways (`show` and its fields, `dump`,
//! `showconf`, `set`, `setconf`, `addconf`, `syncconf`).
//!
//! This host's kernel has no wireguard module: the WireGuard tests skip
//! at the link's creation (`need_feature`); the VM tier runs them.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::{Context, Result, ensure};
use netlink::{Handle, Link, LinkKind};
use netlink_tests::{Netns, in_netns, need_feature};
use nl_tools::Tool;
use socket2::{Domain, Protocol, Socket, Type};

/// Runs `tool` with `words` in this thread's namespace and returns what
/// it printed.
fn nl_words(tool: Tool, words: &[&str]) -> Result<String> {
    let words: Vec<String> = words.iter().map(|w| (*w).to_string()).collect();
    let mut out = Vec::new();
    tool.run(&words, &mut out)
        .with_context(|| format!("nl {tool:?} {}", words.join(" ")))?;
    Ok(String::from_utf8(out)?)
}

/// [`nl_words`] with `args` split at spaces.
fn nl(tool: Tool, args: &str) -> Result<String> {
    let words: Vec<&str> = args.split_whitespace().collect();
    nl_words(tool, &words)
}

/// The reference `program` and `nl` on the same words: the same bytes.
fn same(ns: &Netns, program: &str, tool: Tool, args: &str) -> Result<String> {
    let theirs = ns.cmd(program, args.split_whitespace())?;
    let ours = nl(tool, args)?;
    ensure!(
        theirs == ours,
        "{program} {args}\n--- {program}:\n{theirs}--- nl:\n{ours}---"
    );
    Ok(ours)
}

// ---- genl ctrl ------------------------------------------------------------

#[test]
fn genl_ctrl_matches_genl() {
    in_netns("nl_genl_ctrl_matches_genl", |ns| {
        // Families register when modules load: compare a listing that
        // stayed the same around genl's (nl, genl, nl), retrying a few times.
        let mut last = String::new();
        let mut matched = false;
        for _ in 0..5 {
            let before = nl(Tool::Genl, "ctrl list")?;
            let theirs = ns.cmd("genl", ["ctrl", "list"])?;
            let after = nl(Tool::Genl, "ctrl list")?;
            if before == after {
                ensure!(
                    theirs == before,
                    "genl ctrl list\n--- genl:\n{theirs}--- nl:\n{before}---"
                );
                matched = true;
                break;
            }
            last = after;
        }
        ensure!(matched, "the family list kept changing:\n{last}");
        ensure!(last.is_empty() || last.contains("Name: nlctrl"));
        // The same words `genl` takes, abbreviations included.
        for args in [
            "ctrl list",
            "ctrl show",
            "ctrl get name nlctrl",
            "ctrl get id 0x10",
            "ctrl get id 16",
            "ctrl g n nlctrl",
            "ctrl policy name nlctrl",
            "ctrl policy id 0x10",
        ] {
            let text = same(ns, "genl", Tool::Genl, args)?;
            ensure!(text.contains("ID: 0x10 "), "{args}: {text}");
        }
        // A family this library types, resolved by its name.
        if let Some(text) = ns.partial(same(ns, "genl", Tool::Genl, "ctrl get name mptcp_pm"))? {
            ensure!(text.contains("Name: mptcp_pm\n") && text.contains("multicast groups:"));
            same(ns, "genl", Tool::Genl, "ctrl policy name mptcp_pm")?;
        }
        // Refused by name: what genl does not know, and what is missing.
        for (args, why) in [
            ("ctrl bogus", "\"bogus\" is unknown"),
            ("ctrl get name", "\"name\" needs a value"),
            ("ctrl get nlctrl", "Wrong params"),
            ("ctrl get id 70000", "Illegal \"id\""),
            ("ctrl list extra", "\"extra\""),
            ("bogus", "bad genl bogus"),
            ("-x ctrl list", "\"-x\" is unknown"),
        ] {
            let e = format!("{:#}", nl(Tool::Genl, args).unwrap_err());
            ensure!(e.contains(why), "{args}: {e}");
        }
        let e = nl(Tool::Genl, "ctrl get name no_such_family").unwrap_err();
        let ne = e
            .downcast_ref::<netlink::Error>()
            .context("a kernel error")?;
        ensure!(ne.is_not_found(), "{e:#}");
        Ok(())
    });
}

// ---- ip mptcp -------------------------------------------------------------

/// lo up, and a veth v0 up with documentation addresses.
fn mptcp_setup(ns: &Netns) -> Result<()> {
    ns.ip(["link", "set", "lo", "up"])?;
    ns.ip(["link", "add", "v0", "type", "veth", "peer", "name", "v1"])?;
    ns.ip(["link", "set", "v0", "up"])?;
    ns.ip(["addr", "add", "192.0.2.1/24", "dev", "v0"])?;
    ns.ip(["addr", "add", "2001:db8::1/64", "dev", "v0", "nodad"])?;
    Ok(())
}

/// `ip mptcp ARGS` and `nl ip mptcp ARGS`, text and `-j`: the same bytes.
fn same_mptcp(ns: &Netns, args: &str) -> Result<String> {
    let text = same(ns, "ip", Tool::Ip, &format!("mptcp {args}"))?;
    same(ns, "ip", Tool::Ip, &format!("-j mptcp {args}"))?;
    same(ns, "ip", Tool::Ip, &format!("-j -p mptcp {args}"))?;
    Ok(text)
}

#[test]
fn ip_mptcp_endpoints_both_ways() {
    in_netns("nl_ip_mptcp_endpoints_both_ways", |ns| {
        mptcp_setup(ns)?;
        ensure!(same_mptcp(ns, "endpoint show")?.is_empty());
        // Added by nl, shown by ip (and by nl, the same).
        nl(Tool::Ip, "mptcp endpoint add 192.0.2.1 id 3 signal backup")?;
        nl(
            Tool::Ip,
            "mptcp endpoint add 2001:db8::1 dev v0 id 7 subflow fullmesh",
        )?;
        nl(
            Tool::Ip,
            "mptcp endpoint add 192.0.2.1 port 1000 signal id 9",
        )?;
        let text = same_mptcp(ns, "endpoint show")?;
        ensure!(
            text == "192.0.2.1 id 3 signal backup \n\
                     2001:db8::1 id 7 subflow fullmesh dev v0 \n\
                     192.0.2.1 port 1000 id 9 signal \n",
            "{text}"
        );
        let shown = ns.ip_json(["mptcp", "endpoint", "show"])?;
        ensure!(
            shown[1]["dev"] == "v0" && shown[0]["backup"] == true,
            "{shown}"
        );
        same_mptcp(ns, "endpoint")?;
        same_mptcp(ns, "endpoint show id 7")?;
        // Changed by nl, shown by ip.
        nl(Tool::Ip, "mptcp endpoint change id 3 nobackup")?;
        nl(Tool::Ip, "mptcp endpoint change id 7 nofullmesh backup")?;
        let text = ns.ip(["mptcp", "endpoint", "show"])?;
        ensure!(
            text.contains("192.0.2.1 id 3 signal \n")
                && text.contains("2001:db8::1 id 7 subflow backup dev v0 \n"),
            "{text}"
        );
        // By address (ip's other way of naming it), through the generic path.
        nl(Tool::Ip, "mptcp endpoint change 2001:db8::1 nobackup")?;
        ensure!(
            ns.ip(["mptcp", "endpoint", "show", "id", "7"])?
                == "2001:db8::1 id 7 subflow dev v0 \n"
        );
        // Added by ip, shown by nl.
        ns.ip([
            "mptcp",
            "endpoint",
            "add",
            "198.51.100.1",
            "id",
            "20",
            "subflow",
        ])?;
        same_mptcp(ns, "endpoint show")?;
        // Deleted by nl, gone for ip.
        nl(Tool::Ip, "mptcp endpoint delete id 9")?;
        let text = same_mptcp(ns, "endpoint show")?;
        ensure!(!text.contains("id 9 "), "{text}");
        nl(Tool::Ip, "mptcp endpoint flush")?;
        ensure!(ns.ip(["mptcp", "endpoint", "show"])?.is_empty());
        ensure!(same_mptcp(ns, "endpoint show")?.is_empty());
        // The kernel's refusal, and words refused by name.
        ensure!(nl(Tool::Ip, "mptcp endpoint delete id 9").is_err());
        for (args, why) in [
            ("mptcp endpoint add 192.0.2.1 bogus", "\"bogus\" is wrong"),
            (
                "mptcp endpoint add 192.0.2.1 port 5",
                "signal when using port",
            ),
            ("mptcp endpoint delete 192.0.2.1", "\"ID\" is required"),
            (
                "mptcp endpoint change id 3 signal",
                "backup and fullmesh only",
            ),
            (
                "mptcp endpoint add 192.0.2.1 dev nosuch",
                "device does not exist",
            ),
            ("mptcp endpoint bogus", "\"bogus\" is unknown"),
            ("mptcp bogus", "\"bogus\" is unknown"),
            ("mptcp limits set bogus 1", "unknown limit"),
        ] {
            let e = format!("{:#}", nl(Tool::Ip, args).unwrap_err());
            ensure!(e.contains(why), "{args}: {e}");
        }
        Ok(())
    });
}

#[test]
fn ip_mptcp_limits_both_ways() {
    in_netns("nl_ip_mptcp_limits_both_ways", |ns| {
        same_mptcp(ns, "limits")?;
        nl(Tool::Ip, "mptcp limits set subflows 3 add_addr_accepted 4")?;
        ensure!(ns.ip(["mptcp", "limits", "show"])? == "add_addr_accepted 4 subflows 3 \n");
        same_mptcp(ns, "limits show")?;
        nl(Tool::Ip, "mptcp limits set add_addr_accepted 0x2")?;
        ensure!(ns.ip(["mptcp", "limits"])? == "add_addr_accepted 2 subflows 3 \n");
        ns.ip(["mptcp", "limits", "set", "subflows", "5"])?;
        ensure!(same_mptcp(ns, "limits show")? == "add_addr_accepted 2 subflows 5 \n");
        // Above the kernel's maximum: its refusal, as ip gets it.
        ensure!(nl(Tool::Ip, "mptcp limits set subflows 1000").is_err());
        ensure!(
            ns.ip(["mptcp", "limits", "set", "subflows", "1000"])
                .is_err()
        );
        Ok(())
    });
}

/// `IPPROTO_MPTCP`.
const IPPROTO_MPTCP: i32 = 262;

/// An MPTCP listener and client on loopback, a few bytes, both closed.
fn mptcp_connection() -> Result<()> {
    let proto = Some(Protocol::from(IPPROTO_MPTCP));
    let srv = Socket::new(Domain::IPV4, Type::STREAM, proto)?;
    srv.bind(&SocketAddr::from(([127, 0, 0, 1], 0)).into())?;
    srv.listen(1)?;
    let addr = srv.local_addr()?.as_socket().context("inet")?;
    let cli = Socket::new(Domain::IPV4, Type::STREAM, proto)?;
    cli.connect(&addr.into())?;
    let (conn, _) = srv.accept()?;
    let mut cli: TcpStream = cli.into();
    let mut conn: TcpStream = conn.into();
    cli.write_all(b"hello")?;
    let mut got = [0u8; 5];
    conn.read_exact(&mut got)?;
    ensure!(&got == b"hello");
    Ok(())
}

/// A monitor child whose lines a thread collects as they come.
struct Monitor {
    child: Child,
    lines: Arc<Mutex<Vec<String>>>,
    reader: Option<std::thread::JoinHandle<()>>,
}

impl Monitor {
    /// Starts `program args` (forked from this thread, so in this namespace).
    fn spawn(program: &str, args: &[&str]) -> Result<Monitor> {
        let mut child = Command::new(program)
            .args(args)
            .stdout(Stdio::piped())
            .spawn()
            .with_context(|| format!("{program} {}", args.join(" ")))?;
        let stdout = child.stdout.take().context("stdout")?;
        let lines = Arc::new(Mutex::new(Vec::new()));
        let sink = Arc::clone(&lines);
        let reader = std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Ok(mut l) = sink.lock() {
                    l.push(line);
                }
            }
        });
        Ok(Monitor {
            child,
            lines,
            reader: Some(reader),
        })
    }

    fn lines(&self) -> Vec<String> {
        self.lines.lock().map(|l| l.clone()).unwrap_or_default()
    }

    /// Ends the child; every line it printed.
    fn stop(mut self) -> Result<Vec<String>> {
        self.child.kill()?;
        self.child.wait()?;
        if let Some(r) = self.reader.take() {
            r.join().ok().context("reader thread")?;
        }
        Ok(self.lines())
    }
}

/// Waits until no monitor printed anything for half a second (at most 10 s).
fn quiet(monitors: &[&Monitor]) {
    let count = || monitors.iter().map(|m| m.lines().len()).sum::<usize>();
    for _ in 0..20 {
        let before = count();
        std::thread::sleep(Duration::from_millis(500));
        if count() == before {
            return;
        }
    }
}

/// Whether `line` is ip mptcp monitor's line for a closed connection.
fn closed(line: &str) -> bool {
    line.starts_with('[') && line.contains(" CLOSED]")
}

#[test]
fn ip_mptcp_monitor_matches_ip() {
    in_netns("nl_ip_mptcp_monitor_matches_ip", |ns| {
        ns.ip(["link", "set", "lo", "up"])?;
        let theirs = Monitor::spawn("ip", &["mptcp", "monitor"])?;
        let ours = Monitor::spawn(env!("CARGO_BIN_EXE_nl"), &["ip", "mptcp", "monitor"])?;
        // Connections until both have joined the group (each prints a
        // line), then quiet: what comes next both see from its start.
        for _ in 0..50 {
            mptcp_connection()?;
            std::thread::sleep(Duration::from_millis(200));
            if !theirs.lines().is_empty() && !ours.lines().is_empty() {
                break;
            }
        }
        quiet(&[&theirs, &ours]);
        let (from_theirs, from_ours) = (theirs.lines().len(), ours.lines().len());
        mptcp_connection()?;
        // Both sides of the connection closed, for both monitors.
        for _ in 0..100 {
            let done = |m: &Monitor, from: usize| {
                m.lines().iter().skip(from).filter(|l| closed(l)).count() >= 2
            };
            if done(&theirs, from_theirs) && done(&ours, from_ours) {
                break;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        quiet(&[&theirs, &ours]);
        let theirs = theirs.stop()?;
        let ours = ours.stop()?;
        let theirs = theirs.get(from_theirs..).unwrap_or_default().join("\n");
        let ours = ours.get(from_ours..).unwrap_or_default().join("\n");
        ensure!(
            theirs.lines().filter(|l| l.contains(" CREATED]")).count() == 2,
            "{theirs}"
        );
        ensure!(
            theirs == ours,
            "--- ip mptcp monitor:\n{theirs}\n--- nl:\n{ours}\n---"
        );
        Ok(())
    });
}

// ---- wg -------------------------------------------------------------------

/// Creates WireGuard link `name` (skips where the kernel lacks them).
fn wg_link(h: &Handle, name: &str) -> Result<()> {
    need_feature(
        h.link_add(&Link::new(name).kind(LinkKind::Wireguard)),
        "wireguard links",
    )?;
    Ok(())
}

/// A file of this test's own in the temporary directory.
fn temp_file(name: &str, text: &str) -> Result<PathBuf> {
    let path = std::env::temp_dir().join(format!("nl-genl-cli-{}-{name}", std::process::id()));
    std::fs::write(&path, text).with_context(|| format!("writing {}", path.display()))?;
    Ok(path)
}

/// Peer key `i`: any 32 bytes are a peer's public key to the kernel.
fn peer_key(i: u8) -> String {
    netlink::WgKey::new([i; 32]).to_base64()
}

/// Every way `wg show` prints `dev`, by wg and by nl: the same bytes.
/// `wg show all endpoints` as wireguard-tools prints it since its fix
/// b4f6b4f, each peer's line naming its device (v1.0.20210914, Debian
/// 12's, names the device once, before its first peer): each device's
/// `wg show DEV endpoints`, its lines prefixed with the device.
fn wg_all_endpoints(ns: &Netns) -> Result<String> {
    let mut out = String::new();
    for dev in ns.cmd("wg", ["show", "interfaces"])?.split_whitespace() {
        for line in ns.cmd("wg", ["show", dev, "endpoints"])?.lines() {
            out.push_str(&format!("{dev}\t{line}\n"));
        }
    }
    Ok(out)
}

fn same_wg_views(ns: &Netns, dev: &str) -> Result<()> {
    same(ns, "wg", Tool::Wg, &format!("show {dev}"))?;
    same(ns, "wg", Tool::Wg, &format!("showconf {dev}"))?;
    for field in [
        "public-key",
        "private-key",
        "listen-port",
        "fwmark",
        "peers",
        "preshared-keys",
        "endpoints",
        "allowed-ips",
        "latest-handshakes",
        "persistent-keepalive",
        "transfer",
        "dump",
    ] {
        same(ns, "wg", Tool::Wg, &format!("show {dev} {field}"))?;
        if field == "endpoints" {
            let ours = nl(Tool::Wg, "show all endpoints")?;
            let theirs = wg_all_endpoints(ns)?;
            ensure!(
                ours == theirs,
                "show all endpoints\n--- wg:\n{theirs}--- nl:\n{ours}---"
            );
        } else {
            same(ns, "wg", Tool::Wg, &format!("show all {field}"))?;
        }
    }
    same(ns, "wg", Tool::Wg, "show")?;
    same(ns, "wg", Tool::Wg, "show all")?;
    same(ns, "wg", Tool::Wg, "show interfaces")?;
    Ok(())
}

#[test]
fn wg_without_devices_matches_wg() {
    in_netns("nl_wg_without_devices_matches_wg", |ns| {
        // No WireGuard link (none can be made here): nothing listed by either.
        for args in [
            "show",
            "show all",
            "show interfaces",
            "show all dump",
            "show all peers",
        ] {
            ensure!(same(ns, "wg", Tool::Wg, args)?.is_empty(), "{args}");
        }
        ensure!(ns.cmd("wg", ["show", "lo"]).is_err() && nl(Tool::Wg, "show lo").is_err());
        // Keys nl makes are keys wg takes.
        let private = nl(Tool::Wg, "genkey")?;
        // wg is there: the listings above ran it.
        let mut pubkey = Command::new("wg")
            .arg("pubkey")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .context("wg pubkey")?;
        pubkey
            .stdin
            .take()
            .context("stdin")?
            .write_all(private.as_bytes())?;
        let done = pubkey.wait_with_output()?;
        ensure!(done.status.success(), "wg pubkey refused nl's key");
        let public = String::from_utf8(done.stdout)?;
        ensure!(public.trim().parse::<netlink::WgKey>().is_ok(), "{public}");
        ensure!(
            nl(Tool::Wg, "genpsk")?
                .trim()
                .parse::<netlink::WgPresharedKey>()
                .is_ok()
        );
        let e = format!("{:#}", nl(Tool::Wg, "pubkey").unwrap_err());
        ensure!(e.contains("wg pubkey"), "{e}");
        Ok(())
    });
}

#[test]
fn wg_set_by_nl_read_by_wg() {
    in_netns("nl_wg_set_by_nl_read_by_wg", |ns| {
        let h = Handle::new()?;
        wg_link(&h, "wg0")?;
        wg_link(&h, "wg1")?;
        let private = nl(Tool::Wg, "genkey")?;
        let key = temp_file("set-private", &private)?;
        let psk = temp_file("set-psk", &nl(Tool::Wg, "genpsk")?)?;
        let (p1, p2) = (peer_key(1), peer_key(2));
        nl_words(
            Tool::Wg,
            &[
                "set",
                "wg0",
                "listen-port",
                "51820",
                "fwmark",
                "0x2a",
                "private-key",
                key.to_str().context("path")?,
                "peer",
                &p1,
                "preshared-key",
                psk.to_str().context("path")?,
                "endpoint",
                "192.0.2.2:51820",
                "persistent-keepalive",
                "25",
                "allowed-ips",
                "198.51.100.0/24, 2001:db8:1::/48",
                "peer",
                &p2,
                "endpoint",
                "[2001:db8::2]:7",
                "allowed-ips",
                "203.0.113.7",
            ],
        )?;
        // wg reads what nl set, and both print it the same.
        let dump = ns.cmd("wg", ["show", "wg0", "dump"])?;
        let first = dump.lines().next().context("dump")?;
        ensure!(
            first.starts_with(private.trim()) && first.ends_with("\t51820\t0x2a"),
            "{dump}"
        );
        ensure!(
            dump.contains(&format!(
                "{p1}\t{}\t192.0.2.2:51820\t198.51.100.0/24,2001:db8:1::/48\t0\t0\t0\t25",
                std::fs::read_to_string(&psk)?.trim()
            )),
            "{dump}"
        );
        ensure!(
            dump.contains(&format!(
                "{p2}\t(none)\t[2001:db8::2]:7\t203.0.113.7/32\t0\t0\t0\toff"
            )),
            "{dump}"
        );
        same_wg_views(ns, "wg0")?;
        // A peer removed, keepalive off, allowed IPs cleared.
        nl_words(
            Tool::Wg,
            &[
                "set",
                "wg0",
                "peer",
                &p2,
                "remove",
                "peer",
                &p1,
                "persistent-keepalive",
                "off",
                "allowed-ips",
                "",
            ],
        )?;
        let dump = ns.cmd("wg", ["show", "wg0", "dump"])?;
        ensure!(
            !dump.contains(&p2) && dump.contains("\t(none)\t0\t0\t0\toff"),
            "{dump}"
        );
        // setconf by nl from wg's showconf: wg1 becomes wg0's copy.
        let conf = temp_file("showconf", &ns.cmd("wg", ["showconf", "wg0"])?)?;
        nl_words(
            Tool::Wg,
            &["setconf", "wg1", conf.to_str().context("path")?],
        )?;
        let a = ns.cmd("wg", ["showconf", "wg0"])?;
        let b = ns.cmd("wg", ["showconf", "wg1"])?;
        ensure!(a == b, "--- wg0:\n{a}--- wg1:\n{b}");
        // addconf keeps, syncconf removes what the file leaves out.
        let p3 = peer_key(3);
        let extra = temp_file(
            "extra",
            &format!("[Peer]\nPublicKey = {p3}\nAllowedIPs = 192.0.2.64/26\n"),
        )?;
        nl_words(
            Tool::Wg,
            &["addconf", "wg1", extra.to_str().context("path")?],
        )?;
        let peers = ns.cmd("wg", ["show", "wg1", "peers"])?;
        ensure!(peers.contains(&p1) && peers.contains(&p3), "{peers}");
        nl_words(
            Tool::Wg,
            &["syncconf", "wg1", extra.to_str().context("path")?],
        )?;
        ensure!(ns.cmd("wg", ["show", "wg1", "peers"])? == format!("{p3}\n"));
        same_wg_views(ns, "wg1")?;
        for f in [key, psk, conf, extra] {
            let _ = std::fs::remove_file(f);
        }
        Ok(())
    });
}

#[test]
fn wg_set_by_wg_read_by_nl() {
    in_netns("nl_wg_set_by_wg_read_by_nl", |ns| {
        let h = Handle::new()?;
        wg_link(&h, "wg0")?;
        let private = ns.cmd("wg", ["genkey"])?;
        let p1 = peer_key(4);
        let conf = temp_file(
            "wgconf",
            &format!(
                "[Interface]\nPrivateKey = {}\nListenPort = 4242\nFwMark = 7\n\n\
                 [Peer]\nPublicKey = {p1}\nAllowedIPs = 192.0.2.0/25, 2001:db8::/64\n\
                 Endpoint = 198.51.100.9:9\nPersistentKeepalive = 15\n",
                private.trim()
            ),
        )?;
        ns.cmd("wg", ["setconf", "wg0", conf.to_str().context("path")?])?;
        ns.ip(["link", "set", "wg0", "up"])?;
        same_wg_views(ns, "wg0")?;
        let dump = nl(Tool::Wg, "show wg0 dump")?;
        ensure!(
            dump.contains("\t4242\t0x7\n") && dump.contains("198.51.100.9:9"),
            "{dump}"
        );
        // nl's showconf, set by wg, reads back the same.
        let ours = temp_file("ours", &nl(Tool::Wg, "showconf wg0")?)?;
        ns.cmd("wg", ["setconf", "wg0", ours.to_str().context("path")?])?;
        ensure!(nl(Tool::Wg, "show wg0 dump")? == dump);
        // Errors: not a WireGuard link, bad words.
        ensure!(nl(Tool::Wg, "show lo").is_err());
        let e = format!("{:#}", nl(Tool::Wg, "set wg0 bogus 1").unwrap_err());
        ensure!(e.contains("Invalid argument: bogus"), "{e}");
        let e = format!("{:#}", nl(Tool::Wg, "show wg0 bogus").unwrap_err());
        ensure!(e.contains("Invalid parameter: `bogus'"), "{e}");
        for f in [conf, ours] {
            let _ = std::fs::remove_file(f);
        }
        Ok(())
    });
}
