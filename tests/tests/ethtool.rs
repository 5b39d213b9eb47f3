//! ethtool over netlink against the kernel, compared with `ethtool` (text,
//! and `--json` where ethtool 6.1 has it) on veth and tap links in a
//! private namespace, both ways: set with us and read with ethtool, set
//! with ethtool and read with us.

use std::collections::BTreeMap;
use std::process::Command;
use std::time::Duration;

use anyhow::{Context, Result, bail, ensure};
use netlink::ethtool::{Channels, Coalesce, EthtoolEvent, Features, Pause, Rings, STATS_GROUPS};
use netlink::nl_genl::uapi::ethtool::{
    AUTONEG_DISABLE, DUPLEX_FULL, ETH_SS_FEATURES, ETH_SS_LINK_MODES, ETH_SS_STATS,
    ETH_SS_STATS_ETH_PHY, ETH_SS_STATS_STD, PORT_TP, XCVR_INTERNAL,
};
use netlink::{AsyncHandle, ErrorKind, Handle};
use netlink_tests::{Netns, in_netns, settled};

/// A veth pair v0/v1, both down.
fn veth(ns: &Netns) -> Result<()> {
    ns.ip(["link", "add", "v0", "type", "veth", "peer", "name", "v1"])?;
    Ok(())
}

/// `Key: value` lines of ethtool's text, keys trimmed (later ones win).
fn fields(text: &str) -> BTreeMap<String, String> {
    text.lines()
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect()
}

/// The "Pre-set maximums" and "Current hardware settings" halves of
/// `ethtool -l` / `-g`.
fn halves(text: &str) -> Result<(BTreeMap<String, String>, BTreeMap<String, String>)> {
    let (max, cur) = text
        .split_once("Current hardware settings:")
        .context("no current settings")?;
    Ok((fields(max), fields(cur)))
}

fn num(v: Option<u32>) -> String {
    v.filter(|&v| v != 0)
        .map_or_else(|| "n/a".to_string(), |v| v.to_string())
}

/// Runs `ethtool ARGS` expecting it to fail; its stderr.
fn ethtool_fails(args: &[&str]) -> Result<String> {
    let out = Command::new("ethtool").args(args).output()?;
    ensure!(!out.status.success(), "ethtool {args:?} succeeded");
    Ok(String::from_utf8_lossy(&out.stderr).into_owned())
}

#[test]
fn link_settings_match_ethtool() {
    in_netns("link_settings_match_ethtool", |ns| {
        veth(ns)?;
        let h = Handle::new()?;
        let text = ns.cmd("ethtool", ["v0"])?;
        let theirs = fields(&text);
        let modes = h.ethtool_link_modes("v0")?;
        let info = h.ethtool_link_info("v0")?;
        ensure!(modes.header.name == "v0" && info.header.index == h.link_index("v0")?);
        // veth reports 10000 Mb/s full duplex, no autonegotiation, no modes.
        ensure!(modes.speed == Some(10000) && modes.duplex == Some(DUPLEX_FULL));
        ensure!(modes.autoneg == Some(AUTONEG_DISABLE));
        for line in modes.to_string().lines() {
            let (k, v) = line.split_once(':').context("line")?;
            ensure!(
                theirs.get(k.trim()).map(String::as_str) == Some(v.trim()),
                "{line:?} vs {text}"
            );
        }
        let ours = modes.ours.as_ref().context("our modes")?;
        ensure!(ours.covered().count() == 0);
        ensure!(theirs["Supported link modes"] == "Not reported");
        ensure!(info.port == Some(PORT_TP) && info.transceiver == Some(XCVR_INTERNAL));
        ensure!(theirs["Port"] == netlink::ethtool::port_name(PORT_TP));
        ensure!(theirs["PHYAD"] == info.phyaddr.context("phyaddr")?.to_string());
        ensure!(theirs["Transceiver"] == "internal");
        // Link state: down, then up with the peer up.
        ensure!(h.ethtool_link_state("v0")?.link == Some(false));
        ensure!(theirs["Link detected"] == "no");
        ns.ip(["link", "set", "v0", "up"])?;
        ns.ip(["link", "set", "v1", "up"])?;
        settled(|| {
            let ours = h.ethtool_link_state("v0")?.link;
            let theirs = fields(&ns.cmd("ethtool", ["v0"])?)["Link detected"].clone();
            ensure!(ours == Some(true) && theirs == "yes", "{ours:?} {theirs}");
            Ok(())
        })?;
        // By index, the same; a missing device is named.
        let by_index = h.ethtool_link_modes(h.link_index("v0")?)?;
        ensure!(by_index.speed == modes.speed);
        let e = h.ethtool_link_info("nosuch0").unwrap_err();
        ensure!(e.to_string().contains("nosuch0"), "{e}");
        Ok(())
    });
}

/// Compares every feature ethtool's JSON lists by its kernel name.
fn compare_features(ns: &Netns, ours: &Features) -> Result<usize> {
    let json: serde_json::Value =
        serde_json::from_str(&ns.cmd("ethtool", ["--json", "-k", "v0"])?)?;
    let theirs = json
        .get(0)
        .and_then(|v| v.as_object())
        .context("ethtool json")?;
    let mut compared = 0;
    for f in ours.iter() {
        let Some(t) = theirs.get(f.name) else {
            continue;
        };
        let want = (
            t["active"].as_bool(),
            t["fixed"].as_bool(),
            t["requested"].as_bool(),
        );
        ensure!(
            want == (Some(f.active), Some(f.fixed), Some(f.wanted)),
            "{}: ours {f:?} ethtool {t}",
            f.name
        );
        compared += 1;
    }
    Ok(compared)
}

#[test]
fn features_match_ethtool_both_ways() {
    in_netns("features_match_ethtool_both_ways", |ns| {
        veth(ns)?;
        let h = Handle::new()?;
        let ours = h.ethtool_features("v0")?;
        let compared = compare_features(ns, &ours)?;
        ensure!(compared >= 30, "only {compared} features compared");
        // Set with us, read with ethtool.
        let gro_list = ours.get("rx-gro-list").context("rx-gro-list")?;
        ensure!(!gro_list.fixed && !gro_list.active);
        let changes = h.ethtool_set_features("v0", &[("rx-gro-list", true)])?;
        ensure!(
            changes.changed.covers(gro_list.index) && changes.changed.is_set(gro_list.index),
            "{changes:?}"
        );
        ensure!(!changes.not_applied.covers(gro_list.index));
        let text = ns.cmd("ethtool", ["-k", "v0"])?;
        ensure!(fields(&text)["rx-gro-list"] == "on", "{text}");
        compare_features(ns, &h.ethtool_features("v0")?)?;
        // Set with ethtool, read with us.
        ns.cmd("ethtool", ["-K", "v0", "rx-gro-list", "off"])?;
        let after = h.ethtool_features("v0")?;
        ensure!(!after.get("rx-gro-list").context("rx-gro-list")?.active);
        compare_features(ns, &after)?;
        // A fixed feature is not changed, and the answer says so.
        let loopback = after.get("loopback").context("loopback")?;
        ensure!(loopback.fixed && !loopback.active);
        let changes = h.ethtool_set_features("v0", &[("loopback", true)])?;
        ensure!(
            changes.not_applied.covers(loopback.index)
                && changes.not_applied.is_set(loopback.index),
            "{changes:?}"
        );
        ensure!(
            !h.ethtool_features("v0")?
                .get("loopback")
                .context("lo")?
                .active
        );
        // An unknown name is the kernel's error, with its message.
        let e = h
            .ethtool_set_features("v0", &[("no-such-feature", true)])
            .unwrap_err();
        ensure!(e.kind() == ErrorKind::NotSupported, "{e}");
        ensure!(e.message() == Some("bit name not found"), "{e}");
        Ok(())
    });
}

#[test]
fn channels_match_ethtool_both_ways() {
    in_netns("channels_match_ethtool_both_ways", |ns| {
        veth(ns)?;
        let h = Handle::new()?;
        let ours = h.ethtool_channels("v0")?;
        let text = ns.cmd("ethtool", ["-l", "v0"])?;
        // Our Display is ethtool's text after its first line.
        let body = text.split_once('\n').context("first line")?.1;
        ensure!(
            ours.to_string().trim_end() == body.trim_end(),
            "ours\n{ours}\nethtool\n{text}"
        );
        // Set with us: one more RX channel.
        let max = ours.rx_max.context("rx max")?;
        ensure!(max >= 2, "veth offers {max} rx channels");
        h.ethtool_set_channels(
            "v0",
            &Channels {
                rx_count: Some(2),
                ..Channels::default()
            },
        )?;
        let (_, cur) = halves(&ns.cmd("ethtool", ["-l", "v0"])?)?;
        ensure!(cur["RX"] == "2" && cur["TX"] == "1", "{cur:?}");
        // Set with ethtool, read with us.
        ns.cmd("ethtool", ["-L", "v0", "tx", "2"])?;
        let now = h.ethtool_channels("v0")?;
        ensure!(
            (now.rx_count, now.tx_count) == (Some(2), Some(2)),
            "{now:?}"
        );
        let (max_t, cur_t) = halves(&ns.cmd("ethtool", ["-l", "v0"])?)?;
        ensure!(max_t["RX"] == num(now.rx_max) && cur_t["TX"] == num(now.tx_count));
        // More than the maximum: the kernel refuses, and names the link.
        let e = h
            .ethtool_set_channels(
                "v0",
                &Channels {
                    rx_count: Some(max + 1),
                    ..Channels::default()
                },
            )
            .unwrap_err();
        ensure!(
            e.kind() == ErrorKind::Invalid && e.to_string().contains("v0"),
            "{e}"
        );
        Ok(())
    });
}

#[test]
fn coalesce_on_tap_matches_ethtool_both_ways() {
    in_netns("coalesce_on_tap_matches_ethtool_both_ways", |ns| {
        ns.ip(["tuntap", "add", "t0", "mode", "tap"])?;
        let h = Handle::new()?;
        let ours = h.ethtool_coalesce("t0")?;
        let theirs = fields(&ns.cmd("ethtool", ["-c", "t0"])?);
        // tun supports rx-frames alone; everything else is n/a there.
        ensure!(theirs["rx-frames"] == ours.rx_max_frames.context("rx-frames")?.to_string());
        ensure!(ours.rx_usecs.is_none() && theirs["rx-usecs"] == "n/a");
        h.ethtool_set_coalesce(
            "t0",
            &Coalesce {
                rx_max_frames: Some(32),
                ..Coalesce::default()
            },
        )?;
        ensure!(fields(&ns.cmd("ethtool", ["-c", "t0"])?)["rx-frames"] == "32");
        ns.cmd("ethtool", ["-C", "t0", "rx-frames", "16"])?;
        ensure!(h.ethtool_coalesce("t0")?.rx_max_frames == Some(16));
        // A parameter the driver lacks is refused with the kernel's words,
        // as ethtool's is.
        let e = h
            .ethtool_set_coalesce(
                "t0",
                &Coalesce {
                    tx_usecs: Some(8),
                    ..Coalesce::default()
                },
            )
            .unwrap_err();
        ensure!(e.kind() == ErrorKind::Invalid, "{e}");
        let said = e.message().context("ext-ack")?;
        ensure!(said.contains("unsupported parameter"), "{e}");
        let stderr = ethtool_fails(&["-C", "t0", "tx-usecs", "8"])?;
        ensure!(stderr.contains(said), "{stderr}");
        Ok(())
    });
}

/// veth has no rings, pause or EEE: we and ethtool both say so (the VM
/// tier's drivers are no different; netdevsim would have them).
#[test]
fn rings_pause_eee_unsupported_like_ethtool() {
    in_netns("rings_pause_eee_unsupported_like_ethtool", |ns| {
        veth(ns)?;
        ns.cmd("ethtool", ["--version"])?;
        let h = Handle::new()?;
        let checks: [(&str, Result<()>); 3] = [
            ("-g", h.ethtool_rings("v0").map(drop).map_err(Into::into)),
            ("-a", h.ethtool_pause("v0").map(drop).map_err(Into::into)),
            (
                "--show-eee",
                h.ethtool_eee("v0").map(drop).map_err(Into::into),
            ),
        ];
        for (flag, ours) in checks {
            let e = match ours {
                Ok(()) => bail!("veth answered {flag}"),
                Err(e) => e,
            };
            let kind = e.downcast_ref::<netlink::Error>().map(netlink::Error::kind);
            ensure!(kind == Some(ErrorKind::NotSupported), "{flag}: {e}");
            let stderr = ethtool_fails(&[flag, "v0"])?;
            ensure!(
                stderr.contains("Operation not supported"),
                "{flag}: {stderr}"
            );
        }
        let set = h.ethtool_set_rings(
            "v0",
            &Rings {
                rx: Some(128),
                ..Rings::default()
            },
        );
        ensure!(set.is_err_and(|e| e.kind() == ErrorKind::NotSupported));
        let set = h.ethtool_set_pause(
            "v0",
            &Pause {
                rx: Some(true),
                ..Pause::default()
            },
        );
        ensure!(set.is_err_and(|e| e.kind() == ErrorKind::NotSupported));
        Ok(())
    });
}

#[test]
fn strings_and_stats_match_ethtool() {
    in_netns("strings_and_stats_match_ethtool", |ns| {
        veth(ns)?;
        let h = Handle::new()?;
        // The driver's counter names are `ethtool -S`'s.
        let sets = h.ethtool_strings(Some("v0".into()), &[ETH_SS_STATS])?;
        let stats = sets
            .iter()
            .find(|s| s.id == ETH_SS_STATS)
            .context("stats set")?;
        let text = ns.cmd("ethtool", ["-S", "v0"])?;
        let theirs: Vec<&str> = text
            .lines()
            .skip(1)
            .filter_map(|l| l.split_once(':').map(|(k, _)| k.trim()))
            .collect();
        ensure!(
            stats.strings == theirs,
            "ours {:?}\nethtool {theirs:?}",
            stats.strings
        );
        ensure!(stats.count as usize == theirs.len() && !theirs.is_empty());
        // Global sets: link modes and the standard statistics groups.
        let global = h.ethtool_strings(None, &[ETH_SS_LINK_MODES, ETH_SS_STATS_STD])?;
        let modes = global
            .iter()
            .find(|s| s.id == ETH_SS_LINK_MODES)
            .context("modes")?;
        ensure!(modes.get(0) == Some("10baseT/Half") && modes.count > 90);
        let std = global
            .iter()
            .find(|s| s.id == ETH_SS_STATS_STD)
            .context("std")?;
        ensure!(
            std.strings.get(..4)
                == Some(
                    &STATS_GROUPS[..4]
                        .iter()
                        .map(|s| s.to_string())
                        .collect::<Vec<_>>()[..]
                )
        );
        // Every feature name ethtool -k shows is in the device's feature set.
        let features = h.ethtool_strings(Some("v0".into()), &[ETH_SS_FEATURES])?;
        let names = &features.first().context("features")?.strings;
        ensure!(
            names.iter().any(|n| n == "rx-gro") && names.iter().any(|n| n == "tx-nocache-copy")
        );
        // Standard statistics: each group asked for comes back, named by its
        // string set, with no counter (veth fills none); ethtool shows each empty.
        let ours = h.ethtool_stats("v0", &STATS_GROUPS[..4])?;
        ensure!(ours.header.name == "v0", "{ours:?}");
        let ids: Vec<u32> = ours.groups.iter().map(|g| g.id).collect();
        ensure!(ids == [0, 1, 2, 3], "{ours:?}");
        for g in &ours.groups {
            ensure!(g.string_set == ETH_SS_STATS_ETH_PHY + g.id, "{g:?}");
            ensure!(g.stats.is_empty() && g.hist_rx.is_empty(), "{g:?}");
        }
        let json: serde_json::Value = serde_json::from_str(&ns.cmd(
            "ethtool",
            [
                "--json", "-S", "v0", "--groups", "eth-phy", "eth-mac", "eth-ctrl", "rmon",
            ],
        )?)?;
        let obj = json.get(0).and_then(|v| v.as_object()).context("json")?;
        for g in &STATS_GROUPS[..4] {
            let group = obj.get(*g).and_then(|v| v.as_object()).context("group")?;
            ensure!(group.is_empty(), "{g}: {group:?}");
        }
        // An unknown group is refused.
        ensure!(h.ethtool_stats("v0", &["no-such-group"]).is_err());
        Ok(())
    });
}

#[test]
fn monitor_events_are_typed() {
    in_netns("monitor_events_are_typed", |ns| {
        veth(ns)?;
        let h = Handle::new()?;
        let mut sub =
            h.genl_subscribe(netlink::ethtool::FAMILY, &[netlink::ethtool::MONITOR_GROUP])?;
        sub.set_timeout(Some(Duration::from_secs(5)))?;
        // Changed by ethtool: a channels notification with the new count.
        ns.cmd("ethtool", ["-L", "v0", "rx", "2"])?;
        let channels = loop {
            let n = sub.next()?;
            if let EthtoolEvent::Channels(c) = EthtoolEvent::parse(&n.msg()?)? {
                break c;
            }
        };
        ensure!(
            channels.header.name == "v0" && channels.rx_count == Some(2),
            "{channels:?}"
        );
        // Changed by us: a features notification.
        let index = h
            .ethtool_features("v0")?
            .get("rx-gro-list")
            .context("rx-gro-list")?
            .index;
        h.ethtool_set_features("v0", &[("rx-gro-list", true)])?;
        let features = loop {
            let n = sub.next()?;
            match EthtoolEvent::parse(&n.msg()?)? {
                EthtoolEvent::Features(f) => break f,
                other => ensure!(other.header().name == "v0", "{other:?}"),
            }
        };
        ensure!(
            features.header.name == "v0" && features.active.is_set(index),
            "{features:?}"
        );
        ensure!(features.wanted.is_set(index));
        Ok(())
    });
}

#[test]
fn async_ethtool() {
    in_netns("async_ethtool", |ns| {
        veth(ns)?;
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        rt.block_on(async {
            let h = AsyncHandle::new()?;
            let mut sub = h
                .genl_subscribe(netlink::ethtool::FAMILY, &[netlink::ethtool::MONITOR_GROUP])
                .await?;
            h.ethtool_set_channels(
                "v0",
                &Channels {
                    tx_count: Some(2),
                    ..Channels::default()
                },
            )
            .await?;
            let (_, cur) = halves(&ns.cmd("ethtool", ["-l", "v0"])?)?;
            ensure!(cur["TX"] == "2", "{cur:?}");
            let c = h.ethtool_channels("v0").await?;
            ensure!(c.tx_count == Some(2));
            let event = tokio::time::timeout(Duration::from_secs(5), sub.next())
                .await?
                .context("stream ended")??;
            let EthtoolEvent::Channels(n) = EthtoolEvent::parse(&event.msg()?)? else {
                bail!("not a channels notification");
            };
            ensure!(n.tx_count == Some(2));
            let f = h.ethtool_features("v0").await?;
            compare_features(ns, &f)?;
            let modes = h.ethtool_link_modes("v0").await?;
            ensure!(modes.speed == Some(10000));
            ensure!(
                h.ethtool_rings("v0")
                    .await
                    .is_err_and(|e| e.kind() == ErrorKind::NotSupported)
            );
            Ok(())
        })
    });
}
