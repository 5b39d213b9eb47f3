//! nl-route's error: a received message that does not parse, or a request
//! that cannot be built as asked.

use core::fmt;

use nl_wire::{DecodeError, Msg};

/// An nl-route error.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// A received message or attribute did not parse.
    Wire {
        /// `nlmsg_type` of the message.
        msg_type: u16,
        /// The attribute type being read, when known.
        attr: Option<u16>,
        /// What nl-wire found wrong, and where.
        source: nl_wire::Error,
    },
    /// A request cannot be built as asked; nothing was sent.
    Invalid {
        /// The field at fault (`"name"`, `"mtu"` ...).
        field: &'static str,
        /// Why (`"longer than 15 bytes"` ...).
        reason: &'static str,
    },
    /// The builder refused the request (a length overflow).
    Build(nl_wire::Error),
    /// Text that does not parse (an address, a prefix ...), quoted.
    Parse(crate::ParseError),
}

impl Error {
    pub(crate) fn invalid(field: &'static str, reason: &'static str) -> Self {
        Error::Invalid { field, reason }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Wire {
                msg_type,
                attr: Some(a),
                source,
            } => {
                write!(
                    f,
                    "malformed message type {msg_type}, attribute {a}: {source}"
                )
            }
            Error::Wire {
                msg_type,
                attr: None,
                source,
            } => {
                write!(f, "malformed message type {msg_type}: {source}")
            }
            Error::Invalid { field, reason } => write!(f, "invalid {field}: {reason}"),
            Error::Build(e) => write!(f, "cannot build request: {e}"),
            Error::Parse(e) => write!(f, "{e}"),
        }
    }
}

/// The nl-wire error is part of the message, so `source()` is `None`: a
/// chain printer (`{:#}` in anyhow) shows every message once.
impl std::error::Error for Error {}

impl From<crate::ParseError> for Error {
    fn from(e: crate::ParseError) -> Self {
        Error::Parse(e)
    }
}

impl From<nl_wire::UnknownWord> for Error {
    fn from(e: nl_wire::UnknownWord) -> Self {
        Error::invalid(e.what, e.expected)
    }
}

/// Result with nl-route's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Runs the parser of `msg`, the one place where a parse error gets its
/// context: the message type, and the top-level attribute it was read in.
///
/// `f` reads the attributes with [`nl_wire::Attrs::decode`] (one loop,
/// one `match` on the type, `?` on every getter), and the parsers below it
/// return plain `nl_wire::Result`s; a check after the loop returns a
/// [`DecodeError`] naming the attribute it is about, or an `nl_wire::Error`.
pub(crate) fn parse_msg<T>(msg: &Msg<'_>, f: impl FnOnce() -> Result<T, DecodeError>) -> Result<T> {
    f().map_err(|e| Error::Wire {
        msg_type: msg.ty(),
        attr: e.attr,
        source: e.error,
    })
}
