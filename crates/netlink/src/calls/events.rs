// The listing behind Subscribe::list_existing and resync.
// Shared by the blocking Handle and the AsyncHandle: see calls.rs.

use nl_route::tc::TcHandle;
use nl_route::uapi::rtnetlink::*;
use nl_route::{
    AF_INET, AF_INET6, AF_MPLS, AF_UNSPEC, LinkDump, NeighDump, Netconf, Nsid, RouteDump,
};

use crate::error::Result;
use crate::events::{Event, Subscribe};

impl H {
    call! {
        /// The current state of every kind `sub` subscribes to, as `New*`
        /// events ending with [`Event::Synced`]: what a subscription with
        /// [`Subscribe::list_existing`] or [`Subscribe::resync`] delivers.
        pub fn events_snapshot(&self, sub: &Subscribe) -> Result<Vec<Event>> {
            let mut out = Vec::new();
            if sub.has(RTNLGRP_LINK) || sub.has(RTNLGRP_TC) {
                let links = run!(self.link_list_filtered(&LinkDump {
                    skip_stats: true,
                    ..LinkDump::default()
                }))?;
                if sub.has(RTNLGRP_TC) {
                    for l in &links {
                        run!(self.tc_snapshot(l.index, &mut out))?;
                    }
                }
                if sub.has(RTNLGRP_LINK) {
                    out.extend(links.into_iter().map(|l| Event::NewLink(Box::new(l))));
                }
            }
            for (group, family) in [(RTNLGRP_IPV4_IFADDR, AF_INET), (RTNLGRP_IPV6_IFADDR, AF_INET6)] {
                if sub.has(group) {
                    let addrs = run!(self.addr_list(None, family))?;
                    out.extend(addrs.into_iter().map(Event::NewAddr));
                }
            }
            for (group, family) in [
                (RTNLGRP_IPV4_ROUTE, AF_INET),
                (RTNLGRP_IPV6_ROUTE, AF_INET6),
                (RTNLGRP_MPLS_ROUTE, AF_MPLS),
            ] {
                if sub.has(group) {
                    let routes = run!(self.route_list_filtered(&RouteDump {
                        family,
                        table: Some(nl_route::route::TABLE_ALL),
                        ..RouteDump::default()
                    }))?;
                    out.extend(routes.into_iter().map(|r| Event::NewRoute(Box::new(r))));
                }
            }
            if sub.has(RTNLGRP_NEIGH) {
                let neighs = run!(self.neigh_list_filtered(&NeighDump {
                    family: AF_UNSPEC,
                    ..NeighDump::default()
                }))?;
                out.extend(neighs.into_iter().map(Event::NewNeigh));
            }
            for (group, family) in [(RTNLGRP_IPV4_RULE, AF_INET), (RTNLGRP_IPV6_RULE, AF_INET6)] {
                if sub.has(group) {
                    let rules = run!(self.rule_list(family))?;
                    out.extend(rules.into_iter().map(Event::NewRule));
                }
            }
            if sub.has(RTNLGRP_NEXTHOP) {
                let nhs = run!(self.nexthop_list())?;
                out.extend(nhs.into_iter().map(Event::NewNexthop));
            }
            for (group, family) in [
                (RTNLGRP_IPV4_NETCONF, AF_INET),
                (RTNLGRP_IPV6_NETCONF, AF_INET6),
                (RTNLGRP_MPLS_NETCONF, AF_MPLS),
            ] {
                if sub.has(group) {
                    let confs = run!(self.netconf_list(family))?;
                    out.extend(confs.into_iter().map(Event::NewNetconf));
                }
            }
            if sub.has(RTNLGRP_NSID) {
                let ids = run!(self.nsid_list())?;
                out.extend(ids.into_iter().map(Event::NewNsid));
            }
            out.push(Event::Synced);
            Ok(out)
        }
    }

    call! {
        /// A link's qdiscs, classes, filters and filter chains, as events.
        fn tc_snapshot(&self, index: u32, out: &mut Vec<Event>) -> Result<()> {
            let qdiscs = run!(self.qdisc_list(index))?;
            for c in run!(self.class_list(index))? {
                out.push(Event::NewClass(Box::new(c)));
            }
            for q in &qdiscs {
                let mut parents = vec![q.handle];
                if q.parent == TcHandle::INGRESS {
                    // clsact and ingress: filters hang on the hooks.
                    parents.extend([TcHandle::INGRESS_FILTERS, TcHandle::EGRESS_FILTERS]);
                }
                for parent in parents {
                    for f in run!(self.filter_entries(index, parent))? {
                        out.push(Event::NewFilter(Box::new(f)));
                    }
                    // Qdiscs without filter blocks answer with no chains.
                    for c in run!(self.chain_list(index, parent))? {
                        out.push(Event::NewChain(Box::new(c)));
                    }
                }
            }
            out.extend(qdiscs.into_iter().map(|q| Event::NewQdisc(Box::new(q))));
            Ok(())
        }
    }

    call! {
        /// Per-device configuration of `family` (`ip netconf show`): the
        /// `all` and `default` entries, then one per device.
        pub fn netconf_list(&self, family: u8) -> Result<Vec<Netconf>> {
            run!(self.do_dump(
                ROUTE,
                |b| Ok(Netconf::write_dump(family, b)?),
                |m| {
                    if m.ty() != RTM_NEWNETCONF {
                        return Ok(None);
                    }
                    Ok(Some(Netconf::parse(&m)?))
                },
            ))
        }
    }

    call! {
        /// The namespace ids this namespace has assigned (`ip netns list-id`).
        pub fn nsid_list(&self) -> Result<Vec<Nsid>> {
            run!(self.do_dump(
                ROUTE,
                |b| Ok(Nsid::write_dump(b)?),
                |m| {
                    if m.ty() != RTM_NEWNSID {
                        return Ok(None);
                    }
                    Ok(Some(Nsid::parse(&m)?))
                },
            ))
        }
    }
}
