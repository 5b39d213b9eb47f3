//! MACsec against the kernel, compared with iproute2 both ways: macsec
//! links created by us and shown by `ip -d link`, created by `ip link add
//! ... type macsec` and read by us; secure channels and associations
//! added, changed and deleted by us and shown by `ip macsec show` (line
//! for line, the first aside), and the other way round; keys never in
//! errors or `Debug`; blocking and async.
//!
//! This host's kernel has no macsec module: creating the link skips
//! through `need_feature`; the VM tier runs these strictly.

use anyhow::{Context, Result, ensure};
use netlink::kind::{Macsec, MacsecCipher, MacsecValidation};
use netlink::macsec::{Key, KeyId, MacsecDevice, Offload, RxScConfig, SaConfig, Sci};
use netlink::{AsyncHandle, ErrorKind, Handle, Link, LinkKind};
use netlink_tests::{Netns, in_netns, need_feature};

/// A GCM-AES-128 test key.
const KEY: &str = "ad7cf13d86ec1f2d4a4a1f8d4e0f4c2b";
/// The peer channels of the tests.
const PEER: Sci = Sci(0x5254_0012_3457_0001);
const PEER2: Sci = Sci(0x5254_0012_3458_0001);

/// veth v0/v1, up.
fn setup(ns: &Netns) -> Result<()> {
    ns.ip(["link", "set", "lo", "up"])?;
    ns.ip(["link", "add", "v0", "type", "veth", "peer", "name", "v1"])?;
    ns.ip(["link", "set", "v0", "up"])?;
    ns.ip(["link", "set", "v1", "up"])?;
    Ok(())
}

/// Creates macsec link `name` on `parent` (skips where the kernel lacks
/// macsec).
fn macsec_link(h: &Handle, name: &str, parent: &str, m: Macsec) -> Result<Link> {
    let parent = h.link_index(parent)?;
    need_feature(
        h.link_add(&Link::new(name).link(parent).kind(LinkKind::Macsec(m))),
        "macsec links",
    )
}

fn key() -> Key {
    Key::from_hex(KEY).expect("a hex key")
}

fn key_id(s: &str) -> KeyId {
    s.parse().expect("a hex key id")
}

/// `ip macsec show DEV` and our `Display` of the same link, without the
/// first line (ip's names the link and repeats a quirk of its own).
fn compare_with_ip(ns: &Netns, name: &str, ours: &MacsecDevice) -> Result<()> {
    let text = ns.ip(["macsec", "show", name])?;
    let theirs: Vec<&str> = text.lines().skip(1).map(str::trim_end).collect();
    let ours_text = ours.to_string();
    let mine: Vec<&str> = ours_text.lines().skip(1).map(str::trim_end).collect();
    ensure!(theirs == mine, "ip:\n{text}\nours:\n{ours_text}");
    Ok(())
}

fn sci_of(h: &Handle, link: &str, port: u16) -> Result<Sci> {
    let mac = h.link_get(link, false)?.address.context("no MAC")?;
    let mac: [u8; 6] = mac.as_bytes().try_into()?;
    Ok(Sci::new(mac, port))
}

#[test]
fn macsec_links_match_ip_both_ways() {
    in_netns("macsec_links_match_ip_both_ways", |ns| {
        setup(ns)?;
        let h = Handle::new()?;
        // Created by us, shown by ip.
        macsec_link(
            &h,
            "macsec0",
            "v0",
            Macsec {
                port: Some(11),
                encrypt: Some(true),
                validation: Some(MacsecValidation::Check),
                icv_len: Some(16),
                ..Macsec::default()
            },
        )?;
        let json = ns.ip_json(["-d", "link", "show", "macsec0"])?;
        let data = &json[0]["linkinfo"]["info_data"];
        let sci = sci_of(&h, "v0", 11)?;
        ensure!(data["sci"].as_str() == Some(&*sci.to_string()), "{data}");
        ensure!(
            data["cipher_suite"].as_str() == Some("GCM-AES-128"),
            "{data}"
        );
        ensure!(data["validation"].as_str() == Some("check"), "{data}");
        ensure!(data["encrypt"].as_bool() == Some(true), "{data}");
        ensure!(data["icv_len"].as_u64() == Some(16), "{data}");
        // What the kernel reports back, every field filled.
        let back = h.link_get("macsec0", false)?;
        let Some(LinkKind::Macsec(m)) = &back.kind else {
            anyhow::bail!("macsec0 reads back as {:?}", back.kind);
        };
        ensure!(m.sci == Some(sci.0) && m.encrypt == Some(true), "{m:?}");
        // Kernels report GCM-AES-128 under its old id, ip shows both alike.
        ensure!(m.cipher_suite == Some(MacsecCipher::Default), "{m:?}");
        ensure!(m.validation == Some(MacsecValidation::Check), "{m:?}");
        // Created by ip, read by us.
        ns.ip([
            "link",
            "add",
            "link",
            "v1",
            "macsec1",
            "type",
            "macsec",
            "port",
            "12",
            "cipher",
            "gcm-aes-256",
            "encrypt",
            "off",
            "replay",
            "on",
            "window",
            "32",
        ])?;
        let back = h.link_get("macsec1", false)?;
        let Some(LinkKind::Macsec(m)) = &back.kind else {
            anyhow::bail!("macsec1 reads back as {:?}", back.kind);
        };
        ensure!(m.sci == Some(sci_of(&h, "v1", 12)?.0), "{m:?}");
        ensure!(m.cipher_suite == Some(MacsecCipher::GcmAes256), "{m:?}");
        ensure!(m.encrypt == Some(false), "{m:?}");
        ensure!(
            m.replay_protect == Some(true) && m.window == Some(32),
            "{m:?}"
        );
        // The genl side sees both links.
        let all = h.macsec_list()?;
        ensure!(all.len() == 2, "{all:?}");
        let one = h.macsec_get("macsec1")?;
        ensure!(one.secy.window == 32 && one.secy.replay, "{one:?}");
        ensure!(netlink::macsec::cipher_name(one.secy.cipher_suite) == "GCM-AES-256");
        Ok(())
    });
}

#[test]
fn channels_and_associations_match_ip_both_ways() {
    in_netns("channels_and_associations_match_ip_both_ways", |ns| {
        setup(ns)?;
        let h = Handle::new()?;
        let link = macsec_link(
            &h,
            "macsec0",
            "v0",
            Macsec {
                port: Some(1),
                encrypt: Some(true),
                ..Macsec::default()
            },
        )?;
        // Added by us, shown by ip.
        h.macsec_txsa_add("macsec0", &SaConfig::new(0, 1, key_id("01"), key()))?;
        h.macsec_rxsc_add(
            "macsec0",
            &RxScConfig {
                sci: PEER,
                active: Some(true),
            },
        )?;
        h.macsec_rxsa_add("macsec0", PEER, &SaConfig::new(0, 1, key_id("02"), key()))?;
        let d = h.macsec_get(link.index)?;
        ensure!(d.secy.sci == sci_of(&h, "v0", 1)?, "{d:?}");
        ensure!(
            d.tx_sas.len() == 1 && d.tx_sas[0].active && d.tx_sas[0].pn == 1,
            "{d:?}"
        );
        ensure!(d.tx_sas[0].key_id == key_id("01"), "{d:?}");
        ensure!(d.rx_scs.len() == 1 && d.rx_scs[0].sci == PEER && d.rx_scs[0].active);
        ensure!(d.rx_scs[0].sas.len() == 1 && d.rx_scs[0].sas[0].key_id == key_id("02"));
        ensure!(d.offload == Some(Offload::Off), "{d:?}");
        compare_with_ip(ns, "macsec0", &d)?;
        // Added by ip, read by us.
        ns.ip([
            "macsec", "add", "macsec0", "tx", "sa", "1", "pn", "100", "off", "key", "03", KEY,
        ])?;
        ns.ip([
            "macsec",
            "add",
            "macsec0",
            "rx",
            "sci",
            &PEER2.to_string(),
            "off",
        ])?;
        let d = h.macsec_get("macsec0")?;
        let sa1 = d.tx_sas.iter().find(|s| s.an == 1).context("tx sa 1")?;
        ensure!(
            sa1.pn == 100 && !sa1.active && sa1.key_id == key_id("03"),
            "{sa1:?}"
        );
        let sc2 = d
            .rx_scs
            .iter()
            .find(|s| s.sci == PEER2)
            .context("rx sc 2")?;
        ensure!(!sc2.active && sc2.sas.is_empty(), "{sc2:?}");
        compare_with_ip(ns, "macsec0", &d)?;
        // Changed both ways.
        h.macsec_rxsc_set(
            "macsec0",
            &RxScConfig {
                sci: PEER2,
                active: Some(true),
            },
        )?;
        let on = SaConfig {
            an: 1,
            active: Some(true),
            pn: Some(200),
            ..SaConfig::default()
        };
        h.macsec_txsa_set("macsec0", &on)?;
        ns.ip(["macsec", "set", "macsec0", "tx", "sa", "0", "off"])?;
        h.macsec_rxsa_set(
            "macsec0",
            PEER,
            &SaConfig {
                an: 0,
                active: Some(false),
                ..SaConfig::default()
            },
        )?;
        let d = h.macsec_get("macsec0")?;
        let text = ns.ip(["macsec", "show", "macsec0"])?;
        ensure!(text.contains(&format!("RXSC: {PEER2}, state on")), "{text}");
        ensure!(text.contains("1: PN 200, state on"), "{text}");
        ensure!(
            !d.tx_sas
                .iter()
                .find(|s| s.an == 0)
                .context("tx sa 0")?
                .active
        );
        compare_with_ip(ns, "macsec0", &d)?;
        // Errors name the association, never the key.
        let e = h
            .macsec_txsa_add("macsec0", &SaConfig::new(0, 1, key_id("01"), key()))
            .unwrap_err();
        // The kernel says EBUSY for an association number in use.
        ensure!(
            matches!(e.kind(), ErrorKind::Busy | ErrorKind::Exists)
                && e.to_string().contains("tx sa 0"),
            "{e}"
        );
        let long = Key::from_hex(&KEY.repeat(2))?;
        let e = h
            .macsec_txsa_add("macsec0", &SaConfig::new(3, 1, key_id("04"), long))
            .unwrap_err();
        let shown = format!("{e} {e:?}");
        ensure!(
            e.kind() == ErrorKind::Invalid && shown.contains("tx sa 3"),
            "{shown}"
        );
        ensure!(
            !shown.contains(KEY) && !shown.contains("173, 124"),
            "{shown}"
        );
        // Offload: off is accepted, a MAC that cannot is refused.
        h.macsec_offload_set("macsec0", Offload::Off)?;
        let e = h.macsec_offload_set("macsec0", Offload::Mac).unwrap_err();
        ensure!(e.to_string().contains("offload mac"), "{e}");
        // Deleted both ways.
        h.macsec_rxsa_del("macsec0", PEER, 0)?;
        ns.ip(["macsec", "del", "macsec0", "rx", "sci", &PEER.to_string()])?;
        h.macsec_rxsc_del("macsec0", PEER2)?;
        // The kernel refuses to delete an active association (EBUSY).
        let e = h.macsec_txsa_del("macsec0", 1).unwrap_err();
        ensure!(
            e.kind() == ErrorKind::Busy && e.to_string().contains("tx sa 1"),
            "{e}"
        );
        h.macsec_txsa_set(
            "macsec0",
            &SaConfig {
                an: 1,
                active: Some(false),
                ..SaConfig::default()
            },
        )?;
        h.macsec_txsa_del("macsec0", 1)?;
        let d = h.macsec_get("macsec0")?;
        ensure!(d.rx_scs.is_empty() && d.tx_sas.len() == 1, "{d:?}");
        compare_with_ip(ns, "macsec0", &d)?;
        let e = h.macsec_rxsc_del("macsec0", PEER).unwrap_err();
        ensure!(
            e.is_not_found() && e.to_string().contains(&PEER.to_string()),
            "{e}"
        );
        // Not a macsec link: not found among them.
        ensure!(h.macsec_get("v0").unwrap_err().is_not_found());
        Ok(())
    });
}

#[test]
fn xpn_associations_carry_64_bit_packet_numbers() {
    in_netns("xpn_associations_carry_64_bit_packet_numbers", |ns| {
        setup(ns)?;
        let h = Handle::new()?;
        macsec_link(
            &h,
            "macsec0",
            "v0",
            Macsec {
                port: Some(1),
                cipher_suite: Some(MacsecCipher::GcmAesXpn128),
                ..Macsec::default()
            },
        )?;
        let sa = SaConfig {
            ssci: Some(7),
            salt: Some(Key::new([0x5a; 12])),
            ..SaConfig::new(0, (1 << 33) + 5, key_id("0a"), key())
        };
        h.macsec_txsa_add("macsec0", &sa)?;
        let d = h.macsec_get("macsec0")?;
        ensure!(
            d.tx_sas[0].pn == (1 << 33) + 5 && d.tx_sas[0].ssci == Some(7),
            "{d:?}"
        );
        ensure!(netlink::macsec::cipher_name(d.secy.cipher_suite) == "GCM-AES-XPN-128");
        Ok(())
    });
}

#[test]
fn async_macsec() {
    in_netns("async_macsec", |ns| {
        setup(ns)?;
        let link = macsec_link(&Handle::new()?, "macsec0", "v0", Macsec::default())?;
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        rt.block_on(async {
            let h = AsyncHandle::new()?;
            h.macsec_txsa_add(link.index, &SaConfig::new(2, 9, key_id("05"), key()))
                .await?;
            h.macsec_rxsc_add(
                link.index,
                &RxScConfig {
                    sci: PEER,
                    active: None,
                },
            )
            .await?;
            let d = h.macsec_get(link.index).await?;
            ensure!(d.tx_sas.len() == 1 && d.tx_sas[0].an == 2 && d.tx_sas[0].pn == 9);
            ensure!(d.rx_scs.len() == 1 && d.rx_scs[0].active, "{d:?}");
            compare_with_ip(ns, "macsec0", &d)?;
            // Only an inactive association can be deleted.
            let off = SaConfig {
                an: 2,
                active: Some(false),
                ..SaConfig::default()
            };
            h.macsec_txsa_set(link.index, &off).await?;
            h.macsec_txsa_del(link.index, 2).await?;
            h.macsec_rxsc_del(link.index, PEER).await?;
            let d = h.macsec_get(link.index).await?;
            ensure!(d.tx_sas.is_empty() && d.rx_scs.is_empty(), "{d:?}");
            Ok(())
        })
    });
}
