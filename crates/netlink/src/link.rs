//! Link calls: `ip link` in Rust.

use nl_route::kind::Tun;
use nl_route::link::{LinkId, write_altnames, write_del, write_get};
use nl_route::{BridgePort, BridgeVlan, Link, LinkDump, LinkKind, LinkSet, Netns};
use nl_sock::tun::{TunDevice, TunOptions};
use nl_wire::{HwAddr, Msg};

use crate::error::{Error, ErrorKind, Result};
use crate::handle::Handle;

fn describe(id: &LinkId) -> String {
    match id {
        LinkId::Index(i) => format!("link with index {i}"),
        LinkId::Name(n) => format!("link {n:?}"),
    }
}

/// Maps the kernel's "no such device" to a not-found error naming the link.
fn not_found(id: &LinkId) -> impl Fn(Error) -> Error + '_ {
    move |e| match e {
        Error::Netlink(inner) if inner.kind() == ErrorKind::NotFound => {
            Error::not_found(describe(id), Some(inner))
        }
        other => other,
    }
}

fn parse_link(m: Msg<'_>) -> Result<Option<Link>> {
    if m.ty() != nl_route::uapi::rtnetlink::RTM_NEWLINK {
        return Ok(None);
    }
    Ok(Some(Link::parse(&m)?))
}

impl Handle {
    /// All links (`ip link show`).
    pub fn link_list(&self) -> Result<Vec<Link>> {
        self.link_list_filtered(&LinkDump::default())
    }

    /// Links matching `filter`, applied by the kernel (`ip link show master
    /// br0`, `ip link show type veth`) and checked again here.
    pub fn link_list_filtered(&self, filter: &LinkDump) -> Result<Vec<Link>> {
        let retries = self.retries();
        let links = self.route(|c| {
            c.dump(
                retries,
                |b| Ok(filter.write(b)?),
                |m| Ok(parse_link(m)?.filter(|l| filter.matches(l))),
            )
        })?;
        Ok(links)
    }

    /// Streams the links matching `filter` to `f` one at a time, so memory
    /// stays bounded by the receive buffer whatever the number of links.
    /// An interrupted dump ends with [`ErrorKind::DumpInterrupted`] after
    /// every link was delivered.
    pub fn link_for_each(
        &self,
        filter: &LinkDump,
        mut f: impl FnMut(Link) -> Result<()>,
    ) -> Result<()> {
        self.route(|c| {
            c.dump_each(
                |b| Ok(filter.write(b)?),
                |m| match parse_link(m)? {
                    Some(l) if filter.matches(&l) => f(l),
                    _ => Ok(()),
                },
            )
        })
    }

    /// One link, by index or name; the kernel looks it up (no dump).
    /// `vf` includes SR-IOV VF details, which is slow with many VFs.
    pub fn link_get(&self, id: impl Into<LinkId>, vf: bool) -> Result<Link> {
        let id = id.into();
        let mut found = None;
        self.route(|c| {
            c.exchange(
                |b| Ok(write_get(b, &id, vf)?),
                |m| {
                    if found.is_none() {
                        found = parse_link(m)?;
                    }
                    Ok(())
                },
            )
        })
        .map_err(not_found(&id))?;
        found.ok_or_else(|| Error::not_found(describe(&id), None))
    }

    /// A link by name or alternative name (`LinkByName`).
    pub fn link_by_name(&self, name: &str) -> Result<Link> {
        self.link_get(name, false)
    }

    /// A link by index (`LinkByIndex`).
    pub fn link_by_index(&self, index: u32) -> Result<Link> {
        self.link_get(index, false)
    }

    /// A link by alias (`LinkByAlias`). The kernel cannot look aliases up,
    /// so this dumps and filters.
    pub fn link_by_alias(&self, alias: &str) -> Result<Link> {
        let mut found = None;
        self.link_for_each(
            &LinkDump {
                skip_stats: true,
                ..LinkDump::default()
            },
            |l| {
                if found.is_none() && l.alias.as_deref() == Some(alias) {
                    found = Some(l);
                }
                Ok(())
            },
        )?;
        found.ok_or_else(|| Error::not_found(format!("link with alias {alias:?}"), None))
    }

    /// Index of a link given by index or name.
    pub fn link_index(&self, id: impl Into<LinkId>) -> Result<u32> {
        match id.into() {
            LinkId::Index(i) => Ok(i),
            id @ LinkId::Name(_) => Ok(self.link_get(id, false)?.index),
        }
    }

    /// Creates a link (`ip link add`). An existing link of that name is an
    /// [`ErrorKind::Exists`] error with the kernel's message.
    ///
    /// A [`LinkKind::Tun`] link is created the only way the kernel allows,
    /// through `/dev/net/tun` (`ip tuntap add`): persistent, with its type,
    /// flags, owner and group; the link's other settings (MTU, address,
    /// master, up ...) follow in one RTM_NEWLINK. A tun/tap that is not
    /// persistent lives only as long as its descriptors: create it with
    /// [`Handle::tun_open`] instead.
    pub fn link_add(&self, link: &Link) -> Result<()> {
        if let Some(LinkKind::Tun(tun)) = &link.kind {
            if tun.persist == Some(false) {
                return Err(Error::Route(nl_route::Error::Invalid {
                    field: "persist",
                    reason: "a tun/tap that is not persistent needs its descriptors: use tun_open",
                }));
            }
            self.tun_create(link, tun, true, 1)?;
            return Ok(());
        }
        self.route(|c| c.request(|b| Ok(link.write_add(b)?)))?;
        Ok(())
    }

    /// Creates a tun/tap device described by `link` (whose kind must be
    /// [`LinkKind::Tun`]) with `queues` descriptors (`ip tuntap add`, with
    /// the descriptors kept): packets are read and written on them, and
    /// the device goes away with them unless `persist` is set. The link's
    /// other settings are applied as [`Handle::link_add`] does.
    pub fn tun_open(&self, link: &Link, queues: usize) -> Result<TunDevice> {
        let Some(LinkKind::Tun(tun)) = &link.kind else {
            return Err(Error::Route(nl_route::Error::Invalid {
                field: "kind",
                reason: "tun_open creates tun/tap links only",
            }));
        };
        self.tun_create(link, tun, tun.persist.unwrap_or(false), queues)
    }

    fn tun_create(
        &self,
        link: &Link,
        tun: &Tun,
        persist: bool,
        queues: usize,
    ) -> Result<TunDevice> {
        if !link.name.is_empty() {
            nl_route::link::validate_name(&link.name)?;
        }
        let opts = TunOptions {
            tap: tun.is_tap(),
            packet_info: tun.pi.unwrap_or(true),
            vnet_hdr: tun.vnet_hdr.unwrap_or(false),
            multi_queue: tun.multi_queue.unwrap_or(false),
            persist,
            owner: tun.owner,
            group: tun.group,
            exclusive: true,
        };
        let device = match self.netns_fd() {
            None => opts.create(&link.name, queues)?,
            Some(ns) => opts.create_in(ns, &link.name, queues)?,
        };
        // Everything else about the link, by name, in one RTM_NEWLINK that
        // changes the new device (no NLM_F_CREATE).
        let rest = Link {
            index: 0,
            name: device.name().to_string(),
            kind: None,
            ..link.clone()
        };
        if rest != Link::new(device.name()) {
            let applied = self.route(|c| c.request(|b| Ok(rest.write_new(b, 0)?)));
            if let Err(e) = applied {
                // Do not leave a half-made device behind: it goes with its
                // descriptors once it is not persistent.
                let _ = device.set_persist(false);
                return Err(e);
            }
        }
        Ok(device)
    }

    /// Deletes a link (`ip link del`).
    pub fn link_del(&self, link: impl Into<LinkId>) -> Result<()> {
        let id = link.into();
        self.route(|c| c.request(|b| Ok(write_del(b, &id)?)))
            .map_err(not_found(&id))?;
        Ok(())
    }

    /// Applies a set of changes to a link (`ip link set`).
    pub fn link_set(&self, change: &LinkSet) -> Result<()> {
        self.route(|c| c.request(|b| Ok(change.write(b)?)))?;
        Ok(())
    }

    fn set(&self, link: impl Into<LinkId>, f: impl FnOnce(LinkSet) -> LinkSet) -> Result<()> {
        let id = link.into();
        let change = f(LinkSet::new(id.clone()));
        self.link_set(&change).map_err(not_found(&id))
    }

    /// `ip link set X up`.
    pub fn link_set_up(&self, link: impl Into<LinkId>) -> Result<()> {
        self.set(link, LinkSet::up)
    }

    /// `ip link set X down`.
    pub fn link_set_down(&self, link: impl Into<LinkId>) -> Result<()> {
        self.set(link, LinkSet::down)
    }

    /// `ip link set X mtu N`.
    pub fn link_set_mtu(&self, link: impl Into<LinkId>, mtu: u32) -> Result<()> {
        self.set(link, |s| s.mtu(mtu))
    }

    /// `ip link set X name NEW` (the link is found by index first).
    pub fn link_set_name(&self, link: impl Into<LinkId>, name: &str) -> Result<()> {
        let index = self.link_index(link)?;
        self.set(index, |s| s.name(name))
    }

    /// `ip link set X address MAC`.
    pub fn link_set_hwaddr(&self, link: impl Into<LinkId>, addr: HwAddr) -> Result<()> {
        self.set(link, |s| s.address(addr))
    }

    /// `ip link set X master M`.
    pub fn link_set_master(
        &self,
        link: impl Into<LinkId>,
        master: impl Into<LinkId>,
    ) -> Result<()> {
        let master = self.link_index(master)?;
        self.set(link, |s| s.master(master))
    }

    /// `ip link set X nomaster`.
    pub fn link_set_nomaster(&self, link: impl Into<LinkId>) -> Result<()> {
        self.set(link, LinkSet::nomaster)
    }

    /// `ip link set X netns NS` by an open namespace fd.
    pub fn link_set_netns_fd(
        &self,
        link: impl Into<LinkId>,
        fd: std::os::fd::BorrowedFd<'_>,
    ) -> Result<()> {
        use std::os::fd::AsRawFd;
        self.set(link, |s| s.netns(Netns::Fd(fd.as_raw_fd())))
    }

    /// `ip link set X netns PID`.
    pub fn link_set_netns_pid(&self, link: impl Into<LinkId>, pid: u32) -> Result<()> {
        self.set(link, |s| s.netns(Netns::Pid(pid)))
    }

    /// `ip link set X txqueuelen N`.
    pub fn link_set_txqlen(&self, link: impl Into<LinkId>, n: u32) -> Result<()> {
        self.set(link, |s| s.txqlen(n))
    }

    /// `ip link set X alias TEXT`.
    pub fn link_set_alias(&self, link: impl Into<LinkId>, alias: &str) -> Result<()> {
        self.set(link, |s| s.alias(alias))
    }

    /// `ip link set X group N`.
    pub fn link_set_group(&self, link: impl Into<LinkId>, group: u32) -> Result<()> {
        self.set(link, |s| s.group(group))
    }

    /// `ip link set X promisc on|off`.
    pub fn link_set_promisc(&self, link: impl Into<LinkId>, on: bool) -> Result<()> {
        self.set(link, |s| s.promisc(on))
    }

    /// `ip link set X allmulticast on|off`.
    pub fn link_set_allmulticast(&self, link: impl Into<LinkId>, on: bool) -> Result<()> {
        self.set(link, |s| s.allmulti(on))
    }

    /// `ip link set X arp on|off`.
    pub fn link_set_arp(&self, link: impl Into<LinkId>, on: bool) -> Result<()> {
        self.set(link, |s| s.arp(on))
    }

    /// `ip link set X multicast on|off`.
    pub fn link_set_multicast(&self, link: impl Into<LinkId>, on: bool) -> Result<()> {
        self.set(link, |s| s.multicast(on))
    }

    /// `ip link set X protodown on|off`.
    pub fn link_set_protodown(&self, link: impl Into<LinkId>, on: bool) -> Result<()> {
        self.set(link, |s| s.protodown(on))
    }

    /// Attaches an XDP program by fd (`-1` detaches) with `XDP_FLAGS_*`.
    pub fn link_set_xdp_fd(&self, link: impl Into<LinkId>, fd: i32, flags: u32) -> Result<()> {
        self.set(link, |s| s.xdp_fd(fd, flags))
    }

    /// `ip link property add dev X altname NAME`.
    pub fn link_add_altname(&self, link: impl Into<LinkId>, name: &str) -> Result<()> {
        let id = link.into();
        self.route(|c| c.request(|b| Ok(write_altnames(b, &id, &[name], true)?)))
            .map_err(not_found(&id))?;
        Ok(())
    }

    /// `ip link property del dev X altname NAME`.
    pub fn link_del_altname(&self, link: impl Into<LinkId>, name: &str) -> Result<()> {
        let id = link.into();
        self.route(|c| c.request(|b| Ok(write_altnames(b, &id, &[name], false)?)))
            .map_err(not_found(&id))?;
        Ok(())
    }

    /// Sets bridge port options (`bridge link set dev X ...`; the Go
    /// library's `LinkSetHairpin`, `LinkSetGuard`, ... in one call).
    pub fn link_set_bridge_port(&self, link: impl Into<LinkId>, port: BridgePort) -> Result<()> {
        // The kernel's AF_BRIDGE setlink finds the port by index only.
        let index = self.link_index(link)?;
        self.set(index, |s| s.bridge_port(port))
    }

    /// Bridge port settings of every port (`bridge -d link show`), as
    /// `AF_BRIDGE` link messages; with `vlans`, each port's VLANs too.
    pub fn bridge_port_list(&self, vlans: bool) -> Result<Vec<Link>> {
        self.link_list_filtered(&LinkDump {
            bridge: true,
            bridge_vlans: vlans,
            ..LinkDump::default()
        })
    }

    /// `bridge vlan add dev X vid N [pvid] [untagged] [self]`.
    pub fn bridge_vlan_add(
        &self,
        link: impl Into<LinkId>,
        vlans: &[BridgeVlan],
        self_: bool,
    ) -> Result<()> {
        let index = self.link_index(link)?;
        self.route(|c| {
            c.request(|b| Ok(nl_route::port::write_vlans(b, index, vlans, true, self_)?))
        })?;
        Ok(())
    }

    /// `bridge vlan del dev X vid N [self]`.
    pub fn bridge_vlan_del(
        &self,
        link: impl Into<LinkId>,
        vlans: &[BridgeVlan],
        self_: bool,
    ) -> Result<()> {
        let index = self.link_index(link)?;
        self.route(|c| {
            c.request(|b| Ok(nl_route::port::write_vlans(b, index, vlans, false, self_)?))
        })?;
        Ok(())
    }
}
