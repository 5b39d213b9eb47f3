//! devlink (genl family `"devlink"`): devices, ports (list, get, add,
//! delete, split, unsplit, port function), eswitch mode, resources,
//! parameters and device information — what `devlink dev`, `devlink
//! port`, `devlink resource` and `devlink dev param|info` show, and the
//! calls of the Go library's `devlink_linux.go`.
//!
//! Every request and reply names its device by a handle of two strings,
//! bus and device (`pci/0000:01:00.0`, `netdevsim/netdevsim10`):
//!
//! ```text
//! BUS_NAME "pci" | DEV_NAME "0000:01:00.0" | PORT_INDEX 1 | ...
//! ```
//!
//! A parameter's value travels in a nest per configuration mode, its
//! type (`PARAM_TYPE`, the kernel's `NLA_*` numbers) saying how to read
//! the data; a boolean is true when the data attribute is present:
//!
//! ```text
//! PARAM { PARAM_NAME "max_macs" | PARAM_GENERIC | PARAM_TYPE 3 (u32) |
//!         PARAM_VALUES_LIST { PARAM_VALUE { PARAM_VALUE_CMODE 1 | PARAM_VALUE_DATA 32 } } }
//! ```
//!
//! Devlink instances belong to a network namespace: a dump lists those of
//! the requesting socket's namespace.
//!
//! Like the rest of the crate this module does no I/O: writers put a
//! request in a buffer, `parse` reads a reply.

use core::fmt;
use core::str::FromStr;
use std::collections::BTreeMap;

use nl_wire::netlink::{NLA_F_NESTED, NLM_F_ACK, NLM_F_DUMP};
use nl_wire::{Attrs, HwAddr, MsgBuilder};

use crate::enums::kernel_enum;
use crate::error::{Error, Result};
use crate::uapi::devlink::*;
use crate::{GenlMsg, request};

/// The family's name (`DEVLINK_GENL_NAME`).
pub const FAMILY: &str = "devlink";
/// Its multicast group of configuration changes (`DEVLINK_GENL_MCGRP_CONFIG_NAME`).
pub const CONFIG_GROUP: &str = "config";

/// `DEVLINK_PORT_FN_ATTR_CAPS` (6.2): the port function's capabilities,
/// a `bitfield32` (newer than the 6.1 headers).
pub const DEVLINK_PORT_FN_ATTR_CAPS: u16 = DEVLINK_PORT_FN_ATTR_OPSTATE + 1;

/// A device's handle: bus and device name, written `bus/device`
/// (`pci/0000:01:00.0`) as devlink prints it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DevHandle {
    /// The bus (`pci`, `netdevsim`, `auxiliary`).
    pub bus: String,
    /// The device on it (`0000:01:00.0`).
    pub dev: String,
}

impl DevHandle {
    /// The handle of device `dev` on bus `bus`.
    pub fn new(bus: &str, dev: &str) -> DevHandle {
        DevHandle {
            bus: bus.to_string(),
            dev: dev.to_string(),
        }
    }

    /// Puts `BUS_NAME` and `DEV_NAME`.
    fn put(&self, m: &mut MsgBuilder<'_>) {
        m.put_str(DEVLINK_ATTR_BUS_NAME, &self.bus)
            .put_str(DEVLINK_ATTR_DEV_NAME, &self.dev);
    }

    /// Refuses a handle the kernel could not match.
    fn check(&self) -> Result<()> {
        if self.bus.is_empty() || self.dev.is_empty() {
            return Err(Error::invalid(
                "devlink handle",
                format!("{self:?}: needs a bus and a device name"),
            ));
        }
        Ok(())
    }
}

impl fmt::Display for DevHandle {
    /// `bus/device`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.bus, self.dev)
    }
}

impl FromStr for DevHandle {
    type Err = Error;

    /// Reads `bus/device` (the device part may hold more slashes).
    fn from_str(s: &str) -> Result<DevHandle> {
        match s.split_once('/') {
            Some((bus, dev)) if !bus.is_empty() && !dev.is_empty() => Ok(DevHandle::new(bus, dev)),
            _ => Err(Error::invalid(
                "devlink handle",
                format!("{s:?}: expected BUS/DEVICE (pci/0000:01:00.0)"),
            )),
        }
    }
}

kernel_enum! {
    /// An eswitch mode (`enum devlink_eswitch_mode`).
    pub enum EswitchMode: u16 {
        /// SR-IOV legacy mode.
        Legacy = DEVLINK_ESWITCH_MODE_LEGACY => "legacy",
        /// Switchdev mode: representors for every port.
        Switchdev = DEVLINK_ESWITCH_MODE_SWITCHDEV => "switchdev",
    }
}

kernel_enum! {
    /// How much of a packet the eswitch inlines (`enum devlink_eswitch_inline_mode`).
    pub enum InlineMode: u8 {
        /// Nothing.
        None = DEVLINK_ESWITCH_INLINE_MODE_NONE => "none",
        /// L2 headers.
        Link = DEVLINK_ESWITCH_INLINE_MODE_LINK => "link",
        /// L3 headers.
        Network = DEVLINK_ESWITCH_INLINE_MODE_NETWORK => "network",
        /// L4 headers.
        Transport = DEVLINK_ESWITCH_INLINE_MODE_TRANSPORT => "transport",
    }
}

kernel_enum! {
    /// Whether the eswitch offloads encapsulation (`enum devlink_eswitch_encap_mode`).
    pub enum EncapMode: u8 {
        /// No encapsulation offload.
        None = DEVLINK_ESWITCH_ENCAP_MODE_NONE => "none",
        /// Basic encapsulation offload.
        Basic = DEVLINK_ESWITCH_ENCAP_MODE_BASIC => "basic",
    }
}

kernel_enum! {
    /// A port's type (`enum devlink_port_type`).
    pub enum PortType: u16 {
        /// Not set.
        NotSet = DEVLINK_PORT_TYPE_NOTSET => "notset",
        /// Chosen by the driver.
        Auto = DEVLINK_PORT_TYPE_AUTO => "auto",
        /// Ethernet.
        Eth = DEVLINK_PORT_TYPE_ETH => "eth",
        /// InfiniBand.
        Ib = DEVLINK_PORT_TYPE_IB => "ib",
    }
}

kernel_enum! {
    /// What a port is (`enum devlink_port_flavour`).
    pub enum PortFlavour: u16 {
        /// A physical port facing the world.
        Physical = DEVLINK_PORT_FLAVOUR_PHYSICAL => "physical",
        /// The CPU port of a switch.
        Cpu = DEVLINK_PORT_FLAVOUR_CPU => "cpu",
        /// A port between switches.
        Dsa = DEVLINK_PORT_FLAVOUR_DSA => "dsa",
        /// A PCI physical function.
        PciPf = DEVLINK_PORT_FLAVOUR_PCI_PF => "pcipf",
        /// A PCI virtual function.
        PciVf = DEVLINK_PORT_FLAVOUR_PCI_VF => "pcivf",
        /// A virtual port.
        Virtual = DEVLINK_PORT_FLAVOUR_VIRTUAL => "virtual",
        /// An unused port.
        Unused = DEVLINK_PORT_FLAVOUR_UNUSED => "unused",
        /// A PCI subfunction.
        PciSf = DEVLINK_PORT_FLAVOUR_PCI_SF => "pcisf",
    }
}

kernel_enum! {
    /// A port function's administrative state (`enum devlink_port_fn_state`).
    pub enum PortFnState: u8 {
        /// Inactive.
        Inactive = DEVLINK_PORT_FN_STATE_INACTIVE => "inactive",
        /// Active.
        Active = DEVLINK_PORT_FN_STATE_ACTIVE => "active",
    }
}

kernel_enum! {
    /// A port function's operational state (`enum devlink_port_fn_opstate`).
    pub enum PortFnOpstate: u8 {
        /// No driver attached.
        Detached = DEVLINK_PORT_FN_OPSTATE_DETACHED => "detached",
        /// A driver is attached.
        Attached = DEVLINK_PORT_FN_OPSTATE_ATTACHED => "attached",
    }
}

kernel_enum! {
    /// When a parameter value takes effect (`enum devlink_param_cmode`).
    pub enum ParamCmode: u8 {
        /// At once.
        Runtime = DEVLINK_PARAM_CMODE_RUNTIME => "runtime",
        /// At the next driver (re)load.
        Driverinit = DEVLINK_PARAM_CMODE_DRIVERINIT => "driverinit",
        /// Stored in the device.
        Permanent = DEVLINK_PARAM_CMODE_PERMANENT => "permanent",
    }
}

kernel_enum! {
    /// A parameter's type: the kernel's `NLA_*` number it sends in
    /// `DEVLINK_ATTR_PARAM_TYPE` (`enum devlink_param_type`, the devlink
    /// spec's `var-attr-type`).
    pub enum ParamType: u8 {
        /// `NLA_U8`.
        U8 = 1 => "u8",
        /// `NLA_U16`.
        U16 = 2 => "u16",
        /// `NLA_U32`.
        U32 = 3 => "u32",
        /// `NLA_U64`.
        U64 = 4 => "u64",
        /// `NLA_STRING`.
        String = 5 => "string",
        /// `NLA_FLAG`: true when the data attribute is present.
        Bool = 6 => "bool",
    }
}

kernel_enum! {
    /// A resource's unit (`enum devlink_resource_unit`).
    pub enum ResourceUnit: u8 {
        /// Entries (of a table).
        Entry = DEVLINK_RESOURCE_UNIT_ENTRY => "entry",
    }
}

/// Writes the enum's word, or its number when unknown.
macro_rules! display_word {
    ($($t:ty),*) => {$(
        impl fmt::Display for $t {
            /// devlink's word for it, or the number.
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                match self.word() {
                    Some(w) => f.write_str(w),
                    None => write!(f, "{}", u64::from(*self)),
                }
            }
        }
    )*};
}

impl From<EswitchMode> for u64 {
    fn from(v: EswitchMode) -> u64 {
        u16::from(v).into()
    }
}
impl From<PortType> for u64 {
    fn from(v: PortType) -> u64 {
        u16::from(v).into()
    }
}
impl From<PortFlavour> for u64 {
    fn from(v: PortFlavour) -> u64 {
        u16::from(v).into()
    }
}
impl From<InlineMode> for u64 {
    fn from(v: InlineMode) -> u64 {
        u8::from(v).into()
    }
}
impl From<EncapMode> for u64 {
    fn from(v: EncapMode) -> u64 {
        u8::from(v).into()
    }
}
impl From<PortFnState> for u64 {
    fn from(v: PortFnState) -> u64 {
        u8::from(v).into()
    }
}
impl From<PortFnOpstate> for u64 {
    fn from(v: PortFnOpstate) -> u64 {
        u8::from(v).into()
    }
}
impl From<ParamCmode> for u64 {
    fn from(v: ParamCmode) -> u64 {
        u8::from(v).into()
    }
}
impl From<ParamType> for u64 {
    fn from(v: ParamType) -> u64 {
        u8::from(v).into()
    }
}
impl From<ResourceUnit> for u64 {
    fn from(v: ResourceUnit) -> u64 {
        u8::from(v).into()
    }
}

display_word!(
    EswitchMode,
    InlineMode,
    EncapMode,
    PortType,
    PortFlavour,
    PortFnState,
    PortFnOpstate,
    ParamCmode,
    ParamType,
    ResourceUnit
);

/// Starts a request `cmd` naming device `dev`.
fn start<'b>(
    buf: &'b mut Vec<u8>,
    family: u16,
    cmd: u8,
    flags: u16,
    dev: &DevHandle,
) -> Result<MsgBuilder<'b>> {
    dev.check()?;
    let mut m = request(buf, family, cmd, DEVLINK_GENL_VERSION, flags);
    dev.put(&mut m);
    Ok(m)
}

fn finish(m: MsgBuilder<'_>) -> Result<()> {
    m.finish().map_err(Error::Build)?;
    Ok(())
}

/// Reads a handle attribute into `h`; false for any other attribute.
fn handle_attr(h: &mut DevHandle, a: &nl_wire::Attr<'_>) -> nl_wire::Result<bool> {
    match a.ty() {
        DEVLINK_ATTR_BUS_NAME => h.bus = a.str()?.to_string(),
        DEVLINK_ATTR_DEV_NAME => h.dev = a.str()?.to_string(),
        _ => return Ok(false),
    }
    Ok(true)
}

/// A devlink device (`devlink dev show`; the Go library's `DevlinkDevice`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Device {
    /// Its handle.
    pub handle: DevHandle,
    /// The last reload failed.
    pub reload_failed: Option<bool>,
    /// Its eswitch, when the driver has one (filled by a separate
    /// `ESWITCH_GET`, as the Go library does).
    pub eswitch: Option<Eswitch>,
}

impl Device {
    /// Writes a dump of every device (`devlink dev show`).
    pub fn write_dump(family: u16, buf: &mut Vec<u8>) -> Result<()> {
        finish(request(
            buf,
            family,
            DEVLINK_CMD_GET,
            DEVLINK_GENL_VERSION,
            NLM_F_DUMP,
        ))
    }

    /// Writes `DEVLINK_CMD_GET` for device `dev` (`devlink dev show DEV`).
    pub fn write_get(family: u16, dev: &DevHandle, buf: &mut Vec<u8>) -> Result<()> {
        finish(start(buf, family, DEVLINK_CMD_GET, NLM_F_ACK, dev)?)
    }

    /// Parses a device (`DEVLINK_CMD_NEW`: a reply, dump entry or notification).
    pub fn parse(msg: &GenlMsg<'_>) -> Result<Device> {
        let mut d = Device::default();
        let read = |d: &mut Device| -> nl_wire::Result<()> {
            for a in msg.attrs() {
                let a = a?;
                if !handle_attr(&mut d.handle, &a)? && a.ty() == DEVLINK_ATTR_RELOAD_FAILED {
                    d.reload_failed = Some(a.u8()? != 0);
                }
            }
            Ok(())
        };
        read(&mut d).map_err(|e| msg.wire_error(FAMILY, e))?;
        Ok(d)
    }
}

impl fmt::Display for Device {
    /// As `devlink dev show` prints it: the handle.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.handle)
    }
}

/// A device's eswitch settings (`devlink dev eswitch show|set`); in a set
/// request only the fields that are `Some` change.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Eswitch {
    /// The device.
    pub handle: DevHandle,
    /// Legacy or switchdev.
    pub mode: Option<EswitchMode>,
    /// Inline mode.
    pub inline_mode: Option<InlineMode>,
    /// Encapsulation offload.
    pub encap_mode: Option<EncapMode>,
}

impl Eswitch {
    /// Writes `DEVLINK_CMD_ESWITCH_GET` for `dev`.
    pub fn write_get(family: u16, dev: &DevHandle, buf: &mut Vec<u8>) -> Result<()> {
        finish(start(buf, family, DEVLINK_CMD_ESWITCH_GET, NLM_F_ACK, dev)?)
    }

    /// Writes `DEVLINK_CMD_ESWITCH_SET` with the settings that are `Some`
    /// (`devlink dev eswitch set DEV mode switchdev`).
    pub fn write_set(&self, family: u16, buf: &mut Vec<u8>) -> Result<()> {
        if self.mode.is_none() && self.inline_mode.is_none() && self.encap_mode.is_none() {
            return Err(Error::invalid(
                "eswitch",
                "nothing to set: give a mode, inline mode or encap mode",
            ));
        }
        let mut m = start(
            buf,
            family,
            DEVLINK_CMD_ESWITCH_SET,
            NLM_F_ACK,
            &self.handle,
        )?;
        if let Some(v) = self.mode {
            m.put_u16(DEVLINK_ATTR_ESWITCH_MODE, v.into());
        }
        if let Some(v) = self.inline_mode {
            m.put_u8(DEVLINK_ATTR_ESWITCH_INLINE_MODE, v.into());
        }
        if let Some(v) = self.encap_mode {
            m.put_u8(DEVLINK_ATTR_ESWITCH_ENCAP_MODE, v.into());
        }
        finish(m)
    }

    /// Parses a `DEVLINK_CMD_ESWITCH_GET` reply.
    pub fn parse(msg: &GenlMsg<'_>) -> Result<Eswitch> {
        let mut e = Eswitch::default();
        let read = |e: &mut Eswitch| -> nl_wire::Result<()> {
            for a in msg.attrs() {
                let a = a?;
                if handle_attr(&mut e.handle, &a)? {
                    continue;
                }
                match a.ty() {
                    DEVLINK_ATTR_ESWITCH_MODE => e.mode = Some(a.u16()?.into()),
                    DEVLINK_ATTR_ESWITCH_INLINE_MODE => e.inline_mode = Some(a.u8()?.into()),
                    DEVLINK_ATTR_ESWITCH_ENCAP_MODE => e.encap_mode = Some(a.u8()?.into()),
                    _ => {}
                }
            }
            Ok(())
        };
        read(&mut e).map_err(|err| msg.wire_error(FAMILY, err))?;
        Ok(e)
    }
}

impl fmt::Display for Eswitch {
    /// As `devlink dev eswitch show` prints it:
    /// `pci/0000:01:00.0: mode switchdev inline-mode none encap-mode basic`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:", self.handle)?;
        if let Some(v) = self.mode {
            write!(f, " mode {v}")?;
        }
        if let Some(v) = self.inline_mode {
            write!(f, " inline-mode {v}")?;
        }
        if let Some(v) = self.encap_mode {
            write!(f, " encap-mode {v}")?;
        }
        Ok(())
    }
}

/// A port's function: the PCI function or subfunction behind it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PortFunction {
    /// The function's MAC address.
    pub hw_addr: Option<HwAddr>,
    /// Administrative state.
    pub state: Option<PortFnState>,
    /// Operational state.
    pub opstate: Option<PortFnOpstate>,
    /// Capabilities (`bitfield32`: value, selector).
    pub caps: Option<(u32, u32)>,
}

impl PortFunction {
    fn read(attrs: Attrs<'_>) -> nl_wire::Result<PortFunction> {
        let mut p = PortFunction::default();
        for a in attrs {
            let a = a?;
            match a.ty() {
                DEVLINK_PORT_FUNCTION_ATTR_HW_ADDR => p.hw_addr = Some(a.hwaddr()?),
                DEVLINK_PORT_FN_ATTR_STATE => p.state = Some(a.u8()?.into()),
                DEVLINK_PORT_FN_ATTR_OPSTATE => p.opstate = Some(a.u8()?.into()),
                DEVLINK_PORT_FN_ATTR_CAPS => {
                    let b = a.payload();
                    let word = |r: core::ops::Range<usize>| {
                        b.get(r)
                            .and_then(|w| <[u8; 4]>::try_from(w).ok())
                            .map(u32::from_ne_bytes)
                    };
                    match (b.len(), word(0..4), word(4..8)) {
                        (8, Some(v), Some(s)) => p.caps = Some((v, s)),
                        _ => {
                            return Err(nl_wire::Error::PayloadLen {
                                ty: a.ty(),
                                need: 8,
                                have: b.len(),
                                offset: a.offset(),
                            });
                        }
                    }
                }
                _ => {}
            }
        }
        Ok(p)
    }
}

/// A devlink port (`devlink port show`; the Go library's `DevlinkPort`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Port {
    /// The device.
    pub handle: DevHandle,
    /// The port's index on its device.
    pub index: u32,
    /// Its type.
    pub port_type: Option<PortType>,
    /// The type asked for, when it differs.
    pub desired_type: Option<PortType>,
    /// Its network device's index.
    pub netdev_ifindex: Option<u32>,
    /// Its network device's name.
    pub netdev_name: Option<String>,
    /// Its InfiniBand device's name.
    pub ibdev_name: Option<String>,
    /// What it is.
    pub flavour: Option<PortFlavour>,
    /// Its physical port number.
    pub number: Option<u32>,
    /// The port it was split from.
    pub split_group: Option<u32>,
    /// Its number within the split.
    pub split_subport: Option<u32>,
    /// Lanes.
    pub lanes: Option<u32>,
    /// Whether it can be split.
    pub splittable: Option<bool>,
    /// Whether its function is on an external controller.
    pub external: Option<bool>,
    /// The controller number.
    pub controller: Option<u32>,
    /// PCI physical function number.
    pub pci_pf: Option<u16>,
    /// PCI virtual function number.
    pub pci_vf: Option<u16>,
    /// PCI subfunction number.
    pub pci_sf: Option<u32>,
    /// Its function.
    pub function: Option<PortFunction>,
    /// The line card it is on.
    pub linecard: Option<u32>,
}

/// What a new port is to be (`devlink port add DEV flavour pcisf pfnum 0
/// sfnum 88`; the Go library's `DevLinkPortAddAttrs`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PortAdd {
    /// Its flavour (`PciSf` for a subfunction).
    pub flavour: PortFlavour,
    /// The PCI physical function it belongs to.
    pub pf_number: u16,
    /// The subfunction number (subfunction ports).
    pub sf_number: Option<u32>,
    /// The port index to use (the driver picks one if `None`).
    pub index: Option<u32>,
    /// The controller number.
    pub controller: Option<u32>,
}

/// Changes to a port's function (`devlink port function set PORT
/// hw_addr MAC state active`); only what is `Some` changes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PortFunctionSet {
    /// A new MAC address.
    pub hw_addr: Option<HwAddr>,
    /// A new state.
    pub state: Option<PortFnState>,
}

impl Port {
    /// Writes a dump of every port, or of device `dev`'s (kernels before
    /// 6.5 ignore the device and dump all: filter the answers).
    pub fn write_dump(family: u16, dev: Option<&DevHandle>, buf: &mut Vec<u8>) -> Result<()> {
        let m = match dev {
            Some(d) => start(buf, family, DEVLINK_CMD_PORT_GET, NLM_F_DUMP, d)?,
            None => request(
                buf,
                family,
                DEVLINK_CMD_PORT_GET,
                DEVLINK_GENL_VERSION,
                NLM_F_DUMP,
            ),
        };
        finish(m)
    }

    /// Writes `DEVLINK_CMD_PORT_GET` for port `index` of `dev`.
    pub fn write_get(family: u16, dev: &DevHandle, index: u32, buf: &mut Vec<u8>) -> Result<()> {
        let mut m = start(buf, family, DEVLINK_CMD_PORT_GET, NLM_F_ACK, dev)?;
        m.put_u32(DEVLINK_ATTR_PORT_INDEX, index);
        finish(m)
    }

    /// Writes `DEVLINK_CMD_PORT_NEW` (`devlink port add`); the kernel
    /// answers with the new port.
    pub fn write_add(family: u16, dev: &DevHandle, add: &PortAdd, buf: &mut Vec<u8>) -> Result<()> {
        let mut m = start(buf, family, DEVLINK_CMD_PORT_NEW, NLM_F_ACK, dev)?;
        if let Some(i) = add.index {
            m.put_u32(DEVLINK_ATTR_PORT_INDEX, i);
        }
        m.put_u16(DEVLINK_ATTR_PORT_FLAVOUR, add.flavour.into())
            .put_u16(DEVLINK_ATTR_PORT_PCI_PF_NUMBER, add.pf_number);
        if let (PortFlavour::PciSf, Some(sf)) = (add.flavour, add.sf_number) {
            m.put_u32(DEVLINK_ATTR_PORT_PCI_SF_NUMBER, sf);
        }
        if let Some(c) = add.controller {
            m.put_u32(DEVLINK_ATTR_PORT_CONTROLLER_NUMBER, c);
        }
        finish(m)
    }

    /// Writes a command naming port `index` of `dev` and nothing else.
    fn write_port_cmd<'b>(
        family: u16,
        cmd: u8,
        dev: &DevHandle,
        index: u32,
        buf: &'b mut Vec<u8>,
    ) -> Result<MsgBuilder<'b>> {
        let mut m = start(buf, family, cmd, NLM_F_ACK, dev)?;
        m.put_u32(DEVLINK_ATTR_PORT_INDEX, index);
        Ok(m)
    }

    /// Writes `DEVLINK_CMD_PORT_DEL` (`devlink port del DEV/INDEX`).
    pub fn write_del(family: u16, dev: &DevHandle, index: u32, buf: &mut Vec<u8>) -> Result<()> {
        finish(Port::write_port_cmd(
            family,
            DEVLINK_CMD_PORT_DEL,
            dev,
            index,
            buf,
        )?)
    }

    /// Writes `DEVLINK_CMD_PORT_SPLIT` (`devlink port split DEV/INDEX count N`).
    pub fn write_split(
        family: u16,
        dev: &DevHandle,
        index: u32,
        count: u32,
        buf: &mut Vec<u8>,
    ) -> Result<()> {
        if count < 2 {
            return Err(Error::invalid(
                "split count",
                format!("{count}: a port splits into 2 or more"),
            ));
        }
        let mut m = Port::write_port_cmd(family, DEVLINK_CMD_PORT_SPLIT, dev, index, buf)?;
        m.put_u32(DEVLINK_ATTR_PORT_SPLIT_COUNT, count);
        finish(m)
    }

    /// Writes `DEVLINK_CMD_PORT_UNSPLIT` (`devlink port unsplit DEV/INDEX`).
    pub fn write_unsplit(
        family: u16,
        dev: &DevHandle,
        index: u32,
        buf: &mut Vec<u8>,
    ) -> Result<()> {
        finish(Port::write_port_cmd(
            family,
            DEVLINK_CMD_PORT_UNSPLIT,
            dev,
            index,
            buf,
        )?)
    }

    /// Writes `DEVLINK_CMD_PORT_SET` changing the port's function
    /// (`devlink port function set DEV/INDEX hw_addr MAC state active`).
    pub fn write_function_set(
        family: u16,
        dev: &DevHandle,
        index: u32,
        set: &PortFunctionSet,
        buf: &mut Vec<u8>,
    ) -> Result<()> {
        if set.hw_addr.is_none() && set.state.is_none() {
            return Err(Error::invalid(
                "port function",
                "nothing to set: give a hardware address or a state",
            ));
        }
        let mut m = Port::write_port_cmd(family, DEVLINK_CMD_PORT_SET, dev, index, buf)?;
        m.nest(DEVLINK_ATTR_PORT_FUNCTION | NLA_F_NESTED, |m| {
            if let Some(a) = &set.hw_addr {
                m.put_hwaddr(DEVLINK_PORT_FUNCTION_ATTR_HW_ADDR, a);
            }
            if let Some(s) = set.state {
                m.put_u8(DEVLINK_PORT_FN_ATTR_STATE, s.into());
            }
        });
        finish(m)
    }

    /// Parses a port (a reply, dump entry or notification).
    pub fn parse(msg: &GenlMsg<'_>) -> Result<Port> {
        Port::read(msg.attrs()).map_err(|e| msg.wire_error(FAMILY, e))
    }

    fn read(attrs: Attrs<'_>) -> nl_wire::Result<Port> {
        let mut p = Port::default();
        for a in attrs {
            let a = a?;
            if handle_attr(&mut p.handle, &a)? {
                continue;
            }
            match a.ty() {
                DEVLINK_ATTR_PORT_INDEX => p.index = a.u32()?,
                DEVLINK_ATTR_PORT_TYPE => p.port_type = Some(a.u16()?.into()),
                DEVLINK_ATTR_PORT_DESIRED_TYPE => p.desired_type = Some(a.u16()?.into()),
                DEVLINK_ATTR_PORT_NETDEV_IFINDEX => p.netdev_ifindex = Some(a.u32()?),
                DEVLINK_ATTR_PORT_NETDEV_NAME => p.netdev_name = Some(a.str()?.to_string()),
                DEVLINK_ATTR_PORT_IBDEV_NAME => p.ibdev_name = Some(a.str()?.to_string()),
                DEVLINK_ATTR_PORT_FLAVOUR => p.flavour = Some(a.u16()?.into()),
                DEVLINK_ATTR_PORT_NUMBER => p.number = Some(a.u32()?),
                DEVLINK_ATTR_PORT_SPLIT_GROUP => p.split_group = Some(a.u32()?),
                DEVLINK_ATTR_PORT_SPLIT_SUBPORT_NUMBER => p.split_subport = Some(a.u32()?),
                DEVLINK_ATTR_PORT_LANES => p.lanes = Some(a.u32()?),
                DEVLINK_ATTR_PORT_SPLITTABLE => p.splittable = Some(a.u8()? != 0),
                DEVLINK_ATTR_PORT_EXTERNAL => p.external = Some(a.u8()? != 0),
                DEVLINK_ATTR_PORT_CONTROLLER_NUMBER => p.controller = Some(a.u32()?),
                DEVLINK_ATTR_PORT_PCI_PF_NUMBER => p.pci_pf = Some(a.u16()?),
                DEVLINK_ATTR_PORT_PCI_VF_NUMBER => p.pci_vf = Some(a.u16()?),
                DEVLINK_ATTR_PORT_PCI_SF_NUMBER => p.pci_sf = Some(a.u32()?),
                DEVLINK_ATTR_PORT_FUNCTION => p.function = Some(PortFunction::read(a.nested())?),
                DEVLINK_ATTR_LINECARD_INDEX => p.linecard = Some(a.u32()?),
                _ => {}
            }
        }
        Ok(p)
    }
}

impl fmt::Display for Port {
    /// As `devlink port show` prints it: `pci/0000:01:00.0/1: type eth
    /// netdev eth0 flavour physical port 0 splittable false`, then the
    /// function on an indented line of its own.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}:", self.handle, self.index)?;
        if let Some(t) = self.port_type {
            write!(f, " type {t}")?;
            if let Some(d) = self.desired_type.filter(|d| *d != t) {
                write!(f, " des_type {d}")?;
            }
        }
        if let Some(n) = &self.netdev_name {
            write!(f, " netdev {n}")?;
        }
        if let Some(n) = &self.ibdev_name {
            write!(f, " ibdev {n}")?;
        }
        if let Some(fl) = self.flavour {
            write!(f, " flavour {fl}")?;
            if matches!(
                fl,
                PortFlavour::PciPf | PortFlavour::PciVf | PortFlavour::PciSf
            ) {
                if let Some(c) = self.controller {
                    write!(f, " controller {c}")?;
                }
                if let Some(n) = self.pci_pf {
                    write!(f, " pfnum {n}")?;
                }
                if let Some(n) = self.pci_vf {
                    write!(f, " vfnum {n}")?;
                }
                if let Some(n) = self.pci_sf {
                    write!(f, " sfnum {n}")?;
                }
                if let Some(e) = self.external {
                    write!(f, " external {e}")?;
                }
            }
        }
        if let Some(n) = self.number {
            write!(f, " port {n}")?;
        }
        if let Some(g) = self.split_group {
            write!(f, " split_group {g}")?;
        }
        if let Some(s) = self.splittable {
            write!(f, " splittable {s}")?;
        }
        if let Some(l) = self.lanes {
            write!(f, " lanes {l}")?;
        }
        if let Some(func) = &self.function {
            let mut words = Vec::new();
            if let Some(a) = &func.hw_addr {
                words.push(format!("hw_addr {a}"));
            }
            if let Some(s) = func.state {
                words.push(format!("state {s}"));
            }
            if let Some(s) = func.opstate {
                words.push(format!("opstate {s}"));
            }
            if !words.is_empty() {
                write!(f, "\n  function:\n    {}", words.join(" "))?;
            }
        }
        Ok(())
    }
}

/// A device resource (`devlink resource show`; the Go library's
/// `DevlinkResource`): a table or pool the driver sizes, with its
/// children.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Resource {
    /// Its name.
    pub name: String,
    /// Its id (for `devlink resource set`).
    pub id: u64,
    /// Its size now.
    pub size: u64,
    /// Its size after the next reload (as `size` when none is pending).
    pub size_new: u64,
    /// Whether the sizes of its children add up.
    pub size_valid: Option<bool>,
    /// Smallest size allowed.
    pub size_min: Option<u64>,
    /// Largest size allowed.
    pub size_max: Option<u64>,
    /// Sizes must be multiples of this.
    pub size_gran: Option<u64>,
    /// Unit of the sizes.
    pub unit: Option<ResourceUnit>,
    /// How much is in use.
    pub occ: Option<u64>,
    /// Its children.
    pub children: Vec<Resource>,
}

impl Resource {
    /// Whether a new size waits for a reload.
    pub fn pending_change(&self) -> bool {
        self.size != self.size_new
    }

    fn read(attrs: Attrs<'_>, depth: usize) -> nl_wire::Result<Resource> {
        let mut r = Resource::default();
        let mut size_new = None;
        for a in attrs {
            let a = a?;
            match a.ty() {
                DEVLINK_ATTR_RESOURCE_NAME => r.name = a.str()?.to_string(),
                DEVLINK_ATTR_RESOURCE_ID => r.id = a.u64()?,
                DEVLINK_ATTR_RESOURCE_SIZE => r.size = a.u64()?,
                DEVLINK_ATTR_RESOURCE_SIZE_NEW => size_new = Some(a.u64()?),
                DEVLINK_ATTR_RESOURCE_SIZE_VALID => r.size_valid = Some(a.u8()? != 0),
                DEVLINK_ATTR_RESOURCE_SIZE_MIN => r.size_min = Some(a.u64()?),
                DEVLINK_ATTR_RESOURCE_SIZE_MAX => r.size_max = Some(a.u64()?),
                DEVLINK_ATTR_RESOURCE_SIZE_GRAN => r.size_gran = Some(a.u64()?),
                DEVLINK_ATTR_RESOURCE_UNIT => r.unit = Some(a.u8()?.into()),
                DEVLINK_ATTR_RESOURCE_OCC => r.occ = Some(a.u64()?),
                DEVLINK_ATTR_RESOURCE_LIST => {
                    r.children = read_resource_list(a.nested(), depth + 1)?
                }
                _ => {}
            }
        }
        r.size_new = size_new.unwrap_or(r.size);
        Ok(r)
    }

    fn fmt_at(&self, f: &mut fmt::Formatter<'_>, indent: usize) -> fmt::Result {
        write!(f, "{:indent$}name {} size {}", "", self.name, self.size)?;
        if self.pending_change() {
            write!(f, " size_new {}", self.size_new)?;
        }
        if let Some(o) = self.occ {
            write!(f, " occ {o}")?;
        }
        if let Some(u) = self.unit {
            write!(f, " unit {u}")?;
        }
        if let (Some(min), Some(max)) = (self.size_min, self.size_max) {
            if min != max {
                write!(f, " size_min {min} size_max {max}")?;
                if let Some(g) = self.size_gran {
                    write!(f, " size_gran {g}")?;
                }
            }
        }
        writeln!(f)?;
        if !self.children.is_empty() {
            writeln!(f, "{:width$}resources:", "", width = indent + 2)?;
            for c in &self.children {
                c.fmt_at(f, indent + 4)?;
            }
        }
        Ok(())
    }
}

/// Deeper resource trees than any driver builds are refused, so a
/// crafted reply cannot recurse without bound.
const MAX_RESOURCE_DEPTH: usize = 16;

fn read_resource_list(attrs: Attrs<'_>, depth: usize) -> nl_wire::Result<Vec<Resource>> {
    let mut out = Vec::new();
    if depth > MAX_RESOURCE_DEPTH {
        return Ok(out);
    }
    for a in attrs {
        let a = a?;
        if a.ty() == DEVLINK_ATTR_RESOURCE {
            out.push(Resource::read(a.nested(), depth)?);
        }
    }
    Ok(out)
}

/// A device's resources (`devlink resource show DEV`; the Go library's
/// `DevlinkResources`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Resources {
    /// The device.
    pub handle: DevHandle,
    /// Its top-level resources.
    pub resources: Vec<Resource>,
}

impl Resources {
    /// Writes `DEVLINK_CMD_RESOURCE_DUMP` for `dev` (a request, not a
    /// dump, whose answer may come in several messages).
    pub fn write_get(family: u16, dev: &DevHandle, buf: &mut Vec<u8>) -> Result<()> {
        finish(start(
            buf,
            family,
            DEVLINK_CMD_RESOURCE_DUMP,
            NLM_F_ACK,
            dev,
        )?)
    }

    /// Adds one message of the answer (the kernel splits a long resource
    /// list over several, each with the handle and the next resources).
    pub fn merge(&mut self, msg: &GenlMsg<'_>) -> Result<()> {
        let read = |r: &mut Resources| -> nl_wire::Result<()> {
            for a in msg.attrs() {
                let a = a?;
                if handle_attr(&mut r.handle, &a)? {
                    continue;
                }
                if a.ty() == DEVLINK_ATTR_RESOURCE_LIST {
                    r.resources.extend(read_resource_list(a.nested(), 0)?);
                }
            }
            Ok(())
        };
        read(self).map_err(|e| msg.wire_error(FAMILY, e))
    }

    /// The resource at `path` (`kvd/linear`).
    pub fn find(&self, path: &str) -> Option<&Resource> {
        let mut level = &self.resources;
        let mut found = None;
        for part in path.split('/') {
            let r = level.iter().find(|r| r.name == part)?;
            level = &r.children;
            found = Some(r);
        }
        found
    }
}

impl fmt::Display for Resources {
    /// As `devlink resource show` prints it (without dpipe tables).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{}:", self.handle)?;
        for r in &self.resources {
            r.fmt_at(f, 2)?;
        }
        Ok(())
    }
}

/// A parameter's value in one configuration mode.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ParamData {
    /// `u8`.
    U8(u8),
    /// `u16`.
    U16(u16),
    /// `u32`.
    U32(u32),
    /// `u64`.
    U64(u64),
    /// A string.
    String(String),
    /// A boolean.
    Bool(bool),
    /// A type this library does not know: the data's bytes.
    Raw(Vec<u8>),
}

impl ParamData {
    /// The parameter type this value has.
    pub fn param_type(&self) -> Option<ParamType> {
        Some(match self {
            ParamData::U8(_) => ParamType::U8,
            ParamData::U16(_) => ParamType::U16,
            ParamData::U32(_) => ParamType::U32,
            ParamData::U64(_) => ParamType::U64,
            ParamData::String(_) => ParamType::String,
            ParamData::Bool(_) => ParamType::Bool,
            ParamData::Raw(_) => return None,
        })
    }

    /// Reads a value of type `ty` from its data attribute (`None`: absent,
    /// which is false for a boolean).
    fn read(ty: Option<ParamType>, data: Option<&nl_wire::Attr<'_>>) -> nl_wire::Result<ParamData> {
        Ok(match (ty, data) {
            (Some(ParamType::Bool), d) => ParamData::Bool(d.is_some()),
            (Some(ParamType::U8), Some(d)) => ParamData::U8(d.u8()?),
            (Some(ParamType::U16), Some(d)) => ParamData::U16(d.u16()?),
            (Some(ParamType::U32), Some(d)) => ParamData::U32(d.u32()?),
            (Some(ParamType::U64), Some(d)) => ParamData::U64(d.u64()?),
            (Some(ParamType::String), Some(d)) => ParamData::String(d.str()?.to_string()),
            (_, Some(d)) => ParamData::Raw(d.payload().to_vec()),
            (_, None) => ParamData::Raw(Vec::new()),
        })
    }
}

impl fmt::Display for ParamData {
    /// As devlink prints a value.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ParamData::U8(v) => write!(f, "{v}"),
            ParamData::U16(v) => write!(f, "{v}"),
            ParamData::U32(v) => write!(f, "{v}"),
            ParamData::U64(v) => write!(f, "{v}"),
            ParamData::String(v) => f.write_str(v),
            ParamData::Bool(v) => write!(f, "{v}"),
            ParamData::Raw(b) => {
                for x in b {
                    write!(f, "{x:02x}")?;
                }
                Ok(())
            }
        }
    }
}

/// A parameter's value in one configuration mode (the Go library's
/// `DevlinkParamValue`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ParamValue {
    /// When it takes effect.
    pub cmode: ParamCmode,
    /// The value.
    pub data: ParamData,
}

/// A device parameter (`devlink dev param show`; the Go library's
/// `DevlinkParam`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Param {
    /// The device.
    pub handle: DevHandle,
    /// Its name.
    pub name: String,
    /// A parameter every driver may have (not driver-specific).
    pub generic: bool,
    /// Its type.
    pub param_type: Option<ParamType>,
    /// Its value in each configuration mode the driver supports.
    pub values: Vec<ParamValue>,
}

impl Param {
    /// Writes a dump of the parameters of `dev` (kernels before 6.5 dump
    /// every device's: filter the answers by handle).
    pub fn write_dump(family: u16, dev: &DevHandle, buf: &mut Vec<u8>) -> Result<()> {
        finish(start(buf, family, DEVLINK_CMD_PARAM_GET, NLM_F_DUMP, dev)?)
    }

    /// Writes `DEVLINK_CMD_PARAM_GET` for parameter `name` of `dev`.
    pub fn write_get(family: u16, dev: &DevHandle, name: &str, buf: &mut Vec<u8>) -> Result<()> {
        let mut m = start(buf, family, DEVLINK_CMD_PARAM_GET, NLM_F_ACK, dev)?;
        m.put_str(DEVLINK_ATTR_PARAM_NAME, name);
        finish(m)
    }

    /// Writes `DEVLINK_CMD_PARAM_SET` giving parameter `name` the value
    /// `data` in mode `cmode` (`devlink dev param set DEV name NAME value
    /// VALUE cmode CMODE`). The value's type must be the parameter's: the
    /// kernel refuses another.
    pub fn write_set(
        family: u16,
        dev: &DevHandle,
        name: &str,
        cmode: ParamCmode,
        data: &ParamData,
        buf: &mut Vec<u8>,
    ) -> Result<()> {
        let ty = data
            .param_type()
            .ok_or_else(|| Error::invalid("parameter value", "a raw value has no type to send"))?;
        let mut m = start(buf, family, DEVLINK_CMD_PARAM_SET, NLM_F_ACK, dev)?;
        m.put_str(DEVLINK_ATTR_PARAM_NAME, name)
            .put_u8(DEVLINK_ATTR_PARAM_VALUE_CMODE, cmode.into())
            .put_u8(DEVLINK_ATTR_PARAM_TYPE, ty.into());
        match data {
            ParamData::U8(v) => {
                m.put_u8(DEVLINK_ATTR_PARAM_VALUE_DATA, *v);
            }
            ParamData::U16(v) => {
                m.put_u16(DEVLINK_ATTR_PARAM_VALUE_DATA, *v);
            }
            ParamData::U32(v) => {
                m.put_u32(DEVLINK_ATTR_PARAM_VALUE_DATA, *v);
            }
            ParamData::U64(v) => {
                m.put_u64(DEVLINK_ATTR_PARAM_VALUE_DATA, *v);
            }
            ParamData::String(v) => {
                m.put_str(DEVLINK_ATTR_PARAM_VALUE_DATA, v);
            }
            // True is the flag's presence, false its absence.
            ParamData::Bool(true) => {
                m.put_flag(DEVLINK_ATTR_PARAM_VALUE_DATA);
            }
            ParamData::Bool(false) | ParamData::Raw(_) => {}
        }
        finish(m)
    }

    /// Parses a parameter (a reply, dump entry or notification).
    pub fn parse(msg: &GenlMsg<'_>) -> Result<Param> {
        Param::read(msg.attrs()).map_err(|e| msg.wire_error(FAMILY, e))
    }

    fn read(attrs: Attrs<'_>) -> nl_wire::Result<Param> {
        let mut p = Param::default();
        for a in attrs {
            let a = a?;
            if handle_attr(&mut p.handle, &a)? || a.ty() != DEVLINK_ATTR_PARAM {
                continue;
            }
            // The type comes before the values, but read it first anyway.
            for x in a.nested() {
                let x = x?;
                match x.ty() {
                    DEVLINK_ATTR_PARAM_NAME => p.name = x.str()?.to_string(),
                    DEVLINK_ATTR_PARAM_GENERIC => p.generic = true,
                    DEVLINK_ATTR_PARAM_TYPE => p.param_type = Some(x.u8()?.into()),
                    _ => {}
                }
            }
            for x in a.nested() {
                let x = x?;
                if x.ty() != DEVLINK_ATTR_PARAM_VALUES_LIST {
                    continue;
                }
                for v in x.nested() {
                    let mut cmode = None;
                    let mut data = None;
                    for y in v?.nested() {
                        let y = y?;
                        match y.ty() {
                            DEVLINK_ATTR_PARAM_VALUE_CMODE => cmode = Some(y.u8()?.into()),
                            DEVLINK_ATTR_PARAM_VALUE_DATA => data = Some(y),
                            _ => {}
                        }
                    }
                    if let Some(cmode) = cmode {
                        p.values.push(ParamValue {
                            cmode,
                            data: ParamData::read(p.param_type, data.as_ref())?,
                        });
                    }
                }
            }
        }
        Ok(p)
    }

    /// The value in mode `cmode`, if the driver supports it.
    pub fn value(&self, cmode: ParamCmode) -> Option<&ParamData> {
        self.values
            .iter()
            .find(|v| v.cmode == cmode)
            .map(|v| &v.data)
    }
}

impl fmt::Display for Param {
    /// As `devlink dev param show` prints it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{}:", self.handle)?;
        let kind = if self.generic {
            "generic"
        } else {
            "driver-specific"
        };
        writeln!(f, "  name {} type {kind}", self.name)?;
        writeln!(f, "    values:")?;
        for v in &self.values {
            writeln!(f, "      cmode {} value {}", v.cmode, v.data)?;
        }
        Ok(())
    }
}

/// A device's driver, serial numbers and versions (`devlink dev info`;
/// the Go library's `DevlinkDeviceInfo`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeviceInfo {
    /// The device.
    pub handle: DevHandle,
    /// The driver's name.
    pub driver: Option<String>,
    /// The device's serial number.
    pub serial_number: Option<String>,
    /// The board's serial number.
    pub board_serial_number: Option<String>,
    /// Versions of fixed parts (board id, ASIC), name and value.
    pub fixed: Vec<(String, String)>,
    /// Versions running now.
    pub running: Vec<(String, String)>,
    /// Versions stored in flash, to run after a reset.
    pub stored: Vec<(String, String)>,
}

impl DeviceInfo {
    /// Writes `DEVLINK_CMD_INFO_GET` for `dev`.
    pub fn write_get(family: u16, dev: &DevHandle, buf: &mut Vec<u8>) -> Result<()> {
        finish(start(buf, family, DEVLINK_CMD_INFO_GET, NLM_F_ACK, dev)?)
    }

    /// Parses a `DEVLINK_CMD_INFO_GET` reply.
    pub fn parse(msg: &GenlMsg<'_>) -> Result<DeviceInfo> {
        DeviceInfo::read(msg.attrs()).map_err(|e| msg.wire_error(FAMILY, e))
    }

    fn read(attrs: Attrs<'_>) -> nl_wire::Result<DeviceInfo> {
        let mut i = DeviceInfo::default();
        for a in attrs {
            let a = a?;
            if handle_attr(&mut i.handle, &a)? {
                continue;
            }
            let list = match a.ty() {
                DEVLINK_ATTR_INFO_DRIVER_NAME => {
                    i.driver = Some(a.str()?.to_string());
                    continue;
                }
                DEVLINK_ATTR_INFO_SERIAL_NUMBER => {
                    i.serial_number = Some(a.str()?.to_string());
                    continue;
                }
                DEVLINK_ATTR_INFO_BOARD_SERIAL_NUMBER => {
                    i.board_serial_number = Some(a.str()?.to_string());
                    continue;
                }
                DEVLINK_ATTR_INFO_VERSION_FIXED => &mut i.fixed,
                DEVLINK_ATTR_INFO_VERSION_RUNNING => &mut i.running,
                DEVLINK_ATTR_INFO_VERSION_STORED => &mut i.stored,
                _ => continue,
            };
            let mut name = String::new();
            let mut value = String::new();
            for x in a.nested() {
                let x = x?;
                match x.ty() {
                    DEVLINK_ATTR_INFO_VERSION_NAME => name = x.str()?.to_string(),
                    DEVLINK_ATTR_INFO_VERSION_VALUE => value = x.str()?.to_string(),
                    _ => {}
                }
            }
            list.push((name, value));
        }
        Ok(i)
    }

    /// Everything as one map, with the Go library's keys: `driver`,
    /// `serialNumber`, and each version by name (a running version wins
    /// over a stored one of the same name, as the kernel sends it first).
    pub fn to_map(&self) -> BTreeMap<String, String> {
        let mut m = BTreeMap::new();
        if let Some(d) = &self.driver {
            m.insert("driver".to_string(), d.clone());
        }
        if let Some(s) = &self.serial_number {
            m.insert("serialNumber".to_string(), s.clone());
        }
        for (name, value) in self.fixed.iter().chain(&self.running).chain(&self.stored) {
            m.entry(name.clone()).or_insert_with(|| value.clone());
        }
        m
    }
}

impl fmt::Display for DeviceInfo {
    /// As `devlink dev info` prints it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{}:", self.handle)?;
        if let Some(d) = &self.driver {
            writeln!(f, "  driver {d}")?;
        }
        if let Some(s) = &self.serial_number {
            writeln!(f, "  serial_number {s}")?;
        }
        if let Some(s) = &self.board_serial_number {
            writeln!(f, "  board.serial_number {s}")?;
        }
        if self.fixed.is_empty() && self.running.is_empty() && self.stored.is_empty() {
            return Ok(());
        }
        writeln!(f, "  versions:")?;
        for (title, list) in [
            ("fixed", &self.fixed),
            ("running", &self.running),
            ("stored", &self.stored),
        ] {
            if list.is_empty() {
                continue;
            }
            writeln!(f, "      {title}:")?;
            for (name, value) in list {
                writeln!(f, "        {name} {value}")?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use nl_wire::{Msg, Msgs};

    const FAM: u16 = 0x15;

    fn each(data: &[u8]) -> Vec<GenlMsg<'_>> {
        Msgs::new(data)
            .map(|m| m.unwrap())
            .filter(|m| m.ty() == FAM)
            .map(|m| GenlMsg::parse(&m, 0).unwrap())
            .collect()
    }

    fn genl(buf: &[u8]) -> GenlMsg<'_> {
        let (msg, _) = Msg::parse(buf).unwrap();
        GenlMsg::parse(&msg, 0).unwrap()
    }

    /// A device dump as `devlink_nl_fill` lays it out: two devices, the
    /// second with a failed reload.
    #[rustfmt::skip]
    const DEVICES: &[u8] = &[
        0x44, 0x00, 0x00, 0x00, 0x15, 0x00, 0x02, 0x00, 0x03, 0x00, 0x00, 0x00, 0x77, 0x07, 0x00, 0x00,
        0x03, 0x01, 0x00, 0x00, 0x08, 0x00, 0x01, 0x00, 0x70, 0x63, 0x69, 0x00, 0x11, 0x00, 0x02, 0x00,
        0x30, 0x30, 0x30, 0x30, 0x3a, 0x30, 0x31, 0x3a, 0x30, 0x30, 0x2e, 0x30, 0x00, 0x00, 0x00, 0x00,
        0x05, 0x00, 0x88, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0c, 0x00, 0x9c, 0x80, 0x04, 0x00, 0x9d, 0x80,
        0x04, 0x00, 0xa1, 0x80, 0x3c, 0x00, 0x00, 0x00, 0x15, 0x00, 0x02, 0x00, 0x03, 0x00, 0x00, 0x00,
        0x77, 0x07, 0x00, 0x00, 0x03, 0x01, 0x00, 0x00, 0x0e, 0x00, 0x01, 0x00, 0x6e, 0x65, 0x74, 0x64,
        0x65, 0x76, 0x73, 0x69, 0x6d, 0x00, 0x00, 0x00, 0x10, 0x00, 0x02, 0x00, 0x6e, 0x65, 0x74, 0x64,
        0x65, 0x76, 0x73, 0x69, 0x6d, 0x31, 0x30, 0x00, 0x05, 0x00, 0x88, 0x00, 0x01, 0x00, 0x00, 0x00,
    ];

    /// An `ESWITCH_GET` reply: switchdev, inline mode none, encap basic.
    #[rustfmt::skip]
    const ESWITCH: &[u8] = &[
        0x48, 0x00, 0x00, 0x00, 0x15, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x77, 0x07, 0x00, 0x00,
        0x1d, 0x01, 0x00, 0x00, 0x08, 0x00, 0x01, 0x00, 0x70, 0x63, 0x69, 0x00, 0x11, 0x00, 0x02, 0x00,
        0x30, 0x30, 0x30, 0x30, 0x3a, 0x30, 0x31, 0x3a, 0x30, 0x30, 0x2e, 0x30, 0x00, 0x00, 0x00, 0x00,
        0x06, 0x00, 0x19, 0x00, 0x01, 0x00, 0x00, 0x00, 0x05, 0x00, 0x1a, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x05, 0x00, 0x3e, 0x00, 0x01, 0x00, 0x00, 0x00,
    ];

    /// A port dump as `devlink_nl_port_fill` lays it out: a splittable
    /// physical port, a split subport, and a PCI subfunction with its function.
    #[rustfmt::skip]
    const PORTS: &[u8] = &[
        0x74, 0x00, 0x00, 0x00, 0x15, 0x00, 0x02, 0x00, 0x03, 0x00, 0x00, 0x00, 0x77, 0x07, 0x00, 0x00,
        0x07, 0x01, 0x00, 0x00, 0x08, 0x00, 0x01, 0x00, 0x70, 0x63, 0x69, 0x00, 0x11, 0x00, 0x02, 0x00,
        0x30, 0x30, 0x30, 0x30, 0x3a, 0x30, 0x31, 0x3a, 0x30, 0x30, 0x2e, 0x30, 0x00, 0x00, 0x00, 0x00,
        0x08, 0x00, 0x03, 0x00, 0x01, 0x00, 0x00, 0x00, 0x06, 0x00, 0x04, 0x00, 0x02, 0x00, 0x00, 0x00,
        0x08, 0x00, 0x06, 0x00, 0x04, 0x00, 0x00, 0x00, 0x0b, 0x00, 0x07, 0x00, 0x65, 0x6e, 0x73, 0x31,
        0x66, 0x30, 0x00, 0x00, 0x08, 0x00, 0x93, 0x00, 0x04, 0x00, 0x00, 0x00, 0x05, 0x00, 0x94, 0x00,
        0x01, 0x00, 0x00, 0x00, 0x06, 0x00, 0x4d, 0x00, 0x00, 0x00, 0x00, 0x00, 0x08, 0x00, 0x4e, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x88, 0x00, 0x00, 0x00, 0x15, 0x00, 0x02, 0x00, 0x03, 0x00, 0x00, 0x00,
        0x77, 0x07, 0x00, 0x00, 0x07, 0x01, 0x00, 0x00, 0x08, 0x00, 0x01, 0x00, 0x70, 0x63, 0x69, 0x00,
        0x11, 0x00, 0x02, 0x00, 0x30, 0x30, 0x30, 0x30, 0x3a, 0x30, 0x31, 0x3a, 0x30, 0x30, 0x2e, 0x30,
        0x00, 0x00, 0x00, 0x00, 0x08, 0x00, 0x03, 0x00, 0x02, 0x00, 0x00, 0x00, 0x06, 0x00, 0x04, 0x00,
        0x02, 0x00, 0x00, 0x00, 0x06, 0x00, 0x05, 0x00, 0x01, 0x00, 0x00, 0x00, 0x08, 0x00, 0x06, 0x00,
        0x05, 0x00, 0x00, 0x00, 0x0d, 0x00, 0x07, 0x00, 0x65, 0x6e, 0x73, 0x31, 0x66, 0x30, 0x73, 0x31,
        0x00, 0x00, 0x00, 0x00, 0x05, 0x00, 0x94, 0x00, 0x00, 0x00, 0x00, 0x00, 0x06, 0x00, 0x4d, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x08, 0x00, 0x4e, 0x00, 0x01, 0x00, 0x00, 0x00, 0x08, 0x00, 0x0a, 0x00,
        0x01, 0x00, 0x00, 0x00, 0x08, 0x00, 0x4f, 0x00, 0x01, 0x00, 0x00, 0x00, 0xb0, 0x00, 0x00, 0x00,
        0x15, 0x00, 0x02, 0x00, 0x03, 0x00, 0x00, 0x00, 0x77, 0x07, 0x00, 0x00, 0x07, 0x01, 0x00, 0x00,
        0x08, 0x00, 0x01, 0x00, 0x70, 0x63, 0x69, 0x00, 0x11, 0x00, 0x02, 0x00, 0x30, 0x30, 0x30, 0x30,
        0x3a, 0x30, 0x36, 0x3a, 0x30, 0x30, 0x2e, 0x30, 0x00, 0x00, 0x00, 0x00, 0x08, 0x00, 0x03, 0x00,
        0x00, 0x80, 0x00, 0x00, 0x06, 0x00, 0x04, 0x00, 0x02, 0x00, 0x00, 0x00, 0x08, 0x00, 0x06, 0x00,
        0x09, 0x00, 0x00, 0x00, 0x09, 0x00, 0x07, 0x00, 0x65, 0x74, 0x68, 0x36, 0x00, 0x00, 0x00, 0x00,
        0x05, 0x00, 0x94, 0x00, 0x00, 0x00, 0x00, 0x00, 0x06, 0x00, 0x4d, 0x00, 0x07, 0x00, 0x00, 0x00,
        0x08, 0x00, 0x96, 0x00, 0x00, 0x00, 0x00, 0x00, 0x06, 0x00, 0x7f, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x08, 0x00, 0xa4, 0x00, 0x58, 0x00, 0x00, 0x00, 0x05, 0x00, 0x95, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x2c, 0x00, 0x91, 0x00, 0x0a, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x0c, 0x00, 0x04, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x05, 0x00, 0x02, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x05, 0x00, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00,
    ];

    /// The reply to `PORT_NEW`: the new port, sent as `DEVLINK_CMD_NEW`.
    #[rustfmt::skip]
    const PORT_NEW_REPLY: &[u8] = &[
        0xb0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x77, 0x07, 0x00, 0x00,
        0x03, 0x01, 0x00, 0x00, 0x08, 0x00, 0x01, 0x00, 0x70, 0x63, 0x69, 0x00, 0x11, 0x00, 0x02, 0x00,
        0x30, 0x30, 0x30, 0x30, 0x3a, 0x30, 0x36, 0x3a, 0x30, 0x30, 0x2e, 0x30, 0x00, 0x00, 0x00, 0x00,
        0x08, 0x00, 0x03, 0x00, 0x00, 0x80, 0x00, 0x00, 0x06, 0x00, 0x04, 0x00, 0x02, 0x00, 0x00, 0x00,
        0x08, 0x00, 0x06, 0x00, 0x09, 0x00, 0x00, 0x00, 0x09, 0x00, 0x07, 0x00, 0x65, 0x74, 0x68, 0x36,
        0x00, 0x00, 0x00, 0x00, 0x05, 0x00, 0x94, 0x00, 0x00, 0x00, 0x00, 0x00, 0x06, 0x00, 0x4d, 0x00,
        0x07, 0x00, 0x00, 0x00, 0x08, 0x00, 0x96, 0x00, 0x00, 0x00, 0x00, 0x00, 0x06, 0x00, 0x7f, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x08, 0x00, 0xa4, 0x00, 0x58, 0x00, 0x00, 0x00, 0x05, 0x00, 0x95, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x2c, 0x00, 0x91, 0x00, 0x0a, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x0c, 0x00, 0x04, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00,
        0x05, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05, 0x00, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00,
    ];

    /// A `RESOURCE_DUMP` answer as `devlink_resource_fill` sends it: two
    /// messages (IPv4 with two children, then IPv6) and `NLMSG_DONE`, each
    /// 64-bit value after a pad attribute where it would be misaligned.
    #[rustfmt::skip]
    const RESOURCES: &[u8] = &[
        0xa8, 0x01, 0x00, 0x00, 0x15, 0x00, 0x02, 0x00, 0x05, 0x00, 0x00, 0x00, 0x77, 0x07, 0x00, 0x00,
        0x24, 0x01, 0x00, 0x00, 0x0e, 0x00, 0x01, 0x00, 0x6e, 0x65, 0x74, 0x64, 0x65, 0x76, 0x73, 0x69,
        0x6d, 0x00, 0x00, 0x00, 0x10, 0x00, 0x02, 0x00, 0x6e, 0x65, 0x74, 0x64, 0x65, 0x76, 0x73, 0x69,
        0x6d, 0x31, 0x30, 0x00, 0x74, 0x01, 0x3f, 0x00, 0x70, 0x01, 0x40, 0x00, 0x09, 0x00, 0x41, 0x00,
        0x49, 0x50, 0x76, 0x34, 0x00, 0x00, 0x00, 0x00, 0x04, 0x00, 0x3d, 0x00, 0x0c, 0x00, 0x43, 0x00,
        0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x04, 0x00, 0x3d, 0x00, 0x0c, 0x00, 0x42, 0x00,
        0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x04, 0x00, 0x3d, 0x00, 0x0c, 0x00, 0x48, 0x00,
        0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x04, 0x00, 0x3d, 0x00, 0x0c, 0x00, 0x47, 0x00,
        0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x04, 0x00, 0x3d, 0x00, 0x0c, 0x00, 0x46, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05, 0x00, 0x49, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x05, 0x00, 0x45, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x01, 0x3f, 0x00, 0x84, 0x00, 0x40, 0x00,
        0x08, 0x00, 0x41, 0x00, 0x66, 0x69, 0x62, 0x00, 0x04, 0x00, 0x3d, 0x00, 0x0c, 0x00, 0x43, 0x00,
        0x00, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x04, 0x00, 0x3d, 0x00, 0x0c, 0x00, 0x42, 0x00,
        0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x04, 0x00, 0x3d, 0x00, 0x0c, 0x00, 0x44, 0x00,
        0x00, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x04, 0x00, 0x3d, 0x00, 0x0c, 0x00, 0x4a, 0x00,
        0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x04, 0x00, 0x3d, 0x00, 0x0c, 0x00, 0x48, 0x00,
        0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x04, 0x00, 0x3d, 0x00, 0x0c, 0x00, 0x47, 0x00,
        0x00, 0x10, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x04, 0x00, 0x3d, 0x00, 0x0c, 0x00, 0x46, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05, 0x00, 0x49, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x78, 0x00, 0x40, 0x00, 0x0e, 0x00, 0x41, 0x00, 0x66, 0x69, 0x62, 0x2d, 0x72, 0x75, 0x6c, 0x65,
        0x73, 0x00, 0x00, 0x00, 0x0c, 0x00, 0x43, 0x00, 0x20, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x04, 0x00, 0x3d, 0x00, 0x0c, 0x00, 0x42, 0x00, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x04, 0x00, 0x3d, 0x00, 0x0c, 0x00, 0x4a, 0x00, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x04, 0x00, 0x3d, 0x00, 0x0c, 0x00, 0x48, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x04, 0x00, 0x3d, 0x00, 0x0c, 0x00, 0x47, 0x00, 0x40, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x04, 0x00, 0x3d, 0x00, 0x0c, 0x00, 0x46, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x05, 0x00, 0x49, 0x00, 0x00, 0x00, 0x00, 0x00, 0xa0, 0x00, 0x00, 0x00, 0x15, 0x00, 0x02, 0x00,
        0x05, 0x00, 0x00, 0x00, 0x77, 0x07, 0x00, 0x00, 0x24, 0x01, 0x00, 0x00, 0x0e, 0x00, 0x01, 0x00,
        0x6e, 0x65, 0x74, 0x64, 0x65, 0x76, 0x73, 0x69, 0x6d, 0x00, 0x00, 0x00, 0x10, 0x00, 0x02, 0x00,
        0x6e, 0x65, 0x74, 0x64, 0x65, 0x76, 0x73, 0x69, 0x6d, 0x31, 0x30, 0x00, 0x6c, 0x00, 0x3f, 0x00,
        0x68, 0x00, 0x40, 0x00, 0x09, 0x00, 0x41, 0x00, 0x49, 0x50, 0x76, 0x36, 0x00, 0x00, 0x00, 0x00,
        0x04, 0x00, 0x3d, 0x00, 0x0c, 0x00, 0x43, 0x00, 0x40, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x04, 0x00, 0x3d, 0x00, 0x0c, 0x00, 0x42, 0x00, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x04, 0x00, 0x3d, 0x00, 0x0c, 0x00, 0x48, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x04, 0x00, 0x3d, 0x00, 0x0c, 0x00, 0x47, 0x00, 0x40, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x04, 0x00, 0x3d, 0x00, 0x0c, 0x00, 0x46, 0x00, 0x40, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x05, 0x00, 0x49, 0x00, 0x00, 0x00, 0x00, 0x00, 0x14, 0x00, 0x00, 0x00, 0x03, 0x00, 0x02, 0x00,
        0x05, 0x00, 0x00, 0x00, 0x77, 0x07, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    ];

    /// A parameter dump as `devlink_nl_param_fill` lays it out: u32, bool
    /// (true: data present; false: absent), u8, string and u16 parameters of
    /// two devices, one with values in two modes.
    #[rustfmt::skip]
    const PARAMS: &[u8] = &[
        0x6c, 0x00, 0x00, 0x00, 0x15, 0x00, 0x02, 0x00, 0x06, 0x00, 0x00, 0x00, 0x77, 0x07, 0x00, 0x00,
        0x26, 0x01, 0x00, 0x00, 0x0e, 0x00, 0x01, 0x00, 0x6e, 0x65, 0x74, 0x64, 0x65, 0x76, 0x73, 0x69,
        0x6d, 0x00, 0x00, 0x00, 0x10, 0x00, 0x02, 0x00, 0x6e, 0x65, 0x74, 0x64, 0x65, 0x76, 0x73, 0x69,
        0x6d, 0x31, 0x30, 0x00, 0x38, 0x00, 0x50, 0x00, 0x0d, 0x00, 0x51, 0x00, 0x6d, 0x61, 0x78, 0x5f,
        0x6d, 0x61, 0x63, 0x73, 0x00, 0x00, 0x00, 0x00, 0x04, 0x00, 0x52, 0x00, 0x05, 0x00, 0x53, 0x00,
        0x03, 0x00, 0x00, 0x00, 0x18, 0x00, 0x54, 0x00, 0x14, 0x00, 0x55, 0x00, 0x05, 0x00, 0x57, 0x00,
        0x01, 0x00, 0x00, 0x00, 0x08, 0x00, 0x56, 0x00, 0x20, 0x00, 0x00, 0x00, 0x60, 0x00, 0x00, 0x00,
        0x15, 0x00, 0x02, 0x00, 0x06, 0x00, 0x00, 0x00, 0x77, 0x07, 0x00, 0x00, 0x26, 0x01, 0x00, 0x00,
        0x0e, 0x00, 0x01, 0x00, 0x6e, 0x65, 0x74, 0x64, 0x65, 0x76, 0x73, 0x69, 0x6d, 0x00, 0x00, 0x00,
        0x10, 0x00, 0x02, 0x00, 0x6e, 0x65, 0x74, 0x64, 0x65, 0x76, 0x73, 0x69, 0x6d, 0x31, 0x30, 0x00,
        0x2c, 0x00, 0x50, 0x00, 0x0a, 0x00, 0x51, 0x00, 0x74, 0x65, 0x73, 0x74, 0x31, 0x00, 0x00, 0x00,
        0x05, 0x00, 0x53, 0x00, 0x06, 0x00, 0x00, 0x00, 0x14, 0x00, 0x54, 0x00, 0x10, 0x00, 0x55, 0x00,
        0x05, 0x00, 0x57, 0x00, 0x01, 0x00, 0x00, 0x00, 0x04, 0x00, 0x56, 0x00, 0x60, 0x00, 0x00, 0x00,
        0x15, 0x00, 0x02, 0x00, 0x06, 0x00, 0x00, 0x00, 0x77, 0x07, 0x00, 0x00, 0x26, 0x01, 0x00, 0x00,
        0x08, 0x00, 0x01, 0x00, 0x70, 0x63, 0x69, 0x00, 0x11, 0x00, 0x02, 0x00, 0x30, 0x30, 0x30, 0x30,
        0x3a, 0x30, 0x31, 0x3a, 0x30, 0x30, 0x2e, 0x30, 0x00, 0x00, 0x00, 0x00, 0x30, 0x00, 0x50, 0x00,
        0x10, 0x00, 0x51, 0x00, 0x65, 0x6e, 0x61, 0x62, 0x6c, 0x65, 0x5f, 0x72, 0x6f, 0x63, 0x65, 0x00,
        0x04, 0x00, 0x52, 0x00, 0x05, 0x00, 0x53, 0x00, 0x06, 0x00, 0x00, 0x00, 0x10, 0x00, 0x54, 0x00,
        0x0c, 0x00, 0x55, 0x00, 0x05, 0x00, 0x57, 0x00, 0x01, 0x00, 0x00, 0x00, 0x6c, 0x00, 0x00, 0x00,
        0x15, 0x00, 0x02, 0x00, 0x06, 0x00, 0x00, 0x00, 0x77, 0x07, 0x00, 0x00, 0x26, 0x01, 0x00, 0x00,
        0x08, 0x00, 0x01, 0x00, 0x70, 0x63, 0x69, 0x00, 0x11, 0x00, 0x02, 0x00, 0x30, 0x30, 0x30, 0x30,
        0x3a, 0x30, 0x31, 0x3a, 0x30, 0x30, 0x2e, 0x30, 0x00, 0x00, 0x00, 0x00, 0x3c, 0x00, 0x50, 0x00,
        0x13, 0x00, 0x51, 0x00, 0x66, 0x77, 0x5f, 0x6c, 0x6f, 0x61, 0x64, 0x5f, 0x70, 0x6f, 0x6c, 0x69,
        0x63, 0x79, 0x00, 0x00, 0x04, 0x00, 0x52, 0x00, 0x05, 0x00, 0x53, 0x00, 0x01, 0x00, 0x00, 0x00,
        0x18, 0x00, 0x54, 0x00, 0x14, 0x00, 0x55, 0x00, 0x05, 0x00, 0x57, 0x00, 0x02, 0x00, 0x00, 0x00,
        0x05, 0x00, 0x56, 0x00, 0x01, 0x00, 0x00, 0x00, 0x70, 0x00, 0x00, 0x00, 0x15, 0x00, 0x02, 0x00,
        0x06, 0x00, 0x00, 0x00, 0x77, 0x07, 0x00, 0x00, 0x26, 0x01, 0x00, 0x00, 0x08, 0x00, 0x01, 0x00,
        0x70, 0x63, 0x69, 0x00, 0x11, 0x00, 0x02, 0x00, 0x30, 0x30, 0x30, 0x30, 0x3a, 0x30, 0x31, 0x3a,
        0x30, 0x30, 0x2e, 0x30, 0x00, 0x00, 0x00, 0x00, 0x40, 0x00, 0x50, 0x00, 0x17, 0x00, 0x51, 0x00,
        0x66, 0x6c, 0x6f, 0x77, 0x5f, 0x73, 0x74, 0x65, 0x65, 0x72, 0x69, 0x6e, 0x67, 0x5f, 0x6d, 0x6f,
        0x64, 0x65, 0x00, 0x00, 0x05, 0x00, 0x53, 0x00, 0x05, 0x00, 0x00, 0x00, 0x1c, 0x00, 0x54, 0x00,
        0x18, 0x00, 0x55, 0x00, 0x05, 0x00, 0x57, 0x00, 0x00, 0x00, 0x00, 0x00, 0x09, 0x00, 0x56, 0x00,
        0x73, 0x6d, 0x66, 0x73, 0x00, 0x00, 0x00, 0x00, 0x7c, 0x00, 0x00, 0x00, 0x15, 0x00, 0x02, 0x00,
        0x06, 0x00, 0x00, 0x00, 0x77, 0x07, 0x00, 0x00, 0x26, 0x01, 0x00, 0x00, 0x08, 0x00, 0x01, 0x00,
        0x70, 0x63, 0x69, 0x00, 0x11, 0x00, 0x02, 0x00, 0x30, 0x30, 0x30, 0x30, 0x3a, 0x30, 0x31, 0x3a,
        0x30, 0x30, 0x2e, 0x30, 0x00, 0x00, 0x00, 0x00, 0x4c, 0x00, 0x50, 0x00, 0x14, 0x00, 0x51, 0x00,
        0x72, 0x65, 0x67, 0x69, 0x6f, 0x6e, 0x5f, 0x73, 0x6e, 0x61, 0x70, 0x73, 0x68, 0x6f, 0x74, 0x00,
        0x05, 0x00, 0x53, 0x00, 0x02, 0x00, 0x00, 0x00, 0x2c, 0x00, 0x54, 0x00, 0x14, 0x00, 0x55, 0x00,
        0x05, 0x00, 0x57, 0x00, 0x00, 0x00, 0x00, 0x00, 0x06, 0x00, 0x56, 0x00, 0xbc, 0x02, 0x00, 0x00,
        0x14, 0x00, 0x55, 0x00, 0x05, 0x00, 0x57, 0x00, 0x01, 0x00, 0x00, 0x00, 0x06, 0x00, 0x56, 0x00,
        0x20, 0x03, 0x00, 0x00,
    ];

    /// An `INFO_GET` reply: driver, serial number, one fixed, two running
    /// and one stored version.
    #[rustfmt::skip]
    const INFO: &[u8] = &[
        0xdc, 0x00, 0x00, 0x00, 0x15, 0x00, 0x00, 0x00, 0x08, 0x00, 0x00, 0x00, 0x77, 0x07, 0x00, 0x00,
        0x33, 0x01, 0x00, 0x00, 0x08, 0x00, 0x01, 0x00, 0x70, 0x63, 0x69, 0x00, 0x11, 0x00, 0x02, 0x00,
        0x30, 0x30, 0x30, 0x30, 0x3a, 0x30, 0x31, 0x3a, 0x30, 0x30, 0x2e, 0x30, 0x00, 0x00, 0x00, 0x00,
        0x0e, 0x00, 0x62, 0x00, 0x6d, 0x6c, 0x78, 0x35, 0x5f, 0x63, 0x6f, 0x72, 0x65, 0x00, 0x00, 0x00,
        0x11, 0x00, 0x63, 0x00, 0x4d, 0x54, 0x32, 0x30, 0x34, 0x32, 0x58, 0x31, 0x32, 0x33, 0x34, 0x35,
        0x00, 0x00, 0x00, 0x00, 0x24, 0x00, 0x64, 0x00, 0x0c, 0x00, 0x67, 0x00, 0x66, 0x77, 0x2e, 0x70,
        0x73, 0x69, 0x64, 0x00, 0x12, 0x00, 0x68, 0x00, 0x4d, 0x54, 0x5f, 0x30, 0x30, 0x30, 0x30, 0x30,
        0x30, 0x30, 0x33, 0x35, 0x39, 0x00, 0x00, 0x00, 0x24, 0x00, 0x65, 0x00, 0x0f, 0x00, 0x67, 0x00,
        0x66, 0x77, 0x2e, 0x76, 0x65, 0x72, 0x73, 0x69, 0x6f, 0x6e, 0x00, 0x00, 0x0f, 0x00, 0x68, 0x00,
        0x32, 0x32, 0x2e, 0x33, 0x31, 0x2e, 0x31, 0x30, 0x31, 0x34, 0x00, 0x00, 0x1c, 0x00, 0x65, 0x00,
        0x07, 0x00, 0x67, 0x00, 0x66, 0x77, 0x00, 0x00, 0x0f, 0x00, 0x68, 0x00, 0x32, 0x32, 0x2e, 0x33,
        0x31, 0x2e, 0x31, 0x30, 0x31, 0x34, 0x00, 0x00, 0x24, 0x00, 0x66, 0x00, 0x0f, 0x00, 0x67, 0x00,
        0x66, 0x77, 0x2e, 0x76, 0x65, 0x72, 0x73, 0x69, 0x6f, 0x6e, 0x00, 0x00, 0x0f, 0x00, 0x68, 0x00,
        0x32, 0x32, 0x2e, 0x33, 0x32, 0x2e, 0x31, 0x30, 0x31, 0x30, 0x00, 0x00,
    ];

    fn pci() -> DevHandle {
        "pci/0000:01:00.0".parse().unwrap()
    }

    #[test]
    fn devices_and_eswitch() {
        let devs: Vec<Device> = each(DEVICES)
            .iter()
            .map(|m| Device::parse(m).unwrap())
            .collect();
        assert_eq!(devs.len(), 2);
        assert_eq!(devs[0].handle, pci());
        assert_eq!(devs[0].reload_failed, Some(false));
        assert_eq!(devs[1].to_string(), "netdevsim/netdevsim10");
        assert_eq!(devs[1].reload_failed, Some(true));
        let e = Eswitch::parse(&genl(ESWITCH)).unwrap();
        assert_eq!(e.mode, Some(EswitchMode::Switchdev));
        assert_eq!(
            e.to_string(),
            "pci/0000:01:00.0: mode switchdev inline-mode none encap-mode basic"
        );
        // Handles: bus, then the rest (which may hold slashes).
        let h: DevHandle = "auxiliary/mlx5_core.sf.2".parse().unwrap();
        assert_eq!(
            (h.bus.as_str(), h.dev.as_str()),
            ("auxiliary", "mlx5_core.sf.2")
        );
        assert!("pci".parse::<DevHandle>().is_err());
        assert!("/x".parse::<DevHandle>().is_err());
        assert_eq!(
            EswitchMode::from_word("switchdev"),
            Some(EswitchMode::Switchdev)
        );
        assert_eq!(EswitchMode::Other(7).to_string(), "7");
    }

    #[test]
    fn ports_read_like_devlink_port_show() {
        let ports: Vec<Port> = each(PORTS)
            .iter()
            .map(|m| Port::parse(m).unwrap())
            .collect();
        let text: Vec<String> = ports.iter().map(ToString::to_string).collect();
        assert_eq!(
            text,
            [
                "pci/0000:01:00.0/1: type eth netdev ens1f0 flavour physical port 0 splittable true lanes 4",
                "pci/0000:01:00.0/2: type eth des_type auto netdev ens1f0s1 flavour physical port 1 split_group 1 splittable false",
                "pci/0000:06:00.0/32768: type eth netdev eth6 flavour pcisf controller 0 pfnum 0 sfnum 88 external false splittable false\n  function:\n    hw_addr 00:00:00:00:00:00 state inactive opstate detached",
            ]
        );
        assert_eq!(ports[0].netdev_ifindex, Some(4));
        assert_eq!(
            (ports[1].split_group, ports[1].split_subport),
            (Some(1), Some(1))
        );
        let f = ports[2].function.as_ref().unwrap();
        assert_eq!(f.caps, Some((1, 1)));
        assert_eq!(f.opstate, Some(PortFnOpstate::Detached));
        // The port a PORT_NEW creates comes back as DEVLINK_CMD_NEW.
        let new = Port::parse(&genl(PORT_NEW_REPLY)).unwrap();
        assert_eq!(new, ports[2]);
    }

    #[test]
    fn resources_merge_across_messages() {
        let mut r = Resources::default();
        for m in each(RESOURCES) {
            r.merge(&m).unwrap();
        }
        assert_eq!(r.handle, DevHandle::new("netdevsim", "netdevsim10"));
        let names: Vec<&str> = r.resources.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(names, ["IPv4", "IPv6"]);
        let fib = r.find("IPv4/fib").unwrap();
        assert_eq!(
            (fib.id, fib.size, fib.size_new, fib.occ),
            (2, 1024, 2048, Some(3))
        );
        assert!(fib.pending_change());
        assert!(!r.find("IPv4/fib-rules").unwrap().pending_change());
        assert_eq!(r.find("IPv4").unwrap().size_valid, Some(true));
        assert!(r.find("IPv4/nope").is_none());
        assert_eq!(
            r.to_string(),
            "netdevsim/netdevsim10:\n  name IPv4 size 18446744073709551615 unit entry size_min 0 \
             size_max 18446744073709551615 size_gran 1\n    resources:\n\
             \x20     name fib size 1024 size_new 2048 occ 3 unit entry size_min 0 size_max 4096 size_gran 1\n\
             \x20     name fib-rules size 32 occ 4 unit entry size_min 0 size_max 64 size_gran 1\n\
             \x20 name IPv6 size 64 unit entry\n"
        );
    }

    #[test]
    fn params_read_by_their_type() {
        let params: Vec<Param> = each(PARAMS)
            .iter()
            .map(|m| Param::parse(m).unwrap())
            .collect();
        type Row<'a> = (
            &'a str,
            bool,
            Option<ParamType>,
            Vec<(ParamCmode, ParamData)>,
        );
        let values: Vec<Row<'_>> = params
            .iter()
            .map(|p| {
                (
                    p.name.as_str(),
                    p.generic,
                    p.param_type,
                    p.values.iter().map(|v| (v.cmode, v.data.clone())).collect(),
                )
            })
            .collect();
        use ParamCmode::*;
        assert_eq!(
            values,
            [
                (
                    "max_macs",
                    true,
                    Some(ParamType::U32),
                    vec![(Driverinit, ParamData::U32(32))]
                ),
                (
                    "test1",
                    false,
                    Some(ParamType::Bool),
                    vec![(Driverinit, ParamData::Bool(true))]
                ),
                (
                    "enable_roce",
                    true,
                    Some(ParamType::Bool),
                    vec![(Driverinit, ParamData::Bool(false))]
                ),
                (
                    "fw_load_policy",
                    true,
                    Some(ParamType::U8),
                    vec![(Permanent, ParamData::U8(1))]
                ),
                (
                    "flow_steering_mode",
                    false,
                    Some(ParamType::String),
                    vec![(Runtime, ParamData::String("smfs".into()))]
                ),
                (
                    "region_snapshot",
                    false,
                    Some(ParamType::U16),
                    vec![
                        (Runtime, ParamData::U16(700)),
                        (Driverinit, ParamData::U16(800))
                    ]
                ),
            ]
        );
        assert_eq!(params[5].value(Driverinit), Some(&ParamData::U16(800)));
        assert_eq!(params[5].value(Permanent), None);
        assert_eq!(
            params[0].to_string(),
            "netdevsim/netdevsim10:\n  name max_macs type generic\n    values:\n      cmode driverinit value 32\n"
        );
    }

    #[test]
    fn info_reads_like_devlink_dev_info() {
        let i = DeviceInfo::parse(&genl(INFO)).unwrap();
        assert_eq!(i.driver.as_deref(), Some("mlx5_core"));
        assert_eq!(i.running.len(), 2);
        let map = i.to_map();
        assert_eq!(map["driver"], "mlx5_core");
        assert_eq!(map["serialNumber"], "MT2042X12345");
        assert_eq!(map["fw.psid"], "MT_0000000359");
        // The running version wins over the stored one.
        assert_eq!(map["fw.version"], "22.31.1014");
        assert_eq!(
            i.to_string(),
            "pci/0000:01:00.0:\n  driver mlx5_core\n  serial_number MT2042X12345\n  versions:\n\
             \x20     fixed:\n        fw.psid MT_0000000359\n      running:\n        fw.version 22.31.1014\n\
             \x20       fw 22.31.1014\n      stored:\n        fw.version 22.32.1010\n"
        );
    }

    /// The handle as requests carry it: "pci" and "0000:01:00.0".
    #[rustfmt::skip]
    const PCI_HANDLE: &[u8] = &[
        8, 0, 1, 0, b'p', b'c', b'i', 0,
        17, 0, 2, 0, b'0', b'0', b'0', b'0', b':', b'0', b'1', b':', b'0', b'0', b'.', b'0', 0, 0, 0, 0,
    ];

    fn after_handle(buf: &[u8], cmd: u8) -> &[u8] {
        assert_eq!(&buf[16..20], &[cmd, DEVLINK_GENL_VERSION, 0, 0]);
        assert_eq!(&buf[20..20 + PCI_HANDLE.len()], PCI_HANDLE);
        &buf[20 + PCI_HANDLE.len()..]
    }

    #[test]
    fn requests_carry_what_devlink_sends() {
        let dev = pci();
        let mut b = Vec::new();
        Device::write_dump(FAM, &mut b).unwrap();
        assert_eq!(&b[16..], &[DEVLINK_CMD_GET, 1, 0, 0]);
        assert_eq!(u16::from_ne_bytes([b[6], b[7]]), 0x301);
        // devlink dev eswitch set pci/0000:01:00.0 mode switchdev
        b.clear();
        let set = Eswitch {
            handle: dev.clone(),
            mode: Some(EswitchMode::Switchdev),
            ..Eswitch::default()
        };
        set.write_set(FAM, &mut b).unwrap();
        assert_eq!(
            after_handle(&b, DEVLINK_CMD_ESWITCH_SET),
            &[6, 0, 25, 0, 1, 0, 0, 0]
        );
        assert!(
            Eswitch {
                handle: dev.clone(),
                ..Eswitch::default()
            }
            .write_set(FAM, &mut b)
            .is_err()
        );
        // devlink port split pci/0000:01:00.0/1 count 4; unsplit; del
        b.clear();
        Port::write_split(FAM, &dev, 1, 4, &mut b).unwrap();
        assert_eq!(
            after_handle(&b, DEVLINK_CMD_PORT_SPLIT),
            &[8, 0, 3, 0, 1, 0, 0, 0, 8, 0, 9, 0, 4, 0, 0, 0]
        );
        assert!(Port::write_split(FAM, &dev, 1, 1, &mut Vec::new()).is_err());
        b.clear();
        Port::write_unsplit(FAM, &dev, 1, &mut b).unwrap();
        assert_eq!(
            after_handle(&b, DEVLINK_CMD_PORT_UNSPLIT),
            &[8, 0, 3, 0, 1, 0, 0, 0]
        );
        b.clear();
        Port::write_del(FAM, &dev, 7, &mut b).unwrap();
        assert_eq!(
            after_handle(&b, DEVLINK_CMD_PORT_DEL),
            &[8, 0, 3, 0, 7, 0, 0, 0]
        );
        // devlink port add pci/0000:01:00.0 flavour pcisf pfnum 0 sfnum 88
        b.clear();
        let add = PortAdd {
            flavour: PortFlavour::PciSf,
            pf_number: 0,
            sf_number: Some(88),
            index: None,
            controller: None,
        };
        Port::write_add(FAM, &dev, &add, &mut b).unwrap();
        #[rustfmt::skip]
        let want: &[u8] = &[6, 0, 77, 0, 7, 0, 0, 0, 6, 0, 127, 0, 0, 0, 0, 0, 8, 0, 164, 0, 88, 0, 0, 0];
        assert_eq!(after_handle(&b, DEVLINK_CMD_PORT_NEW), want);
        // devlink port function set pci/0000:01:00.0/2 hw_addr 00:11:22:33:44:55 state active
        b.clear();
        let set = PortFunctionSet {
            hw_addr: Some(HwAddr::mac([0, 0x11, 0x22, 0x33, 0x44, 0x55])),
            state: Some(PortFnState::Active),
        };
        Port::write_function_set(FAM, &dev, 2, &set, &mut b).unwrap();
        #[rustfmt::skip]
        let want: &[u8] = &[
            8, 0, 3, 0, 2, 0, 0, 0,
            24, 0, 145, 0x80,
            10, 0, 1, 0, 0, 0x11, 0x22, 0x33, 0x44, 0x55, 0, 0,
            5, 0, 2, 0, 1, 0, 0, 0,
        ];
        assert_eq!(after_handle(&b, DEVLINK_CMD_PORT_SET), want);
        assert!(
            Port::write_function_set(FAM, &dev, 2, &PortFunctionSet::default(), &mut b).is_err()
        );
        // devlink dev param set pci/0000:01:00.0 name max_macs value 32 cmode driverinit
        b.clear();
        Param::write_set(
            FAM,
            &dev,
            "max_macs",
            ParamCmode::Driverinit,
            &ParamData::U32(32),
            &mut b,
        )
        .unwrap();
        #[rustfmt::skip]
        let want: &[u8] = &[
            13, 0, 81, 0, b'm', b'a', b'x', b'_', b'm', b'a', b'c', b's', 0, 0, 0, 0,
            5, 0, 87, 0, 1, 0, 0, 0,
            5, 0, 83, 0, 3, 0, 0, 0,
            8, 0, 86, 0, 32, 0, 0, 0,
        ];
        assert_eq!(after_handle(&b, DEVLINK_CMD_PARAM_SET), want);
        // A boolean: true is the data flag, false no data at all.
        for (v, tail) in [(true, &[4u8, 0, 86, 0][..]), (false, &[][..])] {
            b.clear();
            Param::write_set(
                FAM,
                &dev,
                "test1",
                ParamCmode::Runtime,
                &ParamData::Bool(v),
                &mut b,
            )
            .unwrap();
            let rest = after_handle(&b, DEVLINK_CMD_PARAM_SET);
            assert_eq!(&rest[rest.len() - tail.len()..], tail);
            assert_eq!(rest.len(), 12 + 8 + 8 + tail.len());
        }
        assert!(
            Param::write_set(
                FAM,
                &dev,
                "x",
                ParamCmode::Runtime,
                &ParamData::Raw(vec![1]),
                &mut b
            )
            .is_err()
        );
        // Gets and dumps name the device.
        for write in [
            |b: &mut Vec<u8>| Resources::write_get(FAM, &pci(), b),
            |b: &mut Vec<u8>| DeviceInfo::write_get(FAM, &pci(), b),
            |b: &mut Vec<u8>| Eswitch::write_get(FAM, &pci(), b),
            |b: &mut Vec<u8>| Device::write_get(FAM, &pci(), b),
        ] {
            b.clear();
            write(&mut b).unwrap();
            assert_eq!(b.len(), 20 + PCI_HANDLE.len());
        }
        b.clear();
        Port::write_get(FAM, &dev, 3, &mut b).unwrap();
        assert_eq!(
            after_handle(&b, DEVLINK_CMD_PORT_GET),
            &[8, 0, 3, 0, 3, 0, 0, 0]
        );
        b.clear();
        Param::write_get(FAM, &dev, "test1", &mut b).unwrap();
        assert_eq!(
            after_handle(&b, DEVLINK_CMD_PARAM_GET),
            &[10, 0, 81, 0, b't', b'e', b's', b't', b'1', 0, 0, 0]
        );
        // An empty handle is refused before anything is sent.
        assert!(Device::write_get(FAM, &DevHandle::default(), &mut b).is_err());
    }

    #[test]
    fn damaged_replies_are_errors_never_panics() {
        for fixture in [DEVICES, ESWITCH, PORTS, RESOURCES, PARAMS, INFO] {
            for cut in 0..fixture.len() {
                let mut b = fixture[..cut].to_vec();
                if b.len() >= 4 {
                    let len = u32::try_from(b.len()).unwrap();
                    b[..4].copy_from_slice(&len.to_ne_bytes());
                }
                let mut r = Resources::default();
                for m in Msgs::new(&b) {
                    let Ok(m) = m else { break };
                    let Ok(g) = GenlMsg::parse(&m, 0) else {
                        continue;
                    };
                    let _ = Device::parse(&g).map(|d| d.to_string());
                    let _ = Eswitch::parse(&g).map(|d| d.to_string());
                    let _ = Port::parse(&g).map(|d| d.to_string());
                    let _ = r.merge(&g);
                    let _ = Param::parse(&g).map(|d| d.to_string());
                    let _ = DeviceInfo::parse(&g).map(|d| (d.to_string(), d.to_map()));
                }
                let _ = r.to_string();
            }
        }
        // A wrong-sized value is an error naming the family.
        let mut bad = ESWITCH.to_vec();
        let at = bad.len() - 24;
        assert_eq!(&bad[at..at + 4], &[6, 0, 25, 0]);
        bad[at] = 5; // the u16 mode's length, now 1 byte
        let e = Eswitch::parse(&genl(&bad)).unwrap_err();
        assert!(e.to_string().contains("devlink"), "{e}");
    }
}
