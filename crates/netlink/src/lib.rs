//! Linux netlink with the calls of `ip` and Go's vishvananda/netlink.
//!
//! [`Handle`] is the entry point: links, addresses, bridge ports, routes,
//! rules, neighbours and the FDB, nexthop objects, IPsec states and
//! policies ([`nl_xfrm`]) and notifications, as
//! methods named after the Go library's functions in Rust form
//! (`link_add`, `link_by_name`, `link_set_master`, `addr_add`,
//! `route_add`, `rule_add`, `neigh_list`, `xfrm_state_add`, `subscribe`
//! ...). Everything underneath is re-exported: [`nl_route`] and
//! [`nl_xfrm`] objects, [`nl_sock`] sockets, [`nl_wire`] views.
//!
//! The Go library's README, in Rust:
//!
//! ```no_run
//! use netlink::{Handle, Link, LinkKind};
//!
//! let h = Handle::new()?;
//! // ip link add foo type bridge; ip link set eth1 master foo
//! h.link_add(&Link::new("foo").with_kind(LinkKind::bridge()))?;
//! let eth1 = h.link_by_name("eth1")?;
//! h.link_set_master(&eth1, &h.link_by_name("foo")?)?;
//!
//! // ip addr add 169.254.169.254/32 dev lo
//! let lo = h.link_by_name("lo")?;
//! h.addr_add(&lo, &"169.254.169.254/32".parse()?)?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Blocking or async
//!
//! Every call of [`Handle`] blocks the calling thread until the kernel has
//! answered: a request until its ack, a listing until the dump's last
//! message, a batch until the last datagram's ack. None waits longer than
//! [`nl_sock::DEFAULT_TIMEOUT`] (30 s) for the kernel's next datagram
//! ([`ErrorKind::Timeout`]). A [`Subscription`] blocks in `next` until an
//! event comes (for ever, unless [`Subscription::set_timeout`] says
//! otherwise).
//!
//! With the `tokio` feature, `AsyncHandle` has every call of [`Handle`]
//! with the same name and arguments, awaited, plus dumps as streams
//! (`route_stream` ...) and `AsyncSubscription`, a stream of events. Its
//! futures never block a runtime thread on the kernel; the only waits
//! outside the reactor are a socket opened in another namespace (a helper
//! thread is started and joined) and the ioctls of tun/tap and bpf, which
//! return at once. Both handles run the same code: each call is written
//! once (in `calls/`) and compiled for each.
//!
//! Sockets of other runtimes: every [`nl_sock::Socket`] is `AsFd` and can
//! be put in non-blocking mode, so any event loop can drive it (the
//! `smol` example drives a subscription with `async-io`).
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

#[cfg(feature = "tokio")]
mod async_events;
#[cfg(feature = "tokio")]
mod async_handle;
mod calls;
#[cfg(feature = "netfilter")]
mod conntrack;
mod error;
pub mod events;
mod feed;
#[cfg(feature = "genl")]
mod genl;
mod handle;
mod link;
#[cfg(feature = "connector")]
mod multicast;
mod neigh;
#[cfg(feature = "netfilter")]
mod nft;
#[cfg(feature = "connector")]
pub mod proc;
mod route;
#[cfg(feature = "tokio")]
mod streams;
mod xfrm;

#[cfg(feature = "tokio")]
pub use async_events::AsyncSubscription;
#[cfg(feature = "tokio")]
pub use async_handle::{AsyncHandle, DumpStream, Stream};
pub use error::{Error, ErrorKind, Result};
pub use events::{Event, Feed, RouteKey, Snapshot, StopHandle, Store, Subscribe, Subscription};
pub use handle::{DEFAULT_DUMP_RETRIES, Handle};
pub use neigh::NeighOp;
pub use route::RouteOp;
pub use xfrm::XfrmMonitor;

#[cfg(all(feature = "netfilter", feature = "tokio"))]
pub use conntrack::AsyncConntrackSubscription;
#[cfg(feature = "netfilter")]
pub use conntrack::{ConntrackEvent, ConntrackSubscribe, ConntrackSubscription};
#[cfg(all(feature = "genl", feature = "tokio"))]
pub use genl::AsyncGenlSubscription;
#[cfg(feature = "genl")]
pub use genl::{GenlNotification, GenlSubscription};
pub use ipnet::{IpNet, Ipv4Net, Ipv6Net};
#[cfg(all(feature = "netfilter", feature = "tokio"))]
pub use nft::AsyncNftSubscription;
#[cfg(feature = "netfilter")]
pub use nft::{NftEvent, NftSubscribe, NftSubscription};
#[cfg(feature = "connector")]
pub use nl_connector;
#[cfg(feature = "connector")]
pub use nl_connector::{ExitStatus as ProcExitStatus, ProcEvent, ProcEventKind};
#[cfg(feature = "diag")]
pub use nl_diag;
#[cfg(feature = "diag")]
pub use nl_diag::{
    Filter as SocketFilter, InetDump, InetProto, InetSocket, SockId, States as SocketStates,
    TcpInfo, UnixDump, UnixSocket, XdpSocket,
};
#[cfg(feature = "genl")]
pub use nl_genl;
#[cfg(feature = "devlink")]
pub use nl_genl::devlink;
#[cfg(feature = "ethtool")]
pub use nl_genl::ethtool;
#[cfg(feature = "fou")]
pub use nl_genl::fou;
#[cfg(feature = "gtp")]
pub use nl_genl::gtp;
#[cfg(feature = "macsec")]
pub use nl_genl::macsec;
#[cfg(feature = "mptcp")]
pub use nl_genl::mptcp;
#[cfg(feature = "nl80211")]
pub use nl_genl::nl80211;
#[cfg(feature = "vdpa")]
pub use nl_genl::vdpa;
#[cfg(feature = "wireguard")]
pub use nl_genl::wireguard::{
    Config as WgConfig, Device as WgDevice, Interface as WgInterface, Key as WgKey, Peer as WgPeer,
    PeerConfig as WgPeerConfig, PresharedKey as WgPresharedKey, PrivateKey as WgPrivateKey,
};
#[cfg(feature = "genl")]
pub use nl_genl::{Family as GenlFamily, Policy as GenlPolicy};
#[cfg(feature = "netfilter")]
pub use nl_netfilter;
#[cfg(feature = "netfilter")]
pub use nl_netfilter::conntrack::{
    CpuStats as ConntrackCpuStats, Entry as ConntrackEntry, Expect as ConntrackExpect,
    Filter as ConntrackFilter, Labels as ConntrackLabels, Stats as ConntrackStats,
    Status as ConntrackStatus, TcpState, Tuple as ConntrackTuple,
};
#[cfg(feature = "netfilter")]
pub use nl_netfilter::ipset::{CreateOptions as IpsetCreateOptions, Entry as IpsetEntry, IpSet};
#[cfg(feature = "rdma")]
pub use nl_rdma;
#[cfg(feature = "rdma")]
pub use nl_rdma::{
    NetnsMode as RdmaNetnsMode, RdmaLink, RdmaPort, RdmaPortStatistic, RdmaResource, RdmaSystem,
};
pub use nl_route::link::LinkId;
pub use nl_route::route::{Encap, Metrics, NextHop};
pub use nl_route::{
    AF_BRIDGE, AF_INET, AF_INET6, AF_UNSPEC, Addr, AddrFlags, BridgePort, BridgeVlan, Link,
    LinkDump, LinkFlags, LinkKind, LinkSet, Neigh, NeighDump, NeighFlags, NeighState, Netns,
    Nexthop, NexthopDump, OperState, Route, RouteDump, RouteGet, RouteProtocol, RouteType, Rule,
    RuleAction, RuleDump, Scope, SlaveInfo,
};
pub use nl_route::{ParseError, parse_addr, parse_prefix};
#[cfg(all(feature = "connector", feature = "tokio"))]
pub use proc::AsyncProcSubscription;
#[cfg(feature = "connector")]
pub use proc::ProcSubscription;
// Types the calls take or return, so an application names them from here.
pub use nl_route::kind::{PeerDefaults, Veth};
pub use nl_route::link::NameAssignType;
pub use nl_route::{AddrDump, LinkStats, Netconf, Nsid};
pub use nl_route::{VfInfo, VfLinkState, VfPort, VfSettings, VfStats, VlanTunnel};
pub use nl_route::{kind, tc};
pub use nl_sock::netns::NetnsDir;
pub use nl_sock::tun::{TunDevice, TunOptions};
pub use nl_sock::{Ack, BatchReport, Errno, Socket};
pub use nl_wire::HwAddr;
pub use nl_wire::netlink::{NETLINK_ROUTE, NETLINK_XFRM};
pub use {ipnet, nl_route, nl_sock, nl_wire, nl_xfrm};
