//! MACsec dump entries from arbitrary bytes: SecY, channels, associations,
//! counters; their text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use nl_genl::GenlMsg;
use nl_genl::macsec::{MacsecDevice, cipher_name};
use nl_wire::Msgs;

fuzz_target!(|data: &[u8]| {
    for msg in Msgs::new(data) {
        let Ok(msg) = msg else { break };
        let Ok(g) = GenlMsg::parse(&msg, 0) else {
            continue;
        };
        if let Ok(d) = MacsecDevice::parse(&g) {
            let _ = (d.to_string(), cipher_name(d.secy.cipher_suite));
            for sc in &d.rx_scs {
                let _ = (sc.sci.mac(), sc.sci.port(), sc.stats.get(1));
            }
        }
    }
});
