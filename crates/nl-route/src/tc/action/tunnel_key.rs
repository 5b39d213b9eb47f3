//! `tunnel_key`: set or release tunnel metadata.

use std::net::IpAddr;

use nl_wire::MsgBuilder;

use crate::attrs::attr_struct;
use crate::tc::action::{ActionInput, ActionOptions};
use crate::uapi::tc_tunnel_key::*;
use crate::uapi::types::{TcGen, TcGenPlus};

attr_struct! {
    /// tunnel_key options (`set`; an empty one with `release: true` is
    /// `tunnel_key unset`).
    pub struct TunnelKey {
        /// Outer source address.
        src: IpAddr = TCA_TUNNEL_KEY_ENC_IPV4_SRC,
        /// Outer destination address.
        dst: IpAddr = TCA_TUNNEL_KEY_ENC_IPV4_DST,
        /// Tunnel key (VNI).
        key_id: u32 = TCA_TUNNEL_KEY_ENC_KEY_ID => Be32,
        /// Outer UDP destination port.
        dst_port: u16 = TCA_TUNNEL_KEY_ENC_DST_PORT => Be16,
        /// Outer TOS.
        tos: u8 = TCA_TUNNEL_KEY_ENC_TOS,
        /// Outer TTL.
        ttl: u8 = TCA_TUNNEL_KEY_ENC_TTL,
        /// Leave the outer UDP checksum zero (1) or compute it (0).
        no_csum: u8 = TCA_TUNNEL_KEY_NO_CSUM,
    }
    extra {
        /// `unset`: release the metadata instead of setting it.
        pub release: bool,
    }
}

impl ActionOptions for TunnelKey {
    fn parse(input: &mut ActionInput<'_>) -> nl_wire::Result<Self> {
        let mut t = TunnelKey::default();
        let (mut src6, mut dst6) = (None, None);
        for a in input.options.clone() {
            let a = a?;
            match a.ty() {
                TCA_TUNNEL_KEY_PARMS => {
                    let g: TcGenPlus = a.read();
                    input.head = Some(g.head);
                    t.release = g.extra.get() == TCA_TUNNEL_KEY_ACT_RELEASE;
                }
                TCA_TUNNEL_KEY_ENC_IPV6_SRC => src6 = Some(a.ip()?),
                TCA_TUNNEL_KEY_ENC_IPV6_DST => dst6 = Some(a.ip()?),
                _ => {
                    t.parse_attr(&a)?;
                }
            }
        }
        t.src = t.src.or(src6);
        t.dst = t.dst.or(dst6);
        Ok(t)
    }

    fn write(&self, m: &mut MsgBuilder<'_>, head: TcGen) {
        let op = if self.release {
            TCA_TUNNEL_KEY_ACT_RELEASE
        } else {
            TCA_TUNNEL_KEY_ACT_SET
        };
        m.put(
            TCA_TUNNEL_KEY_PARMS,
            &TcGenPlus {
                head,
                extra: op.into(),
            },
        );
        // The address attributes differ by family.
        let mut t = self.clone();
        let (src, dst) = (t.src.take(), t.dst.take());
        for (addr, v4, v6) in [
            (
                src,
                TCA_TUNNEL_KEY_ENC_IPV4_SRC,
                TCA_TUNNEL_KEY_ENC_IPV6_SRC,
            ),
            (
                dst,
                TCA_TUNNEL_KEY_ENC_IPV4_DST,
                TCA_TUNNEL_KEY_ENC_IPV6_DST,
            ),
        ] {
            match addr {
                Some(IpAddr::V4(a)) => {
                    m.put_ipv4(v4, a);
                }
                Some(IpAddr::V6(a)) => {
                    m.put_ipv6(v6, a);
                }
                None => {}
            }
        }
        t.write_attrs(m);
    }
}
