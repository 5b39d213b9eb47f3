//! An arbitrary attribute stream, walked to any depth and read with every
//! typed getter.
#![no_main]

use libfuzzer_sys::fuzz_target;
use nl_wire::{Attrs, Walk, looks_nested};

fuzz_target!(|data: &[u8]| {
    let mut count = 0usize;
    for item in Walk::with(Attrs::new(data), |a, _| a.is_nested() || looks_nested(a)) {
        let Ok((depth, a)) = item else { break };
        count += 1;
        assert!(depth < nl_wire::MAX_DEPTH);
        assert!(count <= data.len(), "a walk never yields more attributes than bytes");
        let _ = (a.u8(), a.u16(), a.u32(), a.u64(), a.i32(), a.be16(), a.be32(), a.uint());
        let _ = (a.cstr(), a.str(), a.ip(), a.ipv4(), a.ipv6(), a.hwaddr());
        let _ = a.nested().get(1);
    }
    if let Ok(tb) = Attrs::new(data).table::<32>() {
        for k in 0..40u16 {
            let _ = (tb.u32(k), tb.cstr(k), tb.nested(k).map(|n| n.count()));
        }
    }
});
