//! amt: Automatic Multicast Tunneling (RFC 7450) gateways and relays
//! (`IFLA_AMT_*`, Linux 5.16+): multicast carried over unicast UDP.

use std::net::Ipv4Addr;

use crate::attrs::attr_struct;
use crate::kind::Detail;
use crate::text::LinkNames;
use crate::uapi::amt::{
    AMT_MODE_GATEWAY, AMT_MODE_RELAY, IFLA_AMT_DISCOVERY_IP, IFLA_AMT_GATEWAY_PORT, IFLA_AMT_LINK,
    IFLA_AMT_LOCAL_IP, IFLA_AMT_MAX_TUNNELS, IFLA_AMT_MODE, IFLA_AMT_RELAY_PORT,
    IFLA_AMT_REMOTE_IP,
};

nl_wire::kernel_enum! {
    /// `AMT_MODE_*`: which end of the tunnel this device is.
    pub enum AmtMode: u32, "mode", crate::Error {
        /// Gateway: joins groups through a relay it discovers.
        Gateway = AMT_MODE_GATEWAY => "gateway",
        /// Relay: forwards native multicast to gateways.
        Relay = AMT_MODE_RELAY => "relay",
    }
}

attr_struct! {
    /// amt settings. `mode`, `local` and `link` are required to create
    /// one, and `discovery` for a gateway.
    pub struct Amt {
        /// Gateway or relay (`mode`; `u32`).
        mode: AmtMode = IFLA_AMT_MODE => Enum,
        /// The relay's UDP port (`relay_port`; `__be16`, 2268 by default).
        relay_port: u16 = IFLA_AMT_RELAY_PORT => Be16,
        /// The gateway's UDP port (`gateway_port`; `__be16`).
        gateway_port: u16 = IFLA_AMT_GATEWAY_PORT => Be16,
        /// Underlying device index (`dev`; `u32`).
        link: u32 = IFLA_AMT_LINK,
        /// Local address (`local`).
        local: Ipv4Addr = IFLA_AMT_LOCAL_IP,
        /// The relay a gateway found; read only.
        remote: Ipv4Addr = IFLA_AMT_REMOTE_IP,
        /// Where a gateway looks for relays (`discovery`).
        discovery: Ipv4Addr = IFLA_AMT_DISCOVERY_IP,
        /// Most tunnels a relay serves (`max_tunnels`; `u32`).
        max_tunnels: u32 = IFLA_AMT_MAX_TUNNELS,
    }
}

impl Amt {
    /// What `ip -d link show` prints (`amt_print_opt`).
    fn ip_details(&self, _kind: &str, names: &dyn LinkNames) -> Vec<Detail> {
        let mut d = Vec::new();
        if let Some(m) = self.mode {
            // ip prints the bare word, no key word before it.
            let w = m.to_string();
            d.push(Detail::new(
                "mode",
                crate::kind::DetailValue::Str(w.clone()),
                Some(format!("{w} ")),
            ));
        }
        if let Some(p) = self.gateway_port {
            d.push(Detail::uint("gateway_port", "gateway_port", p));
        }
        if let Some(p) = self.relay_port {
            d.push(Detail::uint("relay_port", "relay_port", p));
        }
        for (key, a) in [
            ("local", self.local),
            ("remote", self.remote),
            ("discovery", self.discovery),
        ] {
            if let Some(a) = a {
                d.push(Detail::str(key, key, a.to_string()));
            }
        }
        if let Some(l) = self.link {
            d.push(Detail::dev("link", "dev", l, names));
        }
        if let Some(n) = self.max_tunnels {
            d.push(Detail::uint("max_tunnels", "max_tunnels", n));
        }
        d
    }
}

crate::kind::plain_link_data_with_details!(Amt);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kind::tests::{data_of, round_trip};
    use crate::{Link, LinkKind, NoNames};

    fn gateway() -> Amt {
        Amt {
            mode: Some(AmtMode::Gateway),
            link: Some(2),
            local: Some(Ipv4Addr::new(192, 0, 2, 1)),
            discovery: Some(Ipv4Addr::new(198, 51, 100, 1)),
            ..Amt::default()
        }
    }

    #[test]
    fn every_field_round_trips() {
        let a = Amt {
            relay_port: Some(2268),
            gateway_port: Some(2269),
            remote: Some(Ipv4Addr::new(203, 0, 113, 1)),
            max_tunnels: Some(128),
            ..gateway()
        };
        let link = Link::new("amt0").kind(LinkKind::Amt(a));
        assert_eq!(round_trip(&link), link);
        // Ports are network order.
        let port = Link::new("amt0").kind(LinkKind::Amt(Amt {
            relay_port: Some(2268),
            ..Amt::default()
        }));
        assert_eq!(data_of(&port), [6, 0, 2, 0, 0x08, 0xdc, 0, 0]);
    }

    #[test]
    fn details_read_like_ip() {
        let text: String = gateway()
            .ip_details("amt", &NoNames)
            .into_iter()
            .filter_map(|d| d.text)
            .collect();
        assert_eq!(
            text,
            "gateway local 192.0.2.1 discovery 198.51.100.1 dev if2 "
        );
    }
}
