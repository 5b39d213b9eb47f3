//! vDPA replies from arbitrary bytes: management devices, devices, their
//! configurations and vendor statistics.
#![no_main]

use libfuzzer_sys::fuzz_target;
use nl_genl::GenlMsg;
use nl_genl::vdpa::{Dev, DevConfig, DevVStats, MgmtDev};
use nl_wire::Msgs;

fuzz_target!(|data: &[u8]| {
    for msg in Msgs::new(data) {
        let Ok(msg) = msg else { break };
        let Ok(g) = GenlMsg::parse(&msg, 0) else {
            continue;
        };
        if let Ok(m) = MgmtDev::parse(&g) {
            let _ = (m.to_string(), m.handle(), m.supports_class(1));
        }
        if let Ok(d) = Dev::parse(&g) {
            let _ = d.to_string();
        }
        if let Ok(c) = DevConfig::parse(&g) {
            let _ = (c.to_string(), c.link_up());
        }
        if let Ok(s) = DevVStats::parse(&g) {
            let _ = s.vendor.len();
        }
    }
});
