// Shared by the blocking Handle and the AsyncHandle: see calls.rs.

use nl_route::kind::Tun;
use nl_route::link::{LinkId, NameAssignType, write_altnames, write_del, write_get};
use nl_route::{BridgePort, BridgeVlan, Link, LinkDump, LinkKind, LinkSet, Netns};
use nl_route::devconf::Devconf;
use nl_route::vni::{VniEntry, VniFilter, write_vni};
use nl_route::stats::{Stats, StatsGroups, StatsRequest};
use nl_route::{VfInfo, VfLinkState, VfSettings};
use nl_sock::tun::{TunDevice, TunOptions};
use nl_wire::netlink::{NLM_F_CREATE, NLM_F_ECHO, NLM_F_EXCL};
use nl_wire::HwAddr;
use crate::error::{Error, Result};
use crate::link::*;

impl H {
    call! {
        /// All links (`ip link show`).
        pub fn link_list(&self) -> Result<Vec<Link>> {
            run!(self.link_list_filtered(&LinkDump::default()))
        }
    }

    call! {
        /// Links matching `filter`, applied by the kernel (`ip link show master
        /// br0`, `ip link show type veth`) and checked again here.
        pub fn link_list_filtered(&self, filter: &LinkDump) -> Result<Vec<Link>> {
            let links = run!(self.do_dump(ROUTE, |b| Ok(filter.write(b)?),
                    |m| Ok(parse_link(m)?.filter(|l| filter.matches(l)))))?;
            Ok(links)
        }
    }

    call! {
        /// Streams the links matching `filter` to `f` one at a time, so memory
        /// stays bounded by the receive buffer whatever the number of links.
        /// An interrupted dump ends with [`ErrorKind::DumpInterrupted`](crate::ErrorKind::DumpInterrupted) after
        /// every link was delivered.
        pub fn link_for_each(
            &self,
            filter: &LinkDump,
            mut f: impl FnMut(Link) -> Result<()>,
        ) -> Result<()> {
            run!(self.do_dump_each(ROUTE, |b| Ok(filter.write(b)?),
                    |m| match parse_link(m)? {
                        Some(l) if filter.matches(&l) => f(l),
                        _ => Ok(()),
                    }))
        }
    }

    call! {
        /// One link, by index or name; the kernel looks it up (no dump).
        /// `vf` includes SR-IOV VF details, which is slow with many VFs.
        pub fn link_get(&self, id: impl Into<LinkId>, vf: bool) -> Result<Link> {
            let id = id.into();
            let mut found = None;
            run!(self.do_exchange(ROUTE, |b| Ok(write_get(b, &id, vf)?),
                    |m| {
                        if found.is_none() {
                            found = parse_link(m)?;
                        }
                        Ok(())
                    }))
            .map_err(not_found(&id))?;
            found.ok_or_else(|| Error::not_found(describe(&id), None))
        }
    }

    call! {
        /// A link by name or alternative name (`LinkByName`).
        pub fn link_by_name(&self, name: &str) -> Result<Link> {
            run!(self.link_get(name, false))
        }
    }

    call! {
        /// A link by index (`LinkByIndex`).
        pub fn link_by_index(&self, index: u32) -> Result<Link> {
            run!(self.link_get(index, false))
        }
    }

    call! {
        /// A link by alias (`LinkByAlias`). The kernel cannot look aliases up,
        /// so this dumps and filters.
        pub fn link_by_alias(&self, alias: &str) -> Result<Link> {
            let mut found = None;
            run!(self.link_for_each(
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
            ))?;
            found.ok_or_else(|| Error::not_found(format!("link with alias {alias:?}"), None))
        }
    }

    call! {
        /// Index of a link given by index or name.
        pub fn link_index(&self, id: impl Into<LinkId>) -> Result<u32> {
            match id.into() {
                LinkId::Index(i) => Ok(i),
                id @ LinkId::Name(_) => Ok(run!(self.link_get(id, false))?.index),
            }
        }
    }

    call! {
        /// The index of an optional link (a filter's `dev X`).
        pub(crate) fn link_index_opt(&self, id: Option<LinkId>) -> Result<Option<u32>> {
            match id {
                Some(id) => Ok(Some(run!(self.link_index(id))?)),
                None => Ok(None),
            }
        }
    }

    call! {
        /// Creates a link (`ip link add`) and returns it as the kernel made it
        /// (its index, its name, the settings the kernel filled in), with
        /// [`Link::name_assign_type`] saying who named it. An existing link of
        /// that name is an [`ErrorKind::Exists`](crate::ErrorKind::Exists)
        /// error with the kernel's message.
        ///
        /// Without a name (or with a template such as `"br%d"`), the kernel
        /// names the link from its kind (`veth0`, `ifb1` ...) and records it as
        /// kernel-enumerated ([`NameAssignType::Enum`]; a tun/tap, named by its
        /// driver, is recorded as [`NameAssignType::Unknown`] either way).
        ///
        /// How the new link is learnt: the request asks for an echo
        /// (`NLM_F_ECHO`), which kernels 6.2 and later answer with the new
        /// link in the same exchange. Otherwise (older kernels, or a link
        /// created in another namespace through [`Link::netns`], whose echo
        /// the kernel sends there) one more request reads it: by index or
        /// name in the namespace it was created in; a link the kernel named is
        /// found as the one link of its kind, named from its template, that
        /// was not there before (listed before sending). If other programs
        /// create links of that kind at the same moment, that can be
        /// ambiguous: then the call returns
        /// [`ErrorKind::NotFound`](crate::ErrorKind::NotFound) although the
        /// link exists; name it to avoid that.
        ///
        /// Settings the kernel ignores at creation (alias, alternative names,
        /// protodown, carrier: see [`Link::after_create`]) are applied right
        /// after it; if the kernel refuses them, the new link is deleted and
        /// the error returned, so a success means every setting was applied.
        /// A master is set by the kernel itself just after creation.
        ///
        /// A [`LinkKind::Tun`] link is created the only way the kernel allows,
        /// through `/dev/net/tun` (`ip tuntap add`): persistent, with its type,
        /// flags, owner and group; the link's other settings (MTU, address,
        /// master, up ...) follow in one RTM_NEWLINK. A tun/tap that is not
        /// persistent lives only as long as its descriptors: create it with
        /// [`Handle::tun_open`] instead.
        pub fn link_add(&self, link: &Link) -> Result<Link> {
            run!(self.link_create(link)).map_err(|e| {
                if link.name.is_empty() {
                    e.about(format_args!("link add (type {})", link.kind_name().unwrap_or("?")))
                } else {
                    e.about(format_args!("link add {:?}", link.name))
                }
            })
        }
    }

    call! {
        fn link_create(&self, link: &Link) -> Result<Link> {
            if let Some(LinkKind::Tun(tun)) = &link.kind {
                if tun.persist == Some(false) {
                    return Err(Error::Route(nl_route::Error::Invalid {
                        field: "persist",
                        reason: "a tun/tap that is not persistent needs its descriptors: use tun_open",
                    }));
                }
                let home = run!(self.home_of(link))?;
                let there = home.as_ref().unwrap_or(self);
                let device = run!(self.tun_create(link, tun, true, 1))?;
                let mut made = run!(there.link_get(device.name(), false))?;
                if !link.alt_names.is_empty() {
                    // The RTM_NEWLINK that set the rest carried them in vain.
                    if let Err(e) = run!(there.add_altnames(made.index, &link.alt_names)) {
                        let _ = device.set_persist(false);
                        return Err(e);
                    }
                    made = run!(there.link_get(made.index, false))?;
                }
                // tun_set_iff allocates every device with NET_NAME_UNKNOWN.
                made.name_assign_type = Some(NameAssignType::Unknown);
                return Ok(made);
            }
            let home = run!(self.home_of(link))?;
            let there = home.as_ref().unwrap_or(self);
            // Without a name or index to read it back by, what exists before
            // tells the new link apart if no echo comes.
            let before = if link.index == 0 && kernel_named(&link.name) {
                Some(run!(there.indexes_of_kind(link))?)
            } else {
                None
            };
            let mut echoed = None;
            run!(self.do_exchange(ROUTE, |b| Ok(link.write_new(b, NLM_F_CREATE | NLM_F_EXCL | NLM_F_ECHO)?),
                    |m| {
                        if echoed.is_none() {
                            echoed = parse_link(m)?;
                        }
                        Ok(())
                    }))?;
            // The echo is built before the kernel sets the master.
            let mut stale = link.master.is_some();
            let mut made = match echoed {
                Some(l) => l,
                None => {
                    stale = false;
                    match before {
                        Some(before) => run!(there.created_link(link, &before))?,
                        None if link.index != 0 => run!(there.link_get(link.index, false))?,
                        None => run!(there.link_get(link.name.as_str(), false))?,
                    }
                }
            };
            if let Err(e) = run!(there.finish_create(link, made.index)) {
                // Do not leave a link with some of its settings behind.
                let _ = run!(there.link_del(made.index));
                return Err(e);
            }
            if stale || link.after_create(made.index).is_some() || !link.alt_names.is_empty() {
                made = run!(there.link_get(made.index, false))?;
            }
            made.name_assign_type = Some(NameAssignType::at_creation(&link.name));
            Ok(made)
        }
    }

    call! {
        /// A handle on the namespace `link` is created in, when its
        /// [`Link::netns`] names another one.
        fn home_of(&self, link: &Link) -> Result<Option<H>> {
            let path = match link.netns {
                None => return Ok(None),
                Some(Netns::Fd(fd)) if fd < 0 => {
                    return Err(Error::Route(nl_route::Error::Invalid {
                        field: "netns",
                        reason: "negative fd",
                    }));
                }
                // The kernel resolves the fd and pid in the caller's tables,
                // as these paths do.
                Some(Netns::Fd(fd)) => format!("/proc/self/fd/{fd}"),
                Some(Netns::Pid(pid)) => format!("/proc/{pid}/ns/net"),
            };
            Ok(Some(H::in_netns(path)?))
        }
    }

    call! {
        /// Indexes of the links of `link`'s kind.
        fn indexes_of_kind(&self, link: &Link) -> Result<Vec<u32>> {
            let filter = LinkDump {
                kind: link.kind_name().map(str::to_string),
                skip_stats: true,
                ..LinkDump::default()
            };
            let mut out = Vec::new();
            run!(self.link_for_each(&filter, |l| {
                out.push(l.index);
                Ok(())
            }))?;
            Ok(out)
        }
    }

    call! {
        /// The link the kernel just created and named for `link`: of its
        /// kind, named from its template, not among `before`.
        fn created_link(&self, link: &Link, before: &[u32]) -> Result<Link> {
            let kind = link.kind_name().unwrap_or_default();
            let template = if link.name.is_empty() {
                format!("{kind}%d")
            } else {
                link.name.clone()
            };
            let mut new: Vec<Link> = run!(self
                .link_list_filtered(&LinkDump {
                    kind: link.kind_name().map(str::to_string),
                    skip_stats: true,
                    ..LinkDump::default()
                }))?
                .into_iter()
                .filter(|l| !before.contains(&l.index) && from_template(&template, &l.name))
                .collect();
            if let Some(peer) = peer_of(link) {
                if peer.index != 0 {
                    new.retain(|l| l.index != peer.index);
                } else if !kernel_named(&peer.name) {
                    new.retain(|l| l.name != peer.name);
                }
            }
            if let [a, b] = new.as_slice() {
                if peer_of(link).is_some() && a.parent == Some(b.index) && b.parent == Some(a.index) {
                    // Both ends of a pair named by the kernel: it registers the
                    // peer first, so the primary has the later index.
                    new.sort_by_key(|l| l.index);
                    new.remove(0);
                }
            }
            match new.len() {
                1 => Ok(new.remove(0)),
                n => Err(Error::not_found(
                    format!(
                        "the {kind} link just created: {n} new links named from {template:?} \
                         (others were created at the same time; give it a name)"
                    ),
                    None,
                )),
            }
        }
    }

    call! {
        /// Applies what the kernel ignores when it creates a link.
        fn finish_create(&self, link: &Link, index: u32) -> Result<()> {
            if let Some(change) = link.after_create(index) {
                run!(self.link_set(&change))?;
            }
            if !link.alt_names.is_empty() {
                run!(self.add_altnames(index, &link.alt_names))?;
            }
            Ok(())
        }
    }

    call! {
        fn add_altnames(&self, index: u32, names: &[String]) -> Result<()> {
            let names: Vec<&str> = names.iter().map(String::as_str).collect();
            let id = LinkId::Index(index);
            run!(self.do_request(ROUTE, |b| Ok(write_altnames(b, &id, &names, true)?)))?;
            Ok(())
        }
    }

    call! {
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
            run!(self.tun_create(link, tun, tun.persist.unwrap_or(false), queues))
        }
    }

    call! {
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
                name_assign_type: None,
                alt_names: Vec::new(),
                kind: None,
                ..link.clone()
            };
            if rest != Link::new(device.name()) {
                let applied = run!(self.do_request(ROUTE, |b| Ok(rest.write_new(b, 0)?)));
                if let Err(e) = applied {
                    // Do not leave a half-made device behind: it goes with its
                    // descriptors once it is not persistent.
                    let _ = device.set_persist(false);
                    return Err(e);
                }
            }
            Ok(device)
        }
    }

    call! {
        /// Deletes a link (`ip link del`).
        pub fn link_del(&self, link: impl Into<LinkId>) -> Result<()> {
            let id = link.into();
            run!(self.do_request(ROUTE, |b| Ok(write_del(b, &id)?)))
                .map_err(not_found(&id))?;
            Ok(())
        }
    }

    call! {
        /// Applies a set of changes to a link (`ip link set`). Values the kernel
        /// would take as "no change" while answering success are refused
        /// first with [`ErrorKind::Invalid`](crate::ErrorKind::Invalid): see [`LinkSet`].
        pub fn link_set(&self, change: &LinkSet) -> Result<()> {
            run!(self.do_request(ROUTE, |b| Ok(change.write(b)?)))?;
            Ok(())
        }
    }

    call! {
        fn set(&self, link: impl Into<LinkId>, f: impl FnOnce(LinkSet) -> LinkSet) -> Result<()> {
            let id = link.into();
            let change = f(LinkSet::new(id.clone()));
            run!(self.link_set(&change))
                .map_err(not_found(&id))
                .map_err(|e| match e {
                    // "link X not found" says it all.
                    e @ Error::NotFound { .. } => e,
                    e => e.about(format_args!("link set {}", describe(&id))),
                })
        }
    }

    call! {
        /// `ip link set X up`.
        pub fn link_set_up(&self, link: impl Into<LinkId>) -> Result<()> {
            run!(self.set(link, LinkSet::up))
        }
    }

    call! {
        /// `ip link set X down`.
        pub fn link_set_down(&self, link: impl Into<LinkId>) -> Result<()> {
            run!(self.set(link, LinkSet::down))
        }
    }

    call! {
        /// `ip link set X mtu N`. The kernel refuses an MTU outside the
        /// device's range (0 included) with its own message.
        pub fn link_set_mtu(&self, link: impl Into<LinkId>, mtu: u32) -> Result<()> {
            run!(self.set(link, |s| s.mtu(mtu)))
        }
    }

    call! {
        /// `ip link set X name NEW` (the link is found by index first). An
        /// empty name is refused ([`ErrorKind::Invalid`](crate::ErrorKind::Invalid)):
        /// the kernel would keep the old name and answer success.
        pub fn link_set_name(&self, link: impl Into<LinkId>, name: &str) -> Result<()> {
            let index = run!(self.link_index(link))?;
            run!(self.set(index, |s| s.name(name)))
        }
    }

    call! {
        /// `ip link set X address MAC`. The kernel refuses an address of the
        /// wrong length (an empty one included).
        pub fn link_set_hwaddr(&self, link: impl Into<LinkId>, addr: HwAddr) -> Result<()> {
            run!(self.set(link, |s| s.address(addr)))
        }
    }

    call! {
        /// `ip link set X master M`. Master index 0 is refused
        /// ([`ErrorKind::Invalid`](crate::ErrorKind::Invalid)): the kernel reads it as
        /// "no master"; say so with [`Handle::link_set_nomaster`].
        pub fn link_set_master(
            &self,
            link: impl Into<LinkId>,
            master: impl Into<LinkId>,
        ) -> Result<()> {
            let master = run!(self.link_index(master))?;
            run!(self.set(link, |s| s.master(master)))
        }
    }

    call! {
        /// `ip link set X nomaster`.
        pub fn link_set_nomaster(&self, link: impl Into<LinkId>) -> Result<()> {
            run!(self.set(link, LinkSet::nomaster))
        }
    }

    call! {
        /// `ip link set X netns NS` by an open namespace fd.
        pub fn link_set_netns_fd(
            &self,
            link: impl Into<LinkId>,
            fd: std::os::fd::BorrowedFd<'_>,
        ) -> Result<()> {
            use std::os::fd::AsRawFd;
            run!(self.set(link, |s| s.netns(Netns::Fd(fd.as_raw_fd()))))
        }
    }

    call! {
        /// `ip link set X netns PID`. A pid with no process is the kernel's
        /// `ESRCH` (not a "link not found").
        pub fn link_set_netns_pid(&self, link: impl Into<LinkId>, pid: u32) -> Result<()> {
            run!(self.set(link, |s| s.netns(Netns::Pid(pid))))
        }
    }

    call! {
        /// `ip link set X txqueuelen N` (0 is a valid length: no queue).
        pub fn link_set_txqlen(&self, link: impl Into<LinkId>, n: u32) -> Result<()> {
            run!(self.set(link, |s| s.txqlen(n)))
        }
    }

    call! {
        /// `ip link set X alias TEXT`; an empty `TEXT` clears the alias, as
        /// `ip link set X alias ""` does.
        pub fn link_set_alias(&self, link: impl Into<LinkId>, alias: &str) -> Result<()> {
            run!(self.set(link, |s| s.alias(alias)))
        }
    }

    call! {
        /// `ip link set X group N`.
        pub fn link_set_group(&self, link: impl Into<LinkId>, group: u32) -> Result<()> {
            run!(self.set(link, |s| s.group(group)))
        }
    }

    call! {
        /// `ip link set X promisc on|off`.
        pub fn link_set_promisc(&self, link: impl Into<LinkId>, on: bool) -> Result<()> {
            run!(self.set(link, |s| s.promisc(on)))
        }
    }

    call! {
        /// `ip link set X allmulticast on|off`.
        pub fn link_set_allmulticast(&self, link: impl Into<LinkId>, on: bool) -> Result<()> {
            run!(self.set(link, |s| s.allmulti(on)))
        }
    }

    call! {
        /// `ip link set X arp on|off`.
        pub fn link_set_arp(&self, link: impl Into<LinkId>, on: bool) -> Result<()> {
            run!(self.set(link, |s| s.arp(on)))
        }
    }

    call! {
        /// `ip link set X multicast on|off`.
        pub fn link_set_multicast(&self, link: impl Into<LinkId>, on: bool) -> Result<()> {
            run!(self.set(link, |s| s.multicast(on)))
        }
    }

    call! {
        /// `ip link set X protodown on|off`.
        pub fn link_set_protodown(&self, link: impl Into<LinkId>, on: bool) -> Result<()> {
            run!(self.set(link, |s| s.protodown(on)))
        }
    }

    call! {
        /// Attaches an XDP program by fd (`-1` detaches) with `XDP_FLAGS_*`.
        pub fn link_set_xdp_fd(&self, link: impl Into<LinkId>, fd: i32, flags: u32) -> Result<()> {
            run!(self.set(link, |s| s.xdp_fd(fd, flags)))
        }
    }

    call! {
        /// `ip link property add dev X altname NAME`. An empty name is refused
        /// ([`ErrorKind::Invalid`](crate::ErrorKind::Invalid)): the kernel would add an
        /// alternative name no lookup can reach.
        pub fn link_add_altname(&self, link: impl Into<LinkId>, name: &str) -> Result<()> {
            let id = link.into();
            run!(self.do_request(ROUTE, |b| Ok(write_altnames(b, &id, &[name], true)?)))
                .map_err(not_found(&id))?;
            Ok(())
        }
    }

    call! {
        /// `ip link property del dev X altname NAME`.
        pub fn link_del_altname(&self, link: impl Into<LinkId>, name: &str) -> Result<()> {
            let id = link.into();
            run!(self.do_request(ROUTE, |b| Ok(write_altnames(b, &id, &[name], false)?)))
                .map_err(not_found(&id))?;
            Ok(())
        }
    }

    call! {
        /// Sets bridge port options (`bridge link set dev X ...`; the Go
        /// library's `LinkSetHairpin`, `LinkSetGuard`, ... in one call).
        pub fn link_set_bridge_port(&self, link: impl Into<LinkId>, port: BridgePort) -> Result<()> {
            // The kernel's AF_BRIDGE setlink finds the port by index only.
            let index = run!(self.link_index(link))?;
            run!(self.set(index, |s| s.bridge_port(port)))
        }
    }

    call! {
        /// Bridge port settings of every port (`bridge -d link show`), as
        /// `AF_BRIDGE` link messages; with `vlans`, each port's VLANs too.
        pub fn bridge_port_list(&self, vlans: bool) -> Result<Vec<Link>> {
            run!(self.link_list_filtered(&LinkDump {
                bridge: true,
                bridge_vlans: vlans,
                ..LinkDump::default()
            }))
        }
    }

    call! {
        /// `bridge vlan add dev X vid N [pvid] [untagged] [self]`.
        pub fn bridge_vlan_add(
            &self,
            link: impl Into<LinkId>,
            vlans: &[BridgeVlan],
            self_: bool,
        ) -> Result<()> {
            let index = run!(self.link_index(link))?;
            run!(self.do_request(ROUTE, |b| Ok(nl_route::port::write_vlans(b, index, vlans, true, self_)?)))?;
            Ok(())
        }
    }

    call! {
        /// `bridge vlan del dev X vid N [self]`.
        pub fn bridge_vlan_del(
            &self,
            link: impl Into<LinkId>,
            vlans: &[BridgeVlan],
            self_: bool,
        ) -> Result<()> {
            let index = run!(self.link_index(link))?;
            run!(self.do_request(ROUTE, |b| Ok(nl_route::port::write_vlans(b, index, vlans, false, self_)?)))?;
            Ok(())
        }
    }
}

// Go's one-setting link calls not covered by LinkSet builders above.
impl H {
    call! {
        /// `ip link set X gso_max_size N` (Go's `LinkSetGSOMaxSize`).
        pub fn link_set_gso_max_size(&self, link: impl Into<LinkId>, n: u32) -> Result<()> {
            run!(self.set(link, |s| s.gso_max_size(n)))
        }
    }

    call! {
        /// `ip link set X gro_max_size N` (Go's `LinkSetGROMaxSize`).
        pub fn link_set_gro_max_size(&self, link: impl Into<LinkId>, n: u32) -> Result<()> {
            run!(self.set(link, |s| s.gro_max_size(n)))
        }
    }

    call! {
        /// `ip link set X gso_ipv4_max_size N` (Go's `LinkSetGSOIPv4MaxSize`;
        /// BIG TCP for IPv4).
        pub fn link_set_gso_ipv4_max_size(&self, link: impl Into<LinkId>, n: u32) -> Result<()> {
            run!(self.set(link, |s| s.gso_ipv4_max_size(n)))
        }
    }

    call! {
        /// `ip link set X gro_ipv4_max_size N` (Go's `LinkSetGROIPv4MaxSize`).
        pub fn link_set_gro_ipv4_max_size(&self, link: impl Into<LinkId>, n: u32) -> Result<()> {
            run!(self.set(link, |s| s.gro_ipv4_max_size(n)))
        }
    }

    call! {
        /// `ip link set X type macvlan macaddr add MAC`: one more source
        /// MAC of a source-mode macvlan or macvtap (Go's
        /// `MacvlanMACAddrAdd`).
        pub fn macvlan_mac_addr_add(&self, link: impl Into<LinkId>, mac: HwAddr) -> Result<()> {
            run!(self.macvlan_mac_addr(link, mac, nl_route::uapi::if_link::MACVLAN_MACADDR_ADD))
        }
    }

    call! {
        /// `ip link set X type macvlan macaddr del MAC` (Go's
        /// `MacvlanMACAddrDel`).
        pub fn macvlan_mac_addr_del(&self, link: impl Into<LinkId>, mac: HwAddr) -> Result<()> {
            run!(self.macvlan_mac_addr(link, mac, nl_route::uapi::if_link::MACVLAN_MACADDR_DEL))
        }
    }

    call! {
        fn macvlan_mac_addr(&self, link: impl Into<LinkId>, mac: HwAddr, mode: u32) -> Result<()> {
            let id = link.into();
            let l = run!(self.link_get(id.clone(), false))?;
            let mv = nl_route::kind::Macvlan {
                macaddr_mode: Some(mode),
                macaddr: Some(mac),
                ..nl_route::kind::Macvlan::default()
            };
            // The request names the link's own kind: macvlan or macvtap.
            let kind = match l.kind {
                Some(LinkKind::Macvtap(_)) => LinkKind::Macvtap(mv),
                Some(LinkKind::Macvlan(_)) => LinkKind::Macvlan(mv),
                _ => {
                    return Err(Error::from(nl_sock::Error::new(
                        nl_sock::Op::Request,
                        nl_sock::ErrorKind::Invalid,
                    ))
                    .about(format_args!("{} is not a macvlan or macvtap", describe(&id))));
                }
            };
            run!(self.set(l.index, move |s| s.kind(kind)))
        }
    }
}

// Bridge VLAN-to-tunnel mappings (`bridge vlan ... tunnel_info`; Go's
// BridgeVlan*TunnelInfo and BridgeVlanTunnelShow).
impl H {
    call! {
        /// `bridge vlan add dev X vid N[-M] tunnel_info id T[-U] [self]`:
        /// maps VLANs of a bridge port (a metadata-mode VXLAN with
        /// `vlan_tunnel on`) to tunnel ids (Go's `BridgeVlanAddTunnelInfo`).
        pub fn bridge_vlan_tunnel_add(
            &self,
            link: impl Into<LinkId>,
            tunnels: &[nl_route::port::VlanTunnel],
            self_: bool,
        ) -> Result<()> {
            let index = run!(self.link_index(link))?;
            run!(self.do_request(ROUTE, |b| Ok(nl_route::port::write_vlan_tunnels(b, index, tunnels, true, self_)?)))?;
            Ok(())
        }
    }

    call! {
        /// `bridge vlan del dev X vid N[-M] tunnel_info id T[-U]` (Go's
        /// `BridgeVlanDelTunnelInfo`).
        pub fn bridge_vlan_tunnel_del(
            &self,
            link: impl Into<LinkId>,
            tunnels: &[nl_route::port::VlanTunnel],
            self_: bool,
        ) -> Result<()> {
            let index = run!(self.link_index(link))?;
            run!(self.do_request(ROUTE, |b| Ok(nl_route::port::write_vlan_tunnels(b, index, tunnels, false, self_)?)))?;
            Ok(())
        }
    }

    call! {
        /// Every bridge port's VLAN-to-tunnel mappings by port index
        /// (`bridge vlan tunnelshow`; Go's `BridgeVlanTunnelShow`); ports
        /// without any are left out.
        pub fn bridge_vlan_tunnel_list(&self) -> Result<Vec<(u32, Vec<nl_route::port::VlanTunnel>)>> {
            let ports = run!(self.bridge_port_list(true))?;
            Ok(ports
                .into_iter()
                .filter(|l| !l.bridge_vlan_tunnels.is_empty())
                .map(|l| (l.index, l.bridge_vlan_tunnels))
                .collect())
        }
    }
}

// SR-IOV virtual functions (`ip link set DEV vf N ...`; Go's LinkSetVf*).
impl H {
    call! {
        /// `ip link set PF vf N ...`: applies `settings` to virtual
        /// function `vf` of the physical function `link` in one request.
        /// The calls below are the Go library's, one setting each.
        ///
        /// ```no_run
        /// use netlink::{Handle, VfLinkState, VfSettings};
        /// let h = Handle::new()?;
        /// h.link_set_vf("enp3s0f0", 2, &VfSettings::new().vlan(100, 0, None).trust(true))?;
        /// h.link_set_vf_state("enp3s0f0", 2, VfLinkState::Enable)?;
        /// # Ok::<(), netlink::Error>(())
        /// ```
        pub fn link_set_vf(
            &self,
            link: impl Into<LinkId>,
            vf: u32,
            settings: &VfSettings,
        ) -> Result<()> {
            let settings = settings.clone();
            run!(self.set(link, move |s| s.vf(vf, settings)))
        }
    }

    call! {
        /// `ip link set PF vf N mac MAC` (Go's `LinkSetVfHardwareAddr`).
        pub fn link_set_vf_hardware_addr(
            &self,
            link: impl Into<LinkId>,
            vf: u32,
            mac: HwAddr,
        ) -> Result<()> {
            run!(self.link_set_vf(link, vf, &VfSettings::new().mac(mac)))
        }
    }

    call! {
        /// `ip link set PF vf N vlan VLAN` (Go's `LinkSetVfVlan`).
        pub fn link_set_vf_vlan(&self, link: impl Into<LinkId>, vf: u32, vlan: u32) -> Result<()> {
            run!(self.link_set_vf(link, vf, &VfSettings::new().vlan(vlan, 0, None)))
        }
    }

    call! {
        /// `ip link set PF vf N vlan VLAN qos QOS` (Go's `LinkSetVfVlanQos`).
        pub fn link_set_vf_vlan_qos(
            &self,
            link: impl Into<LinkId>,
            vf: u32,
            vlan: u32,
            qos: u32,
        ) -> Result<()> {
            run!(self.link_set_vf(link, vf, &VfSettings::new().vlan(vlan, qos, None)))
        }
    }

    call! {
        /// `ip link set PF vf N vlan VLAN qos QOS proto PROTO` (Go's
        /// `LinkSetVfVlanQosProto`); `proto` is `ETH_P_8021Q` or
        /// `ETH_P_8021AD`.
        pub fn link_set_vf_vlan_qos_proto(
            &self,
            link: impl Into<LinkId>,
            vf: u32,
            vlan: u32,
            qos: u32,
            proto: u16,
        ) -> Result<()> {
            run!(self.link_set_vf(link, vf, &VfSettings::new().vlan(vlan, qos, Some(proto))))
        }
    }

    call! {
        /// `ip link set PF vf N rate MBIT` (Go's `LinkSetVfTxRate`).
        pub fn link_set_vf_tx_rate(&self, link: impl Into<LinkId>, vf: u32, mbit: u32) -> Result<()> {
            run!(self.link_set_vf(link, vf, &VfSettings::new().tx_rate(mbit)))
        }
    }

    call! {
        /// `ip link set PF vf N min_tx_rate MIN max_tx_rate MAX` (Go's
        /// `LinkSetVfRate`), in Mbit/s.
        pub fn link_set_vf_rate(
            &self,
            link: impl Into<LinkId>,
            vf: u32,
            min: u32,
            max: u32,
        ) -> Result<()> {
            run!(self.link_set_vf(link, vf, &VfSettings::new().rate(min, max)))
        }
    }

    call! {
        /// `ip link set PF vf N spoofchk on|off` (Go's `LinkSetVfSpoofchk`).
        pub fn link_set_vf_spoofchk(&self, link: impl Into<LinkId>, vf: u32, on: bool) -> Result<()> {
            run!(self.link_set_vf(link, vf, &VfSettings::new().spoofchk(on)))
        }
    }

    call! {
        /// `ip link set PF vf N trust on|off` (Go's `LinkSetVfTrust`).
        pub fn link_set_vf_trust(&self, link: impl Into<LinkId>, vf: u32, on: bool) -> Result<()> {
            run!(self.link_set_vf(link, vf, &VfSettings::new().trust(on)))
        }
    }

    call! {
        /// `ip link set PF vf N state auto|enable|disable` (Go's
        /// `LinkSetVfState`).
        pub fn link_set_vf_state(
            &self,
            link: impl Into<LinkId>,
            vf: u32,
            state: VfLinkState,
        ) -> Result<()> {
            run!(self.link_set_vf(link, vf, &VfSettings::new().link_state(state)))
        }
    }

    call! {
        /// `ip link set PF vf N node_guid GUID` (Go's `LinkSetVfNodeGUID`).
        pub fn link_set_vf_node_guid(&self, link: impl Into<LinkId>, vf: u32, guid: u64) -> Result<()> {
            run!(self.link_set_vf(link, vf, &VfSettings::new().node_guid(guid)))
        }
    }

    call! {
        /// `ip link set PF vf N port_guid GUID` (Go's `LinkSetVfPortGUID`).
        pub fn link_set_vf_port_guid(&self, link: impl Into<LinkId>, vf: u32, guid: u64) -> Result<()> {
            run!(self.link_set_vf(link, vf, &VfSettings::new().port_guid(guid)))
        }
    }

    call! {
        /// The virtual functions of `link` with their settings and
        /// counters (`ip -s link show PF`'s `vf` lines; asks the kernel for
        /// VF details, which is slow with many VFs).
        pub fn link_vfs(&self, link: impl Into<LinkId>) -> Result<Vec<VfInfo>> {
            Ok(run!(self.link_get(link, true))?.vfs)
        }
    }
}

// Interface statistics (RTM_GETSTATS, `ip stats show`).
impl H {
    call! {
        /// The statistics `groups` of one link (`ip stats show dev X group
        /// ...`): the 64-bit counters, extended, offload and per-family
        /// statistics, without the rest of the link.
        ///
        /// ```no_run
        /// use netlink::Handle;
        /// use netlink::nl_route::stats::StatsGroups;
        /// let s = Handle::new()?.link_stats("lo", StatsGroups::LINK_64)?;
        /// println!("lo received {} bytes", s.link64.map_or(0, |c| c.rx_bytes));
        /// # Ok::<(), netlink::Error>(())
        /// ```
        pub fn link_stats(&self, link: impl Into<LinkId>, groups: StatsGroups) -> Result<Stats> {
            let id = link.into();
            let index = run!(self.link_index(id.clone()))?;
            let req = StatsRequest::new(groups).ifindex(index);
            let mut found = None;
            run!(self.do_exchange(ROUTE, |b| Ok(req.write(b)?), |m| {
                if found.is_none() && Stats::is(&m) {
                    found = Some(Stats::parse(&m)?);
                }
                Ok(())
            }))
            .map_err(not_found(&id))?;
            found.ok_or_else(|| Error::not_found(describe(&id), None))
        }
    }

    call! {
        /// The statistics `groups` of every link (`ip stats show`).
        pub fn link_stats_list(&self, groups: StatsGroups) -> Result<Vec<Stats>> {
            let req = StatsRequest::new(groups);
            run!(self.do_dump(
                ROUTE,
                |b| Ok(req.write(b)?),
                |m| Ok(if Stats::is(&m) { Some(Stats::parse(&m)?) } else { None }),
            ))
        }
    }
}

// Per-interface IPv4/IPv6 configuration (devconf).
impl H {
    call! {
        /// The IPv4 and IPv6 configuration of `link`: its
        /// `net.ipv4.conf.DEV.*` and `net.ipv6.conf.DEV.*` values, from the
        /// kernel's link reply rather than `/proc` (so from any namespace
        /// the handle is in).
        ///
        /// ```no_run
        /// let h = netlink::Handle::new()?;
        /// let conf = h.link_devconf("lo")?;
        /// println!("rp_filter {:?}", conf.ipv4_by_name("rp_filter"));
        /// # Ok::<(), netlink::Error>(())
        /// ```
        pub fn link_devconf(&self, link: impl Into<LinkId>) -> Result<Devconf> {
            let id = link.into();
            let mut found = None;
            run!(self.do_exchange(ROUTE, |b| Ok(write_get(b, &id, false)?), |m| {
                if found.is_none() && m.ty() == nl_route::uapi::rtnetlink::RTM_NEWLINK {
                    found = Some(Devconf::parse(&m)?);
                }
                Ok(())
            }))
            .map_err(not_found(&id))?;
            found.ok_or_else(|| Error::not_found(describe(&id), None))
        }
    }

    call! {
        /// Sets IPv4 configuration values of `link` by `IPV4_DEVCONF_*`
        /// index (`sysctl -w net.ipv4.conf.DEV.NAME=VALUE`; see
        /// [`nl_route::devconf::ipv4_id`] for names).
        pub fn link_set_inet_conf(&self, link: impl Into<LinkId>, values: &[(u16, u32)]) -> Result<()> {
            let id = link.into();
            let index = run!(self.link_index(id.clone()))?;
            run!(self.do_request(ROUTE, |b| Ok(nl_route::devconf::write_inet_set(b, index, values)?)))
                .map_err(not_found(&id))
                .map_err(|e| e.about(format_args!("devconf of {}", describe(&id))))?;
            Ok(())
        }
    }
}

// VXLAN VNI filtering (`bridge vni`; Go's BridgeVni*).
impl H {
    call! {
        /// `bridge vni add dev X vni N[-M] [group|remote IP]` on a VXLAN
        /// device in `external vnifilter` mode (Go's `BridgeVniAdd`,
        /// `BridgeVniAddRange`).
        ///
        /// ```no_run
        /// use netlink::nl_route::vni::VniEntry;
        /// let h = netlink::Handle::new()?;
        /// h.bridge_vni_add("vx0", &VniEntry::range(100, 199))?;
        /// # Ok::<(), netlink::Error>(())
        /// ```
        pub fn bridge_vni_add(&self, link: impl Into<LinkId>, entry: &VniEntry) -> Result<()> {
            run!(self.vni_op(link, entry, true))
        }
    }

    call! {
        /// `bridge vni del dev X vni N[-M]` (Go's `BridgeVniDel`,
        /// `BridgeVniDelRange`).
        pub fn bridge_vni_del(&self, link: impl Into<LinkId>, entry: &VniEntry) -> Result<()> {
            run!(self.vni_op(link, entry, false))
        }
    }

    call! {
        fn vni_op(&self, link: impl Into<LinkId>, entry: &VniEntry, add: bool) -> Result<()> {
            let id = link.into();
            let index = run!(self.link_index(id.clone()))?;
            run!(self.do_request(ROUTE, |b| Ok(write_vni(b, index, entry, add)?)))
                .map_err(|e| e.about(format_args!("bridge vni of {}", describe(&id))))?;
            Ok(())
        }
    }

    call! {
        /// The VNI filters of every VXLAN device, or of `link` (`bridge vni
        /// show [dev X]`, Go's `BridgeVniList`); `stats` adds each VNI's
        /// counters (`bridge -s vni show`).
        pub fn bridge_vni_list(&self, link: Option<LinkId>, stats: bool) -> Result<Vec<VniFilter>> {
            let index = run!(self.link_index_opt(link))?;
            run!(self.do_dump(
                ROUTE,
                |b| Ok(VniFilter::write_dump(b, index, stats)?),
                |m| Ok(if VniFilter::is(&m) { Some(VniFilter::parse(&m)?) } else { None }),
            ))
        }
    }
}
