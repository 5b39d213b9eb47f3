//! Link kinds: `IFLA_LINKINFO` with `IFLA_INFO_KIND` and `IFLA_INFO_DATA`
//! (and, for enslaved links, `IFLA_INFO_SLAVE_KIND` / `_SLAVE_DATA`).
//!
//! Every kind is a struct of optional settings in its own module, parsed
//! from and written to its `IFLA_INFO_DATA` nest. Kinds the library does
//! not know are kept as [`LinkKind::Other`] with their raw data, never
//! dropped.

use nl_wire::{Attrs, MsgBuilder};

use crate::error::{Result, WireContext};
use crate::port::BridgePort;
use crate::uapi::if_link::{
    IFLA_INFO_DATA, IFLA_INFO_KIND, IFLA_INFO_SLAVE_DATA, IFLA_INFO_SLAVE_KIND,
};

pub mod bridge;
pub mod macvlan;
pub mod veth;
pub mod vxlan;

pub use bridge::{BoolOpts, Bridge, BridgeInfo};
pub use macvlan::{Macvlan, MacvlanMode};
pub use veth::Veth;
pub use vxlan::{PortRange, Vxlan};

/// A link's kind and its kind-specific settings.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
#[allow(clippy::large_enum_variant)] // built rarely; boxing would cost every caller a Box::new
pub enum LinkKind {
    /// Virtual Ethernet pair.
    Veth(Veth),
    /// Ethernet bridge.
    Bridge(Bridge),
    /// VXLAN tunnel.
    Vxlan(Vxlan),
    /// MAC-based VLAN on a lower device.
    Macvlan(Macvlan),
    /// macvlan with a tap character device.
    Macvtap(Macvlan),
    /// Dummy device: no settings.
    Dummy,
    /// Intermediate functional block: no settings.
    Ifb,
    /// A kind this library does not model: its name and raw data.
    Other(OtherKind),
}

/// A kind the library does not model, kept raw.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct OtherKind {
    /// `IFLA_INFO_KIND` (or `IFLA_INFO_SLAVE_KIND`).
    pub kind: String,
    /// The payload of `IFLA_INFO_DATA` (or `_SLAVE_DATA`), if any.
    pub data: Option<Vec<u8>>,
}

impl LinkKind {
    /// The kind's name, as `ip link add ... type NAME` spells it.
    pub fn name(&self) -> &str {
        match self {
            LinkKind::Veth(_) => "veth",
            LinkKind::Bridge(_) => "bridge",
            LinkKind::Vxlan(_) => "vxlan",
            LinkKind::Macvlan(_) => "macvlan",
            LinkKind::Macvtap(_) => "macvtap",
            LinkKind::Dummy => "dummy",
            LinkKind::Ifb => "ifb",
            LinkKind::Other(o) => &o.kind,
        }
    }

    /// A bridge with kernel defaults.
    pub fn bridge() -> Self {
        LinkKind::Bridge(Bridge::default())
    }

    /// A veth pair whose peer is named `peer`.
    pub fn veth(peer: impl Into<String>) -> Self {
        LinkKind::Veth(Veth::with_peer(crate::Link::new(peer)))
    }

    /// A VXLAN with network identifier `vni`.
    pub fn vxlan(vni: u32) -> Self {
        LinkKind::Vxlan(Vxlan {
            id: Some(vni),
            ..Vxlan::default()
        })
    }

    /// A macvlan in `mode` (the lower device goes in [`crate::Link::parent`]).
    pub fn macvlan(mode: MacvlanMode) -> Self {
        LinkKind::Macvlan(Macvlan {
            mode: Some(mode),
            ..Macvlan::default()
        })
    }

    pub(crate) fn parse(kind: &str, data: Option<Attrs<'_>>, ty: u16) -> Result<Self> {
        let data_or_empty = || data.clone().unwrap_or_else(Attrs::empty);
        Ok(match kind {
            "veth" => LinkKind::Veth(Veth::parse(data_or_empty(), ty)?),
            "bridge" => LinkKind::Bridge(Bridge::parse(data_or_empty(), ty)?),
            "vxlan" => LinkKind::Vxlan(Vxlan::parse(data_or_empty(), ty)?),
            "macvlan" => LinkKind::Macvlan(Macvlan::parse(data_or_empty(), ty)?),
            "macvtap" => LinkKind::Macvtap(Macvlan::parse(data_or_empty(), ty)?),
            "dummy" => LinkKind::Dummy,
            "ifb" => LinkKind::Ifb,
            other => LinkKind::Other(OtherKind {
                kind: other.to_string(),
                data: data.map(|d| d.bytes().to_vec()),
            }),
        })
    }

    /// Writes `IFLA_INFO_KIND` and, if there are settings, `IFLA_INFO_DATA`.
    pub(crate) fn write(&self, m: &mut MsgBuilder<'_>) -> Result<()> {
        m.put_str(IFLA_INFO_KIND, self.name());
        let nest = m.nest_start(IFLA_INFO_DATA);
        let before = m.len();
        match self {
            LinkKind::Veth(v) => v.write(m)?,
            LinkKind::Bridge(b) => b.write(m),
            LinkKind::Vxlan(v) => v.write(m),
            LinkKind::Macvlan(v) | LinkKind::Macvtap(v) => v.write(m),
            LinkKind::Dummy | LinkKind::Ifb => {}
            LinkKind::Other(o) => {
                if let Some(d) = &o.data {
                    m.header(&d[..]);
                }
            }
        }
        if m.len() == before + nl_wire::align::NLA_HDRLEN {
            // Nothing inside: leave the nest out, as iproute2 does.
            m.nest_cancel(nest);
        } else {
            m.nest_end(nest);
        }
        Ok(())
    }
}

/// The settings a link has as the port of its master.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum SlaveInfo {
    /// A bridge port (`IFLA_INFO_SLAVE_KIND` "bridge").
    Bridge(BridgePort),
    /// A slave kind the library does not model, kept raw.
    Other(OtherKind),
}

impl SlaveInfo {
    /// The slave kind's name (`"bridge"`, `"bond"` ...).
    pub fn name(&self) -> &str {
        match self {
            SlaveInfo::Bridge(_) => "bridge",
            SlaveInfo::Other(o) => &o.kind,
        }
    }

    fn parse(kind: &str, data: Option<Attrs<'_>>, ty: u16) -> Result<Self> {
        Ok(match kind {
            "bridge" => {
                SlaveInfo::Bridge(BridgePort::parse(data.unwrap_or_else(Attrs::empty), ty)?)
            }
            other => SlaveInfo::Other(OtherKind {
                kind: other.to_string(),
                data: data.map(|d| d.bytes().to_vec()),
            }),
        })
    }

    pub(crate) fn write(&self, m: &mut MsgBuilder<'_>) -> Result<()> {
        m.put_str(IFLA_INFO_SLAVE_KIND, self.name());
        let nest = m.nest_start(IFLA_INFO_SLAVE_DATA);
        match self {
            SlaveInfo::Bridge(p) => p.write(m),
            SlaveInfo::Other(o) => {
                if let Some(d) = &o.data {
                    m.header(&d[..]);
                }
            }
        }
        m.nest_end(nest);
        Ok(())
    }
}

/// Parses an `IFLA_LINKINFO` nest.
pub(crate) fn parse_linkinfo(
    attrs: Attrs<'_>,
    ty: u16,
) -> Result<(Option<LinkKind>, Option<SlaveInfo>)> {
    let (mut kind, mut data, mut slave_kind, mut slave_data) = (None, None, None, None);
    for a in attrs {
        let a = a.ctx(ty)?;
        match a.kind() {
            IFLA_INFO_KIND => kind = Some(a.str().ctx(ty)?),
            IFLA_INFO_DATA => data = Some(a.nested()),
            IFLA_INFO_SLAVE_KIND => slave_kind = Some(a.str().ctx(ty)?),
            IFLA_INFO_SLAVE_DATA => slave_data = Some(a.nested()),
            _ => {}
        }
    }
    let kind = kind.map(|k| LinkKind::parse(k, data, ty)).transpose()?;
    let slave = slave_kind
        .map(|k| SlaveInfo::parse(k, slave_data, ty))
        .transpose()?;
    Ok((kind, slave))
}
