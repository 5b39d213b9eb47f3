// WireGuard calls (feature `wireguard`) in wgctrl's names: a device with
// its peers, every WireGuard device, and configuring one.
// Shared by the blocking Handle and the AsyncHandle: see calls.rs.

use nl_genl::wireguard::{Config, Device, FAMILY, Interface};
use nl_route::{LinkDump, LinkKind};
use nl_wire::netlink::NETLINK_GENERIC;

use crate::error::{Error, Result};

impl H {
    call! {
        /// A WireGuard device by name or index (wgctrl's `Device`;
        /// `wg show DEV`): its keys (the private one hidden when printed),
        /// port, mark and every peer with endpoint, allowed IPs, latest
        /// handshake, byte counts and keepalive. A device whose peers take
        /// several messages is read as one (a peer cut between two
        /// messages is joined back).
        ///
        /// ```no_run
        /// let h = netlink::Handle::new()?;
        /// let wg0 = h.wg_device("wg0")?;
        /// for peer in &wg0.peers {
        ///     println!("{} {:?} {:?}", peer.public_key, peer.endpoint, peer.allowed_ips);
        /// }
        /// # Ok::<(), netlink::Error>(())
        /// ```
        pub fn wg_device(&self, dev: impl Into<Interface>) -> Result<Device> {
            let dev = dev.into();
            let about = |e: Error| e.about(format_args!("wireguard device {dev}"));
            let family = run!(self.genl_family_get(FAMILY)).map_err(about)?;
            let id = family.id;
            let mut devices = run!(self.do_dump_into(
                NETLINK_GENERIC,
                |b| Ok(Device::write_get(id, &dev, b)?),
                |m, out: &mut Vec<Device>| {
                    if m.ty() != id {
                        return Ok(());
                    }
                    // One device, whatever the number of messages (a
                    // restarted dump starts again from an empty list).
                    if out.is_empty() {
                        out.push(Device::default());
                    }
                    match out.last_mut() {
                        Some(d) => Ok(d.merge(&m)?),
                        None => Ok(()),
                    }
                },
            ))
            .map_err(about)?;
            devices
                .pop()
                .ok_or_else(|| Error::not_found(format!("wireguard device {dev}"), None))
        }
    }

    call! {
        /// Every WireGuard device of the namespace (wgctrl's `Devices`;
        /// `wg show all`), in link order. A device deleted while they are
        /// read is left out.
        pub fn wg_devices(&self) -> Result<Vec<Device>> {
            let links = run!(self.link_list_filtered(&LinkDump {
                kind: Some(LinkKind::Wireguard.name().to_string()),
                skip_stats: true,
                ..LinkDump::default()
            }))?;
            let mut out = Vec::with_capacity(links.len());
            for link in links {
                match run!(self.wg_device(link.index)) {
                    Ok(d) => out.push(d),
                    Err(e) if e.is_not_found() => {}
                    Err(e) => return Err(e),
                }
            }
            Ok(out)
        }
    }

    call! {
        /// Applies `config` to a WireGuard device (wgctrl's
        /// `ConfigureDevice`; `wg set`, or `wg setconf` with
        /// [`replace_peers`](nl_genl::wireguard::Config::replace_peers)):
        /// keys, port, mark, and peers added, changed (`update_only`: never
        /// created) or removed. A configuration larger than one message
        /// goes in several, in order, each acknowledged before the next;
        /// the first failure stops it (what was sent before stays applied,
        /// as with `wg`).
        ///
        /// ```no_run
        /// use netlink::{WgConfig, WgKey, WgPeerConfig};
        /// let h = netlink::Handle::new()?;
        /// let peer: WgKey = "xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=".parse()?;
        /// h.wg_configure_device(
        ///     "wg0",
        ///     &WgConfig::new().with_listen_port(51820).with_peer(
        ///         WgPeerConfig::new(peer)
        ///             .with_endpoint("192.0.2.1:51820".parse()?)
        ///             .with_allowed_ip("198.51.100.0/24".parse()?),
        ///     ),
        /// )?;
        /// # Ok::<(), Box<dyn std::error::Error>>(())
        /// ```
        pub fn wg_configure_device(&self, dev: impl Into<Interface>, config: &Config) -> Result<()> {
            let dev = dev.into();
            let about = |e: Error| e.about(format_args!("wireguard configure {dev}"));
            let family = run!(self.genl_family_get(FAMILY)).map_err(about)?;
            let mut buf = Vec::new();
            let msgs = config.write_set(family.id, &dev, &mut buf).map_err(|e| about(e.into()))?;
            for range in msgs {
                if let Some(msg) = buf.get_mut(range) {
                    run!(self.do_raw_request(NETLINK_GENERIC, msg)).map_err(about)?;
                }
            }
            Ok(())
        }
    }
}
