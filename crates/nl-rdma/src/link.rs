//! RDMA devices (`rdma dev`, nldev `GET`) and their ports (`rdma link`,
//! `PORT_GET`); adding a link over a netdev (`NEWLINK`, `rdma link add
//! NAME type rxe netdev DEV`), deleting it (`DELLINK`), renaming it and
//! moving it to a namespace (`SET`).

use core::ops::Range;

use nl_wire::Msg;

use crate::error::{Result, missing, parse_attrs};
use crate::uapi::*;
use crate::{check_name, guid_string, request};

/// An RDMA device, as `GET` reports it (the Go library's `RdmaLink`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RdmaLink {
    /// Device index (`ifindex` in `rdma -j dev`).
    pub index: u32,
    /// Device name (`rxe0`, `mlx5_0` ...).
    pub name: String,
    /// Number of ports (the kernel's `rdma_end_port`, in `PORT_INDEX`).
    pub ports: u32,
    /// Device capability flags (`IB_DEVICE_*`).
    pub cap_flags: u64,
    /// Firmware version, when the driver has one.
    pub fw_version: Option<String>,
    /// Node GUID (host order; [`guid_string`] prints it as `rdma` does).
    pub node_guid: u64,
    /// System image GUID.
    pub sys_image_guid: u64,
    /// Node type (`RDMA_NODE_*`).
    pub node_type: Option<u8>,
    /// Protocol of port 1 (`ib`, `roce`, `iw`, `opa`).
    pub protocol: Option<String>,
    /// Adaptive interrupt moderation on (`adaptive-moderation`).
    pub dim: Option<bool>,
}

impl RdmaLink {
    /// Reads a `GET` reply (or an object of its dump).
    pub fn parse(msg: &Msg<'_>) -> Result<RdmaLink> {
        let mut l = RdmaLink::default();
        let (mut has_index, mut has_name) = (false, false);
        parse_attrs(msg, |ty, a| {
            match ty {
                RDMA_NLDEV_ATTR_DEV_INDEX => {
                    l.index = a.u32()?;
                    has_index = true;
                }
                RDMA_NLDEV_ATTR_DEV_NAME => {
                    l.name = a.str()?.to_string();
                    has_name = true;
                }
                RDMA_NLDEV_ATTR_PORT_INDEX => l.ports = a.u32()?,
                RDMA_NLDEV_ATTR_CAP_FLAGS => l.cap_flags = a.u64()?,
                RDMA_NLDEV_ATTR_FW_VERSION => l.fw_version = Some(a.str()?.to_string()),
                RDMA_NLDEV_ATTR_NODE_GUID => l.node_guid = a.u64()?,
                RDMA_NLDEV_ATTR_SYS_IMAGE_GUID => l.sys_image_guid = a.u64()?,
                RDMA_NLDEV_ATTR_DEV_NODE_TYPE => l.node_type = Some(a.u8()?),
                RDMA_NLDEV_ATTR_DEV_PROTOCOL => l.protocol = Some(a.str()?.to_string()),
                RDMA_NLDEV_ATTR_DEV_DIM => l.dim = Some(a.u8()? != 0),
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
        Ok(l)
    }

    /// The node GUID as `rdma` prints it (`node_guid`).
    pub fn node_guid_string(&self) -> String {
        guid_string(self.node_guid)
    }

    /// The system image GUID as `rdma` prints it (`sys_image_guid`).
    pub fn sys_image_guid_string(&self) -> String {
        guid_string(self.sys_image_guid)
    }

    /// The node type in `rdma`'s words (`ca`, `rnic` ...).
    pub fn node_type_name(&self) -> Option<&'static str> {
        self.node_type.map(|t| match t {
            RDMA_NODE_IB_CA => "ca",
            RDMA_NODE_IB_SWITCH => "switch",
            RDMA_NODE_IB_ROUTER => "router",
            RDMA_NODE_RNIC => "rnic",
            RDMA_NODE_USNIC => "usnic",
            RDMA_NODE_USNIC_UDP => "usnic_udp",
            RDMA_NODE_UNSPECIFIED => "unspecified",
            _ => "unknown",
        })
    }

    /// Appends the dump of every device (`rdma dev show`).
    pub fn write_dump(buf: &mut Vec<u8>) -> Result<Range<usize>> {
        request(buf, RDMA_NLDEV_CMD_GET, true, |_| {})
    }

    /// Appends the request for device `index` (the kernel looks devices
    /// up by index only; by name is a dump and a filter).
    pub fn write_get(buf: &mut Vec<u8>, index: u32) -> Result<Range<usize>> {
        request(buf, RDMA_NLDEV_CMD_GET, false, |m| {
            m.put_u32(RDMA_NLDEV_ATTR_DEV_INDEX, index);
        })
    }

    /// Appends the rename of device `index` (`rdma dev set DEV name NEW`).
    pub fn write_set_name(buf: &mut Vec<u8>, index: u32, name: &str) -> Result<Range<usize>> {
        check_name("name", name)?;
        request(buf, RDMA_NLDEV_CMD_SET, false, |m| {
            m.put_u32(RDMA_NLDEV_ATTR_DEV_INDEX, index);
            m.put_str(RDMA_NLDEV_ATTR_DEV_NAME, name);
        })
    }

    /// Appends the move of device `index` to the namespace open as `fd`
    /// (`rdma dev set DEV netns NS`; the kernel takes it only in exclusive
    /// mode).
    pub fn write_set_netns_fd(buf: &mut Vec<u8>, index: u32, fd: u32) -> Result<Range<usize>> {
        request(buf, RDMA_NLDEV_CMD_SET, false, |m| {
            m.put_u32(RDMA_NLDEV_ATTR_DEV_INDEX, index);
            m.put_u32(RDMA_NLDEV_NET_NS_FD, fd);
        })
    }

    /// Appends the creation of link `name` of `link_type` (`rxe`, `siw`)
    /// over the netdev `netdev` (`rdma link add NAME type TYPE netdev DEV`;
    /// the kernel loads `rdma-link-TYPE` when needed).
    pub fn write_add(
        buf: &mut Vec<u8>,
        name: &str,
        link_type: &str,
        netdev: &str,
    ) -> Result<Range<usize>> {
        check_name("name", name)?;
        // The kernel reads the name as a format ('%' is refused with EINVAL).
        if name.contains('%') {
            return Err(crate::Error::invalid(
                "name",
                format!("{name:?} contains '%'"),
            ));
        }
        // Both are IFNAMSIZ strings in the kernel's policy.
        if link_type.is_empty() || link_type.len() >= 16 || link_type.contains('\0') {
            return Err(crate::Error::invalid(
                "link type",
                format!("{link_type:?} is not a link type (rxe, siw)"),
            ));
        }
        if netdev.is_empty() || netdev.len() >= 16 || netdev.contains(['/', '\0']) {
            return Err(crate::Error::invalid(
                "netdev",
                format!("{netdev:?} is not an interface name"),
            ));
        }
        request(buf, RDMA_NLDEV_CMD_NEWLINK, false, |m| {
            m.put_str(RDMA_NLDEV_ATTR_DEV_NAME, name);
            m.put_str(RDMA_NLDEV_ATTR_LINK_TYPE, link_type);
            m.put_str(RDMA_NLDEV_ATTR_NDEV_NAME, netdev);
        })
    }

    /// Appends the deletion of device `index` (`rdma link delete`; only
    /// drivers with link operations, rxe and siw, allow it).
    pub fn write_del(buf: &mut Vec<u8>, index: u32) -> Result<Range<usize>> {
        request(buf, RDMA_NLDEV_CMD_DELLINK, false, |m| {
            m.put_u32(RDMA_NLDEV_ATTR_DEV_INDEX, index);
        })
    }
}

/// `rdma dev`'s line: `1: rxe0: node_type ca fw 1.0 node_guid ...`.
impl core::fmt::Display for RdmaLink {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "{}: {}: ", self.index, self.name)?;
        if let Some(t) = self.node_type_name() {
            write!(f, "node_type {t} ")?;
        }
        if let Some(p) = &self.protocol {
            write!(f, "protocol {p} ")?;
        }
        if let Some(fw) = &self.fw_version {
            write!(f, "fw {fw} ")?;
        }
        write!(
            f,
            "node_guid {} sys_image_guid {}",
            self.node_guid_string(),
            self.sys_image_guid_string()
        )
    }
}

/// A port of an RDMA device, as `PORT_GET` reports it (`rdma link`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RdmaPort {
    /// Device index.
    pub index: u32,
    /// Device name.
    pub name: String,
    /// Port number (from 1).
    pub port: u32,
    /// Port capability flags (`IB_PORT_*`).
    pub cap_flags: Option<u64>,
    /// Subnet prefix (InfiniBand ports).
    pub subnet_prefix: Option<u64>,
    /// LID (InfiniBand ports).
    pub lid: Option<u32>,
    /// Subnet manager's LID (InfiniBand ports).
    pub sm_lid: Option<u32>,
    /// LID mask count (InfiniBand ports).
    pub lmc: Option<u8>,
    /// Port state (`IB_PORT_*`: 4 is active).
    pub state: Option<u8>,
    /// Physical state (5 is link up).
    pub phys_state: Option<u8>,
    /// The netdev under the port, when it is in the caller's namespace.
    pub netdev: Option<String>,
    /// Its ifindex.
    pub netdev_index: Option<u32>,
}

impl RdmaPort {
    /// Reads a `PORT_GET` reply (or an object of its dump).
    pub fn parse(msg: &Msg<'_>) -> Result<RdmaPort> {
        let mut p = RdmaPort::default();
        let mut seen = (false, false, false);
        parse_attrs(msg, |ty, a| {
            match ty {
                RDMA_NLDEV_ATTR_DEV_INDEX => {
                    p.index = a.u32()?;
                    seen.0 = true;
                }
                RDMA_NLDEV_ATTR_DEV_NAME => {
                    p.name = a.str()?.to_string();
                    seen.1 = true;
                }
                RDMA_NLDEV_ATTR_PORT_INDEX => {
                    p.port = a.u32()?;
                    seen.2 = true;
                }
                RDMA_NLDEV_ATTR_CAP_FLAGS => p.cap_flags = Some(a.u64()?),
                RDMA_NLDEV_ATTR_SUBNET_PREFIX => p.subnet_prefix = Some(a.u64()?),
                RDMA_NLDEV_ATTR_LID => p.lid = Some(a.u32()?),
                RDMA_NLDEV_ATTR_SM_LID => p.sm_lid = Some(a.u32()?),
                RDMA_NLDEV_ATTR_LMC => p.lmc = Some(a.u8()?),
                RDMA_NLDEV_ATTR_PORT_STATE => p.state = Some(a.u8()?),
                RDMA_NLDEV_ATTR_PORT_PHYS_STATE => p.phys_state = Some(a.u8()?),
                RDMA_NLDEV_ATTR_NDEV_NAME => p.netdev = Some(a.str()?.to_string()),
                RDMA_NLDEV_ATTR_NDEV_INDEX => p.netdev_index = Some(a.u32()?),
                _ => {}
            }
            Ok(())
        })?;
        match seen {
            (false, _, _) => Err(missing(msg, "RDMA_NLDEV_ATTR_DEV_INDEX")),
            (_, false, _) => Err(missing(msg, "RDMA_NLDEV_ATTR_DEV_NAME")),
            (_, _, false) => Err(missing(msg, "RDMA_NLDEV_ATTR_PORT_INDEX")),
            _ => Ok(p),
        }
    }

    /// The port's name as `rdma link` prints it (`rxe0/1`).
    pub fn ifname(&self) -> String {
        format!("{}/{}", self.name, self.port)
    }

    /// The state in `rdma`'s words (`ACTIVE`, `DOWN` ...).
    pub fn state_name(&self) -> Option<&'static str> {
        self.state.map(|s| {
            ["NOP", "DOWN", "INIT", "ARMED", "ACTIVE", "ACTIVE_DEFER"]
                .get(usize::from(s))
                .copied()
                .unwrap_or("UNKNOWN")
        })
    }

    /// The physical state in `rdma`'s words (`LINK_UP`, `DISABLED` ...).
    pub fn phys_state_name(&self) -> Option<&'static str> {
        self.phys_state.map(|s| {
            [
                "NOP",
                "SLEEP",
                "POLLING",
                "DISABLED",
                "ARMED",
                "LINK_UP",
                "LINK_ERROR_RECOVER",
                "PHY_TEST",
                "UNKNOWN",
                "OPA_OFFLINE",
                "UNKNOWN",
                "OPA_TEST",
            ]
            .get(usize::from(s))
            .copied()
            .unwrap_or("UNKNOWN")
        })
    }

    /// Appends the dump of device `index`'s ports (the kernel's port dump
    /// needs a device).
    pub fn write_dump(buf: &mut Vec<u8>, index: u32) -> Result<Range<usize>> {
        request(buf, RDMA_NLDEV_CMD_PORT_GET, true, |m| {
            m.put_u32(RDMA_NLDEV_ATTR_DEV_INDEX, index);
        })
    }

    /// Appends the request for port `port` of device `index`.
    pub fn write_get(buf: &mut Vec<u8>, index: u32, port: u32) -> Result<Range<usize>> {
        request(buf, RDMA_NLDEV_CMD_PORT_GET, false, |m| {
            m.put_u32(RDMA_NLDEV_ATTR_DEV_INDEX, index);
            m.put_u32(RDMA_NLDEV_ATTR_PORT_INDEX, port);
        })
    }
}

/// `rdma link`'s line: `1/1: rxe0/1: state ACTIVE physical_state LINK_UP netdev veth0`.
impl core::fmt::Display for RdmaPort {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "{}/{}: {}: ", self.index, self.port, self.ifname())?;
        if let Some(p) = self.subnet_prefix {
            write!(f, "subnet_prefix {} ", guid_string(p))?;
        }
        if let Some(l) = self.lid {
            write!(f, "lid {l} ")?;
        }
        if let Some(l) = self.sm_lid {
            write!(f, "sm_lid {l} ")?;
        }
        if let Some(l) = self.lmc {
            write!(f, "lmc {l} ")?;
        }
        if let Some(s) = self.state_name() {
            write!(f, "state {s} ")?;
        }
        if let Some(s) = self.phys_state_name() {
            write!(f, "physical_state {s} ")?;
        }
        if let Some(n) = &self.netdev {
            write!(f, "netdev {n} ")?;
        }
        Ok(())
    }
}
