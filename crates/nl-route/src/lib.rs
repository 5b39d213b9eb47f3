//! NETLINK_ROUTE objects over nl-wire: links, addresses, bridge ports,
//! routes, rules, neighbours and FDB entries, nexthop objects (and, as
//! it lands, traffic control).
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
//! Link::new("br0").with_kind(LinkKind::bridge()).write_add(&mut batch)?;
//! let addr: Addr = "192.0.2.1/24".parse()?;
//! Addr { index: 5, ..addr }.write_add(&mut batch)?;
//! assert_eq!(nl_wire::Msgs::new(&batch).count(), 2);
//! # Ok::<(), nl_route::Error>(())
//! ```
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
mod error;
pub mod kind;
pub mod link;
pub mod neigh;
pub mod netconf;
pub mod nexthop;
pub mod nsid;
mod parse;
pub mod port;
pub mod route;
pub mod rule;
pub mod scope;
pub mod tc;
pub mod text;
pub mod uapi;

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
pub use port::{BridgeId, BridgePort, BridgePortInfo, BridgeVlan, PortState};
pub use route::{
    Encap, Metrics, NextHop, Route, RouteDump, RouteFlags, RouteGet, RouteProtocol, RouteType,
};
pub use rule::{PortRange, Rule, RuleAction, RuleDump, RuleFlags, UidRange};
pub use scope::Scope;
pub use text::{LinkNames, NoNames};

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
