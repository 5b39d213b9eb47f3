//! Every facade call, written once and compiled twice: for the blocking
//! [`Handle`](crate::Handle) and, with the `tokio` feature, for the
//! [`AsyncHandle`](crate::AsyncHandle).
//!
//! The files in `calls/` hold `impl H` blocks whose methods are wrapped
//! in `call!` and whose waits on the kernel are wrapped in `run!`. Each
//! flavor below defines `H`, `call!` (a plain `fn`, or an `async fn`) and
//! `run!` (the expression itself, or the expression awaited), then
//! includes the files. Both handles implement the same primitives
//! (`do_request`, `do_exchange`, `do_dump`, `do_dump_into`,
//! `do_dump_each`, `do_batch`), so a call's logic — which requests, in
//! which order, how replies are read and errors named — exists once.

use nl_wire::netlink::{NETLINK_ROUTE, NETLINK_XFRM};

const ROUTE: i32 = NETLINK_ROUTE;
const XFRM: i32 = NETLINK_XFRM;

macro_rules! shared_calls {
    () => {
        mod base {
            use super::*;
            include!("calls/core.rs");
        }
        mod addr {
            use super::*;
            include!("calls/addr.rs");
        }
        mod link {
            use super::*;
            include!("calls/link.rs");
        }
        mod neigh {
            use super::*;
            include!("calls/neigh.rs");
        }
        mod nexthop {
            use super::*;
            include!("calls/nexthop.rs");
        }
        mod route {
            use super::*;
            include!("calls/route.rs");
        }
        mod rule {
            use super::*;
            include!("calls/rule.rs");
        }
        mod tc {
            use super::*;
            include!("calls/tc.rs");
        }
        mod xfrm {
            use super::*;
            include!("calls/xfrm.rs");
        }
        mod events {
            use super::*;
            include!("calls/events.rs");
        }
        mod netns {
            use super::*;
            include!("calls/netns.rs");
        }
        #[cfg(feature = "genl")]
        mod genl {
            use super::*;
            include!("calls/genl.rs");
        }
        #[cfg(feature = "netfilter")]
        mod conntrack {
            use super::*;
            include!("calls/conntrack.rs");
        }
        #[cfg(feature = "ethtool")]
        mod ethtool {
            use super::*;
            include!("calls/ethtool.rs");
        }
        #[cfg(feature = "mptcp")]
        mod mptcp {
            use super::*;
            include!("calls/mptcp.rs");
        }
        #[cfg(feature = "nl80211")]
        mod nl80211 {
            use super::*;
            include!("calls/nl80211.rs");
        }
        #[cfg(feature = "devlink")]
        mod devlink {
            use super::*;
            include!("calls/devlink.rs");
        }
        #[cfg(feature = "netfilter")]
        mod ipset {
            use super::*;
            include!("calls/ipset.rs");
        }
        #[cfg(feature = "netfilter")]
        mod nft {
            use super::*;
            include!("calls/nft.rs");
        }
        #[cfg(feature = "wireguard")]
        mod wireguard {
            use super::*;
            include!("calls/wireguard.rs");
        }
        #[cfg(feature = "fou")]
        mod fou {
            use super::*;
            include!("calls/fou.rs");
        }
        #[cfg(feature = "gtp")]
        mod gtp {
            use super::*;
            include!("calls/gtp.rs");
        }
        #[cfg(feature = "macsec")]
        mod macsec {
            use super::*;
            include!("calls/macsec.rs");
        }
        #[cfg(feature = "diag")]
        mod diag {
            use super::*;
            include!("calls/diag.rs");
        }
        #[cfg(feature = "vdpa")]
        mod vdpa {
            use super::*;
            include!("calls/vdpa.rs");
        }
        #[cfg(feature = "rdma")]
        mod rdma {
            use super::*;
            include!("calls/rdma.rs");
        }
    };
}

/// The blocking flavor: `run!(e)` is `e`.
mod blocking {
    use super::{ROUTE, XFRM};
    // Doc links in calls/ name the blocking handle's methods.
    #[allow(unused_imports)]
    use crate::handle::Handle;
    use crate::handle::Handle as H;

    macro_rules! call {
        ($(#[$meta:meta])* $vis:vis fn $($rest:tt)*) => { $(#[$meta])* $vis fn $($rest)* };
    }
    macro_rules! run {
        ($e:expr) => {
            $e
        };
    }

    shared_calls!();
}

/// The tokio flavor: `run!(e)` is `e.await`.
#[cfg(feature = "tokio")]
mod nonblocking {
    use super::{ROUTE, XFRM};
    use crate::async_handle::AsyncHandle as H;
    #[allow(unused_imports)]
    use crate::handle::Handle;

    macro_rules! call {
        ($(#[$meta:meta])* $vis:vis fn $($rest:tt)*) => { $(#[$meta])* $vis async fn $($rest)* };
    }
    macro_rules! run {
        ($e:expr) => {
            $e.await
        };
    }

    shared_calls!();
}
