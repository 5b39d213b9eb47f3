//! WireGuard devices against the kernel, compared with wireguard-tools
//! both ways: what we configure is read by `wg show DEV dump`, what
//! `wg set` / `wg setconf` configure is read by us, field by field; peers
//! removed and updated only; 10,000 peers set and read in one call each
//! (split into and merged from many messages), and, as an ignored
//! benchmark for optimized builds, timed against `wg setconf` +
//! `wg show dump`.
//!
//! This host's kernel has no wireguard module: creating the link skips
//! through `need_feature`; the VM tier runs these strictly.

use std::collections::BTreeSet;
use std::ffi::OsStr;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::{Duration, Instant, UNIX_EPOCH};

use anyhow::{Context, Result, bail, ensure};
use netlink::{
    AsyncHandle, Handle, IpNet, Link, LinkKind, WgConfig, WgDevice, WgKey, WgPeerConfig,
    WgPresharedKey, WgPrivateKey,
};
use netlink_tests::{Netns, in_netns, need_feature};

/// Creates WireGuard link `name` (skips where the kernel lacks them).
fn wg_link(h: &Handle, name: &str) -> Result<Link> {
    need_feature(
        h.link_add(&Link::new(name).kind(LinkKind::Wireguard)),
        "wireguard links",
    )
}

/// A fresh key pair from `wg genkey` / `wg pubkey`.
fn keypair(ns: &Netns) -> Result<(WgPrivateKey, WgKey)> {
    let out = ns.cmd(
        "sh",
        [
            "-c",
            "k=$(wg genkey) && echo \"$k\" && echo \"$k\" | wg pubkey",
        ],
    )?;
    let mut lines = out.lines();
    let private = lines.next().context("wg genkey printed nothing")?.parse()?;
    let public = lines.next().context("wg pubkey printed nothing")?.parse()?;
    Ok((private, public))
}

/// Peer key `i`: any 32 bytes are a peer's public key to the kernel.
fn peer_key(i: u32) -> WgKey {
    let mut k = [0x5a; 32];
    k[..4].copy_from_slice(&i.to_be_bytes());
    WgKey::new(k)
}

/// A file of this test's own in the temporary directory.
fn temp_file(name: &str, text: &str) -> Result<PathBuf> {
    let path = std::env::temp_dir().join(format!("netlink-wg-{}-{name}", std::process::id()));
    std::fs::write(&path, text).with_context(|| format!("writing {}", path.display()))?;
    Ok(path)
}

/// One peer line of `wg show DEV dump`.
#[derive(Debug, Clone, PartialEq)]
struct DumpPeer {
    public_key: String,
    preshared_key: Option<String>,
    endpoint: Option<SocketAddr>,
    allowed_ips: Vec<IpNet>,
    latest_handshake: u64,
    rx: u64,
    tx: u64,
    keepalive: u16,
}

/// `wg show DEV dump`: the device line and the peer lines.
#[derive(Debug, Clone, PartialEq)]
struct Dump {
    private_key: Option<String>,
    public_key: Option<String>,
    listen_port: u16,
    fwmark: u32,
    peers: Vec<DumpPeer>,
}

fn none_or<T>(s: &str, f: impl FnOnce(&str) -> Result<T>) -> Result<Option<T>> {
    if s == "(none)" {
        Ok(None)
    } else {
        f(s).map(Some)
    }
}

fn wg_dump(ns: &Netns, dev: &str) -> Result<Dump> {
    let text = ns.cmd("wg", ["show", dev, "dump"])?;
    parse_dump(&text)
}

fn parse_dump(text: &str) -> Result<Dump> {
    let mut lines = text.lines();
    let first: Vec<&str> = lines.next().context("empty dump")?.split('\t').collect();
    let [private, public, port, fwmark] = first.as_slice() else {
        bail!("device line {first:?}");
    };
    let mut dump = Dump {
        private_key: none_or(private, |s| Ok(s.to_string()))?,
        public_key: none_or(public, |s| Ok(s.to_string()))?,
        listen_port: port.parse()?,
        fwmark: match *fwmark {
            "off" => 0,
            hex => u32::from_str_radix(hex.trim_start_matches("0x"), 16)?,
        },
        peers: Vec::new(),
    };
    for line in lines {
        let f: Vec<&str> = line.split('\t').collect();
        let [key, psk, endpoint, ips, handshake, rx, tx, keepalive] = f.as_slice() else {
            bail!("peer line {line:?}");
        };
        dump.peers.push(DumpPeer {
            public_key: key.to_string(),
            preshared_key: none_or(psk, |s| Ok(s.to_string()))?,
            endpoint: none_or(endpoint, |s| Ok(s.parse()?))?,
            allowed_ips: none_or(ips, |s| {
                s.split(',')
                    .map(|n| Ok(n.parse()?))
                    .collect::<Result<Vec<IpNet>>>()
            })?
            .unwrap_or_default(),
            latest_handshake: handshake.parse()?,
            rx: rx.parse()?,
            tx: tx.parse()?,
            keepalive: if *keepalive == "off" {
                0
            } else {
                keepalive.parse()?
            },
        });
    }
    Ok(dump)
}

/// Our device as `wg show dump` would print it (private keys included:
/// the test compares them explicitly).
fn as_dump(d: &WgDevice) -> Dump {
    Dump {
        private_key: d.private_key.as_ref().map(WgPrivateKey::to_base64),
        public_key: d.public_key.map(|k| k.to_string()),
        listen_port: d.listen_port,
        fwmark: d.firewall_mark,
        peers: d
            .peers
            .iter()
            .map(|p| DumpPeer {
                public_key: p.public_key.to_string(),
                preshared_key: p.preshared_key.as_ref().map(WgPresharedKey::to_base64),
                endpoint: p.endpoint,
                allowed_ips: p.allowed_ips.clone(),
                latest_handshake: p
                    .last_handshake_time
                    .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
                    .map_or(0, |d| d.as_secs()),
                rx: p.receive_bytes,
                tx: p.transmit_bytes,
                keepalive: u16::try_from(p.persistent_keepalive_interval.as_secs()).unwrap_or(0),
            })
            .collect(),
    }
}

/// Checks that `text` (a Debug or Display of a device) shows none of the
/// secrets.
fn no_secrets(text: &str, secrets: &[&str]) -> Result<()> {
    for s in secrets {
        ensure!(!text.contains(s), "a secret key is printed: {text}");
    }
    Ok(())
}

/// Three peers covering every setting: preshared key, IPv4 and IPv6
/// endpoints, keepalive, IPv4 and IPv6 allowed IPs, none at all.
fn three_peers(psk: &WgPresharedKey) -> Result<Vec<WgPeerConfig>> {
    Ok(vec![
        WgPeerConfig::new(peer_key(1))
            .with_preshared_key(psk.clone())
            .with_endpoint("192.0.2.1:51820".parse()?)
            .with_persistent_keepalive_interval(Duration::from_secs(25))
            .with_allowed_ip("198.51.100.0/24".parse()?)
            .with_allowed_ip("2001:db8:1::/48".parse()?),
        WgPeerConfig::new(peer_key(2))
            .with_endpoint("[2001:db8::2]:4500".parse()?)
            .with_allowed_ip("203.0.113.7/32".parse()?),
        WgPeerConfig::new(peer_key(3)),
    ])
}

#[test]
fn configured_by_us_read_by_wg() {
    in_netns("wg_configured_by_us_read_by_wg", |ns| {
        let h = Handle::new()?;
        let link = wg_link(&h, "wg0")?;
        let (private, public) = keypair(ns)?;
        let psk: WgPresharedKey = ns.cmd("wg", ["genpsk"])?.trim().parse()?;
        let mut config = WgConfig::new()
            .with_private_key(private.clone())
            .with_listen_port(51820)
            .with_firewall_mark(0x2a)
            .with_replace_peers(true);
        config.peers = three_peers(&psk)?;
        h.wg_configure_device("wg0", &config)?;

        let theirs = wg_dump(ns, "wg0")?;
        ensure!(theirs.private_key.as_deref() == Some(private.to_base64().as_str()));
        ensure!(theirs.public_key.as_deref() == Some(public.to_string().as_str()));
        ensure!(
            (theirs.listen_port, theirs.fwmark) == (51820, 0x2a),
            "{theirs:?}"
        );
        ensure!(theirs.peers.len() == 3, "{theirs:?}");
        for (p, want) in theirs.peers.iter().zip(&config.peers) {
            ensure!(p.public_key == want.public_key.to_string(), "{p:?}");
            ensure!(p.preshared_key == want.preshared_key.as_ref().map(WgPresharedKey::to_base64));
            ensure!(p.endpoint == want.endpoint, "{p:?}");
            ensure!(p.allowed_ips == want.allowed_ips, "{p:?}");
            let keepalive = want
                .persistent_keepalive_interval
                .map_or(0, |d| d.as_secs());
            ensure!(u64::from(p.keepalive) == keepalive, "{p:?}");
            ensure!((p.latest_handshake, p.rx, p.tx) == (0, 0, 0), "{p:?}");
        }

        // Our reading of the same device, by name and by index, is wg's.
        let ours = h.wg_device("wg0")?;
        ensure!(as_dump(&ours) == theirs, "{:?}\n{theirs:?}", as_dump(&ours));
        ensure!((ours.name.as_str(), ours.index) == ("wg0", link.index));
        ensure!(h.wg_device(link.index)? == ours);
        ensure!(ours.public_key == Some(public));
        ensure!(ours.peers.iter().all(|p| p.protocol_version == 1));
        // Secrets never print; public keys do.
        let secrets = [private.to_base64(), psk.to_base64()];
        let secrets: Vec<&str> = secrets.iter().map(String::as_str).collect();
        no_secrets(&format!("{ours:?} {ours:#?} {ours} {config:?}"), &secrets)?;
        ensure!(format!("{ours:?}").contains(&public.to_string()));
        ensure!(format!("{ours}").contains(&peer_key(1).to_string()));

        // Unknown devices are errors that name them.
        let e = h.wg_device("wg9").unwrap_err();
        ensure!(e.is_not_found() && e.to_string().contains("wg9"), "{e}");
        Ok(())
    });
}

#[test]
fn configured_by_wg_read_by_us() {
    in_netns("wg_configured_by_wg_read_by_us", |ns| {
        let h = Handle::new()?;
        wg_link(&h, "wg0")?;
        let (private, public) = keypair(ns)?;
        let psk = ns.cmd("wg", ["genpsk"])?.trim().to_string();
        let conf = format!(
            "[Interface]\nPrivateKey = {}\nListenPort = 4321\nFwMark = 0x99\n\n\
             [Peer]\nPublicKey = {}\nPresharedKey = {psk}\nEndpoint = 198.51.100.9:7\n\
             AllowedIPs = 192.0.2.0/25, 2001:db8:7::/64\nPersistentKeepalive = 60\n\n\
             [Peer]\nPublicKey = {}\nAllowedIPs = 203.0.113.0/28\n",
            private.to_base64(),
            peer_key(7),
            peer_key(8)
        );
        let path = temp_file("setconf", &conf)?;
        let set = ns.cmd(
            "wg",
            [OsStr::new("setconf"), OsStr::new("wg0"), path.as_os_str()],
        );
        std::fs::remove_file(&path)?;
        set?;
        // `wg set` on top: a third peer and a changed endpoint.
        ns.cmd(
            "wg",
            [
                "set",
                "wg0",
                "peer",
                &peer_key(9).to_string(),
                "endpoint",
                "[2001:db8::9]:99",
                "allowed-ips",
                "2001:db8:9::/48",
            ],
        )?;
        ns.cmd(
            "wg",
            [
                "set",
                "wg0",
                "peer",
                &peer_key(8).to_string(),
                "endpoint",
                "192.0.2.8:8",
            ],
        )?;

        let d = h.wg_device("wg0")?;
        ensure!(d.private_key.as_ref() == Some(&private) && d.public_key == Some(public));
        ensure!((d.listen_port, d.firewall_mark) == (4321, 0x99), "{d:?}");
        let keys: Vec<WgKey> = d.peers.iter().map(|p| p.public_key).collect();
        ensure!(keys == [peer_key(7), peer_key(8), peer_key(9)], "{keys:?}");
        let p7 = &d.peers[0];
        ensure!(p7.preshared_key.as_ref().map(WgPresharedKey::to_base64) == Some(psk.clone()));
        ensure!(p7.endpoint == Some("198.51.100.9:7".parse()?));
        ensure!(p7.persistent_keepalive_interval == Duration::from_secs(60));
        let ips: Vec<IpNet> = vec!["192.0.2.0/25".parse()?, "2001:db8:7::/64".parse()?];
        ensure!(p7.allowed_ips == ips, "{:?}", p7.allowed_ips);
        let p8 = &d.peers[1];
        ensure!(p8.preshared_key.is_none() && p8.endpoint == Some("192.0.2.8:8".parse()?));
        ensure!(p8.persistent_keepalive_interval == Duration::ZERO);
        ensure!(d.peers[2].endpoint == Some("[2001:db8::9]:99".parse()?));
        // Field by field, everything equals wg's own reading.
        ensure!(as_dump(&d) == wg_dump(ns, "wg0")?);
        no_secrets(
            &format!("{d:?} {d}"),
            &[private.to_base64().as_str(), psk.as_str()],
        )?;

        // wg_devices lists every WireGuard link and nothing else.
        wg_link(&h, "wg1")?;
        h.link_add(&Link::new("v0").kind(LinkKind::veth("v1")))?;
        let all = h.wg_devices()?;
        let names: Vec<&str> = all.iter().map(|d| d.name.as_str()).collect();
        ensure!(names == ["wg0", "wg1"], "{names:?}");
        ensure!(all[0] == d && all[1].peers.is_empty() && all[1].private_key.is_none());
        Ok(())
    });
}

#[test]
fn remove_update_only_and_replace() {
    in_netns("wg_remove_update_only_and_replace", |ns| {
        let h = Handle::new()?;
        wg_link(&h, "wg0")?;
        let psk = WgPresharedKey::new([7; 32]);
        let mut config = WgConfig::new().with_replace_peers(true);
        config.peers = three_peers(&psk)?;
        h.wg_configure_device("wg0", &config)?;

        // Remove peer 1; update peer 2 only if present (it is); update a
        // peer 4 only if present (it is not: not created); replace peer 3's
        // allowed IPs and add to peer 2's; drop the preshared key nowhere.
        let change = WgConfig::new()
            .with_peer(WgPeerConfig::new(peer_key(1)).with_remove())
            .with_peer(
                WgPeerConfig::new(peer_key(2))
                    .with_update_only()
                    .with_endpoint("192.0.2.22:22".parse()?)
                    .with_allowed_ip("2001:db8:22::/64".parse()?),
            )
            .with_peer(
                WgPeerConfig::new(peer_key(4))
                    .with_update_only()
                    .with_allowed_ip("192.0.2.44/32".parse()?),
            )
            .with_peer(
                WgPeerConfig::new(peer_key(3))
                    .with_replace_allowed_ips()
                    .with_allowed_ip("198.51.100.33/32".parse()?),
            );
        h.wg_configure_device("wg0", &change)?;
        let theirs = wg_dump(ns, "wg0")?;
        let keys: Vec<&str> = theirs.peers.iter().map(|p| p.public_key.as_str()).collect();
        ensure!(
            keys == [peer_key(2).to_string(), peer_key(3).to_string()],
            "peer 1 removed, peer 4 not created: {keys:?}"
        );
        let p2 = &theirs.peers[0];
        ensure!(p2.endpoint == Some("192.0.2.22:22".parse()?), "{p2:?}");
        let ips: Vec<IpNet> = vec!["203.0.113.7/32".parse()?, "2001:db8:22::/64".parse()?];
        ensure!(p2.allowed_ips == ips, "appended: {p2:?}");
        ensure!(theirs.peers[1].allowed_ips == ["198.51.100.33/32".parse::<IpNet>()?]);
        ensure!(as_dump(&h.wg_device("wg0")?) == theirs);

        // A zero preshared key removes it; a replace with no peers removes
        // them all; a zero private key removes it; fwmark 0 removes it.
        let (private, _) = keypair(ns)?;
        h.wg_configure_device(
            "wg0",
            &WgConfig::new()
                .with_private_key(private)
                .with_firewall_mark(5)
                .with_peer(WgPeerConfig::new(peer_key(2)).with_preshared_key(psk.clone())),
        )?;
        ensure!(wg_dump(ns, "wg0")?.peers[0].preshared_key.is_some());
        h.wg_configure_device(
            "wg0",
            &WgConfig::new().with_peer(
                WgPeerConfig::new(peer_key(2)).with_preshared_key(WgPresharedKey::zero()),
            ),
        )?;
        ensure!(wg_dump(ns, "wg0")?.peers[0].preshared_key.is_none());
        h.wg_configure_device(
            "wg0",
            &WgConfig::new()
                .with_replace_peers(true)
                .with_private_key(WgPrivateKey::zero())
                .with_firewall_mark(0),
        )?;
        let d = h.wg_device("wg0")?;
        ensure!(d.peers.is_empty() && d.private_key.is_none() && d.public_key.is_none());
        ensure!(d.firewall_mark == 0);
        ensure!(as_dump(&d) == wg_dump(ns, "wg0")?);

        // The kernel's refusal names the device: not a WireGuard link.
        h.link_add(&Link::new("v0").kind(LinkKind::veth("v1")))?;
        let e = h.wg_configure_device("v0", &WgConfig::new()).unwrap_err();
        ensure!(e.to_string().contains("\"v0\""), "{e}");
        Ok(())
    });
}

#[test]
fn handshake_and_counters() {
    in_netns("wg_handshake_and_counters", |ns| {
        // Two devices that are each other's peer over loopback: a
        // persistent keepalive makes them shake hands and count bytes.
        let h = Handle::new()?;
        wg_link(&h, "wg0")?;
        wg_link(&h, "wg1")?;
        for link in ["lo", "wg0", "wg1"] {
            h.link_set_up(link)?;
        }
        let (k0, p0) = keypair(ns)?;
        let (k1, p1) = keypair(ns)?;
        let side = |key: WgPrivateKey, port: u16, peer: WgKey, peer_port: u16, ip: &str| {
            Ok::<_, anyhow::Error>(
                WgConfig::new()
                    .with_private_key(key)
                    .with_listen_port(port)
                    .with_peer(
                        WgPeerConfig::new(peer)
                            .with_endpoint(SocketAddr::from(([127, 0, 0, 1], peer_port)))
                            .with_persistent_keepalive_interval(Duration::from_secs(1))
                            .with_allowed_ip(ip.parse()?),
                    ),
            )
        };
        h.wg_configure_device("wg0", &side(k0, 51820, p1, 51821, "192.0.2.2/32")?)?;
        h.wg_configure_device("wg1", &side(k1, 51821, p0, 51820, "192.0.2.1/32")?)?;
        let start = std::time::SystemTime::now();
        let mut shook = false;
        for _ in 0..100 {
            let d = h.wg_device("wg0")?;
            let p = &d.peers[0];
            if p.last_handshake_time.is_some() && p.receive_bytes > 0 && p.transmit_bytes > 0 {
                shook = true;
                break;
            }
            std::thread::sleep(Duration::from_millis(200));
        }
        ensure!(shook, "no handshake in 20 s: {}", h.wg_device("wg0")?);
        // Quiet again, so both readings see the same counters.
        for (dev, peer) in [("wg0", p1), ("wg1", p0)] {
            h.wg_configure_device(
                dev,
                &WgConfig::new().with_peer(
                    WgPeerConfig::new(peer).with_persistent_keepalive_interval(Duration::ZERO),
                ),
            )?;
        }
        for dev in ["wg0", "wg1"] {
            netlink_tests::settled(|| {
                let ours = as_dump(&h.wg_device(dev)?);
                let theirs = wg_dump(ns, dev)?;
                ensure!(ours == theirs, "{ours:?}\n{theirs:?}");
                Ok(())
            })?;
        }
        let d = h.wg_device("wg0")?;
        let p = &d.peers[0];
        let when = p.last_handshake_time.context("no handshake time")?;
        ensure!(
            when.duration_since(start)? < Duration::from_secs(60),
            "{when:?}"
        );
        ensure!(p.receive_bytes > 0 && p.transmit_bytes > 0, "{p:?}");
        let text = d.to_string();
        ensure!(
            text.contains("latest handshake: ") && text.contains("transfer: "),
            "{text}"
        );
        Ok(())
    });
}

/// 10,000 peers, each with two allowed IPs (IPv6: the IPv4 documentation
/// ranges hold too few addresses).
fn ten_thousand() -> Result<WgConfig> {
    let mut config = WgConfig::new().with_listen_port(0).with_replace_peers(true);
    for i in 0..10_000u32 {
        let a: IpNet = format!("2001:db8:a::{:x}/128", i).parse()?;
        let b: IpNet = format!("2001:db8:b:{:x}::/64", i).parse()?;
        config.peers.push(
            WgPeerConfig::new(peer_key(i))
                .with_endpoint(SocketAddr::from((
                    [192, 0, 2, 1],
                    10_000 + (i % 1000) as u16,
                )))
                .with_allowed_ip(a)
                .with_allowed_ip(b),
        );
    }
    Ok(config)
}

/// The same config as a `wg setconf` file.
fn as_conf(config: &WgConfig) -> String {
    let mut text = String::from("[Interface]\nListenPort = 0\n");
    for p in &config.peers {
        let ips: Vec<String> = p.allowed_ips.iter().map(ToString::to_string).collect();
        text += &format!(
            "\n[Peer]\nPublicKey = {}\nEndpoint = {}\nAllowedIPs = {}\n",
            p.public_key,
            p.endpoint.map(|e| e.to_string()).unwrap_or_default(),
            ips.join(", ")
        );
    }
    text
}

/// Peers as (key, sorted allowed IPs), for order-free comparison.
fn peer_set(d: &Dump) -> BTreeSet<(String, Vec<IpNet>)> {
    d.peers
        .iter()
        .map(|p| {
            let mut ips = p.allowed_ips.clone();
            ips.sort();
            (p.public_key.clone(), ips)
        })
        .collect()
}

#[test]
fn ten_thousand_peers() {
    in_netns("wg_ten_thousand_peers", |ns| {
        let h = Handle::new()?;
        wg_link(&h, "wg0")?;
        wg_link(&h, "wg1")?;
        let config = ten_thousand()?;
        let mut buf = Vec::new();
        let msgs = config.write_set(1, &"wg0".into(), &mut buf)?;
        ensure!(msgs.len() > 1, "10,000 peers need several messages");

        // Ours: one call to configure (split), one to read (merged).
        h.wg_configure_device("wg0", &config)?;
        let ours = h.wg_device("wg0")?;
        ensure!(ours.peers.len() == 10_000, "{} peers", ours.peers.len());
        ensure!(ours.peers.iter().all(|p| p.allowed_ips.len() == 2));
        // Every peer with every field, as wg reads our device.
        let theirs_wg0 = wg_dump(ns, "wg0")?;
        ensure!(theirs_wg0.peers.len() == 10_000);
        ensure!(
            as_dump(&ours) == theirs_wg0,
            "our reading differs from wg's"
        );
        // A sample against what we asked for.
        for i in [0usize, 1, 4999, 9999] {
            let (p, want) = (&ours.peers[i], &config.peers[i]);
            ensure!(p.public_key == want.public_key && p.endpoint == want.endpoint);
            ensure!(
                p.allowed_ips == want.allowed_ips,
                "peer {i}: {:?}",
                p.allowed_ips
            );
        }

        // The other way: wg's setconf of the same peers, read by us.
        let path = temp_file("10k", &as_conf(&config))?;
        let set = ns.cmd(
            "wg",
            [OsStr::new("setconf"), OsStr::new("wg1"), path.as_os_str()],
        );
        std::fs::remove_file(&path)?;
        set?;
        let theirs_wg1 = wg_dump(ns, "wg1")?;
        ensure!(peer_set(&theirs_wg1) == peer_set(&theirs_wg0));
        let ours_wg1 = h.wg_device("wg1")?;
        ensure!(ours_wg1.peers.len() == 10_000);
        ensure!(
            as_dump(&ours_wg1) == theirs_wg1,
            "our reading differs from wg's"
        );
        Ok(())
    });
}

/// The issue's target: configuring a device with 10,000 peers (2 allowed
/// IPs each) and reading it back is at least 2x faster with the library
/// (`wg_configure_device` + `wg_device`) than with `wg setconf` +
/// `wg show dump`. Rounds alternate who goes first, on fresh devices; the
/// median of the ratios counts (about 250 MB of kernel memory for the
/// 100,000 peers). Timing needs an optimized build, so it is
/// not part of the default run (BENCHMARKS.md):
///
/// ```text
/// CARGO_PROFILE_DEV_OPT_LEVEL=3 tests/vm/run --test wireguard -- --ignored --nocapture
/// ```
#[test]
#[ignore = "a benchmark: run optimized in the VM tier (BENCHMARKS.md)"]
fn ten_thousand_peers_against_wg() {
    in_netns("wg_ten_thousand_peers_against_wg", |ns| {
        let h = Handle::new()?;
        let config = ten_thousand()?;
        let path = temp_file("10k-bench", &as_conf(&config))?;
        // Both sides start with the family resolved (wg asks every run).
        h.genl_family_get("wireguard")?;
        let mut ratios = Vec::new();
        for round in 0..5 {
            let (a, b) = (format!("wa{round}"), format!("wb{round}"));
            wg_link(&h, &a)?;
            wg_link(&h, &b)?;
            let ours = || -> Result<(Duration, Duration)> {
                let t = Instant::now();
                h.wg_configure_device(a.as_str(), &config)?;
                let set = t.elapsed();
                let d = h.wg_device(a.as_str())?;
                let all = t.elapsed();
                ensure!(d.peers.len() == 10_000);
                Ok((set, all - set))
            };
            let theirs = || -> Result<(Duration, Duration)> {
                let t = Instant::now();
                ns.cmd(
                    "wg",
                    [
                        OsStr::new("setconf"),
                        OsStr::new(b.as_str()),
                        path.as_os_str(),
                    ],
                )?;
                let set = t.elapsed();
                let text = ns.cmd("wg", ["show", b.as_str(), "dump"])?;
                let all = t.elapsed();
                ensure!(text.lines().count() == 10_001);
                Ok((set, all - set))
            };
            let (o, w) = if round % 2 == 0 {
                let o = ours()?;
                (o, theirs()?)
            } else {
                let w = theirs()?;
                (ours()?, w)
            };
            let ratio = (w.0 + w.1).as_secs_f64() / (o.0 + o.1).as_secs_f64();
            let _ = writeln_stderr(format_args!(
                "wg 10k round {round}: ours {:?} (configure {:?} + read {:?}), \
                 wg {:?} (setconf {:?} + show dump {:?}): {ratio:.2}x",
                o.0 + o.1,
                o.0,
                o.1,
                w.0 + w.1,
                w.0,
                w.1
            ));
            // The devices stay: deleting 20,000 peers takes the kernel
            // minutes under emulation (an RCU grace period per peer).
            ratios.push(ratio);
        }
        std::fs::remove_file(&path)?;
        ratios.sort_by(f64::total_cmp);
        let median = ratios[ratios.len() / 2];
        let _ = writeln_stderr(format_args!("wg 10k: median {median:.2}x of {ratios:.2?}"));
        ensure!(
            median >= 2.0,
            "median {median:.2}x of {ratios:.2?}: below the 2x target (an unoptimized build?)"
        );
        Ok(())
    });
}

/// Prints past libtest's capture, so the timings show in the VM log.
fn writeln_stderr(args: std::fmt::Arguments<'_>) -> std::io::Result<()> {
    use std::io::Write;
    writeln!(std::io::stderr(), "{args}")
}

#[test]
fn async_configure_and_read() {
    in_netns("wg_async_configure_and_read", |ns| {
        wg_link(&Handle::new()?, "wg0")?;
        let (private, public) = keypair(ns)?;
        let psk = WgPresharedKey::new([9; 32]);
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        let (set, got) = rt.block_on(async {
            let h = AsyncHandle::new()?;
            let mut config = WgConfig::new()
                .with_private_key(private.clone())
                .with_listen_port(40000)
                .with_replace_peers(true);
            config.peers = three_peers(&psk)?;
            // And enough peers to need several messages both ways.
            for i in 100..2100 {
                config = config.with_peer(
                    WgPeerConfig::new(peer_key(i))
                        .with_allowed_ip(format!("2001:db8:c::{i:x}/128").parse()?)
                        .with_allowed_ip(format!("2001:db8:d::{i:x}/128").parse()?),
                );
            }
            h.wg_configure_device("wg0", &config).await?;
            let got = h.wg_device("wg0").await?;
            ensure!(h.wg_devices().await? == std::slice::from_ref(&got));
            anyhow::Ok((config, got))
        })?;
        ensure!(got.public_key == Some(public) && got.listen_port == 40000);
        ensure!(
            got.peers.len() == set.peers.len(),
            "{} peers",
            got.peers.len()
        );
        for (p, want) in got.peers.iter().zip(&set.peers) {
            ensure!(p.public_key == want.public_key && p.allowed_ips == want.allowed_ips);
        }
        ensure!(as_dump(&got) == wg_dump(ns, "wg0")?);
        Ok(())
    });
}
