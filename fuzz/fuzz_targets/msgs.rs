//! Every message of an arbitrary receive buffer, classified and walked.
#![no_main]

use libfuzzer_sys::fuzz_target;
use nl_wire::{AttrTable, Control, Msgs, Walk, looks_nested};

fuzz_target!(|data: &[u8]| {
    let mut n = 0usize;
    for msg in Msgs::new(data) {
        let Ok(msg) = msg else { break };
        n += 1;
        assert!(n <= data.len() / 16, "more messages than the bytes allow");
        assert!(msg.offset() + msg.len() <= data.len());
        match msg.control() {
            Ok(Some(Control::Ack(e) | Control::Error(e))) => {
                let _ = (e.ext_ack(), e.message(), e.errno(), e.request_payload());
            }
            Ok(Some(Control::Done(d))) => {
                let _ = d.ext_ack();
            }
            _ => {}
        }
        for hdr in [0usize, 4, 8, 12, 16, 20] {
            let _ = msg.attrs_after(hdr).table::<64>();
            for item in Walk::with(msg.attrs_after(hdr), |a, _| looks_nested(a)) {
                if item.is_err() {
                    break;
                }
            }
        }
        let _: AttrTable<'_, 4> = match msg.attrs_after(16).table() {
            Ok(t) => t,
            Err(_) => continue,
        };
    }
});
