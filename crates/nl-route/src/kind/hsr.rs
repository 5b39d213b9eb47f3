//! hsr and prp: High-availability Seamless Redundancy and the Parallel
//! Redundancy Protocol (IEC 62439-3), one device over two ports that
//! sends every frame on both (`IFLA_HSR_*`; PRP is hsr with protocol 1).

use nl_wire::HwAddr;

use crate::attrs::attr_struct;
use crate::kind::{Detail, DetailValue};
use crate::text::LinkNames;
use crate::uapi::if_link::{
    HSR_PROTOCOL_HSR, HSR_PROTOCOL_PRP, IFLA_HSR_MULTICAST_SPEC, IFLA_HSR_PROTOCOL,
    IFLA_HSR_SEQ_NR, IFLA_HSR_SLAVE1, IFLA_HSR_SLAVE2, IFLA_HSR_SUPERVISION_ADDR, IFLA_HSR_VERSION,
};
use crate::uapi::newer::IFLA_HSR_INTERLINK;

nl_wire::kernel_enum! {
    /// `HSR_PROTOCOL_*`.
    pub enum HsrProtocol: u8, "proto", crate::Error {
        /// HSR (the default): a ring.
        Hsr = HSR_PROTOCOL_HSR => "0",
        /// PRP: two independent networks.
        Prp = HSR_PROTOCOL_PRP => "1",
    }
}

attr_struct! {
    /// hsr settings. `slave1` and `slave2` are required to create one;
    /// the rest the kernel reports (or takes once, at creation).
    pub struct Hsr {
        /// First port, a link index (`slave1`; `u32`).
        slave1: u32 = IFLA_HSR_SLAVE1,
        /// Second port, a link index (`slave2`; `u32`).
        slave2: u32 = IFLA_HSR_SLAVE2,
        /// Last byte of the supervision multicast address (`supervision`;
        /// `u8`); write only.
        multicast_spec: u8 = IFLA_HSR_MULTICAST_SPEC,
        /// The supervision frames' multicast address; read only.
        supervision_addr: HwAddr = IFLA_HSR_SUPERVISION_ADDR,
        /// The next sequence number; read only (`u16`).
        seq_nr: u16 = IFLA_HSR_SEQ_NR,
        /// HSR version, 0 (2010) or 1 (2012) (`version`; `u8`); write only.
        version: u8 = IFLA_HSR_VERSION,
        /// HSR or PRP (`proto`; `u8`).
        protocol: HsrProtocol = IFLA_HSR_PROTOCOL => Enum,
        /// Interlink port toward a non-redundant network, a link index
        /// (`interlink`; `u32`, 6.10+).
        interlink: u32 = IFLA_HSR_INTERLINK,
    }
}

impl Hsr {
    /// An HSR (or, with [`HsrProtocol::Prp`], PRP) device over ports
    /// `slave1` and `slave2` (link indexes).
    pub fn new(slave1: u32, slave2: u32, protocol: HsrProtocol) -> Hsr {
        Hsr {
            slave1: Some(slave1),
            slave2: Some(slave2),
            protocol: Some(protocol),
            ..Hsr::default()
        }
    }

    /// What `ip -d link show` prints (`hsr_print_opt`).
    fn ip_details(&self, _kind: &str, names: &dyn LinkNames) -> Vec<Detail> {
        let mut d = Vec::new();
        for (key, port) in [("slave1", self.slave1), ("slave2", self.slave2)] {
            d.push(match port {
                Some(i) => Detail::dev(key, key, i, names),
                None => Detail::new(key, DetailValue::Null, Some(format!("{key} <none> "))),
            });
        }
        if let Some(s) = self.seq_nr {
            d.push(Detail::new(
                "seq_nr",
                DetailValue::Int(i64::from(s)),
                Some(format!("sequence {s} ")),
            ));
        }
        if let Some(a) = &self.supervision_addr {
            d.push(Detail::str(
                "supervision_addr",
                "supervision",
                a.to_string(),
            ));
        }
        if let Some(p) = self.protocol {
            d.push(Detail::uint("proto", "proto", u8::from(p)));
        }
        d
    }
}

crate::kind::plain_link_data_with_details!(Hsr);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kind::tests::round_trip;
    use crate::{Link, LinkKind, NoNames};

    #[test]
    fn every_field_round_trips() {
        let h = Hsr {
            multicast_spec: Some(5),
            supervision_addr: Some(HwAddr::mac([1, 0x15, 0x4e, 0, 1, 5])),
            seq_nr: Some(65535),
            version: Some(1),
            interlink: Some(9),
            ..Hsr::new(3, 4, HsrProtocol::Prp)
        };
        let link = Link::new("prp0").kind(LinkKind::Hsr(h));
        assert_eq!(round_trip(&link), link);
    }

    #[test]
    fn details_read_like_ip() {
        let h = Hsr {
            slave2: None,
            seq_nr: Some(7),
            supervision_addr: Some(HwAddr::mac([1, 0x15, 0x4e, 0, 1, 0])),
            ..Hsr::new(3, 0, HsrProtocol::Hsr)
        };
        let text: String = h
            .ip_details("hsr", &NoNames)
            .into_iter()
            .filter_map(|d| d.text)
            .collect();
        assert_eq!(
            text,
            "slave1 if3 slave2 <none> sequence 7 supervision 01:15:4e:00:01:00 proto 0 "
        );
    }
}
