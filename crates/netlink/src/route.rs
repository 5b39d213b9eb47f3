//! Route calls: `ip route` in Rust, including bulk programming.

use nl_route::Route;
use nl_route::route::RouteDump;
use nl_route::uapi::rtnetlink::RTM_NEWROUTE;
use nl_wire::Msg;

use crate::error::Result;

/// Under strict checking the kernel answers a dump of one table that does
/// not exist (yet: even `main` appears with its first route) with ENOENT
/// "FIB table does not exist". A table that does not exist has no routes.
pub(crate) fn missing_table_is_empty<T: Default>(filter: &RouteDump, r: Result<T>) -> Result<T> {
    match r {
        Err(e)
            if e.kind() == crate::ErrorKind::NotFound
                && filter.effective_table() != nl_route::route::TABLE_ALL =>
        {
            Ok(T::default())
        }
        other => other,
    }
}

pub(crate) fn parse_route(m: Msg<'_>) -> Result<Option<Route>> {
    if m.ty() != RTM_NEWROUTE {
        return Ok(None);
    }
    Ok(Some(Route::parse(&m)?))
}

/// Which write a bulk call sends for each route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RouteOp {
    /// `route add` (fails if it exists).
    Add,
    /// `route prepend`: add without `NLM_F_EXCL` (the Go library's
    /// `RouteAddEcmp`; see [`Handle::route_add_ecmp`](crate::Handle::route_add_ecmp)).
    AddEcmp,
    /// `route append`.
    Append,
    /// `route replace`.
    Replace,
    /// `route change`.
    Change,
    /// `route del`.
    Del,
}

impl RouteOp {
    pub(crate) fn write(self, r: &Route, buf: &mut Vec<u8>) -> nl_route::Result<()> {
        match self {
            RouteOp::Add => r.write_add(buf),
            RouteOp::AddEcmp => r.write_add_ecmp(buf),
            RouteOp::Append => r.write_append(buf),
            RouteOp::Replace => r.write_replace(buf),
            RouteOp::Change => r.write_change(buf),
            RouteOp::Del => r.write_del(buf),
        }
    }
}
