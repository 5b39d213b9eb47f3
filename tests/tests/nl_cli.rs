//! The `nl` tools' whole command lines (global options, parsing, the
//! kernel, printing) against iproute2 on the same namespace: the text of
//! `show` commands byte for byte, commands given to `nl` read back by
//! `ip`, `-batch` with its name cache, and words the tools do not
//! implement refused by name.

use anyhow::{Context, Result, ensure};
use netlink::Handle;
use netlink_tests::{Netns, in_netns};
use nl_tools::Tool;
use nl_tools::ip::{Ip, Opts, batch};

/// Runs `tool` with `args` (split at spaces) in this thread's namespace
/// and returns what it printed.
fn nl(tool: Tool, args: &str) -> Result<String> {
    let words: Vec<String> = args.split_whitespace().map(String::from).collect();
    let mut out = Vec::new();
    tool.run(&words, &mut out)
        .with_context(|| format!("nl {tool:?} {args}"))?;
    Ok(String::from_utf8(out)?)
}

/// The same command through `ip` and through `nl ip`: the same bytes.
/// Lifetimes count down in seconds and one may tick between the two runs
/// (often under emulation): a difference must persist over three tries.
fn same_text(ns: &Netns, args: &str) -> Result<()> {
    for attempt in 1..=3 {
        let theirs = ns.ip(args.split_whitespace())?;
        let ours = nl(Tool::Ip, args)?;
        if theirs == ours {
            break;
        }
        ensure!(
            attempt < 3,
            "ip {args}\n--- ip:\n{theirs}--- nl:\n{ours}---"
        );
    }
    Ok(())
}

/// The same through `bridge` and `nl bridge`.
fn same_bridge_text(ns: &Netns, args: &str) -> Result<()> {
    let theirs = ns.cmd("bridge", args.split_whitespace())?;
    let ours = nl(Tool::Bridge, args)?;
    ensure!(
        theirs == ours,
        "bridge {args}\n--- bridge:\n{theirs}--- nl:\n{ours}---"
    );
    Ok(())
}

fn setup(ns: &Netns) -> Result<()> {
    for cmd in [
        "link set lo up",
        "link add a0 type veth peer name a1",
        "link set a0 up",
        "link set a1 up",
        "link add b0 type bridge",
        "link set a1 master b0",
        "addr add 192.0.2.1/24 dev a0 noprefixroute",
        "addr add 192.0.2.7/24 dev a0 valid_lft 100 preferred_lft 50",
        "addr add 198.51.100.1/24 brd + dev a0 label a0:x",
        "addr add 2001:db8::5/64 dev a0 nodad valid_lft 100 preferred_lft 50 noprefixroute",
        "route add 192.0.2.0/24 dev a0 metric 10",
        "route add 203.0.113.0/25 via 192.0.2.2 metric 5 mtu lock 1400 advmss 1360 rtt 8 congctl reno",
        "route add 203.0.113.128/25 nexthop via 192.0.2.3 dev a0 weight 2 nexthop via 192.0.2.4 dev a0",
        "route add 198.18.0.0/24 via 192.0.2.2 dev a0 realm 5 onlink",
        "route add blackhole 198.18.1.0/24 table 100 proto static",
        "route add unreachable 198.18.2.0/24 tos 0x10",
        "-6 route add 2001:db8::/64 dev a0 metric 300",
        "-6 route add 2001:db8:1::/64 via 2001:db8::2 metric 7 pref high",
        "neigh add 192.0.2.9 lladdr 02:00:00:00:00:09 dev a0 router",
        "neigh add 192.0.2.10 lladdr 02:00:00:00:00:0a dev a0 extern_learn proto static",
        "neigh add proxy 192.0.2.11 dev a0",
        "-6 neigh add 2001:db8::9 lladdr 02:00:00:00:00:09 dev a0 router nud reachable",
        "nexthop add id 1 via 192.0.2.5 dev a0",
        "nexthop add id 2 blackhole",
        "nexthop add id 3 via 192.0.2.6 dev a0 proto static",
        "nexthop add id 4 group 1/3,5",
        "route add 198.18.3.0/24 nhid 4",
        "rule add from 192.0.2.0/24 tos 0x10 ipproto tcp table 100 pref 100",
        "rule add to 198.18.0.0/16 fwmark 0x10/0xff lookup 7 realms 3/4 pref 101",
    ] {
        ns.ip(cmd.split(' ')).with_context(|| cmd.to_string())?;
    }
    Ok(())
}

#[test]
fn show_text_is_iproute2s_byte_for_byte() {
    in_netns("show_text_is_iproute2s_byte_for_byte", |ns| {
        setup(ns)?;
        for args in [
            "link show",
            "link show dev a0",
            "link show up",
            "addr show",
            "addr show dev a0",
            "-4 addr show",
            "route show",
            "route show table all",
            "route show table 100",
            "-6 route show",
            "route show 203.0.113.0/25",
            "route show dev a0",
            "route show table all proto kernel",
            "-d route show dev a0",
            "-6 route show table all",
            "neigh show",
            "neigh show dev a0",
            "neigh show proxy",
            "-6 neigh show",
            "nexthop show",
            "rule show",
            "-6 rule show",
        ] {
            same_text(ns, args)?;
        }
        ns.cmd(
            "bridge",
            "fdb add 02:00:00:00:00:42 dev a1 master static".split(' '),
        )?;
        for args in ["fdb show", "fdb show dev a1", "fdb show br b0"] {
            same_bridge_text(ns, args)?;
        }
        Ok(())
    });
}

#[test]
fn commands_of_nl_read_back_by_ip() {
    in_netns("commands_of_nl_read_back_by_ip", |ns| {
        setup(ns)?;
        nl(
            Tool::Ip,
            "route add 198.18.9.0/24 via 192.0.2.2 dev a0 rtt 8 rttvar 3ms rto_min 1s proto static",
        )?;
        // A bare rtt is the kernel's units (1/8 ms), one with a unit is ms.
        let j = ns.ip_json(["route", "show", "198.18.9.0/24"])?;
        let m = &j[0]["metrics"][0];
        ensure!(
            m["rtt"] == 1 && m["rttvar"] == 3 && m["rto_min"] == 1000,
            "{j}"
        );
        nl(Tool::Ip, "link add c0 type veth peer name c1")?;
        nl(Tool::Ip, "link set c0 up mtu 1400 alias first")?;
        let j = ns.ip_json(["link", "show", "c0"])?;
        ensure!(j[0]["mtu"] == 1400 && j[0]["ifalias"] == "first", "{j}");
        nl(Tool::Ip, "addr add 192.0.2.77/24 dev c0")?;
        nl(
            Tool::Bridge,
            "fdb add 02:00:00:00:00:42 dev a1 master static",
        )?;
        let fdb = ns.cmd("bridge", ["fdb", "show", "dev", "a1"])?;
        ensure!(fdb.contains("02:00:00:00:00:42"), "{fdb}");
        let ours = nl(Tool::Bridge, "-j fdb show dev a1")?;
        ensure!(ours.contains("\"02:00:00:00:00:42\""), "{ours}");
        same_text(ns, "addr show dev c0")?;
        // -j -p: indented by four spaces, as iproute2 indents.
        let pretty = nl(Tool::Ip, "-j -p link show dev c0")?;
        ensure!(pretty.contains("\n        \"ifindex\""), "{pretty}");
        let v: serde_json::Value = serde_json::from_str(&pretty)?;
        ensure!(v[0]["ifname"] == "c0", "{v}");
        Ok(())
    });
}

#[test]
fn words_the_tools_do_not_implement_are_errors() {
    in_netns("words_the_tools_do_not_implement_are_errors", |ns| {
        setup(ns)?;
        for (tool, args, word) in [
            (Tool::Ip, "-x link show", "-x"),
            (Tool::Ip, "link show a0 bogus", "bogus"),
            (Tool::Ip, "link add v9 type veth bogus", "bogus"),
            (Tool::Ip, "link add v9 v8 type dummy", "v8"),
            (Tool::Ip, "link set a0 mtu 1400 bogus", "bogus"),
            (Tool::Ip, "link del a0 a1", "a1"),
            (Tool::Ip, "addr show a0 bogus", "bogus"),
            (
                Tool::Ip,
                "addr add 192.0.2.50/24 192.0.2.51/24 dev a0",
                "192.0.2.51/24",
            ),
            (Tool::Ip, "addr flush dev a0 bogus", "bogus"),
            (Tool::Ip, "route show bogus", "bogus"),
            (
                Tool::Ip,
                "route show 192.0.2.0/24 198.51.100.0/24",
                "198.51.100.0/24",
            ),
            (Tool::Ip, "route add 198.18.5.0/24 dev a0 bogus", "bogus"),
            (
                Tool::Ip,
                "route add 198.18.5.0/24 198.18.6.0/24 dev a0",
                "198.18.6.0/24",
            ),
            (Tool::Ip, "route get 192.0.2.1 bogus", "bogus"),
            (Tool::Ip, "rule show bogus", "bogus"),
            (Tool::Ip, "rule add bogus table 5", "bogus"),
            (Tool::Ip, "neigh show bogus", "bogus"),
            (
                Tool::Ip,
                "neigh add 192.0.2.30 192.0.2.31 dev a0",
                "192.0.2.31",
            ),
            (Tool::Ip, "nexthop show bogus", "bogus"),
            (Tool::Ip, "nexthop add id 9 blackhole bogus", "bogus"),
            (Tool::Ip, "nexthop del id 1 bogus", "bogus"),
            (Tool::Ip, "bogus show", "bogus"),
            (Tool::Ip, "route bogus", "bogus"),
            (Tool::Tc, "qdisc show dev a0 bogus", "bogus"),
            (Tool::Tc, "-x qdisc show", "-x"),
            (Tool::Bridge, "fdb show bogus", "bogus"),
            (
                Tool::Bridge,
                "fdb add 02:00:00:00:00:01 02:00:00:00:00:02 dev a1",
                "02:00:00:00:00:02",
            ),
            (Tool::Bridge, "vlan show", "show"),
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
        // Nothing of the refused commands reached the kernel.
        let links = ns.ip(["link", "show"])?;
        ensure!(!links.contains("v9") && links.contains("a0"), "{links}");
        Ok(())
    });
}

#[test]
fn batch_resolves_each_device_once() {
    in_netns("batch_resolves_each_device_once", |ns| {
        setup(ns)?;
        let h = Handle::new()?;
        let ip = Ip::new(&h, Opts::default());
        let mut text = String::new();
        for i in 0..200u32 {
            text.push_str(&format!(
                "route add 198.18.{}.{}/32 dev a0\n",
                10 + i / 100,
                i % 100
            ));
        }
        // A rename in the middle: later lines must see the new name only.
        // Down first: kernels before 6.2 refuse to rename a link that is up
        // (EBUSY); going down removes the 200 routes (the kernel acked them).
        text.push_str("link set a0 down\n");
        text.push_str("link set a0 name e0\n");
        text.push_str("link set e0 up\n");
        text.push_str("route add 198.18.20.1/32 dev e0\n");
        text.push_str("route add 198.18.20.2/32 dev a0\n"); // line 205: gone
        text.push_str("bogus line\n"); // 206
        text.push_str("route add 198.18.20.3/32 dev e0 bogus\n"); // 207
        let out = batch::run(&ip, &text, "test", true, &mut Vec::new())?;
        ensure!(out.failed == [205, 206, 207], "{:?}", out.failed);
        ensure!(out.ok == 204, "{}", out.ok);
        let routes = ns.ip(["route", "show", "dev", "e0"])?;
        let batched = |l: &&str| {
            ["198.18.10.", "198.18.11.", "198.18.20."]
                .iter()
                .any(|p| l.starts_with(p))
        };
        ensure!(routes.lines().filter(batched).count() == 1, "{routes}");
        // The same through the command line, reading the file.
        let dir = std::env::temp_dir().join(format!("nl-cli-{}", std::process::id()));
        std::fs::create_dir_all(&dir)?;
        let file = dir.join("routes.batch");
        std::fs::write(
            &file,
            "route del 198.18.20.1/32 dev e0\nroute add 198.18.20.9/32 dev e0\n",
        )?;
        let done = nl(Tool::Ip, &format!("-batch {}", file.display()));
        let _ = std::fs::remove_dir_all(&dir);
        done?;
        let routes = ns.ip(["route", "show", "198.18.20.9"])?;
        ensure!(routes.contains("dev e0"), "{routes}");
        Ok(())
    });
}

#[test]
fn multi_call_names() {
    assert_eq!(Tool::from_name("ip"), Some(Tool::Ip));
    assert_eq!(Tool::from_name("tc"), Some(Tool::Tc));
    assert_eq!(Tool::from_name("bridge"), Some(Tool::Bridge));
    assert_eq!(Tool::from_name("decode"), Some(Tool::Decode));
    assert_eq!(Tool::from_name("nl"), None);
    let pick = |argv: &[&str]| {
        let v: Vec<String> = argv.iter().map(|s| s.to_string()).collect();
        nl_tools::pick(&v).map(|(t, rest)| (t, rest.to_vec()))
    };
    assert_eq!(
        pick(&["/usr/local/bin/nl", "ip", "-j", "link"]),
        Some((Tool::Ip, vec!["-j".to_string(), "link".to_string()]))
    );
    assert_eq!(
        pick(&["/home/u/bin/ip", "route", "show"]),
        Some((Tool::Ip, vec!["route".to_string(), "show".to_string()]))
    );
    assert_eq!(
        pick(&["tc", "qdisc"]),
        Some((Tool::Tc, vec!["qdisc".to_string()]))
    );
    assert_eq!(pick(&["nl", "bridge"]), Some((Tool::Bridge, vec![])));
    assert_eq!(pick(&["nl", "frob"]), None);
    assert_eq!(pick(&["nl"]), None);
    // A link named "decode" is not a tool name: `decode` is `nl decode`.
    assert_eq!(pick(&["decode", "x.pcap"]), None);
}
