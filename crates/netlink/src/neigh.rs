//! Neighbour and bridge FDB calls: `ip neigh` and `bridge fdb` in Rust,
//! including bulk programming.

use nl_route::{AF_BRIDGE, Neigh};

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
    pub(crate) fn write(self, n: &Neigh, buf: &mut Vec<u8>) -> nl_route::Result<()> {
        match self {
            NeighOp::Add => n.write_add(buf),
            NeighOp::Replace => n.write_replace(buf),
            NeighOp::Change => n.write_change(buf),
            NeighOp::Append => n.write_append(buf),
            NeighOp::Del => n.write_del(buf),
        }
    }
}

/// FDB calls always speak `AF_BRIDGE`.
pub(crate) fn as_fdb(n: &Neigh) -> Neigh {
    Neigh {
        family: AF_BRIDGE,
        ..n.clone()
    }
}
