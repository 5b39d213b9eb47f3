//! Namespace ids: RTM_NEWNSID / DELNSID / GETNSID (`ip netns set|list-id`).
//!
//! A network namespace can give another namespace a local number, its
//! nsid; links whose peer lives elsewhere report it (`link-netnsid`), and
//! a socket with `NETLINK_LISTEN_ALL_NSID` learns which namespace a
//! notification came from by it.

use nl_wire::netlink::{NLM_F_DUMP, NLM_F_REQUEST};
use nl_wire::{Msg, MsgBuilder};

use crate::error::{Error, Result, parse_msg};
use crate::uapi::net_namespace::*;
use crate::uapi::rtnetlink::{RTM_GETNSID, RTM_NEWNSID};

/// Which namespace an nsid request is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NsTarget {
    /// The namespace of a process.
    Pid(u32),
    /// The namespace of an open namespace file (`/run/netns/NAME`).
    Fd(u32),
}

/// An nsid assignment: namespace `nsid` as the answering namespace sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Nsid {
    /// The id; negative (-1) when the namespace has none.
    pub nsid: i32,
    /// With a target namespace in the request: the id the target
    /// namespace gives the same namespace.
    pub current_nsid: Option<i32>,
}

impl Nsid {
    /// Parses an RTM_NEWNSID or RTM_DELNSID.
    pub fn parse(msg: &Msg<'_>) -> Result<Self> {
        let mut out = Nsid {
            nsid: -1,
            current_nsid: None,
        };
        // struct rtgenmsg is one byte, padded to four.
        parse_msg(msg, || {
            msg.attrs_after(1).decode(|a| {
                match a.ty() {
                    NETNSA_NSID => out.nsid = a.i32()?,
                    NETNSA_CURRENT_NSID => out.current_nsid = Some(a.i32()?),
                    _ => {}
                }
                Ok(())
            })?;
            Ok(out)
        })
    }

    /// Writes an RTM_GETNSID asking for the id of `target`
    /// (Go's `GetNetNsIdByPid` / `GetNetNsIdByFd`).
    pub fn write_get(target: NsTarget, buf: &mut Vec<u8>) -> Result<()> {
        let mut m = MsgBuilder::new(buf, RTM_GETNSID, NLM_F_REQUEST);
        m.header(&[0u8; 4]);
        put_target(&mut m, target);
        m.finish().map_err(Error::Build)?;
        Ok(())
    }

    /// Writes an RTM_NEWNSID giving `target` the id `nsid`
    /// (`ip netns set NAME NSID`; Go's `SetNetNsIdByPid` / `ByFd`).
    pub fn write_set(target: NsTarget, nsid: i32, buf: &mut Vec<u8>) -> Result<()> {
        let mut m = MsgBuilder::new(buf, RTM_NEWNSID, NLM_F_REQUEST);
        m.header(&[0u8; 4]).put_i32(NETNSA_NSID, nsid);
        put_target(&mut m, target);
        m.finish().map_err(Error::Build)?;
        Ok(())
    }

    /// Writes an RTM_GETNSID dump of every assigned id (`ip netns list-id`).
    pub fn write_dump(buf: &mut Vec<u8>) -> Result<()> {
        let mut m = MsgBuilder::new(buf, RTM_GETNSID, NLM_F_REQUEST | NLM_F_DUMP);
        m.header(&[0u8; 4]);
        m.finish().map_err(Error::Build)?;
        Ok(())
    }
}

fn put_target(m: &mut MsgBuilder<'_>, target: NsTarget) {
    match target {
        NsTarget::Pid(pid) => m.put_u32(NETNSA_PID, pid),
        NsTarget::Fd(fd) => m.put_u32(NETNSA_FD, fd),
    };
}
