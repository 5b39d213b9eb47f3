//! GTP PDP contexts (replies, dumps, notifications) from arbitrary bytes;
//! a context that parses and can be written reads back the same.
#![no_main]

use libfuzzer_sys::fuzz_target;
use nl_genl::GenlMsg;
use nl_genl::gtp::{Pdp, PdpKey};
use nl_wire::{Msg, Msgs};

fuzz_target!(|data: &[u8]| {
    for msg in Msgs::new(data) {
        let Ok(msg) = msg else { break };
        let Ok(g) = GenlMsg::parse(&msg, 0) else {
            continue;
        };
        let Ok(p) = Pdp::parse(&g) else { continue };
        let _ = (p.to_string(), p.tunnel.version());
        let mut buf = Vec::new();
        if p.write_add(0x21, &mut buf).is_ok() {
            let (m, _) = Msg::parse(&buf).expect("our own request parses");
            let back = Pdp::parse(&GenlMsg::parse(&m, 0).expect("genl")).expect("pdp");
            assert_eq!(back, p);
        }
        let _ = p.write_del(0x21, &mut Vec::new());
        let _ = Pdp::write_get(0x21, p.link, PdpKey::MsAddress(p.ms), &mut Vec::new());
    }
});
