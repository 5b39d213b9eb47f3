//! FOU replies from arbitrary bytes; a port that parses and can be
//! written reads back the same.
#![no_main]

use libfuzzer_sys::fuzz_target;
use nl_genl::GenlMsg;
use nl_genl::fou::Fou;
use nl_wire::{Msg, Msgs};

fuzz_target!(|data: &[u8]| {
    for msg in Msgs::new(data) {
        let Ok(msg) = msg else { break };
        let Ok(g) = GenlMsg::parse(&msg, 0) else {
            continue;
        };
        let Ok(f) = Fou::parse(&g) else { continue };
        let _ = f.to_string();
        let mut buf = Vec::new();
        if f.write_add(0x20, &mut buf).is_ok() {
            let (m, _) = Msg::parse(&buf).expect("our own request parses");
            let back = Fou::parse(&GenlMsg::parse(&m, 0).expect("genl")).expect("fou");
            assert_eq!(back, f);
        }
        let _ = (f.write_del(0x20, &mut Vec::new()), f.write_get(0x20, &mut Vec::new()));
    }
});
