//! Resource counts per device (`rdma resource`, nldev `RES_GET`): how
//! many protection domains, completion queues, queue pairs, CM ids,
//! memory regions, contexts and SRQs each device has.

use core::ops::Range;

use nl_wire::{Attr, Msg};

use crate::error::{Result, missing, parse_attrs};
use crate::uapi::*;
use crate::{attr_type, request};

/// A device's resource summary (the Go library's `RdmaResource`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RdmaResource {
    /// Device index.
    pub index: u32,
    /// Device name.
    pub name: String,
    /// `(name, current count)` in the kernel's order (`pd`, `cq`, `qp`,
    /// `cm_id`, `mr`, `ctx`, `srq`).
    pub summary: Vec<(String, u64)>,
}

impl RdmaResource {
    /// Reads a `RES_GET` reply (or an object of its dump).
    pub fn parse(msg: &Msg<'_>) -> Result<RdmaResource> {
        let mut r = RdmaResource::default();
        let (mut has_index, mut has_name) = (false, false);
        parse_attrs(msg, |ty, a| {
            match ty {
                RDMA_NLDEV_ATTR_DEV_INDEX => {
                    r.index = a.u32()?;
                    has_index = true;
                }
                RDMA_NLDEV_ATTR_DEV_NAME => {
                    r.name = a.str()?.to_string();
                    has_name = true;
                }
                RDMA_NLDEV_ATTR_RES_SUMMARY => {
                    r.summary = entries(
                        a,
                        RDMA_NLDEV_ATTR_RES_SUMMARY_ENTRY,
                        RDMA_NLDEV_ATTR_RES_SUMMARY_ENTRY_NAME,
                        RDMA_NLDEV_ATTR_RES_SUMMARY_ENTRY_CURR,
                    )?;
                }
                _ => {}
            }
            Ok(())
        })?;
        if !has_index {
            return Err(missing(msg, "RDMA_NLDEV_ATTR_DEV_INDEX"));
        }
        if !has_name {
            return Err(missing(msg, "RDMA_NLDEV_ATTR_DEV_NAME"));
        }
        Ok(r)
    }

    /// The count of resource `name` (`"qp"` ...).
    pub fn get(&self, name: &str) -> Option<u64> {
        self.summary
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| *v)
    }

    /// Appends the dump of every device's summary (`rdma resource show`).
    pub fn write_dump(buf: &mut Vec<u8>) -> Result<Range<usize>> {
        request(buf, RDMA_NLDEV_CMD_RES_GET, true, |_| {})
    }

    /// Appends the request for device `index`'s summary.
    pub fn write_get(buf: &mut Vec<u8>, index: u32) -> Result<Range<usize>> {
        request(buf, RDMA_NLDEV_CMD_RES_GET, false, |m| {
            m.put_u32(RDMA_NLDEV_ATTR_DEV_INDEX, index);
        })
    }
}

/// Reads a table of `(name, value)` entries: nests of type `entry`, each
/// with a string `name` and a u64 `value` (entries without both are
/// skipped).
pub(crate) fn entries(
    table: &Attr<'_>,
    entry: u16,
    name: u16,
    value: u16,
) -> nl_wire::Result<Vec<(String, u64)>> {
    let mut out = Vec::new();
    for e in table.nested() {
        let e = e?;
        if attr_type(&e) != entry {
            continue;
        }
        let (mut n, mut v) = (None, None);
        for a in e.nested() {
            let a = a?;
            match attr_type(&a) {
                t if t == name => n = Some(a.str()?.to_string()),
                t if t == value => v = Some(a.u64()?),
                _ => {}
            }
        }
        if let (Some(n), Some(v)) = (n, v) {
            out.push((n, v));
        }
    }
    Ok(out)
}
