//! Dumps as streams on the [`AsyncHandle`]: each object is parsed as its
//! message arrives, in the socket's reused buffer, so a table of any size
//! streams in constant memory.

use nl_route::uapi::rtnetlink::{
    RTM_NEWADDR, RTM_NEWLINK, RTM_NEWNEIGH, RTM_NEWNEXTHOP, RTM_NEWROUTE, RTM_NEWRULE,
};
use nl_route::{
    Addr, AddrDump, Link, LinkDump, Neigh, NeighDump, Nexthop, NexthopDump, Route, RouteDump, Rule,
    RuleDump,
};
use nl_wire::netlink::NETLINK_ROUTE;

use crate::async_handle::{AsyncHandle, DumpStream};
use crate::error::Result;

macro_rules! typed_stream {
    ($(#[$doc:meta])* $name:ident, $filter:ty, $obj:ty, $reply:expr) => {
        $(#[$doc])*
        pub fn $name<'h>(&'h self, filter: &'h $filter) -> Result<DumpStream<'h, $obj>> {
            self.dump_stream(
                NETLINK_ROUTE,
                |b| Ok(filter.write(b)?),
                move |m| {
                    if m.ty() != $reply {
                        return Ok(None);
                    }
                    Ok(Some(<$obj>::parse(&m)?).filter(|o| filter.matches(o)))
                },
            )
        }
    };
}

impl AsyncHandle {
    typed_stream!(
        /// Links matching `filter`, as they arrive (`ip link show`).
        ///
        /// ```no_run
        /// # async fn run() -> netlink::Result<()> {
        /// use netlink::{AsyncHandle, LinkDump, Stream};
        /// let h = AsyncHandle::new()?;
        /// let filter = LinkDump::default();
        /// let mut links = std::pin::pin!(h.link_stream(&filter)?);
        /// while let Some(link) = std::future::poll_fn(|cx| links.as_mut().poll_next(cx)).await {
        ///     println!("{}", link?.name);
        /// }
        /// # Ok(()) }
        /// ```
        link_stream, LinkDump, Link, RTM_NEWLINK
    );
    typed_stream!(
        /// Addresses matching `filter`, as they arrive (`ip addr show`).
        addr_stream, AddrDump, Addr, RTM_NEWADDR
    );
    typed_stream!(
        /// Neighbours matching `filter`, as they arrive (`ip neigh show`).
        neigh_stream, NeighDump, Neigh, RTM_NEWNEIGH
    );
    typed_stream!(
        /// Rules matching `filter`, as they arrive (`ip rule show`).
        rule_stream, RuleDump, Rule, RTM_NEWRULE
    );
    typed_stream!(
        /// Nexthop objects matching `filter`, as they arrive.
        nexthop_stream, NexthopDump, Nexthop, RTM_NEWNEXTHOP
    );

    /// Routes matching `filter`, as they arrive (`ip route show`): a
    /// million routes stream in the memory of one receive buffer. A table
    /// that does not exist yields nothing (the kernel's "FIB table does
    /// not exist").
    pub fn route_stream<'h>(&'h self, filter: &'h RouteDump) -> Result<DumpStream<'h, Route>> {
        Ok(self
            .dump_stream(
                NETLINK_ROUTE,
                |b| Ok(filter.write(b)?),
                move |m| {
                    if m.ty() != RTM_NEWROUTE {
                        return Ok(None);
                    }
                    Ok(Some(Route::parse(&m)?).filter(|r| filter.matches(r)))
                },
            )?
            .end_on_not_found())
    }
}
