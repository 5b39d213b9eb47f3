//! GTP against the kernel: gtp links created by us and shown by `ip -d
//! link`, created by `ip link add ... type gtp` and read by us; PDP
//! contexts (no iproute2 command: libgtpnl's `gtp-tunnel` is not packaged)
//! added, looked up by TID, input TEI and MS address, listed and deleted
//! through the library, with the kernel's `"gtp"` notifications read back;
//! blocking and async.
//!
//! This host's kernel has no gtp module: creating the link skips through
//! `need_feature`; the VM tier's 6.12 kernel runs these strictly.

use std::net::IpAddr;
use std::time::Duration;

use anyhow::{Context, Result, ensure};
use netlink::gtp::{self, GtpTunnel, Pdp};
use netlink::kind::{Gtp, GtpRole};
use netlink::{AsyncHandle, Handle, Link, LinkKind};
use netlink_tests::{Netns, in_netns, need_feature, need_module};

/// Creates gtp link `name` whose sockets the kernel opens (skips where
/// the kernel lacks gtp).
fn gtp_link(h: &Handle, name: &str, gtp: Gtp) -> Result<Link> {
    // 6.1's cloud build has no gtp at all: the VM tier declares it absent.
    need_module("gtp")?;
    need_feature(
        h.link_add(&Link::new(name).kind(LinkKind::Gtp(gtp))),
        "gtp links",
    )
}

fn ip(s: &str) -> IpAddr {
    s.parse().expect("an address literal")
}

/// The gtp settings `ip -d -j link show NAME` reports: role, hsize,
/// restart_count.
fn ip_gtp(ns: &Netns, name: &str) -> Result<(String, u64, u64)> {
    let json = ns.ip_json(["-d", "link", "show", name])?;
    let data = &json[0]["linkinfo"]["info_data"];
    Ok((
        data["role"].as_str().context("role")?.to_string(),
        data["hsize"].as_u64().context("hsize")?,
        data["restart_count"].as_u64().unwrap_or(0),
    ))
}

// The kernel's sockets hold the GTP ports: one such link per namespace,
// so each direction has a test (and a namespace) of its own.

#[test]
fn gtp_link_made_by_us_shown_by_ip() {
    in_netns("gtp_link_made_by_us_shown_by_ip", |ns| {
        let h = Handle::new()?;
        gtp_link(
            &h,
            "gtp0",
            Gtp {
                pdp_hashsize: Some(64),
                restart_count: Some(3),
                ..Gtp::with_own_sockets(GtpRole::Sgsn)
            },
        )?;
        ensure!(ip_gtp(ns, "gtp0")? == ("sgsn".to_string(), 64, 3));
        let back = h.link_get("gtp0", false)?;
        let Some(LinkKind::Gtp(g)) = &back.kind else {
            anyhow::bail!("gtp0 reads back as {:?}", back.kind);
        };
        ensure!(
            g.role == Some(GtpRole::Sgsn) && g.pdp_hashsize == Some(64),
            "{g:?}"
        );
        ensure!(g.restart_count == Some(3), "{g:?}");
        Ok(())
    });
}

#[test]
fn gtp_link_made_by_ip_read_by_us() {
    in_netns("gtp_link_made_by_ip_read_by_us", |ns| {
        let h = Handle::new()?;
        need_module("gtp")?;
        // Skips, naming gtp links, where the kernel lacks them.
        ns.ip([
            "link", "add", "gtp1", "type", "gtp", "role", "ggsn", "hsize", "128",
        ])?;
        let back = h.link_get("gtp1", false)?;
        let Some(LinkKind::Gtp(g)) = &back.kind else {
            anyhow::bail!("gtp1 reads back as {:?}", back.kind);
        };
        ensure!(
            g.role == Some(GtpRole::Ggsn) && g.pdp_hashsize == Some(128),
            "{g:?}"
        );
        ensure!(ip_gtp(ns, "gtp1")? == ("ggsn".to_string(), 128, 0));
        Ok(())
    });
}

#[test]
fn pdp_contexts_add_get_list_delete() {
    in_netns("pdp_contexts_add_get_list_delete", |_ns| {
        let h = Handle::new()?;
        let link = gtp_link(&h, "gtp0", Gtp::with_own_sockets(GtpRole::Ggsn))?;
        let mut sub = h.genl_subscribe(gtp::FAMILY, &[gtp::GROUP])?;
        sub.set_timeout(Some(Duration::from_secs(5)))?;
        let v1 = Pdp::v1(link.index, ip("198.51.100.1"), ip("192.0.2.10"), 100, 200);
        let v0 = Pdp::v0(
            link.index,
            ip("198.51.100.2"),
            ip("192.0.2.11"),
            0x1_0000_0007,
            5,
        );
        h.gtp_pdp_add(&v1)?;
        h.gtp_pdp_add(&v0)?;
        // The kernel announces each, as it reports them.
        for want in [&v1, &v0] {
            let n = sub.next()?;
            let got = Pdp::parse(&n.msg()?)?;
            ensure!(n.msg()?.cmd() == netlink::nl_genl::uapi::gtp::GTP_CMD_NEWPDP);
            ensure!(&got == want, "{got:?} vs {want:?}");
        }
        let mut list = h.gtp_pdp_list()?;
        list.sort_by_key(|p| p.tunnel.version());
        ensure!(list == vec![v0.clone(), v1.clone()], "{list:?}");
        // Every lookup the Go library has.
        ensure!(h.gtp_pdp_by_itei("gtp0", 100)? == v1);
        ensure!(h.gtp_pdp_by_tid(link.index, 0x1_0000_0007)? == v0);
        ensure!(h.gtp_pdp_by_ms_address("gtp0", ip("192.0.2.10"))? == v1);
        ensure!(h.gtp_pdp_by_ms_address("gtp0", ip("192.0.2.11"))? == v0);
        // Same ids again: the kernel refuses (NLM_F_EXCL), the error names it.
        let e = h.gtp_pdp_add(&v1).unwrap_err();
        ensure!(
            e.is_exists() && e.to_string().contains("tei 100/200"),
            "{e}"
        );
        let e = h.gtp_pdp_by_itei("gtp0", 999).unwrap_err();
        ensure!(
            e.is_not_found() && e.to_string().contains("i_tei 999"),
            "{e}"
        );
        // Deleted, announced, gone.
        h.gtp_pdp_del(&v1)?;
        let n = sub.next()?;
        ensure!(n.msg()?.cmd() == netlink::nl_genl::uapi::gtp::GTP_CMD_DELPDP);
        ensure!(Pdp::parse(&n.msg()?)? == v1);
        ensure!(h.gtp_pdp_list()? == vec![v0.clone()]);
        h.gtp_pdp_del(&v0)?;
        ensure!(h.gtp_pdp_list()?.is_empty());
        ensure!(h.gtp_pdp_del(&v0).unwrap_err().is_not_found());
        // A link that is not gtp is no gtp link.
        let lo = h.link_index("lo")?;
        let e = h.gtp_pdp_add(&Pdp { link: lo, ..v0 }).unwrap_err();
        ensure!(e.is_not_found(), "{e}");
        Ok(())
    });
}

#[test]
fn async_gtp() {
    in_netns("async_gtp", |_ns| {
        let link = gtp_link(
            &Handle::new()?,
            "gtp0",
            Gtp::with_own_sockets(GtpRole::Ggsn),
        )?;
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        rt.block_on(async {
            let h = AsyncHandle::new()?;
            let pdp = Pdp::v1(link.index, ip("198.51.100.1"), ip("192.0.2.10"), 7, 8);
            h.gtp_pdp_add(&pdp).await?;
            ensure!(h.gtp_pdp_list().await? == vec![pdp.clone()]);
            let got = h.gtp_pdp_by_itei(link.index, 7).await?;
            ensure!(
                got.tunnel == GtpTunnel::V1 { i_tei: 7, o_tei: 8 },
                "{got:?}"
            );
            h.gtp_pdp_del(&pdp).await?;
            ensure!(h.gtp_pdp_list().await?.is_empty());
            Ok(())
        })
    });
}
