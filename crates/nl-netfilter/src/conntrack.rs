//! Connection tracking (`NFNL_SUBSYS_CTNETLINK`, ctnetlink): the table
//! `conntrack -L` lists, its statistics, its events, and expectations
//! (`NFNL_SUBSYS_CTNETLINK_EXP`).
//!
//! An entry is one message: `IPCTNL_MSG_CT_NEW` in dumps, gets and the
//! "new" and "update" events, `IPCTNL_MSG_CT_DELETE` in "destroy" events;
//! the nfgenmsg's family is the entry's. Numbers are big endian:
//!
//! ```text
//! nlmsghdr(CTNETLINK<<8 | CT_NEW) nfgenmsg(AF_INET)
//!   CTA_TUPLE_ORIG   (nested)  IP{V4_SRC, V4_DST} PROTO{NUM, SRC_PORT, DST_PORT}
//!   CTA_TUPLE_REPLY  (nested)  the same, as answers look (after NAT)
//!   CTA_STATUS  __be32 IPS_*      CTA_MARK __be32     CTA_ID __be32
//!   CTA_USE     __be32            CTA_TIMEOUT __be32 (seconds)
//!   CTA_PROTOINFO (nested)  TCP{STATE u8, WSCALE_*, FLAGS_*}
//!   CTA_COUNTERS_ORIG/REPLY (nested)  PACKETS, BYTES __be64  (accounting on)
//!   CTA_ZONE __be16   CTA_LABELS 16 bytes   CTA_SEQ_ADJ_* CTA_SECCTX ...
//! ```
//!
//! [`Entry`] reads and writes those; [`Filter`] says which entries a
//! listing or a deletion is about (what the kernel can filter is sent,
//! everything is checked again); [`Stats`] and [`CpuStats`] are `conntrack
//! -C` and `-S`; [`Expect`] is an expectation. Events are entries with an
//! [`EventKind`].
//!
//! Like the rest of the crate, nothing here does I/O: the facade's
//! `conntrack_*` calls send these requests.

mod entry;
mod expect;
mod filter;
mod stats;
mod tuple;

pub use entry::{
    Counters, Entry, EventKind, Labels, Nat, ProtoInfo, SeqAdj, StateInfo, Status, Synproxy,
    TcpFlags, TcpInfo, TcpState, TextOptions, Timestamp, dccp_state_name, sctp_state_name,
};
pub use expect::{Expect, ExpectNat};
pub use filter::{Filter, MarkMatch};
pub use stats::{CpuStats, Stats};
pub use tuple::{
    AF_INET, AF_INET6, Tuple, family_name, has_ports, is_icmp, proto_by_name, proto_name,
};

use nl_wire::MsgBuilder;
use nl_wire::netlink::{NLA_F_NESTED, NLM_F_ACK, NLM_F_REQUEST};
use zerocopy::network_endian::U16;

use crate::uapi::nfnetlink::{NFNETLINK_V0, NFNL_SUBSYS_CTNETLINK, NFNL_SUBSYS_CTNETLINK_EXP};
use crate::uapi::nfnetlink_conntrack::*;
use crate::{Error, NfGenMsg, NfMsg, Result, msg_type, request};

/// The nfgenmsg version of a flush that honours its family: the kernel
/// flushes every family when the version is `NFNETLINK_V0`.
const FLUSH_BY_FAMILY_VERSION: u8 = 1;

/// Starts a ctnetlink request of `command`.
pub(crate) fn ctnl_request(
    buf: &mut Vec<u8>,
    command: u8,
    family: u8,
    flags: u16,
) -> MsgBuilder<'_> {
    request(buf, NFNL_SUBSYS_CTNETLINK, command, family, flags)
}

/// Starts a request of `command` of `subsystem` (entries or expectations).
pub(crate) fn ctnl_request_of(
    buf: &mut Vec<u8>,
    subsystem: u8,
    command: u8,
    family: u8,
    flags: u16,
) -> MsgBuilder<'_> {
    request(buf, subsystem, command, family, flags)
}

/// Writes a `CTA_NAT_SRC` / `CTA_NAT_DST` nest.
pub(crate) fn nat_attrs(m: &mut MsgBuilder<'_>, kind: u16, n: &Nat) -> Result<()> {
    if let Some(max) = n.max_ip {
        if max.is_ipv6() != n.min_ip.is_ipv6() {
            return Err(Error::invalid(
                "NAT range",
                format!("{} and {max} are of different families", n.min_ip),
            ));
        }
    }
    let (min, max) = if n.min_ip.is_ipv6() {
        (CTA_NAT_V6_MINIP, CTA_NAT_V6_MAXIP)
    } else {
        (CTA_NAT_V4_MINIP, CTA_NAT_V4_MAXIP)
    };
    m.nest(kind | NLA_F_NESTED, |m| {
        m.put_ip(min, n.min_ip);
        m.put_ip(max, n.max_ip.unwrap_or(n.min_ip));
        if n.min_port.is_some() || n.max_port.is_some() {
            m.nest(CTA_NAT_PROTO | NLA_F_NESTED, |m| {
                let lo = n.min_port.or(n.max_port).unwrap_or(0);
                m.put_be16(CTA_PROTONAT_PORT_MIN, lo);
                m.put_be16(CTA_PROTONAT_PORT_MAX, n.max_port.unwrap_or(lo));
            });
        }
    });
    Ok(())
}

/// Writes a flush of the table: of `family` only, or of every family
/// for `AF_UNSPEC` (`conntrack -F`; the Go library's
/// `ConntrackTableFlush` flushes them all).
pub fn write_flush(family: u8, buf: &mut Vec<u8>) -> Result<()> {
    let version = if family == 0 {
        NFNETLINK_V0
    } else {
        FLUSH_BY_FAMILY_VERSION
    };
    let mut m = MsgBuilder::new(
        buf,
        msg_type(NFNL_SUBSYS_CTNETLINK, IPCTNL_MSG_CT_DELETE),
        NLM_F_REQUEST | NLM_F_ACK,
    );
    m.header(&NfGenMsg {
        family,
        version,
        res_id: U16::new(0),
    });
    m.finish().map_err(Error::Build)?;
    Ok(())
}

/// Whether `msg` is a ctnetlink entry message (dump item, get answer,
/// event) rather than something else on the socket.
pub fn is_entry(msg: &nl_wire::Msg<'_>) -> bool {
    let ty = msg.ty();
    ty == msg_type(NFNL_SUBSYS_CTNETLINK, IPCTNL_MSG_CT_NEW)
        || ty == msg_type(NFNL_SUBSYS_CTNETLINK, IPCTNL_MSG_CT_DELETE)
}

/// Whether `msg` is an expectation message.
pub fn is_expect(msg: &nl_wire::Msg<'_>) -> bool {
    let ty = msg.ty();
    ty == msg_type(NFNL_SUBSYS_CTNETLINK_EXP, IPCTNL_MSG_EXP_NEW)
        || ty == msg_type(NFNL_SUBSYS_CTNETLINK_EXP, IPCTNL_MSG_EXP_DELETE)
}

/// Reads a ctnetlink message: the entry and, for an event, its kind.
pub fn parse_event(msg: &nl_wire::Msg<'_>) -> Result<(Option<EventKind>, Entry)> {
    let nf = NfMsg::parse(msg, NFNL_SUBSYS_CTNETLINK)?;
    Ok((EventKind::of(&nf), Entry::parse(&nf)?))
}

#[cfg(test)]
mod tests;
