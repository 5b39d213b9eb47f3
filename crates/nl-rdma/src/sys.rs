//! System-wide RDMA settings (`rdma system`, nldev `SYS_GET` / `SYS_SET`):
//! whether devices are shared by every network namespace or each belongs
//! to one, privileged Q_Key use, copy-on-fork.

use core::fmt;
use core::ops::Range;
use core::str::FromStr;

use nl_wire::Msg;

use crate::error::{Error, Result, parse_attrs};
use crate::request;
use crate::uapi::*;

/// How RDMA devices meet network namespaces (`rdma system set netns`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NetnsMode {
    /// Every namespace sees every device (the default).
    Shared,
    /// Each device belongs to one namespace and can be moved.
    Exclusive,
}

impl NetnsMode {
    /// The kernel's value (`RDMA_NLDEV_SYS_ATTR_NETNS_MODE`: 1 shared).
    pub fn to_raw(self) -> u8 {
        match self {
            NetnsMode::Shared => RDMA_NETNS_MODE_SHARED,
            NetnsMode::Exclusive => RDMA_NETNS_MODE_EXCLUSIVE,
        }
    }

    /// From the kernel's value (anything but 0 is shared, as the kernel
    /// reads it).
    pub fn from_raw(v: u8) -> NetnsMode {
        if v == RDMA_NETNS_MODE_EXCLUSIVE {
            NetnsMode::Exclusive
        } else {
            NetnsMode::Shared
        }
    }
}

/// `rdma`'s words (and the Go library's): `shared`, `exclusive`.
impl fmt::Display for NetnsMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            NetnsMode::Shared => "shared",
            NetnsMode::Exclusive => "exclusive",
        })
    }
}

impl FromStr for NetnsMode {
    type Err = Error;

    fn from_str(s: &str) -> Result<NetnsMode> {
        match s {
            "shared" => Ok(NetnsMode::Shared),
            "exclusive" => Ok(NetnsMode::Exclusive),
            _ => Err(Error::invalid(
                "netns mode",
                format!("{s:?} is not \"shared\" or \"exclusive\""),
            )),
        }
    }
}

/// The system settings `SYS_GET` reports.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RdmaSystem {
    /// Namespace mode.
    pub netns_mode: Option<NetnsMode>,
    /// Whether unprivileged users may use privileged Q_Keys (newer kernels).
    pub privileged_qkey: Option<bool>,
    /// Whether pinned memory is copied on fork.
    pub copy_on_fork: Option<bool>,
}

impl RdmaSystem {
    /// Reads a `SYS_GET` reply.
    pub fn parse(msg: &Msg<'_>) -> Result<RdmaSystem> {
        let mut s = RdmaSystem::default();
        parse_attrs(msg, |ty, a| {
            match ty {
                RDMA_NLDEV_SYS_ATTR_NETNS_MODE => s.netns_mode = Some(NetnsMode::from_raw(a.u8()?)),
                RDMA_NLDEV_SYS_ATTR_PRIVILEGED_QKEY_MODE => s.privileged_qkey = Some(a.u8()? != 0),
                RDMA_NLDEV_SYS_ATTR_COPY_ON_FORK => s.copy_on_fork = Some(a.u8()? != 0),
                _ => {}
            }
            Ok(())
        })?;
        Ok(s)
    }

    /// Appends `SYS_GET` (`rdma system show`).
    pub fn write_get(buf: &mut Vec<u8>) -> Result<Range<usize>> {
        request(buf, RDMA_NLDEV_CMD_SYS_GET, false, |_| {})
    }

    /// Appends `SYS_SET` of the namespace mode (`rdma system set netns
    /// MODE`; the kernel refuses a change with EBUSY while any namespace
    /// other than the initial one exists).
    pub fn write_set_netns_mode(buf: &mut Vec<u8>, mode: NetnsMode) -> Result<Range<usize>> {
        request(buf, RDMA_NLDEV_CMD_SYS_SET, false, |m| {
            m.put_u8(RDMA_NLDEV_SYS_ATTR_NETNS_MODE, mode.to_raw());
        })
    }
}
