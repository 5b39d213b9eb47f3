//! The MPTCP path manager against the kernel, compared with `ip mptcp`
//! both ways: endpoints and limits set by us and shown by `ip`, set by
//! `ip` and read by us; events of a real MPTCP connection over loopback
//! (sockets opened with `IPPROTO_MPTCP` through socket2's safe API) read
//! by us and by `ip mptcp monitor`, line for line.

use std::collections::BTreeSet;
use std::io::{Read, Write};
use std::net::{IpAddr, SocketAddr, TcpStream};
use std::process::{Command, Stdio};
use std::time::Duration;

use anyhow::{Context, Result, ensure};
use netlink::mptcp::{Endpoint, EndpointFlags, Limits, MptcpEvent, MptcpEventKind};
use netlink::{AsyncHandle, ErrorKind, Handle};
use netlink_tests::{Netns, in_netns};
use socket2::{Domain, Protocol, Socket, Type};

/// `IPPROTO_MPTCP`.
const IPPROTO_MPTCP: i32 = 262;

/// lo up, and a veth v0 up with documentation addresses.
fn setup(ns: &Netns) -> Result<()> {
    ns.ip(["link", "set", "lo", "up"])?;
    ns.ip(["link", "add", "v0", "type", "veth", "peer", "name", "v1"])?;
    ns.ip(["link", "set", "v0", "up"])?;
    ns.ip(["addr", "add", "192.0.2.1/24", "dev", "v0"])?;
    ns.ip(["addr", "add", "2001:db8::1/64", "dev", "v0", "nodad"])?;
    Ok(())
}

/// An endpoint as `ip -j mptcp endpoint show` lists it: address, id,
/// port, flag words, device name.
type Shown = (String, u8, Option<u16>, Vec<String>, Option<String>);

fn ip_endpoints(ns: &Netns) -> Result<BTreeSet<Shown>> {
    let json = ns.ip_json(["mptcp", "endpoint", "show"])?;
    let mut out = BTreeSet::new();
    for e in json.as_array().context("array")? {
        let obj = e.as_object().context("object")?;
        let words = [
            "signal", "subflow", "backup", "fullmesh", "implicit", "laminar",
        ]
        .iter()
        .filter(|w| obj.get(**w).and_then(|v| v.as_bool()) == Some(true))
        .map(|w| w.to_string())
        .collect();
        out.insert((
            obj["address"].as_str().context("address")?.to_string(),
            u8::try_from(obj["id"].as_u64().context("id")?)?,
            obj.get("port")
                .and_then(|p| p.as_u64())
                .map(u16::try_from)
                .transpose()?,
            words,
            obj.get("dev").and_then(|d| d.as_str()).map(str::to_string),
        ));
    }
    Ok(out)
}

fn ours_shown(h: &Handle, list: &[Endpoint]) -> Result<BTreeSet<Shown>> {
    list.iter()
        .map(|e| {
            let dev = match e.ifindex {
                Some(i) => Some(h.link_by_index(u32::try_from(i)?)?.name),
                None => None,
            };
            Ok((
                e.addr.context("address")?.to_string(),
                e.id,
                e.port,
                e.flags.words().map(str::to_string).collect(),
                dev,
            ))
        })
        .collect()
}

#[test]
fn endpoints_match_ip_both_ways() {
    in_netns("endpoints_match_ip_both_ways", |ns| {
        setup(ns)?;
        let h = Handle::new()?;
        let v0 = i32::try_from(h.link_index("v0")?)?;
        // Added by us, shown by ip.
        h.mptcp_endpoint_add(&Endpoint {
            id: 3,
            addr: Some("192.0.2.1".parse()?),
            port: Some(1000),
            flags: EndpointFlags::SIGNAL | EndpointFlags::BACKUP,
            ifindex: Some(v0),
        })?;
        h.mptcp_endpoint_add(&Endpoint::new(
            "2001:db8::1".parse()?,
            EndpointFlags::SUBFLOW | EndpointFlags::FULLMESH,
        ))?;
        h.mptcp_endpoint_add(&Endpoint::new(
            "198.51.100.2".parse()?,
            EndpointFlags::SUBFLOW,
        ))?;
        let ours = h.mptcp_endpoint_list()?;
        ensure!(ours.len() == 3, "{ours:?}");
        ensure!(ours_shown(&h, &ours)? == ip_endpoints(ns)?, "{ours:?}");
        let text = ns.ip(["mptcp", "endpoint", "show", "id", "3"])?;
        ensure!(
            text.starts_with("192.0.2.1 port 1000 id 3 signal backup dev v0"),
            "{text}"
        );
        // Added by ip, read by us.
        ns.ip([
            "mptcp",
            "endpoint",
            "add",
            "203.0.113.5",
            "id",
            "9",
            "subflow",
        ])?;
        let nine = h.mptcp_endpoint_get(9)?;
        ensure!(nine.addr == Some("203.0.113.5".parse::<IpAddr>()?));
        ensure!(nine.flags == EndpointFlags::SUBFLOW && nine.port.is_none());
        ensure!(ours_shown(&h, &h.mptcp_endpoint_list()?)? == ip_endpoints(ns)?);
        // Changed both ways.
        let addr: IpAddr = "198.51.100.2".parse()?;
        let two = ours
            .iter()
            .find(|e| e.addr == Some(addr))
            .context("198.51.100.2")?;
        h.mptcp_endpoint_change(two.id, EndpointFlags::BACKUP)?;
        let shown = ip_endpoints(ns)?;
        ensure!(
            shown
                .iter()
                .any(|s| s.0 == "198.51.100.2" && s.3.contains(&"backup".to_string())),
            "{shown:?}"
        );
        ns.ip(["mptcp", "endpoint", "change", "id", "9", "backup"])?;
        ensure!(h.mptcp_endpoint_get(9)?.flags == EndpointFlags::SUBFLOW | EndpointFlags::BACKUP);
        // Deleted both ways.
        h.mptcp_endpoint_del(9)?;
        ensure!(!ip_endpoints(ns)?.iter().any(|s| s.1 == 9));
        ns.ip(["mptcp", "endpoint", "delete", "id", "3"])?;
        ensure!(h.mptcp_endpoint_list()?.iter().all(|e| e.id != 3));
        ensure!(ours_shown(&h, &h.mptcp_endpoint_list()?)? == ip_endpoints(ns)?);
        // A missing id is the kernel's error, named.
        let e = h.mptcp_endpoint_del(9).unwrap_err();
        ensure!(e.to_string().contains("id 9"), "{e}");
        let e = h.mptcp_endpoint_get(9).unwrap_err();
        ensure!(e.kind() == ErrorKind::Invalid || e.is_not_found(), "{e}");
        // Flushed by us: ip shows none.
        h.mptcp_endpoint_flush()?;
        ensure!(ip_endpoints(ns)?.is_empty() && h.mptcp_endpoint_list()?.is_empty());
        Ok(())
    });
}

#[test]
fn limits_match_ip_both_ways() {
    in_netns("limits_match_ip_both_ways", |ns| {
        let h = Handle::new()?;
        // Our Display is ip's line.
        let ours = h.mptcp_limits()?;
        let text = ns.ip(["mptcp", "limits", "show"])?;
        ensure!(
            ours.to_string().trim() == text.trim(),
            "ours {ours} ip {text}"
        );
        h.mptcp_set_limits(Limits {
            rcv_add_addrs: Some(4),
            subflows: Some(3),
        })?;
        ensure!(ns.ip(["mptcp", "limits", "show"])?.trim() == "add_addr_accepted 4 subflows 3");
        // Only what is given changes.
        h.mptcp_set_limits(Limits {
            subflows: Some(5),
            ..Limits::default()
        })?;
        ensure!(ns.ip(["mptcp", "limits", "show"])?.trim() == "add_addr_accepted 4 subflows 5");
        ns.ip([
            "mptcp",
            "limits",
            "set",
            "subflows",
            "1",
            "add_addr_accepted",
            "2",
        ])?;
        let now = h.mptcp_limits()?;
        ensure!(
            now == Limits {
                rcv_add_addrs: Some(2),
                subflows: Some(1)
            },
            "{now:?}"
        );
        // Beyond the kernel's maximum (8): refused, with the limits named.
        let e = h
            .mptcp_set_limits(Limits {
                subflows: Some(1000),
                ..Limits::default()
            })
            .unwrap_err();
        ensure!(
            e.kind() == ErrorKind::Invalid && e.to_string().contains("subflows 1000"),
            "{e}"
        );
        Ok(())
    });
}

/// Opens an MPTCP listener and client on loopback, sends a few bytes and
/// closes both: the events of two connections (client and server side).
fn mptcp_connection() -> Result<(u16, u16)> {
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
    let local = cli.local_addr()?.port();
    cli.write_all(b"hello")?;
    let mut got = [0u8; 5];
    conn.read_exact(&mut got)?;
    ensure!(&got == b"hello");
    drop((cli, conn, srv));
    Ok((addr.port(), local))
}

#[test]
fn events_match_ip_mptcp_monitor() {
    in_netns("events_match_ip_mptcp_monitor", |ns| {
        ns.ip(["link", "set", "lo", "up"])?;
        let h = Handle::new()?;
        let mut sub = h.genl_subscribe(netlink::mptcp::FAMILY, &[netlink::mptcp::EVENTS_GROUP])?;
        sub.set_timeout(Some(Duration::from_secs(5)))?;
        // ip mptcp monitor, forked from this thread so in this namespace.
        let mut monitor = Command::new("ip")
            .args(["mptcp", "monitor"])
            .stdout(Stdio::piped())
            .spawn()
            .context("ip mptcp monitor")?;
        // Give it time to join the group before anything happens.
        std::thread::sleep(Duration::from_millis(500));
        let (server_port, client_port) = mptcp_connection()?;
        let mut events = Vec::new();
        while events
            .iter()
            .filter(|e: &&MptcpEvent| e.kind == MptcpEventKind::Closed)
            .count()
            < 2
        {
            let n = sub.next()?;
            events.push(MptcpEvent::parse(&n.msg()?)?);
        }
        std::thread::sleep(Duration::from_millis(300));
        monitor.kill()?;
        let mut text = String::new();
        monitor
            .stdout
            .take()
            .context("stdout")?
            .read_to_string(&mut text)?;
        monitor.wait()?;
        // Two connections (client and server side), each created,
        // established and closed, with the ports of the sockets.
        let created: Vec<&MptcpEvent> = events
            .iter()
            .filter(|e| e.kind == MptcpEventKind::Created)
            .collect();
        ensure!(created.len() == 2, "{events:?}");
        let client = created
            .iter()
            .find(|e| !e.is_server_side())
            .context("client side")?;
        let server = created
            .iter()
            .find(|e| e.is_server_side())
            .context("server side")?;
        ensure!(client.sport == Some(client_port) && client.dport == Some(server_port));
        ensure!(server.sport == Some(server_port) && server.dport == Some(client_port));
        ensure!(client.saddr == Some(IpAddr::from([127, 0, 0, 1])));
        for kind in [MptcpEventKind::Established, MptcpEventKind::Closed] {
            let tokens: BTreeSet<Option<u32>> = events
                .iter()
                .filter(|e| e.kind == kind)
                .map(|e| e.token)
                .collect();
            let want: BTreeSet<Option<u32>> = created.iter().map(|e| e.token).collect();
            ensure!(tokens == want, "{kind:?}: {events:?}");
        }
        // Every connection event reads as ip mptcp monitor's line.
        let lines: Vec<&str> = text.lines().collect();
        for e in &events {
            if matches!(
                e.kind,
                MptcpEventKind::ListenerCreated | MptcpEventKind::ListenerClosed
            ) {
                continue; // iproute2 6.1 prints these as "[UNKNOWN 15]".
            }
            ensure!(
                lines.contains(&e.to_string().as_str()),
                "{e}\nnot in\n{text}"
            );
        }
        // Kernels since 6.2 also announce the listener (ip 6.1 prints
        // "[UNKNOWN 15]" for it).
        let listener = events
            .iter()
            .any(|e| e.kind == MptcpEventKind::ListenerCreated);
        ensure!(
            listener == text.contains("[UNKNOWN 15]") || text.contains("LISTENER_CREATED"),
            "{events:?}\n{text}"
        );
        Ok(())
    });
}

#[test]
fn async_mptcp() {
    in_netns("async_mptcp", |ns| {
        setup(ns)?;
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        rt.block_on(async {
            let h = AsyncHandle::new()?;
            let mut sub = h
                .genl_subscribe(netlink::mptcp::FAMILY, &[netlink::mptcp::EVENTS_GROUP])
                .await?;
            h.mptcp_endpoint_add(&Endpoint::new("192.0.2.1".parse()?, EndpointFlags::SIGNAL))
                .await?;
            let list = h.mptcp_endpoint_list().await?;
            ensure!(list.len() == 1 && list[0].flags == EndpointFlags::SIGNAL);
            let text = ns.ip(["mptcp", "endpoint", "show"])?;
            ensure!(
                text.trim() == list[0].to_string().trim(),
                "{text} vs {}",
                list[0]
            );
            h.mptcp_set_limits(Limits {
                rcv_add_addrs: Some(1),
                subflows: Some(1),
            })
            .await?;
            ensure!(h.mptcp_limits().await?.subflows == Some(1));
            mptcp_connection()?;
            let first = tokio::time::timeout(Duration::from_secs(5), sub.next())
                .await?
                .context("stream ended")??;
            let ev = MptcpEvent::parse(&first.msg()?)?;
            ensure!(
                matches!(
                    ev.kind,
                    MptcpEventKind::ListenerCreated | MptcpEventKind::Created
                ),
                "{ev:?}"
            );
            h.mptcp_endpoint_flush().await?;
            ensure!(h.mptcp_endpoint_list().await?.is_empty());
            Ok(())
        })
    });
}
