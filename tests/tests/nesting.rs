//! Calls nest: a call made inside another's callback (the Go idiom "for
//! each route, delete it") runs on a socket of its own instead of waiting
//! for the one the streaming call holds.

use anyhow::{Result, ensure};
use netlink::nl_route::AddrDump;
use netlink::{AF_INET, Handle, Link, LinkDump, LinkKind, Route, RouteDump};
use netlink_tests::in_netns;

fn setup(h: &Handle) -> Result<u32> {
    for i in 0..4 {
        h.link_add(&Link::new(format!("n{i}")).kind(LinkKind::veth(format!("p{i}"))))?;
    }
    let dev = h.link_index("n0")?;
    h.link_set_up(dev)?;
    h.link_set_up("p0")?;
    for i in 1..=20u8 {
        h.addr_add(dev, &format!("192.0.2.{i}/32").parse()?)?;
    }
    for i in 0..50u8 {
        let mut r = Route::new(format!("198.51.100.{i}/32").parse()?);
        r.oif = Some(dev);
        r.table = 77;
        h.route_add(&r)?;
    }
    Ok(dev)
}

#[test]
fn every_for_each_allows_nested_calls() {
    in_netns("every_for_each_allows_nested_calls", |_| {
        let h = Handle::new()?;
        let dev = setup(&h)?;

        // link_for_each: bring every veth up from inside the listing.
        let mut upped = 0;
        h.link_for_each(&LinkDump::default(), |l| {
            if l.name.starts_with('n') || l.name.starts_with('p') {
                h.link_set_up(l.index)?;
                upped += 1;
            }
            Ok(())
        })?;
        ensure!(upped == 8, "{upped}");

        ensure!(h.link_list()?.iter().filter(|l| l.is_up()).count() >= 8);

        // route_dump_views: look up each route's device while streaming.
        let table = RouteDump {
            table: Some(77),
            ..RouteDump::default()
        };
        let mut looked_up = 0;

        h.route_dump_views(&table, |_| {
            ensure_ok(h.link_by_index(dev)?.name == "n0")?;
            looked_up += 1;
            Ok(())
        })?;
        ensure!(looked_up == 50, "{looked_up}");

        // route_for_each: delete every route of the table (the Go idiom).
        let mut gone = 0;
        h.route_for_each(&table, |r| {
            h.route_del(&r)?;
            gone += 1;
            Ok(())
        })?;
        ensure!(gone == 50, "{gone}");
        ensure!(h.route_list_filtered(&table)?.is_empty());

        // (Last: deleting a device's last IPv4 address flushes its routes.)
        // addr_for_each: delete every address it lists.
        let mut deleted = 0;
        h.addr_for_each(
            &AddrDump {
                family: AF_INET,
                index: Some(dev),
            },
            |a| {
                h.addr_del(dev, &a)?;
                deleted += 1;
                Ok(())
            },
        )?;
        ensure!(deleted == 20, "{deleted}");
        ensure!(h.addr_list(Some(dev.into()), AF_INET)?.is_empty());

        // Calls from other threads while a listing is in progress.
        std::thread::scope(|s| -> Result<()> {
            let mut seen = 0;
            h.link_for_each(&LinkDump::default(), |_| {
                let other = s.spawn(|| h.link_by_name("n1").map(|l| l.index));
                let idx = other
                    .join()
                    .map_err(|_| netlink::Error::Capture("join".into()))??;
                ensure_ok(idx > 0)?;
                seen += 1;
                Ok(())
            })?;
            ensure!(seen >= 9);
            Ok(())
        })?;
        Ok(())
    });
}

fn ensure_ok(cond: bool) -> netlink::Result<()> {
    if cond {
        Ok(())
    } else {
        Err(netlink::Error::Capture("condition failed".into()))
    }
}

/// A handle over a single given socket (a scripted kernel in tests) has
/// nowhere to run a nested call: it says so instead of deadlocking.
#[test]
fn a_fixed_socket_refuses_nesting_instead_of_deadlocking() -> Result<()> {
    use netlink::nl_sock::Socket;
    use netlink::nl_sock::fake::{self, Fake};
    let fake = Fake::new(|d| {
        let req = netlink::nl_wire::Msgs::new(d).next().and_then(|m| m.ok());
        match req {
            Some(req) if req.flags() & netlink::nl_wire::netlink::NLM_F_DUMP != 0 => {
                let link = fake::reply(&req, 16, 0, |m| {
                    m.header(&[0u8; 16]).put_str(3, "eth0");
                });
                fake::multipart(&req, &[link], 1, false)
            }
            Some(req) => vec![fake::ack(&req)],
            None => Vec::new(),
        }
    });
    let h = Handle::with_route_socket(Socket::with_transport(fake, 0)?);
    let mut inner = None;
    h.link_for_each(&LinkDump::default(), |_| {
        inner = Some(h.link_set_up(1));
        Ok(())
    })?;
    let e = inner
        .ok_or_else(|| anyhow::anyhow!("no link listed"))?
        .unwrap_err();
    ensure!(e.kind() == netlink::ErrorKind::Busy, "{e}");
    // Outside the callback the socket is free again.
    h.link_set_up(1)?;
    Ok(())
}
