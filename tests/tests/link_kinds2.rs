//! More link kinds against the kernel and iproute2, both ways: each
//! created by the library and read by `ip -j -d link show` (the kind's
//! fields compared), created by `ip link add ... type KIND` and read by
//! the library, and shown by `nl ip [-j] -d link show` as `ip` shows it.
//!
//! This host's kernel has none of these kinds: every test skips here
//! naming the module, and runs strictly in the VM tier. Debian's 6.1
//! cloud kernel has vti, vti6, team, nlmon and vsockmon; 6.12 adds vcan, vxcan,
//! hsr and batman_adv. Neither builds bareudp, amt nor virt_wifi
//! (`CONFIG_BAREUDP`, `CONFIG_AMT`, `CONFIG_VIRT_WIFI` unset): their tests
//! skip there as declared absent and run on a kernel that has them. ipoib
//! (InfiniBand hardware), can (controllers), wwan and rmnet (modems) are
//! unit-tested on hand-built replies in nl-route.

use anyhow::{Context, Result, bail, ensure};
use netlink::nl_route::kind::{
    Amt, AmtMode, Bareudp, Batadv, Hsr, HsrProtocol, PeerDefaults, Veth, Vti,
};
use netlink::{Handle, Link, LinkKind, SlaveInfo};
use netlink_tests::{Netns, in_netns, need_feature, need_module};
use nl_tools::Tool;
use serde_json::Value;

/// Runs `nl TOOL ARGS` (split at spaces) in this thread's namespace.
fn nl(tool: Tool, args: &str) -> Result<String> {
    let words: Vec<String> = args.split_whitespace().map(String::from).collect();
    let mut out = Vec::new();
    tool.run(&words, &mut out)
        .with_context(|| format!("nl {tool:?} {args}"))?;
    Ok(String::from_utf8(out)?)
}

/// Creates `link` through the library (a kernel without the kind skips,
/// naming `feature`) and reads it back.
fn create(h: &Handle, link: &Link, feature: &str) -> Result<Link> {
    need_feature(h.link_add(link), feature)?;
    Ok(h.link_by_name(&link.name)?)
}

/// `linkinfo` of `ip -j -d link show dev NAME`.
fn ip_linkinfo(ns: &Netns, name: &str) -> Result<Value> {
    let j = ns.ip_json(["-d", "link", "show", "dev", name])?;
    Ok(j.get(0).context("ip printed no link")?["linkinfo"].clone())
}

/// The kind's part of `ip -d link show`'s text: from the kind's name on
/// its own line up to the generic details after it.
fn kind_text(text: &str, kind: &str) -> Option<String> {
    let start = text.find(&format!("\n    {kind} "))?;
    let rest = text.get(start..)?;
    let end = ["addrgenmode ", "numtxqueues ", "\n    "]
        .iter()
        .filter_map(|w| rest.get(1..)?.find(w).map(|i| i + 1))
        .min()
        .unwrap_or(rest.len());
    Some(rest.get(..end)?.to_string())
}

/// `nl ip -d link show dev NAME` prints the kind as `ip` does, in JSON
/// (the whole `linkinfo`) and in text (the kind's part).
fn same_details(ns: &Netns, name: &str, kind: &str) -> Result<()> {
    let theirs = ip_linkinfo(ns, name)?;
    let ours: Value = serde_json::from_str(&nl(Tool::Ip, &format!("-j -d link show dev {name}"))?)?;
    ensure!(
        ours[0]["linkinfo"] == theirs,
        "linkinfo of {name}\n ip: {theirs}\n nl: {}",
        ours[0]["linkinfo"]
    );
    let theirs = ns.ip(["-d", "link", "show", "dev", name])?;
    let ours = nl(Tool::Ip, &format!("-d link show dev {name}"))?;
    let (t, o) = (kind_text(&theirs, kind), kind_text(&ours, kind));
    ensure!(
        t.is_some() && t == o,
        "{kind} text of {name}\n--- ip:\n{theirs}--- nl:\n{ours}---"
    );
    Ok(())
}

/// The kind's settings, or a failure naming what came instead.
macro_rules! kind_of {
    ($link:expr, $variant:path) => {
        match &$link.kind {
            Some($variant(k)) => k.clone(),
            other => bail!(
                "{}: expected {}, got {other:?}",
                $link.name,
                stringify!($variant)
            ),
        }
    };
}

fn veth_pair(h: &Handle, a: &str, b: &str) -> Result<Link> {
    let v = Veth::with_peer(Link::new(b)).peer_defaults(PeerDefaults::Kernel);
    create(h, &Link::new(a).kind(LinkKind::Veth(v)), "veth links")
}

/// `remotes`: one per tunnel, as vti tunnels are found by their
/// addresses alone (no `TUNNEL_KEY` flag): a second one between the same
/// two would exist already.
fn vti_both_ways(ns: &Netns, kind: &str, local: &str, remotes: [&str; 3]) -> Result<()> {
    let [remote, remote_b, remote_c] = remotes;
    need_module(if kind == "vti" { "ip_vti" } else { "ip6_vti" })?;
    let h = Handle::new()?;
    let lower = veth_pair(&h, "vt0", "vt1")?;
    // Made by us, read by ip.
    let v = Vti {
        link: Some(lower.index),
        fwmark: Some(0x10),
        ikey: Some(5),
        okey: Some(0x0a00_0001),
        local: Some(local.parse()?),
        remote: Some(remote.parse()?),
    };
    let k = if kind == "vti" {
        LinkKind::Vti(v.clone())
    } else {
        LinkKind::Vti6(v.clone())
    };
    let got = create(&h, &Link::new("vtiA").kind(k), &format!("{kind} links"))?;
    let back = match &got.kind {
        Some(LinkKind::Vti(b) | LinkKind::Vti6(b)) => b.clone(),
        other => bail!("vtiA: {other:?}"),
    };
    ensure!(got.kind_name() == Some(kind), "{:?}", got.kind_name());
    ensure!(back == v, "read back {back:?}, sent {v:?}");
    let info = ip_linkinfo(ns, "vtiA")?;
    let d = &info["info_data"];
    ensure!(info["info_kind"] == kind, "{info}");
    ensure!(d["local"] == local && d["remote"] == remote, "{d}");
    ensure!(d["link"] == "vt0", "{d}");
    ensure!(d["ikey"] == "0.0.0.5" && d["okey"] == "10.0.0.1", "{d}");
    ensure!(d["fwmark"] == "0x10", "{d}");
    same_details(ns, "vtiA", kind)?;
    // Made by ip, read by us.
    ns.ip([
        "link", "add", "vtiB", "type", kind, "local", local, "remote", remote_b, "ikey", "7",
        "okey", "8", "dev", "vt0",
    ])?;
    let b = h.link_by_name("vtiB")?;
    let t = match &b.kind {
        Some(LinkKind::Vti(t) | LinkKind::Vti6(t)) => t.clone(),
        other => bail!("vtiB: {other:?}"),
    };
    ensure!(t.ikey == Some(7) && t.okey == Some(8), "{t:?}");
    ensure!(t.local == Some(local.parse()?) && t.remote == Some(remote_b.parse()?));
    ensure!(t.link == Some(lower.index) && t.fwmark == Some(0), "{t:?}");
    same_details(ns, "vtiB", kind)?;
    // Made by `nl ip`, read by ip.
    nl(
        Tool::Ip,
        &format!("link add vtiC type {kind} local {local} remote {remote_c} key 9"),
    )?;
    let d = ip_linkinfo(ns, "vtiC")?["info_data"].clone();
    ensure!(d["ikey"] == "0.0.0.9" && d["okey"] == "0.0.0.9", "{d}");
    Ok(())
}

#[test]
fn vti_both_ways_and_printed_like_ip() {
    in_netns("vti_both_ways_and_printed_like_ip", |ns| {
        vti_both_ways(
            ns,
            "vti",
            "192.0.2.1",
            ["198.51.100.1", "198.51.100.2", "198.51.100.3"],
        )
    });
}

#[test]
fn vti6_both_ways_and_printed_like_ip() {
    in_netns("vti6_both_ways_and_printed_like_ip", |ns| {
        vti_both_ways(
            ns,
            "vti6",
            "2001:db8::1",
            ["2001:db8::2", "2001:db8::3", "2001:db8::4"],
        )
    });
}

#[test]
fn vcan_and_vxcan_both_ways() {
    in_netns("vcan_and_vxcan_both_ways", |ns| {
        need_module("vcan")?;
        let h = Handle::new()?;
        let got = create(&h, &Link::new("vcan0").kind(LinkKind::Vcan), "vcan links")?;
        ensure!(got.kind == Some(LinkKind::Vcan), "{:?}", got.kind);
        ensure!(ip_linkinfo(ns, "vcan0")?["info_kind"] == "vcan");
        same_details(ns, "vcan0", "vcan")?;
        ns.ip(["link", "add", "vcan1", "type", "vcan"])?;
        ensure!(h.link_by_name("vcan1")?.kind == Some(LinkKind::Vcan));
        nl(Tool::Ip, "link add vcan2 type vcan")?;
        ensure!(ip_linkinfo(ns, "vcan2")?["info_kind"] == "vcan");

        need_module("vxcan")?;
        let pair = Veth::with_peer(Link::new("vxb")).peer_defaults(PeerDefaults::Kernel);
        let a = create(
            &h,
            &Link::new("vxa").kind(LinkKind::Vxcan(pair)),
            "vxcan links",
        )?;
        let b = h.link_by_name("vxb")?;
        ensure!(a.kind_name() == Some("vxcan") && b.kind_name() == Some("vxcan"));
        // Each end names the other as its link (ndo_get_iflink).
        ensure!(
            a.parent == Some(b.index) && b.parent == Some(a.index),
            "{a} {b}"
        );
        let j = ns.ip_json(["-d", "link", "show", "dev", "vxa"])?;
        ensure!(
            j[0]["link"] == "vxb" && j[0]["linkinfo"]["info_kind"] == "vxcan",
            "{j}"
        );
        same_details(ns, "vxa", "vxcan")?;
        ns.ip(["link", "add", "vxc", "type", "vxcan", "peer", "name", "vxd"])?;
        let (c, d) = (h.link_by_name("vxc")?, h.link_by_name("vxd")?);
        ensure!(
            c.kind_name() == Some("vxcan") && c.parent == Some(d.index),
            "{c} {d}"
        );
        nl(Tool::Ip, "link add vxe type vxcan peer name vxf")?;
        let j = ns.ip_json(["link", "show", "dev", "vxf"])?;
        ensure!(j[0]["link"] == "vxe", "{j}");
        Ok(())
    });
}

#[test]
fn team_nlmon_and_vsockmon_both_ways() {
    in_netns("team_nlmon_and_vsockmon_both_ways", |ns| {
        let h = Handle::new()?;
        for (kind, lk, module) in [
            ("team", LinkKind::Team, "team"),
            ("nlmon", LinkKind::Nlmon, "nlmon"),
            ("vsockmon", LinkKind::Vsockmon, "vsockmon"),
        ] {
            need_module(module)?;
            let a = format!("{kind}0");
            let got = create(
                &h,
                &Link::new(a.as_str()).kind(lk.clone()),
                &format!("{kind} links"),
            )?;
            ensure!(got.kind == Some(lk.clone()), "{:?}", got.kind);
            ensure!(ip_linkinfo(ns, &a)?["info_kind"] == kind);
            same_details(ns, &a, kind)?;
            let b = format!("{kind}1");
            ns.ip(["link", "add", b.as_str(), "type", kind])?;
            ensure!(h.link_by_name(&b)?.kind == Some(lk.clone()), "{b}");
            let c = format!("{kind}2");
            nl(Tool::Ip, &format!("link add {c} type {kind}"))?;
            ensure!(ip_linkinfo(ns, &c)?["info_kind"] == kind);
        }
        // A team port (down, as team wants it) names its master's kind.
        veth_pair(&h, "tp0", "tp1")?;
        ns.ip(["link", "set", "tp0", "master", "team0"])?;
        let port = h.link_by_name("tp0")?;
        ensure!(port.slave == Some(SlaveInfo::Team), "{:?}", port.slave);
        ensure!(ip_linkinfo(ns, "tp0")?["info_slave_kind"] == "team");
        Ok(())
    });
}

#[test]
fn hsr_and_prp_both_ways() {
    in_netns("hsr_and_prp_both_ways", |ns| {
        need_module("hsr")?;
        let h = Handle::new()?;
        let mut ports = Vec::new();
        for (a, b) in [("p1", "q1"), ("p2", "q2"), ("p3", "q3"), ("p4", "q4")] {
            ports.push(veth_pair(&h, a, b)?);
        }
        // HSR version 1 with supervision address byte 45, made by us.
        let hsr = Hsr {
            multicast_spec: Some(45),
            version: Some(1),
            ..Hsr::new(ports[0].index, ports[1].index, HsrProtocol::Hsr)
        };
        let got = create(&h, &Link::new("hsr0").kind(LinkKind::Hsr(hsr)), "hsr links")?;
        let r = kind_of!(got, LinkKind::Hsr);
        ensure!(
            r.slave1 == Some(ports[0].index) && r.slave2 == Some(ports[1].index),
            "{r:?}"
        );
        ensure!(r.protocol == Some(HsrProtocol::Hsr), "{r:?}");
        let sup = r.supervision_addr.context("no supervision address")?;
        ensure!(sup.to_string() == "01:15:4e:00:01:2d", "{sup}");
        let d = ip_linkinfo(ns, "hsr0")?["info_data"].clone();
        ensure!(d["slave1"] == "p1" && d["slave2"] == "p2", "{d}");
        ensure!(
            d["supervision_addr"] == "01:15:4e:00:01:2d" && d["proto"] == 0,
            "{d}"
        );
        same_details(ns, "hsr0", "hsr")?;
        // PRP made by ip, read by us.
        ns.ip([
            "link", "add", "prp0", "type", "hsr", "slave1", "p3", "slave2", "p4", "proto", "1",
        ])?;
        let p = h.link_by_name("prp0")?;
        let r = kind_of!(p, LinkKind::Hsr);
        ensure!(r.protocol == Some(HsrProtocol::Prp), "{r:?}");
        ensure!(
            r.slave1 == Some(ports[2].index) && r.slave2 == Some(ports[3].index),
            "{r:?}"
        );
        same_details(ns, "prp0", "hsr")?;
        // Made by `nl ip` (on ports freed by deleting hsr0), read by ip.
        h.link_del("hsr0")?;
        nl(
            Tool::Ip,
            "link add hsr1 type hsr slave1 p1 slave2 p2 supervision 7",
        )?;
        let d = ip_linkinfo(ns, "hsr1")?["info_data"].clone();
        ensure!(
            d["supervision_addr"] == "01:15:4e:00:01:07" && d["slave2"] == "p2",
            "{d}"
        );
        Ok(())
    });
}

#[test]
fn batadv_both_ways() {
    in_netns("batadv_both_ways", |ns| {
        need_module("batman_adv")?;
        let h = Handle::new()?;
        let b = Batadv {
            algo_name: Some("BATMAN_V".into()),
        };
        let got = create(
            &h,
            &Link::new("bat0").kind(LinkKind::Batadv(b)),
            "batadv links",
        )?;
        ensure!(got.kind_name() == Some("batadv"), "{:?}", got.kind);
        ensure!(ip_linkinfo(ns, "bat0")?["info_kind"] == "batadv");
        same_details(ns, "bat0", "batadv")?;
        ns.ip(["link", "add", "bat1", "type", "batadv", "ra", "BATMAN_IV"])?;
        ensure!(h.link_by_name("bat1")?.kind_name() == Some("batadv"));
        nl(Tool::Ip, "link add bat2 type batadv ra BATMAN_IV")?;
        ensure!(ip_linkinfo(ns, "bat2")?["info_kind"] == "batadv");
        Ok(())
    });
}

#[test]
fn bareudp_both_ways() {
    in_netns("bareudp_both_ways", |ns| {
        need_module("bareudp")?;
        let h = Handle::new()?;
        let b = Bareudp {
            srcport_min: Some(1000),
            multiproto_mode: Some(true),
            ..Bareudp::new(6635, 0x8847)
        };
        let got = create(
            &h,
            &Link::new("bu0").kind(LinkKind::Bareudp(b.clone())),
            "bareudp links",
        )?;
        let r = kind_of!(got, LinkKind::Bareudp);
        ensure!(r == b, "read back {r:?}, sent {b:?}");
        let d = ip_linkinfo(ns, "bu0")?["info_data"].clone();
        ensure!(d["dstport"] == 6635 && d["ethertype"] == "mpls_uc", "{d}");
        ensure!(d["srcportmin"] == 1000 && d["multiproto"] == true, "{d}");
        same_details(ns, "bu0", "bareudp")?;
        ns.ip([
            "link",
            "add",
            "bu1",
            "type",
            "bareudp",
            "dstport",
            "6636",
            "ethertype",
            "ipv4",
        ])?;
        let r = kind_of!(h.link_by_name("bu1")?, LinkKind::Bareudp);
        ensure!(r.port == Some(6636) && r.ethertype == Some(0x0800), "{r:?}");
        ensure!(r.multiproto_mode != Some(true), "{r:?}");
        nl(
            Tool::Ip,
            "link add bu2 type bareudp dstport 6637 ethertype ipv6",
        )?;
        let d = ip_linkinfo(ns, "bu2")?["info_data"].clone();
        ensure!(d["dstport"] == 6637 && d["ethertype"] == "ipv6", "{d}");
        Ok(())
    });
}

#[test]
fn amt_both_ways() {
    in_netns("amt_both_ways", |ns| {
        need_module("amt")?;
        let h = Handle::new()?;
        let lower = veth_pair(&h, "am0", "am1")?;
        ns.ip(["addr", "add", "192.0.2.1/24", "dev", "am0"])?;
        let a = Amt {
            mode: Some(AmtMode::Gateway),
            link: Some(lower.index),
            local: Some("192.0.2.1".parse()?),
            discovery: Some("198.51.100.1".parse()?),
            ..Amt::default()
        };
        let got = create(&h, &Link::new("amtA").kind(LinkKind::Amt(a)), "amt links")?;
        let r = kind_of!(got, LinkKind::Amt);
        ensure!(
            r.mode == Some(AmtMode::Gateway) && r.link == Some(lower.index),
            "{r:?}"
        );
        ensure!(r.discovery == Some("198.51.100.1".parse()?), "{r:?}");
        let d = ip_linkinfo(ns, "amtA")?["info_data"].clone();
        ensure!(d["mode"] == "gateway" && d["local"] == "192.0.2.1", "{d}");
        ensure!(
            d["discovery"] == "198.51.100.1" && d["link"] == "am0",
            "{d}"
        );
        same_details(ns, "amtA", "amt")?;
        ns.ip([
            "link",
            "add",
            "amtB",
            "type",
            "amt",
            "mode",
            "relay",
            "local",
            "192.0.2.1",
            "dev",
            "am0",
            "max_tunnels",
            "16",
        ])?;
        let r = kind_of!(h.link_by_name("amtB")?, LinkKind::Amt);
        ensure!(
            r.mode == Some(AmtMode::Relay) && r.max_tunnels == Some(16),
            "{r:?}"
        );
        same_details(ns, "amtB", "amt")?;
        Ok(())
    });
}

#[test]
fn virt_wifi_both_ways() {
    in_netns("virt_wifi_both_ways", |ns| {
        need_module("virt_wifi")?;
        let h = Handle::new()?;
        let lower = veth_pair(&h, "vw0", "vw1")?;
        let link = Link::new("wifiA")
            .link(lower.index)
            .kind(LinkKind::VirtWifi);
        let got = create(&h, &link, "virt_wifi links")?;
        ensure!(got.kind == Some(LinkKind::VirtWifi) && got.parent == Some(lower.index));
        let j = ns.ip_json(["-d", "link", "show", "dev", "wifiA"])?;
        ensure!(
            j[0]["linkinfo"]["info_kind"] == "virt_wifi" && j[0]["link"] == "vw0",
            "{j}"
        );
        ns.ip([
            "link",
            "add",
            "link",
            "vw1",
            "name",
            "wifiB",
            "type",
            "virt_wifi",
        ])?;
        ensure!(h.link_by_name("wifiB")?.kind == Some(LinkKind::VirtWifi));
        Ok(())
    });
}

#[test]
fn kind_text_takes_the_kind_part() {
    let text = "7: vtiA@vt0: <NOARP> mtu 1332 qdisc noop state DOWN mode DEFAULT group default qlen 1000\n    link/ipip 192.0.2.1 peer 198.51.100.1 promiscuity 0 minmtu 0 maxmtu 0 \n    vti remote 198.51.100.1 local 192.0.2.1 ikey 0.0.0.5 addrgenmode eui64 numtxqueues 1 \n";
    assert_eq!(
        kind_text(text, "vti").as_deref(),
        Some("\n    vti remote 198.51.100.1 local 192.0.2.1 ikey 0.0.0.5 ")
    );
    assert_eq!(kind_text(text, "hsr"), None);
}

/// The `IFLA_LINKINFO` payload of the first RTM_NEWLINK among `msgs`
/// that has one (ip first sends an empty RTM_NEWLINK to probe for strict
/// checking).
fn linkinfo_of(msgs: &[Vec<u8>]) -> Option<Vec<u8>> {
    const RTM_NEWLINK: u16 = 16;
    msgs.iter()
        .filter(|m| m.get(4..6) == Some(&RTM_NEWLINK.to_ne_bytes()[..]))
        .find_map(|m| linkinfo_in(m))
}

fn linkinfo_in(msg: &[u8]) -> Option<Vec<u8>> {
    const IFLA_LINKINFO: u16 = 18;
    // nlmsghdr (16) and ifinfomsg (16), then the attributes.
    let mut rest = msg.get(32..)?;
    while rest.len() >= 4 {
        let len = usize::from(u16::from_ne_bytes([rest[0], rest[1]]));
        let ty = u16::from_ne_bytes([rest[2], rest[3]]) & 0x3fff;
        let payload = rest.get(4..len)?;
        if ty == IFLA_LINKINFO {
            return Some(payload.to_vec());
        }
        rest = rest.get(len.next_multiple_of(4).min(rest.len())..)?;
    }
    None
}

/// The kind's name (without a NUL) and the `IFLA_INFO_DATA` bytes of an
/// `IFLA_LINKINFO` payload.
fn kind_and_data(info: &[u8]) -> Option<(Vec<u8>, Option<Vec<u8>>)> {
    const IFLA_INFO_KIND: u16 = 1;
    const IFLA_INFO_DATA: u16 = 2;
    let (mut kind, mut data) = (None, None);
    let mut rest = info;
    while rest.len() >= 4 {
        let len = usize::from(u16::from_ne_bytes([rest[0], rest[1]]));
        let ty = u16::from_ne_bytes([rest[2], rest[3]]) & 0x3fff;
        let payload = rest.get(4..len)?;
        match ty {
            IFLA_INFO_KIND => {
                kind = Some(payload.iter().copied().take_while(|b| *b != 0).collect())
            }
            IFLA_INFO_DATA => data = Some(payload.to_vec()),
            _ => {}
        }
        rest = rest.get(len.next_multiple_of(4).min(rest.len())..)?;
    }
    Some((kind?, data))
}

/// `nl ip link add ... type KIND ...` sends the kind and its settings
/// byte for byte as `ip link add` does (both captured with strace, so
/// this runs where the kernel lacks every kind and refuses both).
#[test]
fn link_add_requests_match_ip() {
    in_netns("link_add_requests_match_ip", |ns| {
        ns.cmd("strace", ["-V"])?;
        let h = Handle::new()?;
        veth_pair(&h, "p1", "q1")?;
        veth_pair(&h, "p2", "q2")?;
        let nl_bin = env!("CARGO_BIN_EXE_nl");
        let cases = [
            "x0 type vti local 192.0.2.1 remote 198.51.100.1 key 5 fwmark 0x10 dev p1",
            "x0 type vti local 192.0.2.1 remote 198.51.100.1 ikey 1.2.3.4 okey 7",
            "x0 type vti6 local 2001:db8::1 remote 2001:db8::2 key 5 dev p1",
            "x0 type bareudp dstport 6635 ethertype mpls_uc srcportmin 1000 multiproto",
            "x0 type bareudp dstport 6635 ethertype ipv4",
            "x0 type bareudp dstport 6635 ethertype ipv6 nomultiproto",
            "x0 link p1 type ipoib pkey 0x8001 mode connected umcast 1",
            "x0 type hsr slave1 p1 slave2 p2 supervision 45 version 1",
            "x0 type hsr slave1 p1 slave2 p2 proto 1",
            "x0 type amt mode gateway relay_port 2268 gateway_port 2269 dev p1 local 192.0.2.1 discovery 198.51.100.1 max_tunnels 8",
            "x0 type amt mode relay dev p1 local 192.0.2.1",
            "x0 type batadv ra BATMAN_V",
            "x0 link p1 type wwan linkid 3",
            "x0 link p1 type rmnet mux_id 5",
            "x0 type vcan",
            "x0 type vxcan peer name x1",
            "x0 type team",
            "x0 type nlmon",
            "x0 link p1 type virt_wifi",
            "x0 type dsa conduit p1",
            "x0 type vsockmon",
        ];
        for case in cases {
            let mut words = vec!["link", "add"];
            words.extend(case.split_whitespace());
            let theirs = linkinfo_of(&netlink_tests::sent_messages_refused("ip", &words)?)
                .with_context(|| format!("ip link add {case}: no RTM_NEWLINK"))?;
            let mut all = vec!["ip"];
            all.extend(&words);
            let ours = linkinfo_of(&netlink_tests::sent_messages_refused(nl_bin, &all)?)
                .with_context(|| format!("nl ip link add {case}: no RTM_NEWLINK"))?;
            // ip writes the kind's name without its NUL, the library with.
            let (ours, theirs) = (kind_and_data(&ours), kind_and_data(&theirs));
            ensure!(
                ours.is_some() && ours == theirs,
                "link add {case}:\n nl {ours:02x?}\n ip {theirs:02x?}"
            );
        }
        Ok(())
    });
}
