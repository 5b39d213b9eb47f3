//! Notifications: subscribe to what changes (`ip monitor`), for every
//! rtnetlink group a program can join.
//!
//! A [`Subscription`] owns its socket (dropping it leaves the groups) and
//! is an [`Iterator`] of [`Event`]s; the tokio twin,
//! `AsyncSubscription`, is a `Stream` of the same events.
//!
//! # Lost notifications, and getting back in step
//!
//! When notifications come faster than the program reads them, the
//! kernel drops some and says so; the subscription yields
//! [`Event::Overrun`]. What the program knew may now be wrong in any way:
//! an object may have been created, changed or deleted without a word.
//!
//! With [`Subscribe::resync`] the subscription puts that right itself,
//! and by construction: it first throws away every notification still
//! queued (they are older than what comes next, and applying them later
//! could bring back an object whose deletion was lost), then lists the
//! current state on another socket and yields it as `New*` events ending
//! with [`Event::Synced`], then goes on with the notifications that
//! arrived since the listing started. Each of those carries an object's
//! whole state and they come in order, so applying them on top of the
//! listing ends in the kernel's state. A program keeping a mirror clears
//! it on `Overrun` and applies everything after; [`Store`] does exactly
//! that.
//!
//! ```no_run
//! use netlink::{Event, Handle, Store, Subscribe};
//! let h = Handle::new()?;
//! let sub = h.subscribe(&Subscribe::new().links().addrs().list_existing().resync())?;
//! let mut store = Store::default();
//! for event in sub {
//!     let event = event?;
//!     store.apply(&event);
//!     if let Event::Synced = event {
//!         println!("{} links, {} addresses", store.links().count(), store.addrs().count());
//!     }
//! }
//! # Ok::<(), netlink::Error>(())
//! ```

use std::collections::{BTreeMap, HashMap};
use std::net::IpAddr;
use std::sync::Arc;

use ipnet::IpNet;
use nl_route::tc::{Action, Chain, Class, FilterEntry, Qdisc};
use nl_route::uapi::rtnetlink::*;
use nl_route::{Addr, Link, Neigh, Netconf, Nexthop, Nsid, Route, Rule};
use nl_sock::{CancelHandle, Socket};
use nl_wire::Msg;
use nl_wire::netlink::NETLINK_ROUTE;

use crate::error::{Error, ErrorKind, Result};
use crate::handle::Handle;

pub use crate::feed::{Feed, Subscription};

/// What to subscribe to: groups, and how to start and recover.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Subscribe {
    groups: u64,
    list_existing: bool,
    resync: bool,
    recv_buffer: Option<usize>,
}

impl Subscribe {
    /// Nothing yet: add groups with the methods below.
    pub fn new() -> Self {
        Subscribe::default()
    }

    /// Any rtnetlink group by number (`RTNLGRP_*`, 1 to 63).
    #[must_use]
    pub fn group(mut self, group: u32) -> Self {
        if (1..64).contains(&group) {
            self.groups |= 1 << group;
        }
        self
    }

    /// Link changes (`RTNLGRP_LINK`).
    #[must_use]
    pub fn links(self) -> Self {
        self.group(RTNLGRP_LINK)
    }

    /// IPv4 and IPv6 address changes.
    #[must_use]
    pub fn addrs(self) -> Self {
        self.addrs_v4().addrs_v6()
    }

    /// IPv4 address changes (`RTNLGRP_IPV4_IFADDR`).
    #[must_use]
    pub fn addrs_v4(self) -> Self {
        self.group(RTNLGRP_IPV4_IFADDR)
    }

    /// IPv6 address changes (`RTNLGRP_IPV6_IFADDR`).
    #[must_use]
    pub fn addrs_v6(self) -> Self {
        self.group(RTNLGRP_IPV6_IFADDR)
    }

    /// IPv4 and IPv6 route changes.
    #[must_use]
    pub fn routes(self) -> Self {
        self.routes_v4().routes_v6()
    }

    /// IPv4 route changes (`RTNLGRP_IPV4_ROUTE`).
    #[must_use]
    pub fn routes_v4(self) -> Self {
        self.group(RTNLGRP_IPV4_ROUTE)
    }

    /// IPv6 route changes (`RTNLGRP_IPV6_ROUTE`).
    #[must_use]
    pub fn routes_v6(self) -> Self {
        self.group(RTNLGRP_IPV6_ROUTE)
    }

    /// MPLS route changes (`RTNLGRP_MPLS_ROUTE`).
    #[must_use]
    pub fn routes_mpls(self) -> Self {
        self.group(RTNLGRP_MPLS_ROUTE)
    }

    /// Neighbour and FDB changes (`RTNLGRP_NEIGH`).
    #[must_use]
    pub fn neighbours(self) -> Self {
        self.group(RTNLGRP_NEIGH)
    }

    /// IPv4 and IPv6 rule changes.
    #[must_use]
    pub fn rules(self) -> Self {
        self.group(RTNLGRP_IPV4_RULE).group(RTNLGRP_IPV6_RULE)
    }

    /// Nexthop object changes (`RTNLGRP_NEXTHOP`).
    #[must_use]
    pub fn nexthops(self) -> Self {
        self.group(RTNLGRP_NEXTHOP)
    }

    /// Traffic control changes: qdiscs, classes, filters, actions
    /// (`RTNLGRP_TC`).
    #[must_use]
    pub fn tc(self) -> Self {
        self.group(RTNLGRP_TC)
    }

    /// IPv4 and IPv6 per-device configuration (`RTNLGRP_IPV4_NETCONF`,
    /// `RTNLGRP_IPV6_NETCONF`).
    #[must_use]
    pub fn netconf(self) -> Self {
        self.group(RTNLGRP_IPV4_NETCONF).group(RTNLGRP_IPV6_NETCONF)
    }

    /// Namespace id assignments (`RTNLGRP_NSID`).
    #[must_use]
    pub fn nsid(self) -> Self {
        self.group(RTNLGRP_NSID)
    }

    /// Every group above (what `ip monitor all` joins).
    #[must_use]
    pub fn all(self) -> Self {
        self.links()
            .addrs()
            .routes()
            .routes_mpls()
            .neighbours()
            .rules()
            .nexthops()
            .tc()
            .netconf()
            .nsid()
    }

    /// First deliver every existing object of the subscribed kinds as a
    /// `New*` event, then [`Event::Synced`]. The groups are joined before
    /// the listing, so no change in between is missed.
    #[must_use]
    pub fn list_existing(mut self) -> Self {
        self.list_existing = true;
        self
    }

    /// After lost notifications, get back in step by itself: yield
    /// [`Event::Overrun`], then the current state as `New*` events and
    /// [`Event::Synced`], then the live events (see the module docs).
    /// Without it, [`Event::Overrun`] is all that is said.
    #[must_use]
    pub fn resync(mut self) -> Self {
        self.resync = true;
        self
    }

    /// Receive buffer size for the subscription's socket (bytes). Small
    /// buffers overrun sooner under event storms.
    #[must_use]
    pub fn recv_buffer(mut self, bytes: usize) -> Self {
        self.recv_buffer = Some(bytes);
        self
    }

    /// Whether group `group` is subscribed.
    pub fn has(&self, group: u32) -> bool {
        group < 64 && self.groups & (1 << group) != 0
    }

    /// The subscribed group numbers.
    pub fn groups(&self) -> impl Iterator<Item = u32> + '_ {
        (1..64).filter(|g| self.has(*g))
    }

    pub(crate) fn buffer(&self) -> Option<usize> {
        self.recv_buffer
    }
}

/// A change notification, or a word about the subscription itself.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Event {
    /// A link appeared or changed.
    NewLink(Box<Link>),
    /// A link went away.
    DelLink(Box<Link>),
    /// An address was added or changed.
    NewAddr(Addr),
    /// An address was removed.
    DelAddr(Addr),
    /// A route was added or changed.
    NewRoute(Box<Route>),
    /// A route was removed.
    DelRoute(Box<Route>),
    /// A neighbour (or FDB entry) was added or changed.
    NewNeigh(Neigh),
    /// A neighbour (or FDB entry) was removed.
    DelNeigh(Neigh),
    /// A rule was added.
    NewRule(Rule),
    /// A rule was removed.
    DelRule(Rule),
    /// A nexthop object was added or changed.
    NewNexthop(Nexthop),
    /// A nexthop object was removed.
    DelNexthop(Nexthop),
    /// A qdisc was added or changed.
    NewQdisc(Box<Qdisc>),
    /// A qdisc was removed.
    DelQdisc(Box<Qdisc>),
    /// A class was added or changed.
    NewClass(Box<Class>),
    /// A class was removed.
    DelClass(Box<Class>),
    /// A filter (or a filter head, or a u32 hash table) was added.
    NewFilter(Box<FilterEntry>),
    /// A filter was removed.
    DelFilter(Box<FilterEntry>),
    /// A filter chain was added (`tc chain add`, or a filter's first use
    /// of a chain).
    NewChain(Box<Chain>),
    /// A filter chain was removed.
    DelChain(Box<Chain>),
    /// Standalone actions were added or replaced (`tc actions add`): the
    /// kernel sends one message for a request's whole list. A listing
    /// ([`Subscribe::list_existing`], a resync) does not include actions:
    /// the kernel dumps them one kind at a time
    /// ([`Handle::action_list`](crate::Handle::action_list)).
    NewAction(Vec<Action>),
    /// Standalone actions were deleted or flushed (a flush names only the
    /// kind and how many went).
    DelAction(Vec<Action>),
    /// Per-device configuration changed (only the values that changed are
    /// set, except in a listing).
    NewNetconf(Netconf),
    /// A device's configuration went away with the device.
    DelNetconf(Netconf),
    /// A namespace got an id.
    NewNsid(Nsid),
    /// A namespace id was released.
    DelNsid(Nsid),
    /// Notifications were lost: what the program knew may be wrong. With
    /// [`Subscribe::resync`], the current state follows, then
    /// [`Event::Synced`].
    Overrun,
    /// A listing ([`Subscribe::list_existing`], or a resync) is complete.
    Synced,
    /// A message of a type this library does not model (bridge VLANs ...).
    Other {
        /// `nlmsg_type`.
        msg_type: u16,
    },
}

impl Event {
    /// Parses one notification.
    pub fn parse(msg: &Msg<'_>) -> Result<Event> {
        Ok(match msg.ty() {
            RTM_NEWLINK => Event::NewLink(Box::new(Link::parse(msg)?)),
            RTM_DELLINK => Event::DelLink(Box::new(Link::parse(msg)?)),
            RTM_NEWADDR => Event::NewAddr(Addr::parse(msg)?),
            RTM_DELADDR => Event::DelAddr(Addr::parse(msg)?),
            RTM_NEWROUTE => Event::NewRoute(Box::new(Route::parse(msg)?)),
            RTM_DELROUTE => Event::DelRoute(Box::new(Route::parse(msg)?)),
            RTM_NEWNEIGH => Event::NewNeigh(Neigh::parse(msg)?),
            RTM_DELNEIGH => Event::DelNeigh(Neigh::parse(msg)?),
            RTM_NEWRULE => Event::NewRule(Rule::parse(msg)?),
            RTM_DELRULE => Event::DelRule(Rule::parse(msg)?),
            RTM_NEWNEXTHOP => Event::NewNexthop(Nexthop::parse(msg)?),
            RTM_DELNEXTHOP => Event::DelNexthop(Nexthop::parse(msg)?),
            RTM_NEWQDISC => Event::NewQdisc(Box::new(Qdisc::parse(msg)?)),
            RTM_DELQDISC => Event::DelQdisc(Box::new(Qdisc::parse(msg)?)),
            RTM_NEWTCLASS => Event::NewClass(Box::new(Class::parse(msg)?)),
            RTM_DELTCLASS => Event::DelClass(Box::new(Class::parse(msg)?)),
            RTM_NEWTFILTER => Event::NewFilter(Box::new(FilterEntry::parse(msg)?)),
            RTM_DELTFILTER => Event::DelFilter(Box::new(FilterEntry::parse(msg)?)),
            RTM_NEWCHAIN => Event::NewChain(Box::new(Chain::parse(msg)?)),
            RTM_DELCHAIN => Event::DelChain(Box::new(Chain::parse(msg)?)),
            RTM_NEWACTION => Event::NewAction(Action::parse_msg(msg)?),
            RTM_DELACTION => Event::DelAction(Action::parse_msg(msg)?),
            RTM_NEWNETCONF => Event::NewNetconf(Netconf::parse(msg)?),
            RTM_DELNETCONF => Event::DelNetconf(Netconf::parse(msg)?),
            RTM_NEWNSID => Event::NewNsid(Nsid::parse(msg)?),
            RTM_DELNSID => Event::DelNsid(Nsid::parse(msg)?),
            other => Event::Other { msg_type: other },
        })
    }
}

/// The current state, for a resync after lost notifications.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Snapshot {
    /// Every link (if the subscription has links).
    pub links: Vec<Link>,
    /// Every address (if the subscription has addresses).
    pub addrs: Vec<Addr>,
}

/// Stops a [`Subscription`] blocked in `next` from another thread.
#[derive(Debug, Clone)]
pub struct StopHandle(Arc<CancelHandle>);

impl StopHandle {
    pub(crate) fn new(cancel: Arc<CancelHandle>) -> Self {
        StopHandle(cancel)
    }

    /// Makes the subscription's `next` return [`ErrorKind::Cancelled`]
    /// (and its iterator end).
    pub fn stop(&self) -> Result<()> {
        Ok(self.0.cancel()?)
    }
}

/// Joins `opts`' groups on `sock` and sizes its buffer.
pub(crate) fn join(sock: &mut Socket, opts: &Subscribe) -> Result<()> {
    if let Some(bytes) = opts.buffer() {
        sock.set_recv_buffer_size(bytes, true)?;
    }
    for g in opts.groups() {
        sock.join(g)?;
    }
    Ok(())
}

impl crate::feed::private::Sealed for Subscribe {}

impl Feed for Subscribe {
    type Event = Event;
    const PROTOCOL: i32 = NETLINK_ROUTE;
    const NAME: &'static str = "Subscription";

    fn prepare(&self, sock: &mut Socket) -> Result<()> {
        join(sock, self)
    }

    fn event(&self, msg: &Msg<'_>) -> Option<Result<Event>> {
        match Event::parse(msg) {
            Ok(Event::Other { .. }) => None,
            other => Some(other),
        }
    }

    fn overrun() -> Event {
        Event::Overrun
    }

    fn wants_existing(&self) -> bool {
        self.list_existing
    }

    fn wants_resync(&self) -> bool {
        self.resync
    }

    fn list(&self, h: &Handle) -> Result<Vec<Event>> {
        h.events_snapshot(self)
    }

    #[cfg(feature = "tokio")]
    fn list_async(&self, h: Arc<crate::AsyncHandle>) -> crate::feed::Listing<Event> {
        let opts = self.clone();
        Box::pin(async move { h.events_snapshot(&opts).await })
    }
}

impl Handle {
    /// Subscribes to changes in this handle's namespace (`ip monitor`).
    pub fn subscribe(&self, opts: &Subscribe) -> Result<Subscription> {
        Subscription::open(self, opts)
    }
}

impl Subscription<Subscribe> {
    /// Takes the current links and addresses with a separate socket in the
    /// same namespace (the subscription keeps receiving meanwhile). Prefer
    /// [`Subscribe::resync`], which also discards what is stale.
    pub fn snapshot(&mut self) -> Result<Snapshot> {
        let mut snap = Snapshot::default();
        for e in self.lister().events_snapshot(self.options())? {
            match e {
                Event::NewLink(l) => snap.links.push(*l),
                Event::NewAddr(a) => snap.addrs.push(a),
                _ => {}
            }
        }
        Ok(snap)
    }

    /// Whether an error means events were lost.
    pub fn is_overrun(err: &Error) -> bool {
        err.kind() == ErrorKind::Overrun
    }
}

/// Where a route is, for a mirror: the kernel's identity of a route
/// (family, table, destination, TOS, metric).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RouteKey {
    /// Address family.
    pub family: u8,
    /// Table.
    pub table: u32,
    /// Destination prefix (`None` for families without one).
    pub dst: Option<IpNet>,
    /// TOS.
    pub tos: u8,
    /// Metric.
    pub priority: u32,
}

impl RouteKey {
    /// The key of `r`.
    pub fn of(r: &Route) -> Self {
        RouteKey {
            family: r.family,
            table: r.table,
            dst: r.dst,
            tos: r.tos,
            priority: r.priority.unwrap_or(0),
        }
    }
}

/// Whether `r` goes only through link `index` (and so goes with it).
fn routes_through(r: &Route, index: u32) -> bool {
    if r.multipath.is_empty() {
        r.oif == Some(index)
    } else {
        r.multipath.iter().all(|h| h.ifindex == index)
    }
}

/// A neighbour's identity: link, family, address; FDB entries have no
/// address, their MAC and VLAN tell them apart.
type NeighKey = (u32, u8, Option<IpAddr>, Option<String>, Option<u16>);

fn neigh_key(n: &Neigh) -> NeighKey {
    let mac = if n.dst.is_none() {
        n.lladdr.map(|m| m.to_string())
    } else {
        None
    };
    (n.ifindex, n.family, n.dst, mac, n.vlan)
}

/// A mirror of links, addresses, routes and neighbours kept by applying
/// [`Event`]s: cleared on [`Event::Overrun`], refilled by the listing that
/// a [`Subscribe::resync`] subscription sends next.
#[derive(Debug, Clone, Default)]
pub struct Store {
    links: BTreeMap<u32, Link>,
    addrs: BTreeMap<(u32, IpNet), Addr>,
    routes: HashMap<RouteKey, Route>,
    neighs: BTreeMap<NeighKey, Neigh>,
}

impl Store {
    /// Applies one event.
    pub fn apply(&mut self, event: &Event) {
        match event {
            Event::Overrun => {
                self.links.clear();
                self.addrs.clear();
                self.routes.clear();
                self.neighs.clear();
            }
            Event::NewLink(l) => {
                self.links.insert(l.index, (**l).clone());
            }
            Event::DelLink(l) => {
                // The kernel removes what hangs on a link without a word
                // (no RTM_DELADDR / RTM_DELROUTE for them): so does the store.
                let index = l.index;
                self.links.remove(&index);
                self.addrs.retain(|(i, _), _| *i != index);
                self.neighs.retain(|k, _| k.0 != index);
                self.routes.retain(|_, r| !routes_through(r, index));
            }
            Event::NewAddr(a) => {
                self.addrs.insert((a.index, a.prefix), a.clone());
            }
            Event::DelAddr(a) => {
                self.addrs.remove(&(a.index, a.prefix));
            }
            Event::NewRoute(r) => {
                self.routes.insert(RouteKey::of(r), (**r).clone());
            }
            Event::DelRoute(r) => {
                self.routes.remove(&RouteKey::of(r));
            }
            Event::NewNeigh(n) => {
                self.neighs.insert(neigh_key(n), n.clone());
            }
            Event::DelNeigh(n) => {
                self.neighs.remove(&neigh_key(n));
            }
            _ => {}
        }
    }

    /// The links, by index.
    pub fn links(&self) -> impl Iterator<Item = &Link> {
        self.links.values()
    }

    /// A link by index.
    pub fn link(&self, index: u32) -> Option<&Link> {
        self.links.get(&index)
    }

    /// The addresses, by link and prefix.
    pub fn addrs(&self) -> impl Iterator<Item = &Addr> {
        self.addrs.values()
    }

    /// The routes, in no particular order.
    pub fn routes(&self) -> impl Iterator<Item = &Route> {
        self.routes.values()
    }

    /// The neighbours, by link and address.
    pub fn neighbours(&self) -> impl Iterator<Item = &Neigh> {
        self.neighs.values()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_deleted_link_takes_its_addresses_routes_and_neighbours() {
        let mut store = Store::default();
        let mut l = Link::new("e0");
        l.index = 7;
        let mut other = Link::new("e1");
        other.index = 8;
        store.apply(&Event::NewLink(Box::new(l.clone())));
        store.apply(&Event::NewLink(Box::new(other)));
        let mut a: Addr = "192.0.2.1/24".parse().unwrap();
        a.index = 7;
        store.apply(&Event::NewAddr(a));
        let mut r = Route::new("198.51.100.0/24".parse().unwrap());
        r.oif = Some(7);
        store.apply(&Event::NewRoute(Box::new(r)));
        let mut kept = Route::new("203.0.113.0/24".parse().unwrap());
        kept.oif = Some(8);
        store.apply(&Event::NewRoute(Box::new(kept)));
        store.apply(&Event::NewNeigh(Neigh::new(
            7,
            "192.0.2.9".parse().unwrap(),
        )));
        store.apply(&Event::DelLink(Box::new(l)));
        assert_eq!(store.links().count(), 1);
        assert_eq!(store.addrs().count(), 0);
        assert_eq!(store.neighbours().count(), 0);
        let routes: Vec<_> = store.routes().map(|r| r.dst_string()).collect();
        assert_eq!(routes, ["203.0.113.0/24"]);
    }
}
