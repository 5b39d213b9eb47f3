// Shared by the blocking Handle and the AsyncHandle: see calls.rs.

use nl_route::route::{RouteDump, RouteGet};
use nl_route::uapi::rtnetlink::RTM_NEWROUTE;
use nl_route::{Route, uapi::rtnetlink::RTNL_FAMILY_IPMR};
use nl_sock::BatchReport;
use nl_wire::Msg;
use crate::error::{Error, Result};
use crate::route::*;

impl H {
    call! {
        /// Routes of the main table (`ip route show`), of one family or both
        /// (0) — the Go library's `RouteList`.
        pub fn route_list(&self, family: u8) -> Result<Vec<Route>> {
            run!(self.route_list_filtered(&RouteDump {
                family,
                ..RouteDump::default()
            }))
        }
    }

    call! {
        /// Routes matching `filter` (`ip route show table all proto bgp dev X`;
        /// the Go library's `RouteListFiltered`, its filter mask as the fields
        /// of [`RouteDump`]): the kernel filters what it can under strict
        /// checking, the library checks every route again.
        pub fn route_list_filtered(&self, filter: &RouteDump) -> Result<Vec<Route>> {
            let listed = run!(self.do_dump_into(ROUTE, |b| Ok(filter.write(b)?),
                    |m, out| {
                        if m.ty() != RTM_NEWROUTE {
                            return Ok(());
                        }
                        // Filled in place: a Route is a few hundred bytes.
                        out.push(Route::default());
                        if let Some(slot) = out.last_mut() {
                            slot.parse_from(&m)?;
                            if !filter.matches(slot) {
                                out.pop();
                            }
                        }
                        Ok(())
                    }));
            missing_table_is_empty(filter, listed)
        }
    }

    call! {
        /// Streams the routes matching `filter` to `f` one at a time: memory
        /// stays bounded by the receive buffer, whatever the table size.
        pub fn route_for_each(
            &self,
            filter: &RouteDump,
            mut f: impl FnMut(Route) -> Result<()>,
        ) -> Result<()> {
            let done = run!(self.do_dump_each(ROUTE, |b| Ok(filter.write(b)?),
                    |m| match parse_route(m)? {
                        Some(r) if filter.matches(&r) => f(r),
                        _ => Ok(()),
                    }));
            missing_table_is_empty(filter, done)
        }
    }

    call! {
        /// Streams the raw RTM_NEWROUTE views of a dump (no owned objects at
        /// all; read them with `nl_wire` or parse the ones you need).
        pub fn route_dump_views(
            &self,
            filter: &RouteDump,
            f: impl FnMut(Msg<'_>) -> Result<()>,
        ) -> Result<()> {
            let done = run!(self.do_dump_each(ROUTE, |b| Ok(filter.write(b)?), f));
            missing_table_is_empty(filter, done)
        }
    }

    call! {
        /// Multicast routes (`ip mroute show`): family `AF_INET` or `AF_INET6`.
        pub fn route_list_multicast(&self, family: u8) -> Result<Vec<Route>> {
            let mfamily = if family == crate::AF_INET6 {
                RTNL_FAMILY_IPMR + 1
            } else {
                RTNL_FAMILY_IPMR
            };
            let filter = RouteDump {
                family: mfamily,
                table: Some(nl_route::route::TABLE_ALL),
                ..RouteDump::default()
            };
            run!(self.route_list_filtered(&filter))
        }
    }

    call! {
        /// `ip route add` (`RouteAdd`).
        pub fn route_add(&self, r: &Route) -> Result<()> {
            run!(self.do_request(ROUTE, |b| Ok(r.write_add(b)?)))
                .map_err(|e| e.about(format_args!("route add {}", r.dst_string())))?;
            Ok(())
        }
    }

    call! {
        /// Adds without `NLM_F_EXCL` (`ip route prepend`, the Go library's
        /// `RouteAddEcmp`, how container network plugins add routes): only an
        /// identical route is an error. A route with the same destination and
        /// metric but another gateway becomes, for IPv4, a second route listed
        /// (and used) before the first; for IPv6, another nexthop of the same
        /// multipath route.
        pub fn route_add_ecmp(&self, r: &Route) -> Result<()> {
            run!(self.do_request(ROUTE, |b| Ok(r.write_add_ecmp(b)?)))
                .map_err(|e| e.about(format_args!("route add (ecmp) {}", r.dst_string())))?;
            Ok(())
        }
    }

    call! {
        /// `ip route append` (`RouteAppend`).
        pub fn route_append(&self, r: &Route) -> Result<()> {
            run!(self.do_request(ROUTE, |b| Ok(r.write_append(b)?)))
                .map_err(|e| e.about(format_args!("route append {}", r.dst_string())))?;
            Ok(())
        }
    }

    call! {
        /// `ip route replace` (`RouteReplace`).
        pub fn route_replace(&self, r: &Route) -> Result<()> {
            run!(self.do_request(ROUTE, |b| Ok(r.write_replace(b)?)))
                .map_err(|e| e.about(format_args!("route replace {}", r.dst_string())))?;
            Ok(())
        }
    }

    call! {
        /// `ip route change` (`RouteChange`).
        pub fn route_change(&self, r: &Route) -> Result<()> {
            run!(self.do_request(ROUTE, |b| Ok(r.write_change(b)?)))
                .map_err(|e| e.about(format_args!("route change {}", r.dst_string())))?;
            Ok(())
        }
    }

    call! {
        /// `ip route del` (`RouteDel`).
        pub fn route_del(&self, r: &Route) -> Result<()> {
            run!(self.do_request(ROUTE, |b| Ok(r.write_del(b)?)))
                .map_err(|e| e.about(format_args!("route del {}", r.dst_string())))?;
            Ok(())
        }
    }

    call! {
        /// `ip route get` (`RouteGetWithOptions`): the route the kernel would
        /// use, with its resolved output interface and source.
        pub fn route_get(&self, get: &RouteGet) -> Result<Route> {
            let mut found = None;
            run!(self.do_exchange(ROUTE, |b| Ok(get.write(b)?),
                    |m| {
                        if found.is_none() {
                            found = parse_route(m)?;
                        }
                        Ok(())
                    }))?;
            found.ok_or_else(|| Error::not_found("route".into(), None))
        }
    }

    call! {
        /// Sends `op` for every route in as few syscalls as the socket allows;
        /// one result per route, in order, a failure in the middle keeping the
        /// others' results.
        pub fn route_batch_op(&self, op: RouteOp, routes: &[Route]) -> Result<BatchReport> {
            let mut buf = Vec::with_capacity(routes.len() * 64);
            for r in routes {
                op.write(r, &mut buf)?;
            }
            run!(self.route_batch(&mut buf))
        }
    }

    call! {
        /// Adds many routes at once.
        pub fn routes_add(&self, routes: &[Route]) -> Result<BatchReport> {
            run!(self.route_batch_op(RouteOp::Add, routes))
        }
    }

    call! {
        /// Replaces (or adds) many routes at once.
        pub fn routes_replace(&self, routes: &[Route]) -> Result<BatchReport> {
            run!(self.route_batch_op(RouteOp::Replace, routes))
        }
    }

    call! {
        /// Deletes many routes at once.
        pub fn routes_del(&self, routes: &[Route]) -> Result<BatchReport> {
            run!(self.route_batch_op(RouteOp::Del, routes))
        }
    }

    call! {
        /// `ip route flush`: deletes every route matching `filter`; returns how
        /// many were deleted. Routes that vanish in between are not errors.
        pub fn route_flush(&self, filter: &RouteDump) -> Result<usize> {
            let victims = run!(self.route_list_filtered(filter))?;
            let report = run!(self.routes_del(&victims))?;
            let real_failures = report
                .failures()
                .iter()
                .filter(|(_, e)| e.kind() != crate::ErrorKind::NotFound)
                .map(|(_, e)| e.clone())
                .next();
            if let Some(e) = real_failures {
                return Err(e.into());
            }
            Ok(report.succeeded())
        }
    }
}
