//! Port counters (`rdma statistic show link DEV/PORT`, nldev `STAT_GET`
//! of a port's default counter): the driver's hardware counters by name.

use core::ops::Range;

use nl_wire::Msg;

use crate::error::{Result, missing, parse_attrs};
use crate::request;
use crate::res::entries;
use crate::uapi::*;

/// One port's counters (the Go library's `RdmaPortStatistic`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RdmaPortStatistic {
    /// Device index.
    pub index: u32,
    /// Device name, when the kernel sends it.
    pub name: Option<String>,
    /// Port number.
    pub port: u32,
    /// `(counter, value)` in the driver's order.
    pub counters: Vec<(String, u64)>,
}

impl RdmaPortStatistic {
    /// Reads a `STAT_GET` reply.
    pub fn parse(msg: &Msg<'_>) -> Result<RdmaPortStatistic> {
        let mut s = RdmaPortStatistic::default();
        let (mut has_index, mut has_port) = (false, false);
        parse_attrs(msg, |ty, a| {
            match ty {
                RDMA_NLDEV_ATTR_DEV_INDEX => {
                    s.index = a.u32()?;
                    has_index = true;
                }
                RDMA_NLDEV_ATTR_DEV_NAME => s.name = Some(a.str()?.to_string()),
                RDMA_NLDEV_ATTR_PORT_INDEX => {
                    s.port = a.u32()?;
                    has_port = true;
                }
                RDMA_NLDEV_ATTR_STAT_HWCOUNTERS => {
                    s.counters = entries(
                        a,
                        RDMA_NLDEV_ATTR_STAT_HWCOUNTER_ENTRY,
                        RDMA_NLDEV_ATTR_STAT_HWCOUNTER_ENTRY_NAME,
                        RDMA_NLDEV_ATTR_STAT_HWCOUNTER_ENTRY_VALUE,
                    )?;
                }
                _ => {}
            }
            Ok(())
        })?;
        if !has_index {
            return Err(missing(msg, "RDMA_NLDEV_ATTR_DEV_INDEX"));
        }
        if !has_port {
            return Err(missing(msg, "RDMA_NLDEV_ATTR_PORT_INDEX"));
        }
        Ok(s)
    }

    /// The value of counter `name`.
    pub fn get(&self, name: &str) -> Option<u64> {
        self.counters
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| *v)
    }

    /// Appends the request for port `port` of device `index`.
    pub fn write_get(buf: &mut Vec<u8>, index: u32, port: u32) -> Result<Range<usize>> {
        request(buf, RDMA_NLDEV_CMD_STAT_GET, false, |m| {
            m.put_u32(RDMA_NLDEV_ATTR_DEV_INDEX, index);
            m.put_u32(RDMA_NLDEV_ATTR_PORT_INDEX, port);
        })
    }
}
