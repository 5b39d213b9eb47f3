//! NETLINK_ROUTE objects over nl-wire: links, addresses, bridge ports,
//! routes, rules, neighbours and FDB entries, nexthop objects, traffic
//! control, netconf and namespace ids.
//!
//! Every object has the same shape: an owned type with `std::net` /
//! `ipnet` fields and small enums that keep unknown kernel values
//! (`Other(..)`), a `parse(&Msg)` that reads the kernel's message in one
//! loop, and `write_*` methods that append a complete request to a
//! `Vec<u8>` for [`nl_sock::Socket`](https://docs.rs/nl-sock) to send.
//! Requests are validated before anything is built, so a bad name or a
//! mixed-family address never reaches the kernel.
//!
//! ```
//! use nl_route::{Link, LinkKind, Addr};
//! let mut batch = Vec::new();
//! Link::new("br0").kind(LinkKind::bridge()).write_add(&mut batch)?;
//! let addr: Addr = "192.0.2.1/24".parse()?;
//! Addr { index: 5, ..addr }.write_add(&mut batch)?;
//! assert_eq!(nl_wire::Msgs::new(&batch).count(), 2);
//! # Ok::<(), nl_route::Error>(())
//! ```
//!
//! # Vocabulary
//!
//! One word per idea, in every module (and the pattern for the family
//! crates that copy this one):
//!
//! * **Constants** keep the kernel's names, in modules named after their
//!   UAPI header ([`uapi::if_link::IFLA_MTU`], [`uapi::rtnetlink::RTN_LOCAL`]),
//!   so `grep IFLA_MTU` finds the header and every use.
//! * **type** (`ty` where Rust reserves the word) is a number saying what
//!   something is, as the kernel's `*_type` fields do: a message's type
//!   ([`nl_wire::Msg::ty`]), an attribute's ([`nl_wire::Attr::ty`]), a
//!   route's ([`Route::route_type`], `rtm_type`), a neighbour's
//!   ([`Neigh::neigh_type`], `ndm_type`), an encapsulation's
//!   ([`Encap::encap_type`]), a link's hardware ([`Link::link_type`],
//!   `ifi_type`).
//! * **kind** is only the name of a driver or classifier the kernel
//!   instantiates, as it sends it in `IFLA_INFO_KIND`,
//!   `IFLA_INFO_SLAVE_KIND`, `TCA_KIND` and `TCA_ACT_KIND` (`"veth"`,
//!   `"htb"`, `"u32"`, `"mirred"`), and the enums of a kind with its
//!   settings: [`LinkKind`], [`SlaveInfo`], [`tc::QdiscKind`],
//!   [`tc::ClassKind`], [`tc::FilterKind`], [`tc::ActionKind`]. A kind's
//!   settings are its *data* for links (`IFLA_INFO_DATA`, [`kind::LinkData`])
//!   and its *options* in traffic control (`TCA_OPTIONS`, [`tc::TcOptions`],
//!   [`tc::FilterOptions`], [`tc::ActionOptions`]). A kind the library does
//!   not know is `Other`, its settings raw, written back unchanged; a
//!   kernel enum value it does not know is `Other(raw)`
//!   ([`nl_wire::kernel_enum!`]).
//! * **Options** of a request are set with builder methods named with
//!   iproute2's word for the option, without prefix:
//!   `ip link add br0 mtu 9000 type bridge` is
//!   `Link::new("br0").mtu(9000).kind(LinkKind::bridge())`,
//!   `ip route add P via G dev D metric M` is
//!   `Route::new(p).via(g).dev(d).metric(m)`, `tc class add ... classid 1:10`
//!   is [`tc::Class::classid`]. Where iproute2 has no word, or the word
//!   already names a constructor, the method is named after the field it
//!   sets ([`Nexthop::oif`]). Constructors of a fixed shape are `new`,
//!   `with_*` ([`kind::Veth::with_peer`]) or the kind's own word
//!   ([`LinkKind::vxlan`], [`tc::Action::mirred`]).
//! * **Calls** are the Go library's verbs (vishvananda/netlink): the facade
//!   has `link_add`, `route_replace`, `qdisc_del`, `xfrm_state_get` ...;
//!   here each object writes the request of one verb
//!   (`write_add`, `write_replace`, `write_change`, `write_del`,
//!   `write_get`; a dump with filters is a `*Dump` value's `write`, one
//!   without is `write_dump`) and reads a reply with `parse`.
//! * **Indexes**: a link is `index` on itself and on the objects that live
//!   on one device (addresses, qdiscs, filters); a route's devices are
//!   `oif` / `iif`, as `RTA_OIF` / `RTA_IIF` name them.
//!
//! # Errors
//!
//! A received message that does not parse is [`Error::Wire`] with its
//! message type, the top-level attribute it was read in, and nl-wire's
//! error (what, and at which offset). That context is attached in one
//! place, where a message is parsed; the parsers below it are one loop with
//! one `match` each ([`nl_wire::Attrs::decode`]) and know nothing of it.
//!
//! # Kinds
//!
//! Link kinds, slave kinds, qdisc, class, filter and action kinds each
//! register in one table, one line per kind, with their settings in a file
//! of their own: see [`kind`], [`tc::qdisc`], [`tc::class`], [`tc::filter`]
//! and [`tc::action`] for the recipe.
#![warn(missing_docs)]
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::indexing_slicing,
        clippy::panic
    )
)]

pub mod addr;
mod attrs;
pub mod devconf;
mod error;
pub mod kind;
pub mod link;
pub mod neigh;
pub mod neightbl;
pub mod netconf;
pub mod nexthop;
pub mod nsid;
mod parse;
pub mod port;
mod registry;
pub mod route;
pub mod rule;
pub mod scope;
pub mod stats;
pub mod tc;
pub mod text;
pub mod uapi;
pub mod vf;
pub mod vni;

pub use addr::{Addr, AddrDump, AddrFlags};
pub use error::{Error, Result};
pub use kind::{LinkKind, OtherKind, SlaveInfo};
pub use link::{
    AddrGenMode, Link, LinkDump, LinkFlags, LinkId, LinkMode, LinkSet, LinkStats, Netns, OperState,
    Xdp, XdpAttached,
};
pub use neigh::{Neigh, NeighCacheInfo, NeighDump, NeighFlags, NeighFlagsExt, NeighState};
pub use netconf::{Netconf, NetconfDevice};
pub use nexthop::{GroupMember, GroupType, Nexthop, NexthopDump, ResilientGroup};
pub use nsid::{NsTarget, Nsid};
pub use parse::{ParseError, parse_addr, parse_prefix};
pub use port::{BridgeId, BridgePort, BridgePortInfo, BridgeVlan, PortState, VlanTunnel};
pub use route::{
    Encap, Metrics, NextHop, Route, RouteDump, RouteFlags, RouteGet, RouteProtocol, RouteType,
};
pub use rule::{PortRange, Rule, RuleAction, RuleDump, RuleFlags, UidRange};
pub use scope::Scope;
pub use text::{LinkNames, NoNames};
pub use vf::{VfInfo, VfLinkState, VfPort, VfSettings, VfStats};

/// `AF_UNSPEC`.
pub const AF_UNSPEC: u8 = 0;
/// `AF_INET`.
pub const AF_INET: u8 = 2;
/// `AF_BRIDGE`.
pub const AF_BRIDGE: u8 = 7;
/// `AF_INET6`.
pub const AF_INET6: u8 = 10;
/// `AF_MPLS`.
pub const AF_MPLS: u8 = 28;
