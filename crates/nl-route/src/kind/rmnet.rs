//! rmnet: a Qualcomm MAP (multiplexing and aggregation) channel of a
//! modem's raw-IP device (`IFLA_RMNET_*`). Needs modem hardware.

use bitflags::bitflags;
use nl_wire::{Attr, MsgBuilder};
use zerocopy::byteorder::native_endian::U32;

use crate::attrs::{Codec, Native, attr_struct};
use crate::kind::Detail;
use crate::text::LinkNames;
use crate::uapi::if_link::*;

bitflags! {
    /// `RMNET_FLAGS_*`: deaggregation and checksum offloads.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
    pub struct RmnetFlagBits: u32 {
        /// Split aggregated ingress frames.
        const INGRESS_DEAGGREGATION = RMNET_FLAGS_INGRESS_DEAGGREGATION;
        /// Handle MAP commands on ingress.
        const INGRESS_MAP_COMMANDS = RMNET_FLAGS_INGRESS_MAP_COMMANDS;
        /// MAPv4 checksum offload on ingress.
        const INGRESS_MAP_CKSUMV4 = RMNET_FLAGS_INGRESS_MAP_CKSUMV4;
        /// MAPv4 checksum offload on egress.
        const EGRESS_MAP_CKSUMV4 = RMNET_FLAGS_EGRESS_MAP_CKSUMV4;
        /// MAPv5 checksum offload on ingress.
        const INGRESS_MAP_CKSUMV5 = RMNET_FLAGS_INGRESS_MAP_CKSUMV5;
        /// MAPv5 checksum offload on egress.
        const EGRESS_MAP_CKSUMV5 = RMNET_FLAGS_EGRESS_MAP_CKSUMV5;
        // Keep bits the library does not name.
        const _ = !0;
    }
}

/// `struct ifla_rmnet_flags`: the bits to set among those in `mask`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct RmnetFlags {
    /// The values.
    pub flags: RmnetFlagBits,
    /// Which bits `flags` sets.
    pub mask: RmnetFlagBits,
}

impl Codec<RmnetFlags> for Native {
    fn read(a: &Attr<'_>) -> nl_wire::Result<RmnetFlags> {
        let [flags, mask] = a.get::<[U32; 2]>()?;
        Ok(RmnetFlags {
            flags: RmnetFlagBits::from_bits_retain(flags.get()),
            mask: RmnetFlagBits::from_bits_retain(mask.get()),
        })
    }
    fn write(v: &RmnetFlags, m: &mut MsgBuilder<'_>, ty: u16) {
        let mut b = [0u8; 8];
        b[..4].copy_from_slice(&v.flags.bits().to_ne_bytes());
        b[4..].copy_from_slice(&v.mask.bits().to_ne_bytes());
        m.put_bytes(ty, &b);
    }
}

attr_struct! {
    /// rmnet settings (the raw-IP device goes in [`crate::Link::parent`]).
    pub struct Rmnet {
        /// MAP multiplexing id, 1 to 254 (`mux_id`; `u16`).
        mux_id: u16 = IFLA_RMNET_MUX_ID,
        /// Offload and aggregation flags.
        flags: RmnetFlags = IFLA_RMNET_FLAGS,
    }
}

impl Rmnet {
    /// What `ip -d link show` prints (`rmnet_print_opt`; 6.1 prints the
    /// mux id only).
    fn ip_details(&self, _kind: &str, _names: &dyn LinkNames) -> Vec<Detail> {
        self.mux_id
            .map(|id| Detail::uint("mux_id", "mux_id", id))
            .into_iter()
            .collect()
    }
}

crate::kind::plain_link_data_with_details!(Rmnet);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kind::tests::{data_of, round_trip};
    use crate::{Link, LinkKind};

    #[test]
    fn every_field_round_trips() {
        let r = Rmnet {
            mux_id: Some(1),
            flags: Some(RmnetFlags {
                flags: RmnetFlagBits::INGRESS_DEAGGREGATION,
                mask: RmnetFlagBits::INGRESS_DEAGGREGATION | RmnetFlagBits::from_bits_retain(0x100),
            }),
        };
        let link = Link::new("rmnet0").kind(LinkKind::Rmnet(r));
        assert_eq!(round_trip(&link), link);
        let data = data_of(&link);
        assert_eq!(&data[..8], &[6, 0, 1, 0, 1, 0, 0, 0]);
        assert_eq!(&data[8..12], &[12, 0, 2, 0]);
        assert_eq!(&data[12..16], &1u32.to_ne_bytes());
        assert_eq!(&data[16..20], &0x101u32.to_ne_bytes());
    }
}
