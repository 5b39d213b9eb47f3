//! nl80211 replies and notifications from arbitrary bytes: split wiphy
//! dumps merged into wiphys, interfaces, stations and `iw event` events.
#![no_main]

use libfuzzer_sys::fuzz_target;
use nl_genl::GenlMsg;
use nl_genl::nl80211::{Interface, Phy, Station, WifiEvent};
use nl_wire::Msgs;

fuzz_target!(|data: &[u8]| {
    let mut phys = Vec::new();
    for msg in Msgs::new(data) {
        let Ok(msg) = msg else { break };
        let Ok(g) = GenlMsg::parse(&msg, 0) else {
            continue;
        };
        // Every message is tried as each object: a split dump part folds
        // into the wiphys read so far.
        let _ = Phy::merge_into(&mut phys, &g);
        if let Ok(i) = Interface::parse(&g) {
            let _ = i.to_string();
        }
        if let Ok(s) = Station::parse(&g) {
            let _ = (s.flags.map(|f| f.get(1)), s.tx_bitrate.map(|r| r.to_string()));
        }
        if let Ok(e) = WifiEvent::parse(&g) {
            let _ = (e.to_string(), e.ifindex(), e.phy());
        }
    }
    for p in &phys {
        let _ = (p.to_string(), p.has_ext_feature(u32::MAX), p.supports_command(u8::MAX));
        for b in &p.bands {
            for c in &b.channels {
                let _ = (c.to_string(), c.number());
            }
        }
    }
});
