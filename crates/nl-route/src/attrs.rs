//! The attribute-struct machinery, from nl-wire (shared with the other
//! family crates): [`nl_wire::attr_struct!`] and its codecs.

#[allow(unused_imports)] // each codec is named by some kind, not all by all
pub(crate) use nl_wire::attr_struct;
#[allow(unused_imports)]
pub(crate) use nl_wire::codec::{
    Be16, Be32, Be64, Bool8, Bool32, Codec, Enum, Flag, FlagU8, Native,
};
