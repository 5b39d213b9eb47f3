//! ipoib: IP over InfiniBand child interfaces (`IFLA_IPOIB_*`), each on
//! its own partition key of a parent IPoIB device. Needs InfiniBand
//! hardware (soft RoCE has an Ethernet link layer, no IPoIB).

use crate::attrs::attr_struct;
use crate::kind::{Detail, DetailValue};
use crate::text::LinkNames;
use crate::uapi::if_link::{
    IFLA_IPOIB_MODE, IFLA_IPOIB_PKEY, IFLA_IPOIB_UMCAST, IPOIB_MODE_CONNECTED, IPOIB_MODE_DATAGRAM,
};

nl_wire::kernel_enum! {
    /// `IPOIB_MODE_*`: the queue pairs the device sends on.
    pub enum IpoibMode: u16, "mode", crate::Error {
        /// Unreliable datagram queue pairs.
        Datagram = IPOIB_MODE_DATAGRAM => "datagram",
        /// Connected queue pairs.
        Connected = IPOIB_MODE_CONNECTED => "connected",
    }
}

attr_struct! {
    /// ipoib settings (the parent goes in [`crate::Link::parent`]).
    pub struct Ipoib {
        /// Partition key (`pkey`; `u16`).
        pkey: u16 = IFLA_IPOIB_PKEY,
        /// Mode (`mode`; `u16`).
        mode: IpoibMode = IFLA_IPOIB_MODE => Enum,
        /// Allow user-space multicast (`umcast`; `u16`, 0 or 1).
        umcast: u16 = IFLA_IPOIB_UMCAST,
    }
}

/// C's `%#.4x`: no `0x` for zero.
fn hex4(v: u16) -> String {
    if v == 0 {
        "0000".into()
    } else {
        format!("{v:#06x}")
    }
}

impl Ipoib {
    /// What `ip -d link show` prints (`ipoib_print_opt`): it stops at the
    /// first of pkey, mode, umcast that is missing.
    fn ip_details(&self, _kind: &str, _names: &dyn LinkNames) -> Vec<Detail> {
        let mut d = Vec::new();
        let Some(pkey) = self.pkey else { return d };
        let p = hex4(pkey);
        d.push(Detail::new(
            "key",
            DetailValue::Str(p.clone()),
            Some(format!("pkey {p} ")),
        ));
        let Some(mode) = self.mode else { return d };
        let word = match mode {
            IpoibMode::Other(_) => "unknown".to_string(),
            m => m.to_string(),
        };
        d.push(Detail::str("mode", "mode", word));
        let Some(umcast) = self.umcast else { return d };
        let u = format!("{umcast:04x}");
        d.push(Detail::new(
            "umcast",
            DetailValue::Str(u.clone()),
            Some(format!("umcast {u} ")),
        ));
        d
    }
}

crate::kind::plain_link_data_with_details!(Ipoib);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kind::tests::{data_of, round_trip};
    use crate::{Link, LinkKind, NoNames};

    /// What `ip link add ib0.8001 link ib0 type ipoib pkey 0x8001 mode
    /// connected umcast 1` puts in `IFLA_INFO_DATA`: three `u16`s.
    #[test]
    fn ip_link_add_ipoib() {
        let i = Ipoib {
            pkey: Some(0x8001),
            mode: Some(IpoibMode::Connected),
            umcast: Some(1),
        };
        let link = Link::new("ib0.8001").kind(LinkKind::Ipoib(i.clone()));
        assert_eq!(round_trip(&link), link);
        let mut want = vec![6, 0, 1, 0, 0x01, 0x80, 0, 0];
        want.extend([6, 0, 2, 0, 1, 0, 0, 0, 6, 0, 3, 0, 1, 0, 0, 0]);
        assert_eq!(data_of(&link), want);
        let text: String = i
            .ip_details("ipoib", &NoNames)
            .into_iter()
            .filter_map(|d| d.text)
            .collect();
        assert_eq!(text, "pkey 0x8001 mode connected umcast 0001 ");
        assert_eq!(hex4(0), "0000");
    }
}
