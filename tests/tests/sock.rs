//! nl-wire + nl-sock against the real kernel, each test in its own netns.
//! Requests are built by hand here on purpose: this is the layer family
//! crates stand on.

use std::sync::mpsc;

use anyhow::{Context, Result, ensure};
use netlink_tests::{in_netns, need_feature};
use nl_sock::{ErrorKind, Socket};
use nl_wire::netlink::{
    NETLINK_ROUTE, NETLINK_XFRM, NLM_F_ACK, NLM_F_CREATE, NLM_F_DUMP, NLM_F_EXCL, NLM_F_REQUEST,
};
use nl_wire::{Msg, MsgBuilder};

// <linux/rtnetlink.h>, <linux/if_link.h>, <linux/veth.h>
const RTM_NEWLINK: u16 = 16;
const RTM_GETLINK: u16 = 18;
const RTM_NEWROUTE: u16 = 24;
const IFLA_IFNAME: u16 = 3;
const IFLA_LINKINFO: u16 = 18;
const IFLA_INFO_KIND: u16 = 1;
const IFLA_INFO_DATA: u16 = 2;
const VETH_INFO_PEER: u16 = 1;
const RTA_DST: u16 = 1;
const IFINFOMSG_LEN: usize = 16;

fn dump_links(sock: &mut Socket) -> Result<Vec<String>> {
    let mut req = Vec::new();
    let mut m = MsgBuilder::new(&mut req, RTM_GETLINK, NLM_F_REQUEST | NLM_F_DUMP);
    m.header(&[0u8; IFINFOMSG_LEN]);
    m.finish()?;
    let names = sock.dump_collect(&mut req, 3, |msg: Msg<'_>| {
        let name = msg
            .attrs_after(IFINFOMSG_LEN)
            .get(IFLA_IFNAME)
            .map_err(|e| nl_sock::Error::malformed(nl_sock::Op::Dump, e))?
            .map(|a| a.cstr().unwrap_or("?").to_string());
        Ok(name)
    })?;
    Ok(names)
}

fn veth_request(name: &str, peer: &str) -> Result<Vec<u8>> {
    let mut req = Vec::new();
    let mut m = MsgBuilder::new(
        &mut req,
        RTM_NEWLINK,
        NLM_F_REQUEST | NLM_F_CREATE | NLM_F_EXCL,
    );
    m.header(&[0u8; IFINFOMSG_LEN])
        .put_str(IFLA_IFNAME, name)
        .nest(IFLA_LINKINFO, |m| {
            m.put_str(IFLA_INFO_KIND, "veth").nest(IFLA_INFO_DATA, |m| {
                m.nest(VETH_INFO_PEER, |m| {
                    m.header(&[0u8; IFINFOMSG_LEN]).put_str(IFLA_IFNAME, peer);
                });
            });
        });
    m.finish()?;
    Ok(req)
}

#[test]
fn open_route_and_xfrm_sockets() {
    in_netns("open_route_and_xfrm_sockets", |_| {
        let route = Socket::open(NETLINK_ROUTE)?;
        let xfrm = Socket::open(NETLINK_XFRM)?;
        ensure!(
            route.port_id() != 0 && xfrm.port_id() != 0,
            "kernel assigned port ids"
        );
        ensure!(route.port_id() != xfrm.port_id() || route.protocol() != xfrm.protocol());
        ensure!(route.recv_buffer_size()? > 0);
        Ok(())
    });
}

#[test]
fn dump_links_finds_lo() {
    in_netns("dump_links_finds_lo", |_| {
        let mut sock = Socket::open(NETLINK_ROUTE)?;
        sock.set_strict(true)?;
        let names = dump_links(&mut sock)?;
        // A new namespace has lo, plus fallback tunnel devices (gre0, sit0 ...)
        // when their modules are loaded and fb_tunnels_only_for_init_net is 0.
        ensure!(
            names.first().map(String::as_str) == Some("lo"),
            "lo first: {names:?}"
        );
        ensure!(
            names.iter().all(|n| n == "lo" || n.ends_with('0')),
            "{names:?}"
        );
        Ok(())
    });
}

#[test]
fn hand_built_veth_appears_in_dump() {
    in_netns("hand_built_veth_appears_in_dump", |ns| {
        let mut sock = Socket::open(NETLINK_ROUTE)?;
        let mut req = veth_request("nlt0", "nlt1")?;
        need_feature(sock.request(&mut req), "veth")?;
        let names = dump_links(&mut sock)?;
        ensure!(
            names.contains(&"nlt0".to_string()) && names.contains(&"nlt1".to_string()),
            "{names:?}"
        );
        // iproute2 sees the same pair.
        let shown = ns.ip(["-o", "link", "show", "type", "veth"])?;
        ensure!(
            shown.contains("nlt0@nlt1") && shown.contains("nlt1@nlt0"),
            "{shown}"
        );
        // Adding it again: EEXIST, a typed error.
        let mut again = veth_request("nlt0", "nlt2")?;
        let err = sock.request(&mut again).unwrap_err();
        ensure!(err.kind() == ErrorKind::Exists, "{err:?}");
        Ok(())
    });
}

#[test]
fn invalid_request_returns_ext_ack_text() {
    in_netns("invalid_request_returns_ext_ack_text", |ns| {
        let mut sock = Socket::open(NETLINK_ROUTE)?;
        let mut req = Vec::new();
        let mut m = MsgBuilder::new(
            &mut req,
            RTM_NEWLINK,
            NLM_F_REQUEST | NLM_F_CREATE | NLM_F_EXCL,
        );
        m.header(&[0u8; IFINFOMSG_LEN])
            .put_str(IFLA_IFNAME, "bad0")
            .nest(IFLA_LINKINFO, |m| {
                m.put_str(IFLA_INFO_KIND, "no-such-kind");
            });
        m.finish()?;
        let err = sock.request(&mut req).unwrap_err();
        ensure!(err.kind() == ErrorKind::NotSupported, "{err:?}");
        let text = err.message().context("kernel sent ext-ack text")?;
        // iproute2 prints the same words after "Error:".
        let ip_err = ns
            .ip(["link", "add", "bad0", "type", "no-such-kind"])
            .unwrap_err()
            .to_string();
        ensure!(ip_err.contains(text), "ip said {ip_err:?}, we got {text:?}");
        ensure!(err.to_string().contains(&format!("Error: {text}")), "{err}");
        Ok(())
    });
}

/// RTM_NEWROUTE for a blackhole route to 2001:db8:N::/48.
fn blackhole_route(buf: &mut Vec<u8>, n: u16, dst_len: u8) -> Result<()> {
    // struct rtmsg: family AF_INET6, dst_len, src_len, tos, table main,
    // protocol static, scope universe, type RTN_BLACKHOLE, flags.
    let mut rtm = [0u8; 12];
    rtm[0] = 10;
    rtm[1] = dst_len;
    rtm[4] = 254;
    rtm[5] = 4;
    rtm[7] = 6;
    let mut dst = [0u8; 16];
    dst[..4].copy_from_slice(&[0x20, 0x01, 0x0d, 0xb8]);
    dst[4..6].copy_from_slice(&n.to_be_bytes());
    let mut m = MsgBuilder::new(
        buf,
        RTM_NEWROUTE,
        NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL,
    );
    m.header(&rtm).put_bytes(RTA_DST, &dst);
    m.finish()?;
    Ok(())
}

#[test]
fn batch_of_1000_with_one_bad_request() {
    in_netns("batch_of_1000_with_one_bad_request", |ns| {
        let mut sock = Socket::open(NETLINK_ROUTE)?;
        let mut buf = Vec::new();
        for n in 0..1000u16 {
            // Request 500 has an impossible prefix length.
            blackhole_route(&mut buf, n, if n == 500 { 200 } else { 48 })?;
        }
        let report = sock.batch(&mut buf)?;
        ensure!(report.len() == 1000);
        ensure!(report.succeeded() == 999, "{:?}", report.failures());
        let (index, err) = report.failures().first().context("one failure")?;
        ensure!(*index == 500, "failure at {index}");
        ensure!(err.kind() == ErrorKind::Invalid, "{err:?}");
        let routes = ns.ip(["-6", "route", "show", "type", "blackhole"])?;
        ensure!(
            routes.lines().count() == 999,
            "{} routes",
            routes.lines().count()
        );
        Ok(())
    });
}

#[test]
fn dump_in_another_namespace_opened_by_path() {
    // Thread A owns a namespace with a veth; the test thread (in yet another
    // namespace) opens a socket there by path and dumps it.
    in_netns("dump_in_another_namespace_opened_by_path", |_| {
        let (path_tx, path_rx) = mpsc::channel();
        let (done_tx, done_rx) = mpsc::channel::<()>();
        let owner = std::thread::spawn(move || -> Result<()> {
            nix::sched::unshare(nix::sched::CloneFlags::CLONE_NEWNET)?;
            let mut sock = Socket::open(NETLINK_ROUTE)?;
            let mut req = veth_request("far0", "far1")?;
            let made = sock.request(&mut req);
            path_tx.send((
                format!(
                    "/proc/{}/task/{}/ns/net",
                    std::process::id(),
                    nix::unistd::gettid()
                ),
                made,
            ))?;
            let _ = done_rx.recv();
            Ok(())
        });
        let (path, made) = path_rx.recv()?;
        let result = (|| -> Result<()> {
            need_feature(made, "veth")?;
            let mut remote = Socket::open_in_netns_path(NETLINK_ROUTE, &path)?;
            let names = dump_links(&mut remote)?;
            ensure!(names.contains(&"far0".to_string()), "{names:?}");
            // Our own namespace is untouched.
            let mut local = Socket::open(NETLINK_ROUTE)?;
            let here = dump_links(&mut local)?;
            ensure!(
                here.contains(&"lo".to_string()) && !here.contains(&"far0".to_string()),
                "{here:?}"
            );
            Ok(())
        })();
        done_tx.send(())?;
        owner
            .join()
            .map_err(|_| anyhow::anyhow!("owner thread panicked"))??;
        result
    });
}

#[test]
fn recv_timeout_fires() {
    in_netns("recv_timeout_fires", |_| {
        let mut sock = Socket::open(NETLINK_ROUTE)?;
        sock.set_recv_timeout(Some(std::time::Duration::from_millis(50)))?;
        sock.join(1)?; // RTNLGRP_LINK: nothing happens in an idle namespace
        let err = sock.messages().next().unwrap_err();
        ensure!(err.kind() == ErrorKind::Timeout, "{err:?}");
        Ok(())
    });
}

#[test]
fn cancel_wakes_a_blocked_receive() {
    in_netns("cancel_wakes_a_blocked_receive", |_| {
        let mut sock = Socket::open(NETLINK_ROUTE)?;
        sock.join(1)?;
        let cancel = sock.cancel_handle()?;
        let waker = std::thread::spawn(move || {
            std::thread::sleep(std::time::Duration::from_millis(50));
            cancel.cancel()
        });
        let err = sock.messages().next().unwrap_err();
        waker
            .join()
            .map_err(|_| anyhow::anyhow!("waker panicked"))??;
        ensure!(err.kind() == ErrorKind::Cancelled, "{err:?}");
        Ok(())
    });
}

#[test]
fn notifications_arrive_for_joined_group() {
    in_netns("notifications_arrive_for_joined_group", |_| {
        let mut events = Socket::open(NETLINK_ROUTE)?;
        events.set_recv_timeout(Some(std::time::Duration::from_secs(5)))?;
        events.join(1)?; // RTNLGRP_LINK
        let mut sock = Socket::open(NETLINK_ROUTE)?;
        let mut req = veth_request("ev0", "ev1")?;
        need_feature(sock.request(&mut req), "veth")?;
        let mut seen = Vec::new();
        let mut stream = events.messages();
        while seen.len() < 2 {
            let msg = stream.next()?;
            if msg.ty() == RTM_NEWLINK {
                if let Some(a) = msg.attrs_after(IFINFOMSG_LEN).get(IFLA_IFNAME)? {
                    seen.push(a.cstr()?.to_string());
                }
            }
        }
        seen.sort();
        seen.dedup();
        ensure!(seen == ["ev0", "ev1"], "{seen:?}");
        Ok(())
    });
}

/// The kernel's ext-ack offset names the rejected attribute; the error
/// carries its type path in the request, top level or nested.
#[test]
fn ext_ack_offset_maps_to_the_attribute_path() {
    in_netns("ext_ack_offset_maps_to_the_attribute_path", |_| {
        let mut sock = Socket::open(NETLINK_ROUTE)?;
        // IFLA_IFNAME longer than IFNAMSIZ: a policy violation at top level.
        let mut req = Vec::new();
        let mut m = MsgBuilder::new(
            &mut req,
            RTM_NEWLINK,
            NLM_F_REQUEST | NLM_F_CREATE | NLM_F_EXCL,
        );
        m.header(&[0u8; IFINFOMSG_LEN])
            .put_str(IFLA_IFNAME, "twenty-characters-xx")
            .nest(IFLA_LINKINFO, |m| {
                m.put_str(IFLA_INFO_KIND, "veth");
            });
        m.finish()?;
        let err = sock.request(&mut req).unwrap_err();
        ensure!(err.kind() == ErrorKind::Invalid, "{err:?}");
        let path = err
            .attr_path()
            .with_context(|| format!("no path in {err:?}"))?;
        ensure!(path.types() == [IFLA_IFNAME], "{path}");
        // IFLA_VXLAN_ID as a u8 where the policy wants a u32: nested two deep.
        const IFLA_VXLAN_ID: u16 = 1;
        let mut req = Vec::new();
        let mut m = MsgBuilder::new(
            &mut req,
            RTM_NEWLINK,
            NLM_F_REQUEST | NLM_F_CREATE | NLM_F_EXCL,
        );
        m.header(&[0u8; IFINFOMSG_LEN])
            .put_str(IFLA_IFNAME, "vx9")
            .nest(IFLA_LINKINFO, |m| {
                m.put_str(IFLA_INFO_KIND, "vxlan")
                    .nest(IFLA_INFO_DATA, |m| {
                        m.put_u8(IFLA_VXLAN_ID, 7);
                    });
            });
        m.finish()?;
        let err = need_feature(sock.request(&mut req).map(|_| ()), "vxlan").err();
        let err = match err {
            Some(e) => match e.downcast::<nl_sock::Error>() {
                Ok(e) => e,
                Err(other) => return Err(other),
            },
            None => anyhow::bail!("a u8 VXLAN id was accepted"),
        };
        let path = err
            .attr_path()
            .with_context(|| format!("no path in {err:?}"))?;
        ensure!(
            path.types() == [IFLA_LINKINFO, IFLA_INFO_DATA, IFLA_VXLAN_ID],
            "{path} ({err})"
        );
        ensure!(err.message().is_some(), "{err:?}");
        Ok(())
    });
}
