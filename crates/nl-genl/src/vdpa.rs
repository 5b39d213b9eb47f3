//! vDPA devices (genl family `"vdpa"`): the `vdpa` tool's `mgmtdev show`,
//! `dev add|del|show|set`, `dev config show`, `dev vstats show`; the Go
//! library's `VDPANewDev`, `VDPADelDev`, `VDPAGetDevList` ...
//!
//! A vDPA *management device* (a NIC's function, or the `vdpasim_net`
//! simulator) creates vDPA *devices*: virtio devices whose data path the
//! hardware runs, handed to a guest through vhost-vdpa or to the host
//! through virtio-vdpa. Requests name management devices by an optional
//! bus name and a device name, devices by name:
//!
//! ```text
//! MGMTDEV_BUS_NAME str | MGMTDEV_DEV_NAME str | DEV_NAME str
//!   | [NET_CFG_MACADDR [6] | NET_CFG_MAX_VQP u16 | NET_CFG_MTU u16 | DEV_FEATURES u64]
//! ```
//!
//! The family is registered without `netnsok`: only sockets of the initial
//! network namespace see it; elsewhere it does not exist.

use core::fmt;

use nl_wire::netlink::{NLM_F_ACK, NLM_F_DUMP};
use nl_wire::{Attr, HwAddr, MsgBuilder};

use crate::error::{Error, Result};
use crate::uapi::newer::{VDPA_CMD_DEV_ATTR_SET, VDPA_GENL_NAME};
use crate::uapi::vdpa::*;
use crate::uapi::virtio_ids::{VIRTIO_ID_BLOCK, VIRTIO_ID_NET};
use crate::uapi::virtio_net::{VIRTIO_NET_S_ANNOUNCE, VIRTIO_NET_S_LINK_UP};
use crate::{GenlMsg, request};

/// The family's name.
pub const FAMILY: &str = VDPA_GENL_NAME;

/// A management device, as `vdpa mgmtdev show` lists it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct MgmtDev {
    /// Bus name (`pci` ...), absent for virtual ones (`vdpasim_net`).
    pub bus_name: Option<String>,
    /// Device name.
    pub dev_name: String,
    /// Device classes it can create, a bit per virtio id (`1 << VIRTIO_ID_NET`).
    pub supported_classes: u64,
    /// Virtio features it supports.
    pub supported_features: Option<u64>,
    /// Most virtqueues a device of it can have.
    pub max_vqs: Option<u32>,
}

impl MgmtDev {
    /// Writes `VDPA_CMD_MGMTDEV_GET` for `[bus/]dev` (`vdpa mgmtdev show
    /// [BUS/]DEV`; Go's `VDPAGetMGMTDevByBusAndName`).
    pub fn write_get(family: u16, bus: Option<&str>, dev: &str, buf: &mut Vec<u8>) -> Result<()> {
        let mut m = request(
            buf,
            family,
            VDPA_CMD_MGMTDEV_GET,
            VDPA_GENL_VERSION,
            NLM_F_ACK,
        );
        put_mgmtdev(&mut m, bus, dev);
        finish(m)
    }

    /// Writes a dump of every management device (`vdpa mgmtdev show`).
    pub fn write_dump(family: u16, buf: &mut Vec<u8>) -> Result<()> {
        dump(family, VDPA_CMD_MGMTDEV_GET, buf)
    }

    /// Parses a `VDPA_CMD_MGMTDEV_GET` reply or dump entry.
    pub fn parse(msg: &GenlMsg<'_>) -> Result<MgmtDev> {
        let mut d = MgmtDev::default();
        let mut name = None;
        each(msg, |a| {
            match a.ty() {
                VDPA_ATTR_MGMTDEV_BUS_NAME => d.bus_name = Some(a.cstr()?.to_string()),
                VDPA_ATTR_MGMTDEV_DEV_NAME => name = Some(a.cstr()?.to_string()),
                VDPA_ATTR_MGMTDEV_SUPPORTED_CLASSES => d.supported_classes = a.u64()?,
                VDPA_ATTR_DEV_SUPPORTED_FEATURES => d.supported_features = Some(a.u64()?),
                VDPA_ATTR_DEV_MGMTDEV_MAX_VQS => d.max_vqs = Some(a.u32()?),
                _ => {}
            }
            Ok(())
        })?;
        d.dev_name = name.ok_or_else(|| missing(msg, "a vdpa management device (no name)"))?;
        Ok(d)
    }

    /// The handle `vdpa` prints and takes: `bus/dev` or `dev`.
    pub fn handle(&self) -> String {
        match &self.bus_name {
            Some(b) => format!("{b}/{}", self.dev_name),
            None => self.dev_name.clone(),
        }
    }

    /// Whether it creates devices of virtio class `id` (`VIRTIO_ID_NET` ...).
    pub fn supports_class(&self, id: u32) -> bool {
        id < 64 && self.supported_classes & (1 << id) != 0
    }
}

impl fmt::Display for MgmtDev {
    /// As `vdpa mgmtdev show` prints its first line.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: supported_classes", self.handle())?;
        for id in 0..64 {
            if self.supports_class(id) {
                write!(f, " {}", class_name(id))?;
            }
        }
        if let Some(n) = self.max_vqs {
            write!(f, " max_supported_vqs {n}")?;
        }
        Ok(())
    }
}

/// The `vdpa` tool's name of virtio class `id`.
pub fn class_name(id: u32) -> String {
    match id {
        VIRTIO_ID_NET => "net".into(),
        VIRTIO_ID_BLOCK => "block".into(),
        other => other.to_string(),
    }
}

/// A vDPA device, as `vdpa dev show` lists it (Go's `VDPADev`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Dev {
    /// Its name.
    pub name: String,
    /// Virtio device id: its class (`VIRTIO_ID_NET` ...).
    pub device_id: u32,
    /// Virtio vendor id.
    pub vendor_id: u32,
    /// Number of virtqueues.
    pub max_vqs: u32,
    /// Largest virtqueue size.
    pub max_vq_size: u16,
    /// Smallest virtqueue size, when it is above 1.
    pub min_vq_size: Option<u16>,
    /// Its management device's bus, if any.
    pub mgmtdev_bus: Option<String>,
    /// Its management device's name.
    pub mgmtdev_dev: Option<String>,
}

impl Dev {
    /// Writes `VDPA_CMD_DEV_GET` for device `name` (`vdpa dev show NAME`).
    pub fn write_get(family: u16, name: &str, buf: &mut Vec<u8>) -> Result<()> {
        by_name(family, VDPA_CMD_DEV_GET, name, buf)
    }

    /// Writes a dump of every device (`vdpa dev show`).
    pub fn write_dump(family: u16, buf: &mut Vec<u8>) -> Result<()> {
        dump(family, VDPA_CMD_DEV_GET, buf)
    }

    /// Writes `VDPA_CMD_DEV_DEL` for device `name` (`vdpa dev del NAME`).
    pub fn write_del(family: u16, name: &str, buf: &mut Vec<u8>) -> Result<()> {
        by_name(family, VDPA_CMD_DEV_DEL, name, buf)
    }

    /// Parses a `VDPA_CMD_DEV_GET` reply or dump entry.
    pub fn parse(msg: &GenlMsg<'_>) -> Result<Dev> {
        let mut d = Dev::default();
        let mut name = None;
        each(msg, |a| {
            match a.ty() {
                VDPA_ATTR_DEV_NAME => name = Some(a.cstr()?.to_string()),
                VDPA_ATTR_DEV_ID => d.device_id = a.u32()?,
                VDPA_ATTR_DEV_VENDOR_ID => d.vendor_id = a.u32()?,
                VDPA_ATTR_DEV_MAX_VQS => d.max_vqs = a.u32()?,
                VDPA_ATTR_DEV_MAX_VQ_SIZE => d.max_vq_size = a.u16()?,
                VDPA_ATTR_DEV_MIN_VQ_SIZE => d.min_vq_size = Some(a.u16()?),
                VDPA_ATTR_MGMTDEV_BUS_NAME => d.mgmtdev_bus = Some(a.cstr()?.to_string()),
                VDPA_ATTR_MGMTDEV_DEV_NAME => d.mgmtdev_dev = Some(a.cstr()?.to_string()),
                _ => {}
            }
            Ok(())
        })?;
        d.name = name.ok_or_else(|| missing(msg, "a vdpa device (no name)"))?;
        Ok(d)
    }
}

impl fmt::Display for Dev {
    /// As `vdpa dev show` prints it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let class = match self.device_id {
            VIRTIO_ID_NET => "network".to_string(),
            other => class_name(other),
        };
        write!(f, "{}: type {class}", self.name)?;
        match (&self.mgmtdev_bus, &self.mgmtdev_dev) {
            (Some(b), Some(d)) => write!(f, " mgmtdev {b}/{d}")?,
            (None, Some(d)) => write!(f, " mgmtdev {d}")?,
            _ => {}
        }
        write!(
            f,
            " vendor_id {} max_vqs {} max_vq_size {}",
            self.vendor_id, self.max_vqs, self.max_vq_size
        )?;
        if let Some(n) = self.min_vq_size {
            write!(f, " min_vq_size {n}")?;
        }
        Ok(())
    }
}

/// A device's virtio configuration (`vdpa dev config show`; Go's
/// `VDPADevConfig`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct DevConfig {
    /// The device's name.
    pub name: String,
    /// Virtio features provisioned to it.
    pub features: Option<u64>,
    /// Virtio features the driver negotiated.
    pub negotiated_features: Option<u64>,
    /// Net devices: MAC address.
    pub mac: Option<HwAddr>,
    /// Net devices: status (`VIRTIO_NET_S_*`).
    pub status: Option<u16>,
    /// Net devices: most virtqueue pairs.
    pub max_vqp: Option<u16>,
    /// Net devices: MTU.
    pub mtu: Option<u16>,
}

impl DevConfig {
    /// Writes `VDPA_CMD_DEV_CONFIG_GET` for device `name`.
    pub fn write_get(family: u16, name: &str, buf: &mut Vec<u8>) -> Result<()> {
        by_name(family, VDPA_CMD_DEV_CONFIG_GET, name, buf)
    }

    /// Writes a dump of every device's configuration.
    pub fn write_dump(family: u16, buf: &mut Vec<u8>) -> Result<()> {
        dump(family, VDPA_CMD_DEV_CONFIG_GET, buf)
    }

    /// Parses a `VDPA_CMD_DEV_CONFIG_GET` reply or dump entry.
    pub fn parse(msg: &GenlMsg<'_>) -> Result<DevConfig> {
        let mut c = DevConfig::default();
        let mut name = None;
        each(msg, |a| {
            match a.ty() {
                VDPA_ATTR_DEV_NAME => name = Some(a.cstr()?.to_string()),
                VDPA_ATTR_DEV_FEATURES => c.features = Some(a.u64()?),
                VDPA_ATTR_DEV_NEGOTIATED_FEATURES => c.negotiated_features = Some(a.u64()?),
                VDPA_ATTR_DEV_NET_CFG_MACADDR => c.mac = Some(a.hwaddr()?),
                // The header says u8, the kernel puts a u16.
                VDPA_ATTR_DEV_NET_STATUS => {
                    c.status = Some(u16::try_from(a.uint()?).unwrap_or(u16::MAX));
                }
                VDPA_ATTR_DEV_NET_CFG_MAX_VQP => c.max_vqp = Some(a.u16()?),
                VDPA_ATTR_DEV_NET_CFG_MTU => c.mtu = Some(a.u16()?),
                _ => {}
            }
            Ok(())
        })?;
        c.name = name.ok_or_else(|| missing(msg, "a vdpa device config (no name)"))?;
        Ok(c)
    }

    /// The link is up (`VIRTIO_NET_S_LINK_UP`).
    pub fn link_up(&self) -> Option<bool> {
        self.status.map(|s| s & VIRTIO_NET_S_LINK_UP != 0)
    }

    /// The device asks the driver to announce itself (`VIRTIO_NET_S_ANNOUNCE`).
    pub fn announce(&self) -> Option<bool> {
        self.status.map(|s| s & VIRTIO_NET_S_ANNOUNCE != 0)
    }
}

impl fmt::Display for DevConfig {
    /// As `vdpa dev config show` prints its first line.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:", self.name)?;
        if let Some(m) = &self.mac {
            write!(f, " mac {m}")?;
        }
        if let Some(up) = self.link_up() {
            write!(f, " link {}", if up { "up" } else { "down" })?;
        }
        if let Some(a) = self.announce() {
            write!(f, " link_announce {a}")?;
        }
        if let Some(n) = self.max_vqp {
            write!(f, " max_vq_pairs {n}")?;
        }
        if let Some(n) = self.mtu {
            write!(f, " mtu {n}")?;
        }
        Ok(())
    }
}

/// A virtqueue's vendor statistics (`vdpa dev vstats show NAME qidx N`;
/// Go's `VDPADevVStats`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct DevVStats {
    /// The device's name.
    pub name: String,
    /// The virtqueue.
    pub queue_index: u32,
    /// Virtio features the driver negotiated.
    pub negotiated_features: Option<u64>,
    /// Vendor counters, by name, in the kernel's order.
    pub vendor: Vec<(String, u64)>,
}

impl DevVStats {
    /// Writes `VDPA_CMD_DEV_VSTATS_GET` for queue `queue_index` of device `name`.
    pub fn write_get(family: u16, name: &str, queue_index: u32, buf: &mut Vec<u8>) -> Result<()> {
        let mut m = request(
            buf,
            family,
            VDPA_CMD_DEV_VSTATS_GET,
            VDPA_GENL_VERSION,
            NLM_F_ACK,
        );
        m.put_str(VDPA_ATTR_DEV_NAME, name)
            .put_u32(VDPA_ATTR_DEV_QUEUE_INDEX, queue_index);
        finish(m)
    }

    /// Parses the `VDPA_CMD_DEV_VSTATS_GET` reply: each vendor counter is
    /// a name attribute followed by its value.
    pub fn parse(msg: &GenlMsg<'_>) -> Result<DevVStats> {
        let mut s = DevVStats::default();
        let mut pending: Option<String> = None;
        each(msg, |a| {
            match a.ty() {
                VDPA_ATTR_DEV_NAME => s.name = a.cstr()?.to_string(),
                VDPA_ATTR_DEV_QUEUE_INDEX => s.queue_index = a.u32()?,
                VDPA_ATTR_DEV_NEGOTIATED_FEATURES => s.negotiated_features = Some(a.u64()?),
                VDPA_ATTR_DEV_VENDOR_ATTR_NAME => pending = Some(a.cstr()?.to_string()),
                VDPA_ATTR_DEV_VENDOR_ATTR_VALUE => {
                    // A value without a name before it is dropped.
                    if let Some(n) = pending.take() {
                        s.vendor.push((n, a.u64()?));
                    }
                }
                _ => {}
            }
            Ok(())
        })?;
        Ok(s)
    }
}

/// A new device (`vdpa dev add name NAME mgmtdev [BUS/]DEV [mac M]
/// [max_vqp N] [mtu N] [device_features F]`; Go's `VDPANewDev`) or the
/// settings of `vdpa dev set` (Go's `VDPASetAttr`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct NewDev {
    /// The device's name.
    pub name: String,
    /// The management device's bus, if it has one.
    pub mgmtdev_bus: Option<String>,
    /// The management device's name (unused by `dev set`).
    pub mgmtdev_dev: String,
    /// Net devices: MAC address.
    pub mac: Option<HwAddr>,
    /// Net devices: most virtqueue pairs.
    pub max_vqp: Option<u16>,
    /// Net devices: MTU.
    pub mtu: Option<u16>,
    /// Virtio features to provision.
    pub features: Option<u64>,
}

impl NewDev {
    /// Device `name` from management device `mgmtdev` (no bus).
    pub fn new(name: impl Into<String>, mgmtdev: impl Into<String>) -> NewDev {
        NewDev {
            name: name.into(),
            mgmtdev_dev: mgmtdev.into(),
            ..NewDev::default()
        }
    }

    fn put_settings(&self, m: &mut MsgBuilder<'_>) {
        if let Some(mac) = &self.mac {
            m.put_hwaddr(VDPA_ATTR_DEV_NET_CFG_MACADDR, mac);
        }
        if let Some(n) = self.max_vqp {
            m.put_u16(VDPA_ATTR_DEV_NET_CFG_MAX_VQP, n);
        }
        if let Some(n) = self.mtu {
            m.put_u16(VDPA_ATTR_DEV_NET_CFG_MTU, n);
        }
        if let Some(f) = self.features {
            m.put_u64(VDPA_ATTR_DEV_FEATURES, f);
        }
    }

    /// Writes `VDPA_CMD_DEV_NEW`, in Go's order (device name, management
    /// device, settings).
    pub fn write_add(&self, family: u16, buf: &mut Vec<u8>) -> Result<()> {
        if self.name.is_empty() || self.mgmtdev_dev.is_empty() {
            return Err(Error::invalid(
                "vdpa device",
                "a new device needs a name and a management device",
            ));
        }
        let mut m = request(buf, family, VDPA_CMD_DEV_NEW, VDPA_GENL_VERSION, NLM_F_ACK);
        m.put_str(VDPA_ATTR_DEV_NAME, &self.name)
            .put_str(VDPA_ATTR_MGMTDEV_DEV_NAME, &self.mgmtdev_dev);
        if let Some(b) = &self.mgmtdev_bus {
            m.put_str(VDPA_ATTR_MGMTDEV_BUS_NAME, b);
        }
        self.put_settings(&mut m);
        finish(m)
    }

    /// Writes `VDPA_CMD_DEV_ATTR_SET` (Linux 6.12) with the settings that
    /// are set, then the device name, as Go's `VDPASetAttr` does.
    pub fn write_set(&self, family: u16, buf: &mut Vec<u8>) -> Result<()> {
        if self.mac.is_none()
            && self.max_vqp.is_none()
            && self.mtu.is_none()
            && self.features.is_none()
        {
            return Err(Error::invalid(
                "vdpa device",
                "parameters were not provided",
            ));
        }
        let mut m = request(
            buf,
            family,
            VDPA_CMD_DEV_ATTR_SET,
            VDPA_GENL_VERSION,
            NLM_F_ACK,
        );
        self.put_settings(&mut m);
        m.put_str(VDPA_ATTR_DEV_NAME, &self.name);
        finish(m)
    }
}

fn put_mgmtdev(m: &mut MsgBuilder<'_>, bus: Option<&str>, dev: &str) {
    m.put_str(VDPA_ATTR_MGMTDEV_DEV_NAME, dev);
    if let Some(b) = bus {
        m.put_str(VDPA_ATTR_MGMTDEV_BUS_NAME, b);
    }
}

fn by_name(family: u16, cmd: u8, name: &str, buf: &mut Vec<u8>) -> Result<()> {
    let mut m = request(buf, family, cmd, VDPA_GENL_VERSION, NLM_F_ACK);
    m.put_str(VDPA_ATTR_DEV_NAME, name);
    finish(m)
}

fn dump(family: u16, cmd: u8, buf: &mut Vec<u8>) -> Result<()> {
    finish(request(buf, family, cmd, VDPA_GENL_VERSION, NLM_F_DUMP))
}

/// Runs `f` on every attribute of `msg`, naming the family in errors.
fn each<'a>(msg: &GenlMsg<'a>, mut f: impl FnMut(&Attr<'a>) -> nl_wire::Result<()>) -> Result<()> {
    let err = |e| msg.wire_error(FAMILY, e);
    for a in msg.attrs() {
        f(&a.map_err(err)?).map_err(err)?;
    }
    Ok(())
}

fn missing(msg: &GenlMsg<'_>, what: &'static str) -> Error {
    Error::Unexpected {
        what,
        msg_type: msg.family_id(),
    }
}

fn finish(m: MsgBuilder<'_>) -> Result<()> {
    m.finish().map_err(Error::Build)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use nl_wire::Msg;

    const FAM: u16 = 0x22;

    fn genl(buf: &[u8]) -> GenlMsg<'_> {
        let (msg, _) = Msg::parse(buf).unwrap();
        GenlMsg::parse(&msg, 0).unwrap()
    }

    fn reply(cmd: u8, f: impl FnOnce(&mut MsgBuilder<'_>)) -> Vec<u8> {
        let mut buf = Vec::new();
        let mut m = MsgBuilder::new(&mut buf, FAM, 0);
        m.header(&crate::GenlMsgHdr {
            cmd,
            version: VDPA_GENL_VERSION,
            reserved: [0; 2],
        });
        f(&mut m);
        m.finish().unwrap();
        buf
    }

    /// `vdpa dev add name vdpa0 mgmtdev vdpasim_net mac 00:11:22:33:44:55
    /// max_vqp 2 mtu 1400` as Go's `VDPANewDev` writes it.
    #[test]
    fn new_dev_is_what_go_sends() {
        let dev = NewDev {
            mac: Some("00:11:22:33:44:55".parse().unwrap()),
            max_vqp: Some(2),
            mtu: Some(1400),
            ..NewDev::new("vdpa0", "vdpasim_net")
        };
        let mut buf = Vec::new();
        dev.write_add(FAM, &mut buf).unwrap();
        assert_eq!(&buf[16..20], &[VDPA_CMD_DEV_NEW, 1, 0, 0]);
        #[rustfmt::skip]
        let attrs: &[u8] = &[
            10, 0, 4, 0, b'v', b'd', b'p', b'a', b'0', 0, 0, 0,
            16, 0, 2, 0, b'v', b'd', b'p', b'a', b's', b'i', b'm', b'_', b'n', b'e', b't', 0,
            10, 0, 10, 0, 0, 0x11, 0x22, 0x33, 0x44, 0x55, 0, 0,
            6, 0, 12, 0, 2, 0, 0, 0,
            6, 0, 13, 0, 0x78, 0x05, 0, 0,
        ];
        assert_eq!(&buf[20..], attrs);
        assert!(NewDev::default().write_add(FAM, &mut Vec::new()).is_err());
        // `dev set` without settings is refused, with them the name comes last.
        let set = NewDev::new("vdpa0", "");
        assert!(set.write_set(FAM, &mut Vec::new()).is_err());
        let mut buf = Vec::new();
        NewDev {
            mtu: Some(9000),
            ..set
        }
        .write_set(FAM, &mut buf)
        .unwrap();
        let g = genl(&buf);
        assert_eq!(g.cmd(), VDPA_CMD_DEV_ATTR_SET);
        let kinds: Vec<u16> = g.attrs().map(|a| a.unwrap().ty()).collect();
        assert_eq!(kinds, [VDPA_ATTR_DEV_NET_CFG_MTU, VDPA_ATTR_DEV_NAME]);
    }

    /// A device and its management device as `vdpa_dev_fill` and
    /// `vdpa_mgmtdev_fill` write them for the net simulator.
    #[test]
    fn replies_read_like_the_vdpa_tool() {
        let buf = reply(VDPA_CMD_DEV_GET, |m| {
            m.put_str(VDPA_ATTR_MGMTDEV_DEV_NAME, "vdpasim_net")
                .put_str(VDPA_ATTR_DEV_NAME, "vdpa0")
                .put_u32(VDPA_ATTR_DEV_ID, VIRTIO_ID_NET)
                .put_u32(VDPA_ATTR_DEV_VENDOR_ID, 0)
                .put_u32(VDPA_ATTR_DEV_MAX_VQS, 3)
                .put_u16(VDPA_ATTR_DEV_MAX_VQ_SIZE, 256);
        });
        let dev = Dev::parse(&genl(&buf)).unwrap();
        assert_eq!(
            dev.to_string(),
            "vdpa0: type network mgmtdev vdpasim_net vendor_id 0 max_vqs 3 max_vq_size 256"
        );
        let buf = reply(VDPA_CMD_MGMTDEV_GET, |m| {
            m.put_str(VDPA_ATTR_MGMTDEV_BUS_NAME, "pci")
                .put_str(VDPA_ATTR_MGMTDEV_DEV_NAME, "0000:08:00.2")
                .put_u64(VDPA_ATTR_MGMTDEV_SUPPORTED_CLASSES, 1 << VIRTIO_ID_NET)
                .put_u32(VDPA_ATTR_DEV_MGMTDEV_MAX_VQS, 16)
                .put_u64(VDPA_ATTR_DEV_SUPPORTED_FEATURES, 1 << 32);
        });
        let mg = MgmtDev::parse(&genl(&buf)).unwrap();
        assert_eq!(mg.handle(), "pci/0000:08:00.2");
        assert!(mg.supports_class(VIRTIO_ID_NET) && !mg.supports_class(VIRTIO_ID_BLOCK));
        assert!(!mg.supports_class(99));
        assert_eq!(
            mg.to_string(),
            "pci/0000:08:00.2: supported_classes net max_supported_vqs 16"
        );
        // The request names the bus after the device, as Go does.
        let mut buf = Vec::new();
        MgmtDev::write_get(FAM, Some("pci"), "0000:08:00.2", &mut buf).unwrap();
        let kinds: Vec<u16> = genl(&buf).attrs().map(|a| a.unwrap().ty()).collect();
        assert_eq!(
            kinds,
            [VDPA_ATTR_MGMTDEV_DEV_NAME, VDPA_ATTR_MGMTDEV_BUS_NAME]
        );
    }

    #[test]
    fn config_and_vstats() {
        let buf = reply(VDPA_CMD_DEV_CONFIG_GET, |m| {
            m.put_str(VDPA_ATTR_DEV_NAME, "vdpa0")
                .put_bytes(
                    VDPA_ATTR_DEV_NET_CFG_MACADDR,
                    &[0, 0x11, 0x22, 0x33, 0x44, 0x55],
                )
                .put_u16(VDPA_ATTR_DEV_NET_STATUS, VIRTIO_NET_S_LINK_UP)
                .put_u16(VDPA_ATTR_DEV_NET_CFG_MAX_VQP, 1)
                .put_u16(VDPA_ATTR_DEV_NET_CFG_MTU, 1500)
                .put_u64(VDPA_ATTR_DEV_NEGOTIATED_FEATURES, 0x3);
        });
        let c = DevConfig::parse(&genl(&buf)).unwrap();
        assert_eq!((c.link_up(), c.announce()), (Some(true), Some(false)));
        assert_eq!(
            c.to_string(),
            "vdpa0: mac 00:11:22:33:44:55 link up link_announce false max_vq_pairs 1 mtu 1500"
        );
        let buf = reply(VDPA_CMD_DEV_VSTATS_GET, |m| {
            m.put_str(VDPA_ATTR_DEV_NAME, "vdpa0")
                .put_u32(VDPA_ATTR_DEV_QUEUE_INDEX, 1)
                .put_u64(VDPA_ATTR_DEV_VENDOR_ATTR_VALUE, 9)
                .put_str(VDPA_ATTR_DEV_VENDOR_ATTR_NAME, "received_desc")
                .put_u64(VDPA_ATTR_DEV_VENDOR_ATTR_VALUE, 10)
                .put_str(VDPA_ATTR_DEV_VENDOR_ATTR_NAME, "completed_desc")
                .put_u64(VDPA_ATTR_DEV_VENDOR_ATTR_VALUE, 11);
        });
        let s = DevVStats::parse(&genl(&buf)).unwrap();
        assert_eq!(s.queue_index, 1);
        assert_eq!(
            s.vendor,
            [
                ("received_desc".to_string(), 10),
                ("completed_desc".to_string(), 11)
            ]
        );
        // Replies without their name are errors.
        let empty = reply(VDPA_CMD_DEV_GET, |_| {});
        assert!(Dev::parse(&genl(&empty)).is_err());
        assert!(MgmtDev::parse(&genl(&empty)).is_err());
        assert!(DevConfig::parse(&genl(&empty)).is_err());
    }
}
