//! More of the `nl` tools against iproute2 on the same namespace: `-s`,
//! `-br`, `-o`, `-p`, `addr show up`, `-d link` for a bridge and its
//! port, `route show root|match|exact`, `route get` (text and `-j`), a
//! veth peer in a named namespace, `ip monitor` and `tc monitor` run as
//! child processes beside iproute2's, and `ip netns` both ways.
//!
//! Named namespaces live in the host's /run/netns (the one `ip netns`
//! reads): every name here is `nltest-PID-...` and a guard deletes it
//! even when the test fails.

use std::io::Read;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use anyhow::{Context, Result, ensure};
use netlink::{Handle, NetnsDir};
use netlink_tests::{Netns, in_netns, settled};
use nl_tools::Tool;

/// Runs `tool` with `args` (split at spaces) in this thread's namespace.
fn nl(tool: Tool, args: &str) -> Result<String> {
    let words: Vec<String> = args.split_whitespace().map(String::from).collect();
    let mut out = Vec::new();
    tool.run(&words, &mut out)
        .with_context(|| format!("nl {tool:?} {args}"))?;
    Ok(String::from_utf8(out)?)
}

/// The same command through `ip` and `nl ip`: the same bytes (retried
/// while the kernel settles).
fn same_text(ns: &Netns, args: &str) -> Result<()> {
    settled(|| {
        let theirs = ns.ip(args.split_whitespace())?;
        let ours = nl(Tool::Ip, args)?;
        ensure!(
            theirs == ours,
            "ip {args}\n--- ip:\n{theirs}--- nl:\n{ours}---"
        );
        Ok(())
    })
}

/// The `nl` binary built beside these tests.
fn nl_bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_nl"))
}

/// A name in the host's /run/netns, deleted on drop.
struct Named(String);

impl Named {
    fn new(tag: &str) -> Self {
        Named(format!("nltest-{}-{tag}", std::process::id()))
    }
}

impl Drop for Named {
    fn drop(&mut self) {
        let _ = NetnsDir::run().del(&self.0);
    }
}

fn quiet_setup(ns: &Netns) -> Result<()> {
    for cmd in [
        "link set lo up",
        "link add a0 type veth peer name a1",
        "link add b0 type bridge",
        "link set a1 master b0",
        "addr add 192.0.2.1/24 dev a0",
        "addr add 192.0.2.9/32 peer 192.0.2.10 dev a0",
        "addr add 2001:db8::5/64 dev a0 nodad",
        "link add c0 type veth peer name c1",
        "link set c0 up",
        "link set c1 up",
        "addr add 198.51.100.1/24 dev c0",
        "-6 addr add 2001:db8:5::1/64 dev c0 nodad",
        "route add default via 198.51.100.254",
        "route add 203.0.113.0/24 via 198.51.100.2",
        "route add 203.0.113.128/25 via 198.51.100.3",
        "route add 203.0.113.7 via 198.51.100.4",
        "-6 route add 2001:db8:1::/48 via 2001:db8:5::2",
    ] {
        ns.ip(cmd.split(' ')).with_context(|| cmd.to_string())?;
    }
    Ok(())
}

#[test]
fn listings_with_options_are_iproute2s() {
    in_netns("listings_with_options_are_iproute2s", |ns| {
        quiet_setup(ns)?;
        for args in [
            // Counters of links that carry no traffic (down, or lo).
            "-s link show dev b0",
            "-s link show dev a0",
            "-s -s link show dev lo",
            "-s addr show dev a0",
            "-br link",
            "-br addr",
            "-br -4 addr",
            "-o link",
            "-o addr",
            "-o -d link show dev a0",
            "addr show up",
            "-4 addr show up",
            "-d link show dev b0",
            "-d link show dev a1",
            "-d link show dev a0",
            "-d addr show dev b0",
            "-j -p link show dev lo",
            "-j -p route show",
        ] {
            same_text(ns, args)?;
        }
        Ok(())
    });
}

#[test]
fn route_selectors_and_get_are_iproute2s() {
    in_netns("route_selectors_and_get_are_iproute2s", |ns| {
        quiet_setup(ns)?;
        for args in [
            "route show match 203.0.113.7",
            "route show match 203.0.113.130/32",
            "route show match 203.0.113.0/24",
            "route show root 203.0.113.0/24",
            "route show root 0.0.0.0/0",
            "route show exact 203.0.113.0/24",
            "route show 203.0.113.7",
            "route show 203.0.113.9",
            "route show exact default",
            "route show default",
            "route show to match 203.0.113.200",
            "route show match 2001:db8:1::5",
            "-6 route show match 2001:db8:1::5",
            "-6 route show root 2001:db8::/32",
            "route show table all match 2001:db8:1::5",
            "route get 203.0.113.7",
            "-j route get 203.0.113.7",
            "route get 198.51.100.1",
            "-j route get 198.51.100.1",
            "route get 127.0.0.1",
            "-j route get 127.0.0.1",
            "route get 198.51.100.255",
            "-j route get 198.51.100.255",
            "route get 203.0.113.9 from 198.51.100.1",
            "route get 203.0.113.7 mark 5",
            "route get 203.0.113.7 mark 50",
            "-j route get 203.0.113.7 mark 50",
            "route get 203.0.113.9 uid 1000",
            "-d route get 203.0.113.7",
            "route get fibmatch 203.0.113.200",
            "-j route get fibmatch 203.0.113.200",
            "route get 2001:db8:1::1",
            "-j route get 2001:db8:1::1",
        ] {
            same_text(ns, args)?;
        }
        // flush by the same selection: what covers .200 goes, nothing else.
        nl(Tool::Ip, "route flush match 203.0.113.200")?;
        let left = ns.ip(["route", "show"])?;
        ensure!(
            !left.contains("203.0.113.128/25")
                && !left.contains("203.0.113.0/24")
                && !left.starts_with("default")
                && left.contains("203.0.113.7 via"),
            "{left}"
        );
        Ok(())
    });
}

#[test]
fn veth_peer_in_a_named_namespace() {
    in_netns("veth_peer_in_a_named_namespace", |ns| {
        let peer = Named::new("peer");
        let other = Named::new("other");
        // One namespace made by the library, one by ip.
        NetnsDir::run().add(&peer.0)?;
        ns.ip(["netns", "add", &other.0])?;
        ns.ip([
            "link", "add", "v0", "type", "veth", "peer", "name", "v1", "netns", &peer.0,
        ])?;
        nl(
            Tool::Ip,
            &format!("link add w0 type veth peer name w1 netns {}", other.0),
        )?;
        for args in [
            "link show",
            "link show dev v0",
            "-d link show dev w0",
            "addr show",
        ] {
            same_text(ns, args)?;
        }
        let text = nl(Tool::Ip, "link show dev v0")?;
        ensure!(
            text.contains("v0@if") && text.contains(&format!("link-netns {}", peer.0)),
            "{text}"
        );
        // An nsid set by ip is the one the library reads.
        let third = Named::new("third");
        nl(Tool::Ip, &format!("netns add {}", third.0))?;
        ns.ip(["netns", "set", &third.0, "17"])?;
        let h = Handle::new()?;
        let fd = NetnsDir::run().open(&third.0)?;
        ensure!(
            h.netns_id_get_by_fd(std::os::fd::AsFd::as_fd(&fd))? == Some(17),
            "nsid"
        );
        Ok(())
    });
}

/// The lines of `ip netns list` (or `nl`'s) about this test's names.
fn ours(list: &str) -> Vec<&str> {
    let tag = format!("nltest-{}-", std::process::id());
    list.lines().filter(|l| l.starts_with(&tag)).collect()
}

#[test]
fn ip_netns_both_ways() {
    in_netns("ip_netns_both_ways", |ns| {
        let a = Named::new("a");
        let b = Named::new("b");
        nl(Tool::Ip, &format!("netns add {}", a.0))?;
        ns.ip(["netns", "add", &b.0])?;
        let theirs = ns.ip(["netns", "list"])?;
        let mine = nl(Tool::Ip, "netns list")?;
        ensure!(ours(&theirs).len() == 2, "{theirs}");
        ensure!(ours(&theirs) == ours(&mine), "ip:\n{theirs}nl:\n{mine}");
        // Ids, set by each tool, read by the other.
        nl(Tool::Ip, &format!("netns set {} 5", a.0))?;
        ns.ip(["netns", "set", &b.0, "6"])?;
        let theirs = ns.ip(["netns", "list"])?;
        let mine = nl(Tool::Ip, "netns list")?;
        ensure!(ours(&theirs) == ours(&mine), "ip:\n{theirs}nl:\n{mine}");
        ensure!(
            ours(&mine).contains(&format!("{} (id: 5)", a.0).as_str()),
            "{mine}"
        );
        let j = nl(Tool::Ip, "-j netns list")?;
        ensure!(
            j.contains(&format!("{{\"name\":\"{}\",\"id\":6}}", b.0)),
            "{j}"
        );
        let ids = nl(Tool::Ip, "netns list-id")?;
        ensure!(ids == ns.ip(["netns", "list-id"])?, "{ids}");
        ensure!(
            ids.contains(&format!("nsid 5 (iproute2 netns name: {})", a.0)),
            "{ids}"
        );
        // exec: the same output, the command's exit status.
        let run = |cmd: &mut Command| -> Result<(String, Option<i32>)> {
            let out = cmd.output()?;
            Ok((String::from_utf8(out.stdout)?, out.status.code()))
        };
        let theirs = run(Command::new("ip").args(["netns", "exec", &a.0, "ip", "link", "show"]))?;
        let mine = run(nl_bin().args(["ip", "netns", "exec", &a.0, "ip", "link", "show"]))?;
        ensure!(theirs == mine && mine.1 == Some(0), "{theirs:?} {mine:?}");
        let status = run(nl_bin().args(["ip", "netns", "exec", &b.0, "sh", "-c", "exit 7"]))?;
        ensure!(status.1 == Some(7), "{status:?}");
        // identify, from inside and of another process.
        let inside = run(nl_bin().args([
            "ip",
            "netns",
            "exec",
            &b.0,
            env!("CARGO_BIN_EXE_nl"),
            "ip",
            "netns",
            "identify",
        ]))?;
        ensure!(inside.0 == format!("{}\n", b.0), "{inside:?}");
        let mut sleeper = Command::new("ip")
            .args(["netns", "exec", &a.0, "sleep", "5"])
            .spawn()?;
        std::thread::sleep(Duration::from_millis(300));
        let pid = sleeper.id().to_string();
        let theirs = ns.ip(["netns", "identify", &pid])?;
        let mine = nl(Tool::Ip, &format!("netns identify {pid}"))?;
        let pids = nl(Tool::Ip, &format!("netns pids {}", a.0))?;
        let _ = sleeper.kill();
        let _ = sleeper.wait();
        ensure!(
            theirs == mine && mine == format!("{}\n", a.0),
            "{theirs} {mine}"
        );
        ensure!(pids.lines().any(|p| p == pid), "{pids}");
        // delete, each by the other tool.
        nl(Tool::Ip, &format!("netns del {}", b.0))?;
        ns.ip(["netns", "del", &a.0])?;
        let theirs = ns.ip(["netns", "list"])?;
        let mine = nl(Tool::Ip, "netns list")?;
        ensure!(
            ours(&theirs).is_empty() && ours(&mine).is_empty(),
            "{theirs}{mine}"
        );
        Ok(())
    });
}

#[test]
fn named_namespaces_in_a_private_directory() {
    in_netns("named_namespaces_in_a_private_directory", |_ns| {
        let dir = std::env::temp_dir().join(format!("nltest-netns-{}", std::process::id()));
        let netns = NetnsDir::new(&dir);
        let result = (|| -> Result<()> {
            let path = netns.add("red")?;
            ensure!(path == dir.join("red"), "{}", path.display());
            ensure!(netns.add("red").is_err(), "a name is made once");
            ensure!(
                netns.add("a/b").is_err() && netns.add("..").is_err(),
                "bad names"
            );
            netns.add("blue")?;
            let mut names = netns.list()?;
            names.sort();
            ensure!(names == ["blue", "red"], "{names:?}");
            // A namespace of its own: a link made there is seen there only.
            let red = Handle::in_netns(&path)?;
            red.link_add(&netlink::Link {
                name: "r0".into(),
                kind: Some(netlink::LinkKind::Ifb),
                ..netlink::Link::default()
            })?;
            ensure!(red.link_index("r0").is_ok(), "r0 in red");
            ensure!(Handle::new()?.link_index("r0").is_err(), "r0 only in red");
            ensure!(
                Handle::in_netns(dir.join("blue"))?
                    .link_index("r0")
                    .is_err(),
                "not in blue"
            );
            // Ids: given by fd, read back by fd and by name.
            let here = Handle::new()?;
            let fd = netns.open("red")?;
            ensure!(
                here.netns_id_get_by_fd(std::os::fd::AsFd::as_fd(&fd))?
                    .is_none(),
                "no id yet"
            );
            here.netns_id_set_by_fd(std::os::fd::AsFd::as_fd(&fd), Some(42))?;
            ensure!(
                here.netns_id_get_by_fd(std::os::fd::AsFd::as_fd(&fd))? == Some(42),
                "id 42"
            );
            let by_id = here.netns_names(&netns)?;
            ensure!(
                by_id.get(&42).map(String::as_str) == Some("red"),
                "{by_id:?}"
            );
            ensure!(
                here.netns_id_set_by_fd(std::os::fd::AsFd::as_fd(&fd), Some(43))
                    .is_err(),
                "set once"
            );
            // The namespace of this thread has no name; red's file is red.
            let me =
                std::fs::File::open(format!("/proc/self/task/{}/ns/net", nix::unistd::gettid()))?;
            ensure!(
                netns.names_of(std::os::fd::AsFd::as_fd(&me))?.is_empty(),
                "unnamed"
            );
            ensure!(
                netns.names_of(std::os::fd::AsFd::as_fd(&fd))? == ["red"],
                "named"
            );
            drop(fd);
            netns.del("red")?;
            netns.del("blue")?;
            ensure!(netns.list()?.is_empty(), "deleted");
            ensure!(netns.del("red").is_err(), "a name goes once");
            Ok(())
        })();
        for n in ["red", "blue"] {
            let _ = netns.del(n);
        }
        let _ = nix::mount::umount2(&dir, nix::mount::MntFlags::MNT_DETACH);
        let _ = std::fs::remove_dir(&dir);
        result
    });
}

/// Starts `cmd` with its stdout piped.
fn watcher(cmd: &mut Command) -> Result<Child> {
    Ok(cmd.stdout(Stdio::piped()).stderr(Stdio::null()).spawn()?)
}

/// Ends a watcher (a child of this test) and returns what it printed.
fn stop(mut child: Child) -> Result<String> {
    let _ = child.kill();
    let mut text = String::new();
    if let Some(mut out) = child.stdout.take() {
        out.read_to_string(&mut text)?;
    }
    let _ = child.wait();
    Ok(text)
}

/// Runs `ip ARGS` and `nl ip ARGS` (a monitor) side by side while `change`
/// runs, and returns both outputs.
fn watch_both(
    tool: &str,
    args: &[&str],
    change: impl FnOnce() -> Result<()>,
) -> Result<(String, String)> {
    let theirs = watcher(Command::new(tool).args(args))?;
    let mine = watcher(nl_bin().arg(tool).args(args))?;
    // Both subscribed before the first change.
    std::thread::sleep(Duration::from_millis(600));
    let changed = change();
    std::thread::sleep(Duration::from_millis(800));
    let (theirs, mine) = (stop(theirs)?, stop(mine)?);
    changed?;
    Ok((theirs, mine))
}

fn changes(ns: &Netns) -> Result<()> {
    for cmd in [
        "link set lo up",
        "link add a0 type veth peer name a1",
        "addr add 192.0.2.1/24 dev a0",
        "link set a0 up",
        "link set a1 up",
        "route add 198.51.100.0/24 via 192.0.2.2 dev a0 onlink",
        "neigh add 192.0.2.9 lladdr 02:00:00:00:00:09 dev a0",
        "rule add pref 100 table 7",
        "nexthop add id 1 via 192.0.2.5 dev a0",
        "nexthop add id 2 blackhole",
        "nexthop del id 2",
        "rule del pref 100",
        "neigh del 192.0.2.9 dev a0",
        "route del 198.51.100.0/24",
        "addr del 192.0.2.1/24 dev a0",
        "link set a0 down",
        "link del a0",
    ] {
        ns.ip(cmd.split(' ')).with_context(|| cmd.to_string())?;
    }
    Ok(())
}

#[test]
fn ip_monitor_prints_what_ip_monitor_prints() {
    for (i, args) in [
        &[][..],
        &["all"][..],
        &["link", "address"][..],
        &["route", "neigh", "rule", "nexthop", "label"][..],
    ]
    .into_iter()
    .enumerate()
    {
        in_netns(
            &format!("ip_monitor_prints_what_ip_monitor_prints_{i}"),
            |ns| {
                let mut args: Vec<&str> = args.to_vec();
                args.insert(0, "monitor");
                let (theirs, mine) = watch_both("ip", &args, || changes(ns))?;
                ensure!(
                    theirs.lines().count() > 3,
                    "ip monitor printed little: {theirs}"
                );
                ensure!(
                    theirs == mine,
                    "ip {args:?}\n--- ip:\n{theirs}--- nl:\n{mine}---"
                );
                Ok(())
            },
        );
    }
}

#[test]
fn tc_monitor_prints_what_tc_monitor_prints() {
    in_netns("tc_monitor_prints_what_tc_monitor_prints", |ns| {
        ns.ip(["link", "add", "a0", "type", "veth", "peer", "name", "a1"])?;
        let (theirs, mine) = watch_both("tc", &["monitor"], || {
            for cmd in [
                "qdisc add dev a0 root handle 1: htb default 10",
                "class add dev a0 parent 1: classid 1:10 htb rate 1mbit",
                "filter add dev a0 parent 1: protocol ip prio 1 u32 match ip dst 192.0.2.1/32 flowid 1:10",
                "qdisc add dev a1 clsact",
                "chain add dev a1 ingress chain 3",
                "actions add action mirred egress redirect dev a0 index 7",
                "actions del action mirred index 7",
                "actions add action mirred egress mirror dev a0 index 8",
                "actions flush action mirred",
                "chain del dev a1 ingress chain 3",
                "filter del dev a0 parent 1: prio 1",
                "class del dev a0 classid 1:10",
                "qdisc del dev a0 root",
                "qdisc del dev a1 clsact",
            ] {
                ns.cmd("tc", cmd.split(' '))
                    .with_context(|| cmd.to_string())?;
            }
            Ok(())
        })?;
        ensure!(
            theirs.lines().count() > 5,
            "tc monitor printed little: {theirs}"
        );
        ensure!(theirs == mine, "--- tc:\n{theirs}--- nl:\n{mine}---");
        Ok(())
    });
}

#[test]
fn new_words_refused_by_name() {
    in_netns("new_words_refused_by_name", |_ns| {
        for (tool, args, word) in [
            (Tool::Ip, "monitor bogus", "bogus"),
            (Tool::Ip, "monitor file x", "file"),
            (Tool::Ip, "netns list bogus", "bogus"),
            (Tool::Ip, "netns list-id nsid 3", "nsid"),
            (Tool::Ip, "netns bogus", "bogus"),
            (Tool::Ip, "addr show up bogus", "bogus"),
            (
                Tool::Ip,
                "route show match 192.0.2.0/24 exact 192.0.2.0/24",
                "exact",
            ),
            (Tool::Tc, "monitor bogus", "bogus"),
            (Tool::Tc, "-br qdisc show", "-br"),
        ] {
            let e = match nl(tool, args) {
                Ok(out) => anyhow::bail!("{tool:?} {args}: accepted, printed {out:?}"),
                Err(e) => format!("{e:#}"),
            };
            ensure!(
                e.contains(&format!("\"{word}\"")),
                "{tool:?} {args}: the error does not name \"{word}\": {e}"
            );
        }
        Ok(())
    });
}
