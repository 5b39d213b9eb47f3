//! Captures a reply of every NETLINK_ROUTE and NETLINK_XFRM object kind from
//! this kernel, as the pcap fixtures nl-route's and nl-xfrm's parsers are
//! tested on (`crates/nl-route/tests/fixtures.rs`,
//! `crates/nl-xfrm/tests/fixtures.rs`).
//!
//! Each test builds one kind of object in its own private namespace with the
//! reference tools, asks for it over a socket that records itself
//! ([`Socket::record_to`]: request, replies and ack, as `tcpdump -i nlmon0`
//! would store them), and parses every reply with the library. That is a
//! kernel test of the parsers on every run; with `NETLINK_WRITE_FIXTURES=1`
//! the capture also replaces the fixture:
//!
//! ```text
//! NETLINK_WRITE_FIXTURES=1 cargo test -p netlink-tests --test capture
//! ```
//!
//! A kind this kernel lacks skips with the kernel's reason. The VM tier's
//! kernels have them: `tests/vm/run --kernel 6.12 --capture DIR --test
//! capture` brings every capture back as `DIR/6.12/fixtures/CRATE/NAME.pcap`;
//! copy the new ones into the crate's `tests/fixtures` (`fixtures.rs` parses
//! every file it finds).

use std::io::Write;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use anyhow::{Context, Result, bail, ensure};
use netlink::nl_xfrm::{XfrmPolicy, XfrmState};
use netlink_tests::{Netns, in_netns, need_module};
use nl_route::link::{LinkId, write_get};
use nl_route::tc::{Action, ActionDump, Class, Filter, Qdisc, TcDump, TcHandle};
use nl_route::{
    Addr, AddrDump, Link, Neigh, NeighDump, Netconf, Nexthop, NexthopDump, Nsid, Route, RouteDump,
    Rule, RuleDump,
};
use nl_sock::{Recorder, Socket};
use nl_wire::Msg;
use nl_wire::netlink::{NETLINK_ROUTE, NETLINK_XFRM};
use nl_wire::pcap::{Capture, Direction};

/// Where fixtures go when `NETLINK_WRITE_FIXTURES` is set.
const WRITE_ENV: &str = "NETLINK_WRITE_FIXTURES";

/// The crate whose tests read a fixture.
#[derive(Clone, Copy)]
enum Home {
    Route,
    Xfrm,
}

/// Where the VM tier's guest collects what `tests/vm/run --capture DIR`
/// brings back.
const VM_CAPTURE_ENV: &str = "NETLINK_VM_CAPTURE";

impl Home {
    fn krate(self) -> &'static str {
        match self {
            Home::Route => "nl-route",
            Home::Xfrm => "nl-xfrm",
        }
    }
}

fn fixture_path(home: Home, name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../crates")
        .join(home.krate())
        .join("tests/fixtures")
        .join(format!("{name}.pcap"))
}

/// A pcap recorder writing into memory.
#[derive(Clone, Default)]
struct Shared(Arc<Mutex<Vec<u8>>>);

impl Write for Shared {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let mut v = self
            .0
            .lock()
            .map_err(|_| std::io::Error::other("poisoned"))?;
        v.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// A socket of `protocol` recording into memory.
fn recording(protocol: i32) -> Result<(Socket, Recorder, Shared)> {
    let mut sock = Socket::open(protocol)?;
    let shared = Shared::default();
    let rec = Recorder::new(shared.clone())?;
    sock.record_to(rec.clone());
    Ok((sock, rec, shared))
}

/// Runs one request: a dump (`NLM_F_DUMP` set by the writer) or a get
/// answered with one message.
fn ask(sock: &mut Socket, mut req: Vec<u8>) -> Result<usize> {
    let (hdr, _) = Msg::parse(&req)?;
    let mut n = 0;
    if hdr.flags() & nl_wire::netlink::NLM_F_DUMP == nl_wire::netlink::NLM_F_DUMP {
        sock.dump(&mut req)?.for_each(|_| {
            n += 1;
            Ok(())
        })?;
    } else {
        sock.exchange(&mut req, |_| {
            n += 1;
            Ok(())
        })?;
    }
    Ok(n)
}

/// Parses every reply of a capture with `parse`; returns how many there
/// were.
fn parse_replies(pcap: &[u8], parse: fn(&Msg<'_>) -> Result<String>) -> Result<usize> {
    let mut n = 0;
    for record in Capture::new(pcap)? {
        for msg in record?.netlink()?.replies() {
            let msg = msg?;
            parse(&msg).with_context(|| format!("reply of type {}", msg.ty()))?;
            n += 1;
        }
    }
    Ok(n)
}

/// Sets the namespace up with `setup` (each line an `ip` or `tc` command),
/// records the answer to `request`, checks that every reply parses and, if
/// asked, writes the capture as fixture `name`.
fn capture(
    ns: &Netns,
    home: Home,
    name: &str,
    setup: &[&str],
    request: impl FnOnce(&Netns) -> Result<Vec<u8>>,
    parse: fn(&Msg<'_>) -> Result<String>,
) -> Result<()> {
    for line in setup {
        let words = words(line);
        let Some((program, args)) = words.split_first() else {
            continue;
        };
        match program.as_str() {
            "ip" => ns.ip(args)?,
            other => ns.cmd(other, args)?,
        };
    }
    let protocol = match home {
        Home::Route => NETLINK_ROUTE,
        Home::Xfrm => NETLINK_XFRM,
    };
    let (mut sock, rec, shared) = recording(protocol)?;
    let req = request(ns)?;
    let asked = ask(&mut sock, req)?;
    rec.flush()?;
    drop(sock);
    let pcap = shared
        .0
        .lock()
        .map_err(|_| anyhow::anyhow!("poisoned"))?
        .clone();
    let parsed = parse_replies(&pcap, parse)?;
    ensure!(asked > 0, "{name}: the kernel sent nothing");
    ensure!(
        parsed == asked,
        "{name}: {parsed} replies parsed, {asked} received"
    );
    if std::env::var_os(WRITE_ENV).is_some_and(|v| !v.is_empty() && v != "0") {
        let path = fixture_path(home, name);
        std::fs::write(&path, &pcap).with_context(|| path.display().to_string())?;
    }
    // In the VM tier with --capture, every capture comes back to the host
    // (DIR/KERNEL/fixtures/CRATE/NAME.pcap), for the kinds this host lacks.
    if let Some(dir) = std::env::var_os(VM_CAPTURE_ENV) {
        let dir = PathBuf::from(dir).join("fixtures").join(home.krate());
        std::fs::create_dir_all(&dir).with_context(|| dir.display().to_string())?;
        let path = dir.join(format!("{name}.pcap"));
        std::fs::write(&path, &pcap).with_context(|| path.display().to_string())?;
    }
    Ok(())
}

/// The words of a command line; `'...'` keeps spaces in one word.
fn words(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (i, part) in line.split('\'').enumerate() {
        if i % 2 == 1 {
            out.push(part.to_string());
        } else {
            out.extend(part.split_whitespace().map(str::to_string));
        }
    }
    out
}

/// The index of link `name` in the test's namespace.
fn index(name: &str) -> Result<u32> {
    let idx = nix::net::if_::if_nametoindex(name).with_context(|| format!("no link {name}"))?;
    Ok(idx)
}

fn link_get(name: &str) -> Result<Vec<u8>> {
    let mut buf = Vec::new();
    write_get(&mut buf, &LinkId::Name(name.to_string()), false)?;
    Ok(buf)
}

fn parse_link(m: &Msg<'_>) -> Result<String> {
    Ok(format!("{:?}", Link::parse(m)?))
}

/// One link of a kind, created by `setup`, asked for by name (`fx0`).
fn link_fixture(name: &str, setup: &[&str]) {
    in_netns(name, |ns| {
        capture(
            ns,
            Home::Route,
            name,
            setup,
            |_| link_get("fx0"),
            parse_link,
        )
    });
}

const VETH: &str = "ip link add fx0 type veth peer name fx1";

#[test]
fn link_veth() {
    link_fixture("link_veth", &[VETH]);
}

#[test]
fn link_bridge() {
    link_fixture(
        "link_bridge",
        &["ip link add fx0 type bridge forward_delay 1000 stp_state 0"],
    );
}

#[test]
fn link_vxlan() {
    link_fixture(
        "link_vxlan",
        &["ip link add fx0 type vxlan id 42 dstport 4789 local 192.0.2.1 remote 198.51.100.1"],
    );
}

#[test]
fn link_macvlan() {
    link_fixture(
        "link_macvlan",
        &[
            "ip link add fxl type veth peer name fxp",
            "ip link add link fxl name fx0 type macvlan mode bridge",
        ],
    );
}

#[test]
fn link_macvtap() {
    link_fixture(
        "link_macvtap",
        &[
            "ip link add fxl type veth peer name fxp",
            "ip link add link fxl name fx0 type macvtap mode vepa",
        ],
    );
}

#[test]
fn link_ifb() {
    link_fixture("link_ifb", &["ip link add fx0 type ifb"]);
}

#[test]
fn link_tun() {
    link_fixture("link_tun", &["ip tuntap add fx0 mode tap"]);
}

#[test]
fn link_dummy() {
    link_fixture("link_dummy", &["ip link add fx0 type dummy"]);
}

#[test]
fn link_vlan() {
    link_fixture(
        "link_vlan",
        &[
            "ip link add fxl type veth peer name fxp",
            "ip link add link fxl name fx0 type vlan id 5",
        ],
    );
}

#[test]
fn link_bond() {
    link_fixture(
        "link_bond",
        &["ip link add fx0 type bond mode active-backup miimon 100"],
    );
}

#[test]
fn link_vrf() {
    link_fixture("link_vrf", &["ip link add fx0 type vrf table 10"]);
}

#[test]
fn link_gretap() {
    link_fixture(
        "link_gretap",
        &["ip link add fx0 type gretap local 192.0.2.1 remote 198.51.100.1 key 7"],
    );
}

#[test]
fn link_geneve() {
    link_fixture(
        "link_geneve",
        &["ip link add fx0 type geneve id 9 remote 198.51.100.1"],
    );
}

#[test]
fn link_macsec() {
    link_fixture(
        "link_macsec",
        &[
            "ip link add fxl type veth peer name fxp",
            "ip link add link fxl name fx0 type macsec port 11 encrypt on",
        ],
    );
}

#[test]
fn link_gtp() {
    in_netns("link_gtp", |ns| {
        // 6.1's cloud build has no gtp: the VM tier declares it absent.
        need_module("gtp")?;
        capture(
            ns,
            Home::Route,
            "link_gtp",
            &["ip link add fx0 type gtp role sgsn"],
            |_| link_get("fx0"),
            parse_link,
        )
    });
}

#[test]
fn addr() {
    in_netns("addr", |ns| {
        capture(
            ns,
            Home::Route,
            "addr",
            &[
                VETH,
                "ip link set fx0 up",
                "ip addr add 192.0.2.1/24 brd + dev fx0 label fx0:a",
                "ip addr add 2001:db8::1/64 dev fx0 nodad",
            ],
            |_| {
                let mut buf = Vec::new();
                AddrDump {
                    family: 0,
                    index: Some(index("fx0")?),
                }
                .write(&mut buf)?;
                Ok(buf)
            },
            |m| Ok(format!("{:?}", Addr::parse(m)?)),
        )
    });
}

#[test]
fn route() {
    in_netns("route", |ns| {
        capture(
            ns,
            Home::Route,
            "route",
            &[
                VETH,
                "ip link set fx0 up",
                "ip link set fx1 up",
                "ip addr add 192.0.2.1/24 dev fx0",
                "ip route add 198.51.100.0/24 via 192.0.2.2 dev fx0 metric 100 table 100",
                "ip route add blackhole 203.0.113.0/24 table 100",
                "ip -6 route add 2001:db8:1::/48 dev fx0 metric 5 table 100",
            ],
            |_| {
                let mut buf = Vec::new();
                RouteDump {
                    table: Some(100),
                    ..RouteDump::default()
                }
                .write(&mut buf)?;
                Ok(buf)
            },
            |m| Ok(format!("{:?}", Route::parse(m)?)),
        )
    });
}

#[test]
fn rule() {
    in_netns("rule", |ns| {
        capture(
            ns,
            Home::Route,
            "rule",
            &[
                "ip rule add from 192.0.2.0/24 table 100 pref 100",
                "ip rule add fwmark 0x10/0xff ipproto tcp dport 443 lookup 200 pref 200",
            ],
            |_| {
                let mut buf = Vec::new();
                RuleDump {
                    family: nl_route::AF_INET,
                    ..RuleDump::default()
                }
                .write(&mut buf)?;
                Ok(buf)
            },
            |m| Ok(format!("{:?}", Rule::parse(m)?)),
        )
    });
}

#[test]
fn neigh() {
    in_netns("neigh", |ns| {
        capture(
            ns,
            Home::Route,
            "neigh",
            &[
                VETH,
                "ip neigh add 192.0.2.9 lladdr 02:00:00:00:00:09 dev fx0",
                "ip neigh add 2001:db8::9 lladdr 02:00:00:00:00:0a dev fx0 nud reachable",
            ],
            |_| {
                let mut buf = Vec::new();
                NeighDump {
                    ifindex: Some(index("fx0")?),
                    ..NeighDump::default()
                }
                .write(&mut buf)?;
                Ok(buf)
            },
            |m| Ok(format!("{:?}", Neigh::parse(m)?)),
        )
    });
}

#[test]
fn nexthop() {
    in_netns("nexthop", |ns| {
        capture(
            ns,
            Home::Route,
            "nexthop",
            &[
                VETH,
                "ip link set fx0 up",
                "ip link set fx1 up",
                "ip addr add 192.0.2.1/24 dev fx0",
                "ip link set lo up",
                "ip nexthop add id 1 via 192.0.2.2 dev fx0",
                "ip nexthop add id 2 blackhole",
                "ip nexthop add id 3 via 192.0.2.3 dev fx0",
                "ip nexthop add id 10 group 1/3,3",
            ],
            |_| {
                let mut buf = Vec::new();
                NexthopDump::default().write(&mut buf)?;
                Ok(buf)
            },
            |m| Ok(format!("{:?}", Nexthop::parse(m)?)),
        )
    });
}

#[test]
fn netconf() {
    in_netns("netconf", |ns| {
        capture(
            ns,
            Home::Route,
            "netconf",
            &[VETH],
            |_| {
                let mut buf = Vec::new();
                Netconf::write_dump(nl_route::AF_INET, &mut buf)?;
                Ok(buf)
            },
            |m| Ok(format!("{:?}", Netconf::parse(m)?)),
        )
    });
}

#[test]
fn nsid() {
    in_netns("nsid", |ns| {
        // A namespace of a child of ours: its veth end gets an id here.
        let mut child = std::process::Command::new("unshare")
            .args(["-n", "sleep", "30"])
            .spawn()
            .context("unshare -n sleep")?;
        let result = (|| {
            // Wait for the child to be in its own namespace.
            let own = std::fs::read_link("/proc/thread-self/ns/net")?;
            let theirs = format!("/proc/{}/ns/net", child.id());
            for _ in 0..50 {
                if std::fs::read_link(&theirs)? != own {
                    break;
                }
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            capture(
                ns,
                Home::Route,
                "nsid",
                &[&format!(
                    "ip link add fx0 type veth peer name fx1 netns {}",
                    child.id()
                )],
                |_| {
                    let mut buf = Vec::new();
                    Nsid::write_dump(&mut buf)?;
                    Ok(buf)
                },
                |m| Ok(format!("{:?}", Nsid::parse(m)?)),
            )
        })();
        child.kill().ok();
        child.wait().ok();
        result
    });
}

/// Traffic control on the veth pair `fx0`/`fx1`.
fn tc_fixture(name: &str, setup: &[&str], what: TcWhat, dev: &'static str) {
    in_netns(name, |ns| {
        let mut lines = vec![VETH, "ip link set fx0 up", "ip link set fx1 up"];
        lines.extend_from_slice(setup);
        capture(
            ns,
            Home::Route,
            name,
            &lines,
            |_| {
                let index = index(dev)?;
                let dump = match what {
                    TcWhat::Qdiscs => TcDump::qdiscs(index),
                    TcWhat::Classes => TcDump::classes(index),
                    TcWhat::Filters(parent) => TcDump::filters(index, parent),
                };
                let mut buf = Vec::new();
                dump.write(&mut buf)?;
                Ok(buf)
            },
            match what {
                TcWhat::Qdiscs => |m| Ok(format!("{:?}", Qdisc::parse(m)?)),
                TcWhat::Classes => |m| Ok(format!("{:?}", Class::parse(m)?)),
                TcWhat::Filters(_) => |m| Ok(format!("{:?}", Filter::parse(m)?)),
            },
        )
    });
}

#[derive(Clone, Copy)]
enum TcWhat {
    Qdiscs,
    Classes,
    Filters(TcHandle),
}

#[test]
fn qdisc_htb() {
    tc_fixture(
        "qdisc_htb",
        &["tc qdisc add dev fx0 root handle 1: htb default 10 r2q 20 direct_qlen 100"],
        TcWhat::Qdiscs,
        "fx0",
    );
}

#[test]
fn qdisc_tbf() {
    tc_fixture(
        "qdisc_tbf",
        &["tc qdisc add dev fx0 root handle 2: tbf rate 1mbit burst 10k latency 50ms"],
        TcWhat::Qdiscs,
        "fx0",
    );
}

#[test]
fn qdisc_pfifo() {
    tc_fixture(
        "qdisc_pfifo",
        &["tc qdisc add dev fx0 root handle 3: pfifo limit 50"],
        TcWhat::Qdiscs,
        "fx0",
    );
}

#[test]
fn qdisc_bfifo() {
    tc_fixture(
        "qdisc_bfifo",
        &["tc qdisc add dev fx0 root handle 4: bfifo limit 10000"],
        TcWhat::Qdiscs,
        "fx0",
    );
}

#[test]
fn qdisc_ingress() {
    tc_fixture(
        "qdisc_ingress",
        &["tc qdisc add dev fx0 ingress"],
        TcWhat::Qdiscs,
        "fx0",
    );
}

#[test]
fn qdisc_clsact() {
    tc_fixture(
        "qdisc_clsact",
        &["tc qdisc add dev fx0 clsact"],
        TcWhat::Qdiscs,
        "fx0",
    );
}

#[test]
fn qdisc_fq_codel() {
    tc_fixture(
        "qdisc_fq_codel",
        &["tc qdisc add dev fx0 root handle 5: fq_codel limit 1000 target 5ms"],
        TcWhat::Qdiscs,
        "fx0",
    );
}

#[test]
fn qdisc_prio() {
    tc_fixture(
        "qdisc_prio",
        &["tc qdisc add dev fx0 root handle 6: prio bands 4"],
        TcWhat::Qdiscs,
        "fx0",
    );
}

#[test]
fn class_htb() {
    tc_fixture(
        "class_htb",
        &[
            "tc qdisc add dev fx0 root handle 1: htb default 10",
            "tc class add dev fx0 parent 1: classid 1:10 htb rate 10mbit ceil 20mbit burst 15k prio 2",
        ],
        TcWhat::Classes,
        "fx0",
    );
}

#[test]
fn filter_u32() {
    tc_fixture(
        "filter_u32",
        &[
            "tc qdisc add dev fx0 root handle 1: htb default 10",
            "tc filter add dev fx0 parent 1: protocol ip prio 5 u32 match ip dst 192.0.2.0/24 match ip dport 53 0xffff flowid 1:10 action mirred egress redirect dev fx1",
        ],
        TcWhat::Filters(TcHandle::new(1, 0)),
        "fx0",
    );
}

#[test]
fn filter_bpf() {
    tc_fixture(
        "filter_bpf",
        &[
            "tc qdisc add dev fx0 root handle 1: htb default 10",
            "tc filter add dev fx0 parent 1: protocol all prio 7 bpf bytecode '1,6 0 0 0,' classid 1:20",
        ],
        TcWhat::Filters(TcHandle::new(1, 0)),
        "fx0",
    );
}

#[test]
fn filter_matchall() {
    tc_fixture(
        "filter_matchall",
        &[
            "tc qdisc add dev fx0 clsact",
            "tc filter add dev fx0 ingress prio 1 matchall action mirred ingress mirror dev fx1",
        ],
        TcWhat::Filters(TcHandle::INGRESS_FILTERS),
        "fx0",
    );
}

/// A standalone action of `kind`, added by `add` (a `tc actions add ...`).
fn action_fixture(name: &str, kind: &'static str, add: &str) {
    in_netns(name, |ns| {
        capture(
            ns,
            Home::Route,
            name,
            &[VETH, add],
            |_| {
                let mut buf = Vec::new();
                ActionDump {
                    kind: kind.to_string(),
                }
                .write(&mut buf)?;
                Ok(buf)
            },
            |m| Ok(format!("{:?}", Action::parse_msg(m)?)),
        )
    });
}

#[test]
fn action_mirred() {
    action_fixture(
        "action_mirred",
        "mirred",
        "tc actions add action mirred egress mirror dev fx1 index 42",
    );
}

#[test]
fn action_gact() {
    action_fixture(
        "action_gact",
        "gact",
        "tc actions add action gact drop random determ pass 10 index 43",
    );
}

#[test]
fn action_police() {
    action_fixture(
        "action_police",
        "police",
        "tc actions add action police rate 1mbit burst 10k conform-exceed drop/pipe index 44",
    );
}

#[test]
fn xfrm_policy() {
    in_netns("xfrm_policy", |ns| {
        capture(
            ns,
            Home::Xfrm,
            "xfrm_policy",
            &[
                "ip xfrm policy add src 192.0.2.0/24 dst 198.51.100.0/24 dir out priority 10 mark 0x5 mask 0xff tmpl src 192.0.2.1 dst 198.51.100.1 proto esp reqid 7 mode tunnel",
                "ip xfrm policy add src 198.51.100.0/24 dst 192.0.2.0/24 dir in action block",
            ],
            |_| {
                let mut buf = Vec::new();
                netlink::nl_xfrm::policy::write_dump_policies(&mut buf)?;
                Ok(buf)
            },
            |m| Ok(format!("{:?}", XfrmPolicy::parse(m)?)),
        )
    });
}

#[test]
fn xfrm_state() {
    in_netns("xfrm_state", |ns| {
        capture(
            ns,
            Home::Xfrm,
            "xfrm_state",
            &[
                "ip xfrm state add src 192.0.2.1 dst 198.51.100.1 proto esp spi 0x100 reqid 7 mode tunnel auth-trunc hmac(sha256) 0x0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef 128 enc cbc(aes) 0x0123456789abcdef0123456789abcdef",
            ],
            |_| {
                let mut buf = Vec::new();
                netlink::nl_xfrm::StateDump::default().write(&mut buf)?;
                Ok(buf)
            },
            |m| Ok(format!("{:?}", XfrmState::parse(m)?)),
        )
    });
}

#[test]
fn replies_that_do_not_parse_fail_the_capture() -> Result<()> {
    // The check above is real: a reply cut short is reported, not ignored.
    let mut req = Vec::new();
    nl_route::link::write_get(&mut req, &LinkId::Index(1), false)?;
    let mut pcap = Vec::new();
    nl_wire::pcap::write_file_header(&mut pcap);
    let mut msg = Vec::new();
    let mut m = nl_wire::MsgBuilder::new(&mut msg, nl_route::uapi::rtnetlink::RTM_NEWLINK, 0);
    m.header(&[0u8; 16])
        .put_bytes(nl_route::uapi::if_link::IFLA_MTU, &[1, 2]);
    m.finish()?;
    nl_wire::pcap::write_record(
        &mut pcap,
        nl_wire::pcap::Timestamp { secs: 1, nanos: 0 },
        Direction::ToUser,
        0, // NETLINK_ROUTE
        &msg,
    );
    match parse_replies(&pcap, parse_link) {
        Err(e) => ensure!(format!("{e:#}").contains("attribute 4"), "{e:#}"),
        Ok(n) => bail!("{n} replies parsed"),
    }
    Ok(())
}
