//! Error and done messages with arbitrary payloads and flags, their ext-ack
//! TLVs, and mapping arbitrary offsets back into an arbitrary request.
#![no_main]

use libfuzzer_sys::fuzz_target;
use nl_wire::{Control, Msgs};

fuzz_target!(|data: &[u8]| {
    let Some((&flags_lo, rest)) = data.split_first() else { return };
    let Some((&flags_hi, payload)) = rest.split_first() else { return };
    for ty in [2u16, 3] {
        let len = (16 + payload.len()) as u32;
        let mut buf = Vec::with_capacity(16 + payload.len());
        buf.extend_from_slice(&len.to_ne_bytes());
        buf.extend_from_slice(&ty.to_ne_bytes());
        buf.extend_from_slice(&[flags_lo, flags_hi]);
        buf.extend_from_slice(&[0u8; 8]);
        buf.extend_from_slice(payload);
        for msg in Msgs::new(&buf) {
            let Ok(msg) = msg else { break };
            match msg.control() {
                Ok(Some(Control::Ack(e) | Control::Error(e))) => {
                    if let Ok(ext) = e.ext_ack() {
                        if let Some(off) = ext.offset {
                            let _ = nl_wire::locate_any(payload, off);
                        }
                    }
                    let _ = e.request_payload();
                }
                Ok(Some(Control::Done(d))) => {
                    let _ = d.ext_ack();
                }
                _ => {}
            }
        }
    }
    // Offsets into the request itself, with every header length.
    for off in (0..payload.len().min(256)).step_by(4) {
        let _ = nl_wire::locate_any(payload, off as u32);
        let _ = nl_wire::locate(payload, off % 32, off as u32);
    }
});
