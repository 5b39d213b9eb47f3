//! The table's statistics: global (`IPCTNL_MSG_CT_GET_STATS`: entries
//! and the limit, `conntrack -C`) and per CPU
//! (`IPCTNL_MSG_CT_GET_STATS_CPU`, a dump: `conntrack -S`).

use core::fmt;

use nl_wire::netlink::{NLM_F_ACK, NLM_F_DUMP};

use super::ctnl_request;
use crate::uapi::nfnetlink_conntrack::*;
use crate::{Error, NfMsg, Result};

/// The global statistics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Stats {
    /// Entries in this namespace's table.
    pub entries: u32,
    /// The table's limit (`net.netfilter.nf_conntrack_max`).
    pub max_entries: Option<u32>,
}

impl Stats {
    /// Writes the request (the kernel answers with one message).
    pub fn write_get(buf: &mut Vec<u8>) -> Result<()> {
        let m = ctnl_request(buf, IPCTNL_MSG_CT_GET_STATS, 0, NLM_F_ACK);
        m.finish().map_err(Error::Build)?;
        Ok(())
    }

    /// Reads the answer.
    pub fn parse(nf: &NfMsg<'_>) -> Result<Stats> {
        let mut s = Stats::default();
        for a in nf.attrs() {
            let a = a.map_err(|e| nf.wire_error(e))?;
            match a.ty() {
                CTA_STATS_GLOBAL_ENTRIES => s.entries = a.be32().map_err(|e| nf.wire_error(e))?,
                CTA_STATS_GLOBAL_MAX_ENTRIES => {
                    s.max_entries = Some(a.be32().map_err(|e| nf.wire_error(e))?);
                }
                _ => {}
            }
        }
        Ok(s)
    }
}

/// The counters of one CPU. A counter the kernel did not send (older
/// kernels have fewer, newer ones dropped some) is `None`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CpuStats {
    /// The CPU.
    pub cpu: u16,
    /// Counters by `CTA_STATS_*` number (1 to 15).
    counters: [Option<u32>; 16],
}

/// conntrack's names of the `CTA_STATS_*` counters, by number.
const NAMES: [&str; 16] = [
    "",
    "searched",
    "found",
    "new",
    "invalid",
    "ignore",
    "delete",
    "delete_list",
    "insert",
    "insert_failed",
    "drop",
    "early_drop",
    "error",
    "search_restart",
    "clash_resolve",
    "chaintoolong",
];

impl CpuStats {
    /// Writes the dump request.
    pub fn write_dump(buf: &mut Vec<u8>) -> Result<()> {
        let m = ctnl_request(buf, IPCTNL_MSG_CT_GET_STATS_CPU, 0, NLM_F_DUMP);
        m.finish().map_err(Error::Build)?;
        Ok(())
    }

    /// Reads one CPU's message (the CPU is the nfgenmsg's resource id).
    pub fn parse(nf: &NfMsg<'_>) -> Result<CpuStats> {
        let mut s = CpuStats {
            cpu: nf.res_id(),
            ..CpuStats::default()
        };
        for a in nf.attrs() {
            let a = a.map_err(|e| nf.wire_error(e))?;
            if let Some(slot) = s.counters.get_mut(usize::from(a.ty())) {
                *slot = Some(a.be32().map_err(|e| nf.wire_error(e))?);
            }
        }
        Ok(s)
    }

    /// Counter `CTA_STATS_*` number `kind`.
    pub fn get(&self, kind: u16) -> Option<u32> {
        self.counters.get(usize::from(kind)).copied().flatten()
    }

    /// Lookups that found an entry.
    pub fn found(&self) -> Option<u32> {
        self.get(CTA_STATS_FOUND)
    }

    /// Packets that could not be tracked.
    pub fn invalid(&self) -> Option<u32> {
        self.get(CTA_STATS_INVALID)
    }

    /// Entries inserted.
    pub fn insert(&self) -> Option<u32> {
        self.get(CTA_STATS_INSERT)
    }

    /// Insertions that failed (a clash that could not be resolved).
    pub fn insert_failed(&self) -> Option<u32> {
        self.get(CTA_STATS_INSERT_FAILED)
    }

    /// Packets dropped for want of an entry.
    pub fn drop(&self) -> Option<u32> {
        self.get(CTA_STATS_DROP)
    }

    /// Entries dropped early to make room.
    pub fn early_drop(&self) -> Option<u32> {
        self.get(CTA_STATS_EARLY_DROP)
    }

    /// Packets the protocol trackers found in error.
    pub fn error(&self) -> Option<u32> {
        self.get(CTA_STATS_ERROR)
    }

    /// Lookups restarted (a hash resize).
    pub fn search_restart(&self) -> Option<u32> {
        self.get(CTA_STATS_SEARCH_RESTART)
    }

    /// Clashes resolved.
    pub fn clash_resolve(&self) -> Option<u32> {
        self.get(CTA_STATS_CLASH_RESOLVE)
    }

    /// Insertions refused for a hash chain too long.
    pub fn chain_toolong(&self) -> Option<u32> {
        self.get(CTA_STATS_CHAIN_TOOLONG)
    }
}

/// `conntrack -S`'s line (with its trailing blank).
impl fmt::Display for CpuStats {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "cpu={:<4}\t", self.cpu)?;
        for (name, v) in NAMES.iter().zip(self.counters) {
            if let Some(v) = v {
                write!(f, "{name}={v} ")?;
            }
        }
        Ok(())
    }
}
