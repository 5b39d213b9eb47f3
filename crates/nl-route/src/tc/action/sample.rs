//! `sample`: send one packet in N to a psample group.

use nl_wire::MsgBuilder;

use crate::attrs::attr_struct;
use crate::tc::action::{ActionInput, ActionOptions};
use crate::uapi::tc_sample::*;
use crate::uapi::types::TcGen;

attr_struct! {
    /// `sample` options, in the order `tc` writes them.
    pub struct Sample {
        /// One packet in `rate` is sampled (`rate`).
        rate: u32 = TCA_SAMPLE_RATE,
        /// The psample group they go to (`group`).
        group: u32 = TCA_SAMPLE_PSAMPLE_GROUP,
        /// Bytes of each sample kept (`trunc`).
        trunc_size: u32 = TCA_SAMPLE_TRUNC_SIZE,
    }
}

impl ActionOptions for Sample {
    fn parse(input: &mut ActionInput<'_>) -> nl_wire::Result<Self> {
        let mut s = Sample::default();
        for a in input.options.clone() {
            let a = a?;
            if a.ty() == TCA_SAMPLE_PARMS {
                input.head = Some(a.read());
            } else {
                s.parse_attr(&a)?;
            }
        }
        Ok(s)
    }

    fn write(&self, m: &mut MsgBuilder<'_>, head: TcGen) {
        m.put(TCA_SAMPLE_PARMS, &head);
        self.write_attrs(m);
    }
}
