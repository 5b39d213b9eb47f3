//! nl-connector's error: a received message too short for its headers, or
//! a request the builder refused.

use core::fmt;

/// An nl-connector error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// A fixed header (or the data `cn_msg.len` announces) does not fit in
    /// what was received.
    Truncated {
        /// What was being read (`"cn_msg"`, `"proc_event"` ...).
        what: &'static str,
        /// Bytes it needs.
        need: usize,
        /// Bytes that were left.
        have: usize,
        /// Where it starts, from the start of the netlink message.
        offset: usize,
    },
    /// The builder refused the request (a length overflow).
    Build(nl_wire::Error),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Truncated {
                what,
                need,
                have,
                offset,
            } => write!(
                f,
                "malformed connector message: {what} at offset {offset} needs {need} bytes, {have} left"
            ),
            Error::Build(e) => write!(f, "cannot build the request: {e}"),
        }
    }
}

/// The nl-wire error is part of the message, so `source()` is `None`.
impl std::error::Error for Error {}

/// `Result` with [`Error`].
pub type Result<T> = core::result::Result<T, Error>;
