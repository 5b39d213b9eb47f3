//! The one error type of nl-wire: what went wrong and at which byte.
//!
//! Every variant carries the byte offset of the offending item, counted
//! from the start of the buffer the caller handed to the parser (for
//! [`Msgs`](crate::Msgs)) or from the start of the message (for views made
//! from a single [`Msg`](crate::Msg)). The type is `Copy` and allocation
//! free so that no_std users can match on it.

use core::fmt;

/// The item a length error is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Item {
    /// `struct nlmsghdr`.
    MsgHeader,
    /// `struct nlattr`.
    AttrHeader,
    /// `struct nlmsgerr` (error code and the echoed request header).
    ErrorHeader,
    /// A whole netlink message.
    Message,
    /// A whole attribute.
    Attribute,
    /// A nested attribute as built by the builder.
    Nest,
    /// The payload of a typed attribute getter.
    Payload,
    /// A pcap file or record header.
    Pcap,
}

impl fmt::Display for Item {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Item::MsgHeader => "message header",
            Item::AttrHeader => "attribute header",
            Item::ErrorHeader => "error message header",
            Item::Message => "message",
            Item::Attribute => "attribute",
            Item::Nest => "nested attribute",
            Item::Payload => "attribute payload",
            Item::Pcap => "pcap header",
        })
    }
}

/// A malformed input or an impossible request to the builder.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Error {
    /// A fixed-size header needed `need` bytes; only `have` were left.
    Truncated {
        /// What was being read.
        what: Item,
        /// Bytes the item needs.
        need: usize,
        /// Bytes that were left.
        have: usize,
        /// Where the item starts.
        offset: usize,
    },
    /// `nlmsg_len` is below the header size or runs past the buffer.
    MsgLen {
        /// The length field as received.
        len: u32,
        /// Bytes left in the buffer from the message start.
        have: usize,
        /// Where the message starts.
        offset: usize,
    },
    /// `nla_len` is below the attribute header size or runs past its parent.
    AttrLen {
        /// The length field as received.
        len: u16,
        /// Bytes left in the parent from the attribute start.
        have: usize,
        /// Where the attribute starts.
        offset: usize,
    },
    /// 1 to 3 bytes after the last attribute: too short to be one.
    Tail {
        /// Number of leftover bytes.
        len: usize,
        /// Where they start.
        offset: usize,
    },
    /// A typed getter found a payload of the wrong size
    /// (for example a `u32()` on 3 bytes).
    PayloadLen {
        /// Attribute type, flag bits masked off.
        ty: u16,
        /// Size the getter accepts (the maximum, for variable-size values).
        need: usize,
        /// Size of the payload.
        have: usize,
        /// Where the attribute starts.
        offset: usize,
    },
    /// A string attribute without its terminating NUL.
    NoNul {
        /// Attribute type, flag bits masked off.
        ty: u16,
        /// Where the attribute starts.
        offset: usize,
    },
    /// A string attribute that is not UTF-8.
    Utf8 {
        /// Attribute type, flag bits masked off.
        ty: u16,
        /// Where the attribute starts.
        offset: usize,
    },
    /// Attributes nested deeper than a walker's fixed limit.
    TooDeep {
        /// The limit.
        max: usize,
        /// Where the attribute that would go deeper starts.
        offset: usize,
    },
    /// Building: an item would be longer than its length field can say
    /// (`u16` for attributes, `u32` for messages).
    Overflow {
        /// The item whose length overflowed.
        what: Item,
        /// The length it would have had.
        len: usize,
    },
    /// Building: a value the kernel could not read back as given
    /// (a string with an interior NUL, a hardware address over 32 bytes).
    Invalid {
        /// Attribute type, flag bits masked off.
        ty: u16,
    },
}

impl Error {
    /// Byte offset of the offending item, when the error is about input.
    pub fn offset(&self) -> Option<usize> {
        match *self {
            Error::Truncated { offset, .. }
            | Error::MsgLen { offset, .. }
            | Error::AttrLen { offset, .. }
            | Error::Tail { offset, .. }
            | Error::PayloadLen { offset, .. }
            | Error::NoNul { offset, .. }
            | Error::Utf8 { offset, .. }
            | Error::TooDeep { offset, .. } => Some(offset),
            Error::Overflow { .. } | Error::Invalid { .. } => None,
        }
    }

    /// This error as one of attribute `ty`, for a check made after
    /// [`Attrs::decode`](crate::Attrs::decode) (settings read once their
    /// kind is known, a required attribute missing).
    pub fn in_attr(self, ty: u16) -> DecodeError {
        DecodeError {
            attr: Some(ty),
            error: self,
        }
    }

    /// The same error with its offset moved by `by` bytes: used when a view
    /// over a sub-slice reports to a caller that counts from further out.
    #[must_use]
    pub fn shifted(mut self, by: usize) -> Self {
        match &mut self {
            Error::Truncated { offset, .. }
            | Error::MsgLen { offset, .. }
            | Error::AttrLen { offset, .. }
            | Error::Tail { offset, .. }
            | Error::PayloadLen { offset, .. }
            | Error::NoNul { offset, .. }
            | Error::Utf8 { offset, .. }
            | Error::TooDeep { offset, .. } => *offset = offset.saturating_add(by),
            Error::Overflow { .. } | Error::Invalid { .. } => {}
        }
        self
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Error::Truncated {
                what,
                need,
                have,
                offset,
            } => {
                write!(
                    f,
                    "truncated {what} at offset {offset}: need {need} bytes, have {have}"
                )
            }
            Error::MsgLen { len, have, offset } => write!(
                f,
                "bad nlmsg_len {len} at offset {offset}: header is 16 bytes, {have} bytes left"
            ),
            Error::AttrLen { len, have, offset } => write!(
                f,
                "bad nla_len {len} at offset {offset}: header is 4 bytes, {have} bytes left in parent"
            ),
            Error::Tail { len, offset } => {
                write!(
                    f,
                    "{len} stray bytes after the last attribute at offset {offset}"
                )
            }
            Error::PayloadLen {
                ty,
                need,
                have,
                offset,
            } => write!(
                f,
                "attribute {ty} at offset {offset}: payload is {have} bytes, expected {need}"
            ),
            Error::NoNul { ty, offset } => {
                write!(
                    f,
                    "attribute {ty} at offset {offset}: string without NUL terminator"
                )
            }
            Error::Utf8 { ty, offset } => {
                write!(f, "attribute {ty} at offset {offset}: string is not UTF-8")
            }
            Error::TooDeep { max, offset } => {
                write!(
                    f,
                    "attributes nested deeper than {max} levels at offset {offset}"
                )
            }
            Error::Overflow { what, len } => {
                write!(f, "{what} of {len} bytes does not fit its length field")
            }
            Error::Invalid { ty } => {
                write!(f, "attribute {ty}: value cannot be encoded as given")
            }
        }
    }
}

impl core::error::Error for Error {}

/// The first error of [`Attrs::decode`](crate::Attrs::decode): what was
/// wrong and where, and the top-level attribute being read when it happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DecodeError {
    /// Type of the attribute being read (flags masked); `None` when the
    /// stream itself was malformed between attributes.
    pub attr: Option<u16>,
    /// What was wrong, and at which offset.
    pub error: Error,
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.attr {
            Some(a) => write!(f, "in attribute {a}: {}", self.error),
            None => self.error.fmt(f),
        }
    }
}

impl core::error::Error for DecodeError {}

/// An error outside any attribute (a message-level check after the loop).
impl From<Error> for DecodeError {
    fn from(error: Error) -> Self {
        DecodeError { attr: None, error }
    }
}

/// Result with nl-wire's [`Error`].
pub type Result<T, E = Error> = core::result::Result<T, E>;

#[cfg(all(test, feature = "alloc"))]
mod tests {
    use super::*;

    #[test]
    fn display_names_what_and_where() {
        let e = Error::Truncated {
            what: Item::MsgHeader,
            need: 16,
            have: 7,
            offset: 32,
        };
        assert_eq!(
            e.to_string(),
            "truncated message header at offset 32: need 16 bytes, have 7"
        );
        assert_eq!(e.offset(), Some(32));
        assert_eq!(e.shifted(8).offset(), Some(40));
        assert_eq!(
            Error::Overflow {
                what: Item::Attribute,
                len: 70000
            }
            .offset(),
            None
        );
    }
}
