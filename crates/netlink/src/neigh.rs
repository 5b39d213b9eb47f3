//! Neighbour and bridge FDB calls: `ip neigh` and `bridge fdb` in Rust,
//! including bulk programming.

use nl_route::link::LinkId;
use nl_route::uapi::rtnetlink::RTM_NEWNEIGH;
use nl_route::{AF_BRIDGE, Neigh, NeighDump};
use nl_sock::BatchReport;

use crate::error::Result;
use crate::handle::Handle;

/// Which write a neighbour call sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NeighOp {
    /// `neigh add` (fails if it exists).
    Add,
    /// `neigh replace` (adds or overwrites).
    Replace,
    /// `neigh change` (overwrites an existing entry only).
    Change,
    /// `bridge fdb append`.
    Append,
    /// `neigh del`.
    Del,
}

impl NeighOp {
    fn write(self, n: &Neigh, buf: &mut Vec<u8>) -> nl_route::Result<()> {
        match self {
            NeighOp::Add => n.write_add(buf),
            NeighOp::Replace => n.write_replace(buf),
            NeighOp::Change => n.write_change(buf),
            NeighOp::Append => n.write_append(buf),
            NeighOp::Del => n.write_del(buf),
        }
    }
}

impl Handle {
    /// Neighbours of one link or all (`None`), of one family (`AF_INET`,
    /// `AF_INET6`) or both (0) — the Go library's `NeighList(index, family)`.
    pub fn neigh_list(&self, link: Option<LinkId>, family: u8) -> Result<Vec<Neigh>> {
        let ifindex = link.map(|l| self.link_index(l)).transpose()?;
        self.neigh_list_filtered(&NeighDump {
            family,
            ifindex,
            ..NeighDump::default()
        })
    }

    /// Proxy entries (`ip neigh show proxy`; `NeighProxyList`).
    pub fn neigh_proxy_list(&self, link: Option<LinkId>, family: u8) -> Result<Vec<Neigh>> {
        let ifindex = link.map(|l| self.link_index(l)).transpose()?;
        self.neigh_list_filtered(&NeighDump {
            family,
            ifindex,
            proxy: true,
            ..NeighDump::default()
        })
    }

    /// Entries matching `filter`: the kernel applies the device, master and
    /// proxy filters, the library checks everything again.
    pub fn neigh_list_filtered(&self, filter: &NeighDump) -> Result<Vec<Neigh>> {
        self.list(filter, RTM_NEWNEIGH, Neigh::parse)
    }

    /// `ip neigh add` (`NeighAdd`).
    pub fn neigh_add(&self, n: &Neigh) -> Result<()> {
        self.neigh_op(NeighOp::Add, n)
    }

    /// `ip neigh replace` (`NeighSet`): adds or overwrites.
    pub fn neigh_set(&self, n: &Neigh) -> Result<()> {
        self.neigh_op(NeighOp::Replace, n)
    }

    /// `ip neigh change`: overwrites an existing entry only.
    pub fn neigh_change(&self, n: &Neigh) -> Result<()> {
        self.neigh_op(NeighOp::Change, n)
    }

    /// `ip neigh del` (`NeighDel`).
    pub fn neigh_del(&self, n: &Neigh) -> Result<()> {
        self.neigh_op(NeighOp::Del, n)
    }

    /// Sends one neighbour request.
    pub fn neigh_op(&self, op: NeighOp, n: &Neigh) -> Result<()> {
        self.route(|c| c.request(|b| Ok(op.write(n, b)?)))?;
        Ok(())
    }

    /// Sends `op` for every entry in as few syscalls as the socket allows;
    /// one result per entry, in order, a failure in the middle keeping the
    /// others' results.
    pub fn neigh_batch_op(&self, op: NeighOp, neighs: &[Neigh]) -> Result<BatchReport> {
        let mut buf = Vec::with_capacity(neighs.len() * 64);
        for n in neighs {
            op.write(n, &mut buf)?;
        }
        self.route_batch(&mut buf)
    }

    /// Adds many neighbours at once.
    pub fn neighs_add(&self, neighs: &[Neigh]) -> Result<BatchReport> {
        self.neigh_batch_op(NeighOp::Add, neighs)
    }

    /// Replaces (or adds) many neighbours at once.
    pub fn neighs_replace(&self, neighs: &[Neigh]) -> Result<BatchReport> {
        self.neigh_batch_op(NeighOp::Replace, neighs)
    }

    /// Deletes many neighbours at once.
    pub fn neighs_del(&self, neighs: &[Neigh]) -> Result<BatchReport> {
        self.neigh_batch_op(NeighOp::Del, neighs)
    }

    /// FDB entries (`bridge fdb show [br B] [brport P]`): of a bridge's
    /// ports (`master`), of one port or device (`port`), or all.
    pub fn fdb_list(&self, master: Option<LinkId>, port: Option<LinkId>) -> Result<Vec<Neigh>> {
        let master = master.map(|l| self.link_index(l)).transpose()?;
        let ifindex = port.map(|l| self.link_index(l)).transpose()?;
        self.neigh_list_filtered(&NeighDump {
            family: AF_BRIDGE,
            ifindex,
            master,
            ..NeighDump::default()
        })
    }

    /// `bridge fdb add` (an `AF_BRIDGE` [`Neigh`], see [`Neigh::fdb`]).
    pub fn fdb_add(&self, n: &Neigh) -> Result<()> {
        self.neigh_op(NeighOp::Add, &as_fdb(n))
    }

    /// `bridge fdb replace`.
    pub fn fdb_replace(&self, n: &Neigh) -> Result<()> {
        self.neigh_op(NeighOp::Replace, &as_fdb(n))
    }

    /// `bridge fdb append`: another remote for the same MAC on a VXLAN device.
    pub fn fdb_append(&self, n: &Neigh) -> Result<()> {
        self.neigh_op(NeighOp::Append, &as_fdb(n))
    }

    /// `bridge fdb del`.
    pub fn fdb_del(&self, n: &Neigh) -> Result<()> {
        self.neigh_op(NeighOp::Del, &as_fdb(n))
    }
}

/// FDB calls always speak `AF_BRIDGE`.
fn as_fdb(n: &Neigh) -> Neigh {
    Neigh {
        family: AF_BRIDGE,
        ..n.clone()
    }
}
