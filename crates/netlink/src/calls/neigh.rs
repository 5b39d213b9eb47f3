// Shared by the blocking Handle and the AsyncHandle: see calls.rs.

use nl_route::link::LinkId;
use nl_route::uapi::rtnetlink::RTM_NEWNEIGH;
use nl_route::neightbl::{NeighTable, NeighTableChange};
use nl_route::{AF_BRIDGE, Neigh, NeighDump};
use nl_sock::BatchReport;
use crate::error::Result;
use crate::neigh::*;

impl H {
    call! {
        /// Neighbours of one link or all (`None`), of one family (`AF_INET`,
        /// `AF_INET6`) or both (0) — the Go library's `NeighList(index, family)`.
        pub fn neigh_list(&self, link: Option<LinkId>, family: u8) -> Result<Vec<Neigh>> {
            let ifindex = run!(self.link_index_opt(link))?;
            run!(self.neigh_list_filtered(&NeighDump {
                family,
                ifindex,
                ..NeighDump::default()
            }))
        }
    }

    call! {
        /// Proxy entries (`ip neigh show proxy`; `NeighProxyList`).
        pub fn neigh_proxy_list(&self, link: Option<LinkId>, family: u8) -> Result<Vec<Neigh>> {
            let ifindex = run!(self.link_index_opt(link))?;
            run!(self.neigh_list_filtered(&NeighDump {
                family,
                ifindex,
                proxy: true,
                ..NeighDump::default()
            }))
        }
    }

    call! {
        /// Entries matching `filter`: the kernel applies the device, master and
        /// proxy filters, the library checks everything again.
        pub fn neigh_list_filtered(&self, filter: &NeighDump) -> Result<Vec<Neigh>> {
            run!(self.list(filter, RTM_NEWNEIGH, Neigh::parse))
        }
    }

    call! {
        /// `ip neigh add` (`NeighAdd`).
        pub fn neigh_add(&self, n: &Neigh) -> Result<()> {
            run!(self.neigh_op(NeighOp::Add, n))
        }
    }

    call! {
        /// `ip neigh replace` (`NeighSet`): adds or overwrites.
        pub fn neigh_set(&self, n: &Neigh) -> Result<()> {
            run!(self.neigh_op(NeighOp::Replace, n))
        }
    }

    call! {
        /// `ip neigh change`: overwrites an existing entry only.
        pub fn neigh_change(&self, n: &Neigh) -> Result<()> {
            run!(self.neigh_op(NeighOp::Change, n))
        }
    }

    call! {
        /// `ip neigh del` (`NeighDel`).
        pub fn neigh_del(&self, n: &Neigh) -> Result<()> {
            run!(self.neigh_op(NeighOp::Del, n))
        }
    }

    call! {
        /// Sends one neighbour request.
        pub fn neigh_op(&self, op: NeighOp, n: &Neigh) -> Result<()> {
            run!(self.do_request(ROUTE, |b| Ok(op.write(n, b)?)))?;
            Ok(())
        }
    }

    call! {
        /// Sends `op` for every entry in as few syscalls as the socket allows;
        /// one result per entry, in order, a failure in the middle keeping the
        /// others' results.
        pub fn neigh_batch_op(&self, op: NeighOp, neighs: &[Neigh]) -> Result<BatchReport> {
            let mut buf = Vec::with_capacity(neighs.len() * 64);
            for n in neighs {
                op.write(n, &mut buf)?;
            }
            run!(self.route_batch(&mut buf))
        }
    }

    call! {
        /// Adds many neighbours at once.
        pub fn neighs_add(&self, neighs: &[Neigh]) -> Result<BatchReport> {
            run!(self.neigh_batch_op(NeighOp::Add, neighs))
        }
    }

    call! {
        /// Replaces (or adds) many neighbours at once.
        pub fn neighs_replace(&self, neighs: &[Neigh]) -> Result<BatchReport> {
            run!(self.neigh_batch_op(NeighOp::Replace, neighs))
        }
    }

    call! {
        /// Deletes many neighbours at once.
        pub fn neighs_del(&self, neighs: &[Neigh]) -> Result<BatchReport> {
            run!(self.neigh_batch_op(NeighOp::Del, neighs))
        }
    }

    call! {
        /// FDB entries (`bridge fdb show [br B] [brport P]`): of a bridge's
        /// ports (`master`), of one port or device (`port`), or all.
        pub fn fdb_list(&self, master: Option<LinkId>, port: Option<LinkId>) -> Result<Vec<Neigh>> {
            let master = run!(self.link_index_opt(master))?;
            let ifindex = run!(self.link_index_opt(port))?;
            run!(self.neigh_list_filtered(&NeighDump {
                family: AF_BRIDGE,
                ifindex,
                master,
                ..NeighDump::default()
            }))
        }
    }

    call! {
        /// `bridge fdb add` (an `AF_BRIDGE` [`Neigh`], see [`Neigh::fdb`]).
        pub fn fdb_add(&self, n: &Neigh) -> Result<()> {
            run!(self.neigh_op(NeighOp::Add, &as_fdb(n)))
        }
    }

    call! {
        /// `bridge fdb replace`.
        pub fn fdb_replace(&self, n: &Neigh) -> Result<()> {
            run!(self.neigh_op(NeighOp::Replace, &as_fdb(n)))
        }
    }

    call! {
        /// `bridge fdb append`: another remote for the same MAC on a VXLAN device.
        pub fn fdb_append(&self, n: &Neigh) -> Result<()> {
            run!(self.neigh_op(NeighOp::Append, &as_fdb(n)))
        }
    }

    call! {
        /// `bridge fdb del`.
        pub fn fdb_del(&self, n: &Neigh) -> Result<()> {
            run!(self.neigh_op(NeighOp::Del, &as_fdb(n)))
        }
    }
}

// Neighbour tables (`ip ntable`).
impl H {
    call! {
        /// The neighbour tables of `family` (`AF_UNSPEC`: all) and each
        /// device's parameters in them (`ip ntable show`): one entry per
        /// table with its thresholds, configuration, statistics and
        /// defaults, then one per device with `parms.ifindex` set.
        pub fn neigh_table_list(&self, family: u8) -> Result<Vec<NeighTable>> {
            run!(self.do_dump(
                ROUTE,
                |b| Ok(NeighTable::write_dump(b, family)?),
                |m| Ok(if NeighTable::is(&m) { Some(NeighTable::parse(&m)?) } else { None }),
            ))
        }
    }

    call! {
        /// Changes a neighbour table or a device's parameters in it (`ip
        /// ntable change`). Outside the initial namespace the kernel takes
        /// only per-device parameters: the tables themselves are shared.
        pub fn neigh_table_change(&self, change: &NeighTableChange) -> Result<()> {
            run!(self.do_request(ROUTE, |b| Ok(change.write(b)?)))
                .map_err(|e| e.about(format_args!("ntable change {}", change.name)))?;
            Ok(())
        }
    }
}
