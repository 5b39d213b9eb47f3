//! WireGuard: `WG_CMD_GET_DEVICE` dump messages merged into one device
//! (peers continued across messages), printed; the device written back as
//! `WG_CMD_SET_DEVICE` messages split at an arbitrary size; key text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use nl_genl::wireguard::{Device, Key, PrivateKey};
use nl_wire::Msgs;

fuzz_target!(|data: &[u8]| {
    // The first two bytes pick a message size for the split.
    let (max, data) = match data {
        [a, b, rest @ ..] => (usize::from(u16::from_le_bytes([*a, *b])), rest),
        _ => return,
    };
    let mut d = Device::default();
    for msg in Msgs::new(data) {
        let Ok(msg) = msg else { break };
        if d.merge(&msg).is_err() {
            break;
        }
    }
    let _ = (d.to_string(), format!("{d:?}"));
    let config = d.config();
    let mut buf = Vec::new();
    if let Ok(msgs) = config.write_set_max(0x15, &"wg0".into(), max, &mut buf) {
        assert!(!msgs.is_empty());
        for r in msgs {
            assert!(r.len() <= max);
            assert!(buf.get(r).is_some());
        }
    }
    // Key text: what parses prints back the same.
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(k) = Key::from_base64(text) {
            assert_eq!(k.to_base64(), text);
        }
        if let Ok(k) = text.parse::<PrivateKey>() {
            assert_eq!(format!("{k:?} {k}"), "PrivateKey(hidden) (hidden)");
        }
    }
});
