//! devlink replies from arbitrary bytes: devices, eswitches, ports,
//! resources merged across messages, parameters and device info.
#![no_main]

use libfuzzer_sys::fuzz_target;
use nl_genl::GenlMsg;
use nl_genl::devlink::{Device, DeviceInfo, Eswitch, Param, Port, Resources};
use nl_wire::Msgs;

fuzz_target!(|data: &[u8]| {
    let mut resources = Resources::default();
    for msg in Msgs::new(data) {
        let Ok(msg) = msg else { break };
        let Ok(g) = GenlMsg::parse(&msg, 0) else {
            continue;
        };
        if let Ok(d) = Device::parse(&g) {
            let _ = d.to_string();
        }
        if let Ok(e) = Eswitch::parse(&g) {
            let _ = e.to_string();
        }
        if let Ok(p) = Port::parse(&g) {
            let _ = p.to_string();
        }
        let _ = resources.merge(&g);
        if let Ok(p) = Param::parse(&g) {
            let _ = p.to_string();
        }
        if let Ok(i) = DeviceInfo::parse(&g) {
            let _ = (i.to_string(), i.to_map());
        }
    }
    let _ = (resources.to_string(), resources.find("a/b/c"));
});
