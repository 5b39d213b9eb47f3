//! nl-netfilter's error: a reply that does not parse, or a request that
//! cannot be built as asked.

use core::fmt;

/// An nl-netfilter error.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// A received message or attribute did not parse.
    Wire {
        /// `nlmsg_type` of the message (subsystem and command).
        msg_type: u16,
        /// What nl-wire found wrong, and where.
        source: nl_wire::Error,
    },
    /// A message is not what the caller expected (another subsystem, no
    /// nfgenmsg header).
    Unexpected {
        /// What was expected.
        what: &'static str,
        /// `nlmsg_type` of the message.
        msg_type: u16,
    },
    /// A request cannot be built as asked; nothing was sent.
    Invalid {
        /// The field at fault.
        field: &'static str,
        /// Why, in words a user can act on.
        reason: String,
    },
    /// The builder refused the request (a length overflow).
    Build(nl_wire::Error),
}

impl Error {
    /// A request that cannot be built: `field` and why.
    pub fn invalid(field: &'static str, reason: impl Into<String>) -> Self {
        Error::Invalid {
            field,
            reason: reason.into(),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Wire { msg_type, source } => write!(
                f,
                "malformed netfilter message (subsystem {}, command {}): {source}",
                msg_type >> 8,
                msg_type & 0xff
            ),
            Error::Unexpected { what, msg_type } => {
                write!(f, "expected {what}, got message type {msg_type:#06x}")
            }
            Error::Invalid { field, reason } => write!(f, "invalid {field}: {reason}"),
            Error::Build(e) => write!(f, "cannot build the request: {e}"),
        }
    }
}

/// The nl-wire error is part of the message, so `source()` is `None`.
impl std::error::Error for Error {}

/// `Result` with [`Error`].
pub type Result<T, E = Error> = core::result::Result<T, E>;
