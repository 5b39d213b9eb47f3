//! NETLINK_RDMA over nl-wire: the nldev interface that iproute2's `rdma`
//! speaks. RDMA devices ([`RdmaLink`], `rdma dev`), their ports
//! ([`RdmaPort`], `rdma link`), soft RoCE links added over a netdev and
//! deleted, renames and namespace moves, the system's namespace mode
//! ([`RdmaSystem`], `rdma system`), resource counts ([`RdmaResource`],
//! `rdma res`) and port counters ([`RdmaPortStatistic`], `rdma statistic`).
//!
//! No I/O here: each `write_*` appends one complete request to a
//! `Vec<u8>` for a `NETLINK_RDMA` socket, each `parse` reads one reply.
//! nldev messages have no family header: the message type is
//! `RDMA_NL_GET_TYPE(RDMA_NL_NLDEV, command)` ([`msg_type`]) and the
//! attributes follow `nlmsghdr`. The calls with the Go library's names
//! (`rdma_link_list`, `rdma_link_add` ...) are the `netlink` crate's
//! (feature `rdma`).
//!
//! ```
//! use nl_rdma::{RdmaLink, msg_type};
//! use nl_rdma::uapi::RDMA_NLDEV_CMD_NEWLINK;
//! // rdma link add rxe0 type rxe netdev eth0
//! let mut req = Vec::new();
//! RdmaLink::write_add(&mut req, "rxe0", "rxe", "eth0")?;
//! let (msg, _) = nl_wire::Msg::parse(&req).map_err(nl_rdma::Error::Build)?;
//! assert_eq!(msg.ty(), msg_type(RDMA_NLDEV_CMD_NEWLINK));
//! # Ok::<(), nl_rdma::Error>(())
//! ```
#![warn(missing_docs)]
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::indexing_slicing,
        clippy::panic
    )
)]

mod error;
pub mod link;
pub mod res;
pub mod stat;
pub mod sys;
pub mod uapi;

use core::ops::Range;

use nl_wire::netlink::{NLM_F_ACK, NLM_F_DUMP, NLM_F_REQUEST};
use nl_wire::{Attr, MsgBuilder};

pub use error::{Error, Result};
pub use link::{RdmaLink, RdmaPort};
pub use res::RdmaResource;
pub use stat::RdmaPortStatistic;
pub use sys::{NetnsMode, RdmaSystem};

/// The `nlmsg_type` of nldev command `cmd` (`RDMA_NLDEV_CMD_*`).
pub const fn msg_type(cmd: u16) -> u16 {
    uapi::rdma_nl_get_type(uapi::RDMA_NL_NLDEV, cmd)
}

/// An attribute's type without its flag bits (nested, byte order, and
/// RDMA's own "mandatory").
pub(crate) fn attr_type(a: &Attr<'_>) -> u16 {
    a.ty() & !uapi::RDMA_NLA_F_MANDATORY
}

/// The longest device name the kernel takes (`IB_DEVICE_NAME_MAX` - 1).
pub const IB_DEVICE_NAME_MAX: usize = 64;

/// Appends an nldev request for `cmd`: a dump when `dump`, otherwise a
/// request with an ack; `f` writes its attributes.
pub(crate) fn request(
    buf: &mut Vec<u8>,
    cmd: u16,
    dump: bool,
    f: impl FnOnce(&mut MsgBuilder<'_>),
) -> Result<Range<usize>> {
    let flags = if dump {
        NLM_F_REQUEST | NLM_F_DUMP
    } else {
        NLM_F_REQUEST | NLM_F_ACK
    };
    let mut m = MsgBuilder::new(buf, msg_type(cmd), flags);
    f(&mut m);
    m.finish().map_err(Error::Build)
}

/// Checks a device name the kernel would take (1 to 63 bytes, no `/`,
/// which `rdma` reads as the port separator).
pub(crate) fn check_name(field: &'static str, name: &str) -> Result<()> {
    if name.is_empty() || name.len() >= IB_DEVICE_NAME_MAX {
        return Err(Error::invalid(
            field,
            format!("{name:?} must be 1 to {} bytes", IB_DEVICE_NAME_MAX - 1),
        ));
    }
    if name.contains(['/', '\0']) {
        return Err(Error::invalid(
            field,
            format!("{name:?} contains '/' or NUL"),
        ));
    }
    Ok(())
}

/// A GUID as `rdma` prints it: four groups of four hex digits.
pub fn guid_string(guid: u64) -> String {
    format!(
        "{:04x}:{:04x}:{:04x}:{:04x}",
        (guid >> 48) & 0xffff,
        (guid >> 32) & 0xffff,
        (guid >> 16) & 0xffff,
        guid & 0xffff
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use nl_wire::Msg;
    use uapi::*;

    /// A reply as the kernel builds it: `cmd`'s type, attributes from `f`.
    fn reply(cmd: u16, f: impl FnOnce(&mut MsgBuilder<'_>)) -> Vec<u8> {
        let mut buf = Vec::new();
        let mut m = MsgBuilder::new(&mut buf, msg_type(cmd), nl_wire::netlink::NLM_F_MULTI);
        f(&mut m);
        m.finish().unwrap();
        buf
    }

    fn msg(buf: &[u8]) -> Msg<'_> {
        Msg::parse(buf).unwrap().0
    }

    /// What nldev_get_doit / fill_dev_info send for a soft RoCE device.
    fn rxe_dev() -> Vec<u8> {
        reply(RDMA_NLDEV_CMD_GET, |m| {
            m.put_u32(RDMA_NLDEV_ATTR_DEV_INDEX, 3);
            m.put_str(RDMA_NLDEV_ATTR_DEV_NAME, "rxe0");
            m.put_u32(RDMA_NLDEV_ATTR_PORT_INDEX, 1);
            m.put_u64(RDMA_NLDEV_ATTR_CAP_FLAGS, 0x2100_1c16);
            m.put_u64(RDMA_NLDEV_ATTR_NODE_GUID, 0x0200_00ff_fe00_0001);
            m.put_u64(RDMA_NLDEV_ATTR_SYS_IMAGE_GUID, 0x0200_00ff_fe00_0001);
            m.put_u8(RDMA_NLDEV_ATTR_DEV_NODE_TYPE, RDMA_NODE_IB_CA);
            m.put_u8(RDMA_NLDEV_ATTR_DEV_DIM, 0);
            m.put_str(RDMA_NLDEV_ATTR_DEV_PROTOCOL, "roce");
            m.put_u8(RDMA_NLDEV_ATTR_NAME_ASSIGN_TYPE | RDMA_NLA_F_MANDATORY, 1);
        })
    }

    #[test]
    fn test_parse_link() {
        let buf = rxe_dev();
        let l = RdmaLink::parse(&msg(&buf)).unwrap();
        assert_eq!((l.index, l.name.as_str(), l.ports), (3, "rxe0", 1));
        assert_eq!(l.node_guid_string(), "0200:00ff:fe00:0001");
        assert_eq!(l.node_type_name(), Some("ca"));
        assert_eq!(l.protocol.as_deref(), Some("roce"));
        assert_eq!((l.fw_version.clone(), l.dim), (None, Some(false)));
        assert_eq!(
            l.to_string(),
            "3: rxe0: node_type ca protocol roce node_guid 0200:00ff:fe00:0001 sys_image_guid 0200:00ff:fe00:0001"
        );
    }

    #[test]
    fn test_parse_port() {
        let buf = reply(RDMA_NLDEV_CMD_PORT_GET, |m| {
            m.put_u32(RDMA_NLDEV_ATTR_DEV_INDEX, 3);
            m.put_str(RDMA_NLDEV_ATTR_DEV_NAME, "rxe0");
            m.put_u32(RDMA_NLDEV_ATTR_PORT_INDEX, 1);
            m.put_u64(RDMA_NLDEV_ATTR_CAP_FLAGS, 0x0401_0000);
            m.put_u8(RDMA_NLDEV_ATTR_PORT_STATE, IB_PORT_ACTIVE);
            m.put_u8(RDMA_NLDEV_ATTR_PORT_PHYS_STATE, 5);
            m.put_u32(RDMA_NLDEV_ATTR_NDEV_INDEX, 2);
            m.put_str(RDMA_NLDEV_ATTR_NDEV_NAME, "veth0");
        });
        let p = RdmaPort::parse(&msg(&buf)).unwrap();
        assert_eq!(p.ifname(), "rxe0/1");
        assert_eq!(p.state_name(), Some("ACTIVE"));
        assert_eq!(p.phys_state_name(), Some("LINK_UP"));
        assert_eq!(
            (p.netdev.as_deref(), p.netdev_index),
            (Some("veth0"), Some(2))
        );
        assert_eq!((p.lid, p.lmc), (None, None));
        assert_eq!(
            p.to_string(),
            "3/1: rxe0/1: state ACTIVE physical_state LINK_UP netdev veth0 "
        );
    }

    #[test]
    fn test_parse_system_resources_and_counters() {
        let buf = reply(RDMA_NLDEV_CMD_SYS_GET, |m| {
            m.put_u8(RDMA_NLDEV_SYS_ATTR_NETNS_MODE, 1);
            m.put_u8(RDMA_NLDEV_SYS_ATTR_PRIVILEGED_QKEY_MODE, 0);
            m.put_u8(RDMA_NLDEV_SYS_ATTR_COPY_ON_FORK, 1);
        });
        let s = RdmaSystem::parse(&msg(&buf)).unwrap();
        assert_eq!(s.netns_mode, Some(NetnsMode::Shared));
        assert_eq!(
            (s.privileged_qkey, s.copy_on_fork),
            (Some(false), Some(true))
        );

        let table =
            |m: &mut MsgBuilder<'_>, t: u16, e: u16, n: u16, v: u16, rows: &[(&str, u64)]| {
                m.nest(t, |m| {
                    for (name, val) in rows {
                        m.nest(e, |m| {
                            m.put_str(n, name);
                            m.put_u64(v, *val);
                        });
                    }
                });
            };
        let buf = reply(RDMA_NLDEV_CMD_RES_GET, |m| {
            m.put_u32(RDMA_NLDEV_ATTR_DEV_INDEX, 3);
            m.put_str(RDMA_NLDEV_ATTR_DEV_NAME, "rxe0");
            table(
                m,
                RDMA_NLDEV_ATTR_RES_SUMMARY,
                RDMA_NLDEV_ATTR_RES_SUMMARY_ENTRY,
                RDMA_NLDEV_ATTR_RES_SUMMARY_ENTRY_NAME,
                RDMA_NLDEV_ATTR_RES_SUMMARY_ENTRY_CURR,
                &[("pd", 1), ("cq", 2), ("qp", 3)],
            );
        });
        let r = RdmaResource::parse(&msg(&buf)).unwrap();
        assert_eq!(
            (r.get("qp"), r.get("cq"), r.get("mr")),
            (Some(3), Some(2), None)
        );
        assert_eq!(r.summary.len(), 3);

        let buf = reply(RDMA_NLDEV_CMD_STAT_GET, |m| {
            m.put_u32(RDMA_NLDEV_ATTR_DEV_INDEX, 3);
            m.put_str(RDMA_NLDEV_ATTR_DEV_NAME, "rxe0");
            m.put_u32(RDMA_NLDEV_ATTR_PORT_INDEX, 1);
            table(
                m,
                RDMA_NLDEV_ATTR_STAT_HWCOUNTERS,
                RDMA_NLDEV_ATTR_STAT_HWCOUNTER_ENTRY,
                RDMA_NLDEV_ATTR_STAT_HWCOUNTER_ENTRY_NAME,
                RDMA_NLDEV_ATTR_STAT_HWCOUNTER_ENTRY_VALUE,
                &[("sent_pkts", 10), ("rcvd_pkts", 7)],
            );
        });
        let st = RdmaPortStatistic::parse(&msg(&buf)).unwrap();
        assert_eq!(
            (st.index, st.port, st.name.as_deref()),
            (3, 1, Some("rxe0"))
        );
        assert_eq!(st.get("rcvd_pkts"), Some(7));
    }

    #[test]
    fn test_impossible_len() {
        // A device index of 2 bytes.
        let buf = reply(RDMA_NLDEV_CMD_GET, |m| {
            m.put_u16(RDMA_NLDEV_ATTR_DEV_INDEX, 3);
            m.put_str(RDMA_NLDEV_ATTR_DEV_NAME, "rxe0");
        });
        assert!(matches!(
            RdmaLink::parse(&msg(&buf)),
            Err(Error::Wire {
                attr: Some(RDMA_NLDEV_ATTR_DEV_INDEX),
                ..
            })
        ));
        // No name.
        let buf = reply(RDMA_NLDEV_CMD_GET, |m| {
            m.put_u32(RDMA_NLDEV_ATTR_DEV_INDEX, 3);
        });
        assert!(matches!(
            RdmaLink::parse(&msg(&buf)),
            Err(Error::Missing { .. })
        ));
    }

    /// The requests, byte for byte as `rdma` builds them (mnl_attr_put_u32
    /// and mnl_attr_put_strz after a bare nlmsghdr).
    #[test]
    fn test_construct_requests() {
        let mut buf = Vec::new();
        RdmaLink::write_set_name(&mut buf, 3, "rxe9").unwrap();
        let m = msg(&buf);
        assert_eq!(m.ty(), (5 << 10) + 2);
        assert_eq!(m.flags(), NLM_F_REQUEST | NLM_F_ACK);
        assert_eq!(
            m.payload(),
            [
                8, 0, 1, 0, 3, 0, 0, 0, 9, 0, 2, 0, b'r', b'x', b'e', b'9', 0, 0, 0, 0
            ]
        );
        let mut buf = Vec::new();
        RdmaLink::write_dump(&mut buf).unwrap();
        assert_eq!(msg(&buf).flags(), NLM_F_REQUEST | NLM_F_DUMP);
        let mut buf = Vec::new();
        RdmaSystem::write_set_netns_mode(&mut buf, NetnsMode::Exclusive).unwrap();
        assert_eq!(msg(&buf).payload(), [5, 0, 66, 0, 0, 0, 0, 0]);
        let mut buf = Vec::new();
        RdmaLink::write_add(&mut buf, "rxe0", "rxe", "veth0").unwrap();
        let attrs: Vec<(u16, String)> = msg(&buf)
            .attrs_after(0)
            .map(|a| {
                let a = a.unwrap();
                (a.ty(), a.cstr().unwrap().to_string())
            })
            .collect();
        assert_eq!(
            attrs,
            [
                (RDMA_NLDEV_ATTR_DEV_NAME, "rxe0".to_string()),
                (RDMA_NLDEV_ATTR_LINK_TYPE, "rxe".to_string()),
                (RDMA_NLDEV_ATTR_NDEV_NAME, "veth0".to_string()),
            ]
        );
    }

    #[test]
    fn bad_requests_are_refused_before_sending() {
        let mut buf = Vec::new();
        assert!(RdmaLink::write_set_name(&mut buf, 1, "").is_err());
        assert!(RdmaLink::write_set_name(&mut buf, 1, &"x".repeat(64)).is_err());
        assert!(RdmaLink::write_add(&mut buf, "a/b", "rxe", "eth0").is_err());
        assert!(
            RdmaLink::write_add(&mut buf, "rxe0", "rxe", "an-interface-name-too-long").is_err()
        );
        assert!(buf.is_empty());
        assert_eq!(
            "exclusive".parse::<NetnsMode>().unwrap(),
            NetnsMode::Exclusive
        );
        assert_eq!(NetnsMode::Shared.to_string(), "shared");
        assert!("both".parse::<NetnsMode>().is_err());
    }

    proptest::proptest! {
        #[test]
        fn never_panics(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..200)) {
            for m in nl_wire::Msgs::new(&bytes) {
                let Ok(m) = m else { break };
                let _ = RdmaLink::parse(&m);
                let _ = RdmaPort::parse(&m);
                let _ = RdmaSystem::parse(&m);
                let _ = RdmaResource::parse(&m);
                let _ = RdmaPortStatistic::parse(&m);
            }
        }
    }
}
