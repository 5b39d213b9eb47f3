//! Foo-over-UDP ports against the kernel, compared with `ip fou show`
//! both ways: ports we open are listed by `ip`, ports `ip fou add` opens
//! are read by us, field by field; deletes both ways; blocking and async.
//!
//! Without the fou module (this host) the family does not exist and the
//! tests skip naming it; the VM tier loads it and runs them strictly.

use std::collections::BTreeSet;
use std::net::IpAddr;

use anyhow::{Context, Result, ensure};
use netlink::fou::{AF_INET6, Fou, FouEncap};
use netlink::{AsyncHandle, Handle};
use netlink_tests::{Netns, in_netns, skip};

/// Skips when the kernel has no "fou" genl family (module not loaded or
/// not built).
fn need_fou(h: &Handle) -> Result<()> {
    match h.genl_family_get(netlink::fou::FAMILY) {
        Err(e) if e.is_not_found() => Err(skip(format!("kernel lacks the fou module: {e}"))),
        other => other.map(drop).map_err(Into::into),
    }
}

/// A port as `ip -j fou show` lists it: port, "gue" or the protocol,
/// family, local, peer, peer port, device name.
type Shown = (
    u16,
    String,
    String,
    Option<String>,
    Option<String>,
    Option<u16>,
    Option<String>,
);

fn ip_ports(ns: &Netns) -> Result<BTreeSet<Shown>> {
    let json = ns.ip_json(["fou", "show"])?;
    let mut out = BTreeSet::new();
    for p in json.as_array().context("array")? {
        let o = p.as_object().context("object")?;
        let encap = match o.get("ipproto") {
            _ if o.contains_key("gue") => "gue".to_string(),
            Some(n) => n.as_u64().context("ipproto")?.to_string(),
            None => "?".to_string(),
        };
        let s = |k: &str| o.get(k).and_then(|v| v.as_str()).map(str::to_string);
        out.insert((
            u16::try_from(o["port"].as_u64().context("port")?)?,
            encap,
            s("family").unwrap_or_else(|| "inet".into()),
            s("local"),
            s("peer"),
            o.get("peer_port")
                .and_then(|v| v.as_u64())
                .map(u16::try_from)
                .transpose()?,
            s("dev"),
        ));
    }
    Ok(out)
}

fn ours_shown(h: &Handle, list: &[Fou]) -> Result<BTreeSet<Shown>> {
    list.iter()
        .map(|f| {
            let dev = match f.ifindex {
                Some(i) => Some(h.link_by_index(u32::try_from(i)?)?.name),
                None => None,
            };
            Ok((
                f.port,
                match f.encap {
                    FouEncap::Gue => "gue".to_string(),
                    _ => f.ipproto.to_string(),
                },
                if f.family == AF_INET6 {
                    "inet6"
                } else {
                    "inet"
                }
                .to_string(),
                f.local.map(|a| a.to_string()),
                f.peer.map(|a| a.to_string()),
                f.peer_port,
                dev,
            ))
        })
        .collect()
}

/// lo up, and a veth v0 up with documentation addresses to bind to.
fn setup(ns: &Netns) -> Result<()> {
    ns.ip(["link", "set", "lo", "up"])?;
    ns.ip(["link", "add", "v0", "type", "veth", "peer", "name", "v1"])?;
    ns.ip(["link", "set", "v0", "up"])?;
    ns.ip(["addr", "add", "192.0.2.1/24", "dev", "v0"])?;
    Ok(())
}

#[test]
fn fou_ports_match_ip_both_ways() {
    in_netns("fou_ports_match_ip_both_ways", |ns| {
        setup(ns)?;
        let h = Handle::new()?;
        need_fou(&h)?;
        let v0 = i32::try_from(h.link_index("v0")?)?;
        // Opened by us, listed by ip.
        let ipip = Fou::direct(5555, 4);
        let gue = Fou::gue(7777);
        let v6 = Fou::direct(6666, 41).ipv6();
        let connected = Fou {
            local: Some("192.0.2.1".parse()?),
            peer: Some("192.0.2.2".parse()?),
            peer_port: Some(9999),
            ifindex: Some(v0),
            ..Fou::direct(8888, 47)
        };
        for p in [&ipip, &gue, &v6, &connected] {
            h.fou_add(p)?;
        }
        let ours = h.fou_list()?;
        ensure!(ours.len() == 4, "{ours:?}");
        for p in [&ipip, &gue, &v6, &connected] {
            ensure!(ours.contains(p), "{p:?} not in {ours:?}");
        }
        ensure!(ours_shown(&h, &ours)? == ip_ports(ns)?, "{ours:?}");
        // Our text is ip's, the device aside.
        let text = ns.ip(["fou", "show"])?;
        for p in [&ipip, &gue, &v6] {
            ensure!(
                text.lines().any(|l| l.trim() == p.to_string()),
                "{p} not in {text}"
            );
        }
        // Opened by ip, read by us.
        ns.ip(["fou", "add", "port", "4444", "gue", "-6"])?;
        let got = h.fou_get(&Fou::gue(4444).ipv6())?;
        ensure!(got == Fou::gue(4444).ipv6(), "{got:?}");
        ensure!(ours_shown(&h, &h.fou_list()?)? == ip_ports(ns)?);
        // Deleted both ways.
        h.fou_del(&Fou::gue(4444).ipv6())?;
        ns.ip(["fou", "del", "port", "5555"])?;
        h.fou_del(&connected)?;
        let left = h.fou_list()?;
        ensure!(
            left.len() == 2 && left.contains(&gue) && left.contains(&v6),
            "{left:?}"
        );
        ensure!(ours_shown(&h, &left)? == ip_ports(ns)?);
        // Errors name the port. A port taken twice fails binding the
        // kernel's UDP socket before the port list is looked at.
        let e = h.fou_add(&gue).unwrap_err();
        ensure!(
            e.kind() == netlink::ErrorKind::Address && e.to_string().contains("7777"),
            "{e}"
        );
        let e = h.fou_get(&ipip).unwrap_err();
        ensure!(e.is_not_found() && e.to_string().contains("5555"), "{e}");
        let e = h.fou_del(&ipip).unwrap_err();
        ensure!(e.to_string().contains("5555"), "{e}");
        // Refused before anything is sent: GUE with a protocol.
        let bad = Fou {
            ipproto: 4,
            ..Fou::gue(1234)
        };
        ensure!(h.fou_add(&bad).unwrap_err().kind() == netlink::ErrorKind::Invalid);
        Ok(())
    });
}

#[test]
fn async_fou() {
    in_netns("async_fou", |ns| {
        setup(ns)?;
        need_fou(&Handle::new()?)?;
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        rt.block_on(async {
            let h = AsyncHandle::new()?;
            let local: IpAddr = "192.0.2.1".parse()?;
            let port = Fou {
                local: Some(local),
                ..Fou::direct(5555, 4)
            };
            h.fou_add(&port).await?;
            ensure!(h.fou_list().await? == vec![port.clone()]);
            ensure!(h.fou_get(&port).await? == port);
            let shown = ip_ports(ns)?;
            ensure!(
                shown
                    .iter()
                    .any(|s| s.0 == 5555 && s.3.as_deref() == Some("192.0.2.1")),
                "{shown:?}"
            );
            h.fou_del(&port).await?;
            ensure!(h.fou_list().await?.is_empty());
            ensure!(ip_ports(ns)?.is_empty());
            Ok(())
        })
    });
}
