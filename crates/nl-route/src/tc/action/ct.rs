//! `ct`: send packets through conntrack (commit, zone, mark, labels, NAT).

use std::net::{Ipv4Addr, Ipv6Addr};

use nl_wire::MsgBuilder;

use crate::attrs::attr_struct;
use crate::tc::action::{ActionInput, ActionOptions};
use crate::uapi::tc_ct::*;
use crate::uapi::types::TcGen;

attr_struct! {
    /// `ct` options, in the order `tc` writes them.
    pub struct Ct {
        /// Conntrack zone (`zone`).
        zone: u16 = TCA_CT_ZONE,
        /// Mark to set (`mark M[/MASK]`).
        mark: u32 = TCA_CT_MARK,
        /// Its mask.
        mark_mask: u32 = TCA_CT_MARK_MASK,
        /// Labels to set (`label L[/MASK]`), 128 bits.
        labels: Vec<u8> = TCA_CT_LABELS,
        /// Their mask.
        labels_mask: Vec<u8> = TCA_CT_LABELS_MASK,
        /// NAT range, IPv4 (`nat src|dst addr MIN[-MAX]`).
        nat_ipv4_min: Ipv4Addr = TCA_CT_NAT_IPV4_MIN,
        /// Its end.
        nat_ipv4_max: Ipv4Addr = TCA_CT_NAT_IPV4_MAX,
        /// NAT range, IPv6.
        nat_ipv6_min: Ipv6Addr = TCA_CT_NAT_IPV6_MIN,
        /// Its end.
        nat_ipv6_max: Ipv6Addr = TCA_CT_NAT_IPV6_MAX,
        /// NAT port range (`port MIN[-MAX]`).
        nat_port_min: u16 = TCA_CT_NAT_PORT_MIN => Be16,
        /// Its end.
        nat_port_max: u16 = TCA_CT_NAT_PORT_MAX => Be16,
        /// `TCA_CT_ACT_*`: `commit`, `force`, `clear`, `nat`, `nat src`,
        /// `nat dst`.
        action: u16 = TCA_CT_ACTION,
    }
}

impl ActionOptions for Ct {
    fn parse(input: &mut ActionInput<'_>) -> nl_wire::Result<Self> {
        let mut s = Ct::default();
        for a in input.options.clone() {
            let a = a?;
            if a.ty() == TCA_CT_PARMS {
                input.head = Some(a.read());
            } else {
                s.parse_attr(&a)?;
            }
        }
        Ok(s)
    }

    fn write(&self, m: &mut MsgBuilder<'_>, head: TcGen) {
        // tc writes the parameters last.
        self.write_attrs(m);
        m.put(TCA_CT_PARMS, &head);
    }
}
