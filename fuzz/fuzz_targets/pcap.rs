//! Arbitrary bytes as a netlink capture: the reader, every frame's cooked
//! header and every message inside must end in values or errors, never a
//! panic, and offsets must stay inside the file.
#![no_main]

use libfuzzer_sys::fuzz_target;
use nl_wire::pcap::Capture;
use nl_wire::{Walk, looks_nested};

fuzz_target!(|data: &[u8]| {
    let Ok(capture) = Capture::new(data) else {
        return;
    };
    let _ = capture.link_type();
    for record in capture {
        let Ok(record) = record else { break };
        assert!(record.offset + record.data.len() <= data.len());
        let _ = record.is_cut();
        let Ok(frame) = record.netlink() else { continue };
        let _ = frame.direction();
        for msg in frame.msgs() {
            let Ok(msg) = msg else { break };
            assert!(msg.offset() + msg.len() <= data.len());
            for item in Walk::with(msg.attrs_after(16), |a, _| looks_nested(a)) {
                if item.is_err() {
                    break;
                }
            }
        }
    }
});
