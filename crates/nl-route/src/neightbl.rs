//! Neighbour tables (`RTM_GETNEIGHTBL` / `RTM_SETNEIGHTBL`, `ip ntable`):
//! the ARP and NDISC caches' garbage-collection thresholds, their
//! configuration and statistics, and the probing parameters, for the
//! table as a whole and per device.
//!
//! ```
//! use nl_route::neightbl::{NeighTableChange, NeighTableParms};
//! // `ip ntable change name arp_cache dev eth0 queue 8`
//! let change = NeighTableChange::new(nl_route::AF_INET, "arp_cache").parms(
//!     2,
//!     NeighTableParms {
//!         queue_len: Some(8),
//!         ..NeighTableParms::default()
//!     },
//! );
//! let mut buf = Vec::new();
//! change.write(&mut buf)?;
//! # Ok::<(), nl_route::Error>(())
//! ```

use nl_wire::netlink::{NLM_F_ACK, NLM_F_DUMP, NLM_F_REQUEST};
use nl_wire::{Msg, MsgBuilder, attr_struct};

use crate::error::{Error, Result, parse_msg};
use crate::uapi::neighbour::{
    NDTA_CONFIG, NDTA_GC_INTERVAL, NDTA_NAME, NDTA_PARMS, NDTA_STATS, NDTA_THRESH1, NDTA_THRESH2,
    NDTA_THRESH3, NDTPA_ANYCAST_DELAY, NDTPA_APP_PROBES, NDTPA_BASE_REACHABLE_TIME,
    NDTPA_DELAY_PROBE_TIME, NDTPA_GC_STALETIME, NDTPA_IFINDEX, NDTPA_INTERVAL_PROBE_TIME_MS,
    NDTPA_LOCKTIME, NDTPA_MCAST_PROBES, NDTPA_MCAST_REPROBES, NDTPA_PROXY_DELAY, NDTPA_PROXY_QLEN,
    NDTPA_QUEUE_LEN, NDTPA_QUEUE_LENBYTES, NDTPA_REACHABLE_TIME, NDTPA_REFCNT, NDTPA_RETRANS_TIME,
    NDTPA_UCAST_PROBES,
};
use crate::uapi::rtnetlink::{RTM_GETNEIGHTBL, RTM_NEWNEIGHTBL, RTM_SETNEIGHTBL};
use crate::uapi::types::{NdtConfig, NdtStats};

/// `struct ndtmsg`: the family, then padding.
const NDTMSG_LEN: usize = 4;

attr_struct! {
    /// Probing and queueing parameters (`NDTA_PARMS`): of the table when
    /// `ifindex` is unset, of one device's use of it otherwise. Times are
    /// in milliseconds.
    #[derive(Eq)]
    pub struct NeighTableParms {
        /// The device (none: the table's defaults).
        ifindex: u32 = NDTPA_IFINDEX,
        /// References (read only).
        refcnt: u32 = NDTPA_REFCNT,
        /// The current, randomised reachable time (read only).
        reachable_time: u64 = NDTPA_REACHABLE_TIME,
        /// `base_reachable`.
        base_reachable_time: u64 = NDTPA_BASE_REACHABLE_TIME,
        /// `retrans`.
        retrans_time: u64 = NDTPA_RETRANS_TIME,
        /// `gc_stale`.
        gc_staletime: u64 = NDTPA_GC_STALETIME,
        /// `delay_probe`.
        delay_probe_time: u64 = NDTPA_DELAY_PROBE_TIME,
        /// `queue`: packets queued per unresolved neighbour.
        queue_len: u32 = NDTPA_QUEUE_LEN,
        /// `app_probes`.
        app_probes: u32 = NDTPA_APP_PROBES,
        /// `ucast_probes`.
        ucast_probes: u32 = NDTPA_UCAST_PROBES,
        /// `mcast_probes`.
        mcast_probes: u32 = NDTPA_MCAST_PROBES,
        /// `anycast_delay`.
        anycast_delay: u64 = NDTPA_ANYCAST_DELAY,
        /// `proxy_delay`.
        proxy_delay: u64 = NDTPA_PROXY_DELAY,
        /// `proxy_queue`.
        proxy_qlen: u32 = NDTPA_PROXY_QLEN,
        /// `locktime`.
        locktime: u64 = NDTPA_LOCKTIME,
        /// Bytes queued per unresolved neighbour.
        queue_lenbytes: u32 = NDTPA_QUEUE_LENBYTES,
        /// `mcast_reprobes`.
        mcast_reprobes: u32 = NDTPA_MCAST_REPROBES,
        /// The delay between probes (ms).
        interval_probe_time_ms: u64 = NDTPA_INTERVAL_PROBE_TIME_MS,
    }
}

/// `struct ndt_config`: the table's shape (read only).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[allow(missing_docs)]
pub struct NeighTableConfig {
    pub key_len: u16,
    pub entry_size: u16,
    pub entries: u32,
    pub last_flush: u32,
    pub last_rand: u32,
    pub hash_rnd: u32,
    pub hash_mask: u32,
    pub hash_chain_gc: u32,
    pub proxy_qlen: u32,
}

/// `struct ndt_stats`: the table's counters (read only).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[allow(missing_docs)]
pub struct NeighTableStats {
    pub allocs: u64,
    pub destroys: u64,
    pub hash_grows: u64,
    pub res_failed: u64,
    pub lookups: u64,
    pub hits: u64,
    pub rcv_probes_mcast: u64,
    pub rcv_probes_ucast: u64,
    pub periodic_gc_runs: u64,
    pub forced_gc_runs: u64,
    pub table_fulls: u64,
}

/// One message of a neighbour table dump: the table itself (name,
/// thresholds, configuration, statistics, default parameters) or one
/// device's parameters (`parms.ifindex` set, the rest unset).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NeighTable {
    /// `AF_INET` (`arp_cache`), `AF_INET6` (`ndisc_cache`) ...
    pub family: u8,
    /// `arp_cache`, `ndisc_cache`.
    pub name: String,
    /// `thresh1`: below it, no garbage collection.
    pub thresh1: Option<u32>,
    /// `thresh2`: the soft limit.
    pub thresh2: Option<u32>,
    /// `thresh3`: the hard limit.
    pub thresh3: Option<u32>,
    /// `gc_int` (ms).
    pub gc_interval: Option<u64>,
    /// The table's shape.
    pub config: Option<NeighTableConfig>,
    /// The table's counters.
    pub stats: Option<NeighTableStats>,
    /// Parameters: the table's defaults, or a device's.
    pub parms: Option<NeighTableParms>,
}

impl NeighTable {
    /// Whether `msg` is a neighbour table message.
    pub fn is(msg: &Msg<'_>) -> bool {
        msg.ty() == RTM_NEWNEIGHTBL
    }

    /// Writes the dump request (`ip ntable show`) for `family`
    /// (`AF_UNSPEC`: every table).
    pub fn write_dump(buf: &mut Vec<u8>, family: u8) -> Result<()> {
        let mut m = MsgBuilder::new(buf, RTM_GETNEIGHTBL, NLM_F_REQUEST | NLM_F_DUMP);
        m.header(&[family, 0, 0, 0]);
        m.finish().map_err(Error::Build)?;
        Ok(())
    }

    /// Reads one `RTM_NEWNEIGHTBL`.
    pub fn parse(msg: &Msg<'_>) -> Result<Self> {
        parse_msg(msg, || {
            let mut t = NeighTable {
                family: msg.payload().first().copied().unwrap_or(0),
                ..NeighTable::default()
            };
            for a in msg.attrs_after(NDTMSG_LEN) {
                let a = a?;
                match a.ty() {
                    NDTA_NAME => t.name = a.str()?.to_string(),
                    NDTA_THRESH1 => t.thresh1 = Some(a.u32()?),
                    NDTA_THRESH2 => t.thresh2 = Some(a.u32()?),
                    NDTA_THRESH3 => t.thresh3 = Some(a.u32()?),
                    NDTA_GC_INTERVAL => t.gc_interval = Some(a.u64()?),
                    NDTA_PARMS => t.parms = Some(NeighTableParms::from_attrs(a.nested())?),
                    NDTA_CONFIG => {
                        let c: NdtConfig = a.read();
                        t.config = Some(NeighTableConfig {
                            key_len: c.ndtc_key_len.get(),
                            entry_size: c.ndtc_entry_size.get(),
                            entries: c.ndtc_entries.get(),
                            last_flush: c.ndtc_last_flush.get(),
                            last_rand: c.ndtc_last_rand.get(),
                            hash_rnd: c.ndtc_hash_rnd.get(),
                            hash_mask: c.ndtc_hash_mask.get(),
                            hash_chain_gc: c.ndtc_hash_chain_gc.get(),
                            proxy_qlen: c.ndtc_proxy_qlen.get(),
                        });
                    }
                    NDTA_STATS => {
                        let x: NdtStats = a.read();
                        t.stats = Some(NeighTableStats {
                            allocs: x.ndts_allocs.get(),
                            destroys: x.ndts_destroys.get(),
                            hash_grows: x.ndts_hash_grows.get(),
                            res_failed: x.ndts_res_failed.get(),
                            lookups: x.ndts_lookups.get(),
                            hits: x.ndts_hits.get(),
                            rcv_probes_mcast: x.ndts_rcv_probes_mcast.get(),
                            rcv_probes_ucast: x.ndts_rcv_probes_ucast.get(),
                            periodic_gc_runs: x.ndts_periodic_gc_runs.get(),
                            forced_gc_runs: x.ndts_forced_gc_runs.get(),
                            table_fulls: x.ndts_table_fulls.get(),
                        });
                    }
                    _ => {}
                }
            }
            Ok(t)
        })
    }
}

/// A change to a neighbour table (`ip ntable change`): thresholds and
/// the garbage-collection interval of the table, parameters of the table
/// or of one device.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NeighTableChange {
    /// The table's family.
    pub family: u8,
    /// The table's name (`arp_cache`, `ndisc_cache`).
    pub name: String,
    /// New `thresh1`.
    pub thresh1: Option<u32>,
    /// New `thresh2`.
    pub thresh2: Option<u32>,
    /// New `thresh3`.
    pub thresh3: Option<u32>,
    /// New `gc_int` (ms).
    pub gc_interval: Option<u64>,
    /// New parameters (with `ifindex` set: of that device).
    pub parms: Option<NeighTableParms>,
}

impl NeighTableChange {
    /// A change to table `name` of `family`.
    pub fn new(family: u8, name: &str) -> Self {
        NeighTableChange {
            family,
            name: name.to_string(),
            ..NeighTableChange::default()
        }
    }

    /// Changes parameters: of device `ifindex`, or of the table's
    /// defaults with 0.
    #[must_use]
    pub fn parms(mut self, ifindex: u32, mut parms: NeighTableParms) -> Self {
        parms.ifindex = (ifindex != 0).then_some(ifindex);
        self.parms = Some(parms);
        self
    }

    /// Writes the `RTM_SETNEIGHTBL`.
    pub fn write(&self, buf: &mut Vec<u8>) -> Result<()> {
        if self.name.is_empty() {
            return Err(Error::invalid(
                "name",
                "a neighbour table change names its table",
            ));
        }
        let nothing = self.thresh1.is_none()
            && self.thresh2.is_none()
            && self.thresh3.is_none()
            && self.gc_interval.is_none()
            && self.parms.as_ref().is_none_or(|p| {
                NeighTableParms {
                    ifindex: None,
                    ..p.clone()
                } == NeighTableParms::default()
            });
        if nothing {
            return Err(Error::invalid("ntable", "nothing to change"));
        }
        let mut m = MsgBuilder::new(buf, RTM_SETNEIGHTBL, NLM_F_REQUEST | NLM_F_ACK);
        m.header(&[self.family, 0, 0, 0]);
        m.put_str(NDTA_NAME, &self.name);
        for (ty, v) in [
            (NDTA_THRESH1, self.thresh1),
            (NDTA_THRESH2, self.thresh2),
            (NDTA_THRESH3, self.thresh3),
        ] {
            if let Some(v) = v {
                m.put_u32(ty, v);
            }
        }
        if let Some(v) = self.gc_interval {
            m.put_u64(NDTA_GC_INTERVAL, v);
        }
        if let Some(p) = &self.parms {
            m.nest(NDTA_PARMS, |m| p.write_attrs(m));
        }
        m.finish().map_err(Error::Build)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_change_reads_back_as_a_table() {
        let mut c = NeighTableChange::new(2, "arp_cache").parms(
            3,
            NeighTableParms {
                queue_len: Some(8),
                base_reachable_time: Some(20_000),
                ..NeighTableParms::default()
            },
        );
        c.thresh1 = Some(64);
        let mut buf = Vec::new();
        c.write(&mut buf).unwrap();
        let (msg, _) = Msg::parse(&buf).unwrap();
        let t = NeighTable::parse(&msg).unwrap();
        assert_eq!(
            (t.family, t.name.as_str(), t.thresh1),
            (2, "arp_cache", Some(64))
        );
        let p = t.parms.unwrap();
        assert_eq!(
            (p.ifindex, p.queue_len, p.base_reachable_time),
            (Some(3), Some(8), Some(20_000))
        );
    }

    #[test]
    fn empty_changes_are_refused_and_short_structs_read_as_zero() {
        let mut buf = Vec::new();
        NeighTableChange::new(2, "arp_cache")
            .write(&mut buf)
            .unwrap_err();
        NeighTableChange::new(2, "").write(&mut buf).unwrap_err();
        NeighTableChange::new(2, "arp_cache")
            .parms(3, NeighTableParms::default())
            .write(&mut buf)
            .unwrap_err();
        let mut m = MsgBuilder::new(&mut buf, RTM_NEWNEIGHTBL, 0);
        m.header(&[2u8, 0, 0, 0]);
        m.put_bytes(NDTA_CONFIG, &[4, 0, 64]);
        m.put_bytes(NDTA_STATS, &[1, 0, 0, 0, 0, 0, 0, 0, 9]);
        m.finish().unwrap();
        let (msg, _) = Msg::parse(&buf).unwrap();
        let t = NeighTable::parse(&msg).unwrap();
        // Read as nl-wire reads every short struct: the bytes that came,
        // zeros after them (a cut field keeps its first bytes).
        assert_eq!(t.config.map(|c| (c.key_len, c.entry_size)), Some((4, 64)));
        assert_eq!(t.config.map(|c| c.entries), Some(0));
        assert_eq!(t.stats.map(|s| (s.allocs, s.destroys)), Some((1, 9)));
        assert_eq!(t.stats.map(|s| s.table_fulls), Some(0));
    }
}
