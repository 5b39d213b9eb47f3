//! The facade's error: whatever layer failed, one type with a matchable
//! [`ErrorKind`], the errno and the kernel's own words.
//!
//! Every message appears once: each variant prints the error it wraps and
//! returns nothing from `source()`, so `{}` prints the whole story and an
//! error-chain printer (`{:#}` in anyhow) does not repeat it. A call that
//! names an object (`link_add` of `"br0"`, a namespace path) says which,
//! once, in front: `link add "br0": netlink request: File exists (EEXIST)`.

use std::fmt;

pub use nl_sock::ErrorKind;

/// An error from a [`Handle`](crate::Handle) call.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// The kernel refused, or the socket failed.
    Netlink(nl_sock::Error),
    /// A request was invalid before sending, or a reply did not parse.
    Route(nl_route::Error),
    /// An xfrm request was invalid before sending, or a reply did not parse.
    Xfrm(nl_xfrm::Error),
    /// The capture file named by `NETLINK_PCAP` could not be created:
    /// the path and the OS error's text.
    Capture(String),
    /// A lookup found nothing: `what` names it (`link "eth9"`).
    NotFound {
        /// What was looked for.
        what: String,
        /// The kernel's error, when it answered one.
        source: Option<nl_sock::Error>,
    },
    /// Text that does not parse (an address, a prefix), quoted.
    Parse(nl_route::ParseError),
    /// A message or attribute read with nl-wire's views (in a callback of
    /// the generic path) did not parse.
    Wire(nl_wire::Error),
    /// A generic netlink request was invalid before sending, or a reply
    /// did not parse.
    #[cfg(feature = "genl")]
    Genl(nl_genl::Error),
    /// A netfilter request was invalid before sending, or a reply did not
    /// parse.
    #[cfg(feature = "netfilter")]
    Netfilter(nl_netfilter::Error),
    /// A connector message did not parse (feature `connector`).
    #[cfg(feature = "connector")]
    Connector(nl_connector::Error),
    /// An RDMA request was invalid before sending, or a reply did not
    /// parse (feature `rdma`).
    #[cfg(feature = "rdma")]
    Rdma(nl_rdma::Error),
    /// A socket diagnostics request was invalid before sending, or a
    /// reply did not parse.
    #[cfg(feature = "diag")]
    Diag(nl_diag::Error),
    /// The kernel refused an ipset command: `text` says why in the `ipset`
    /// tool's words (ipset's error codes carry no text of the kernel's).
    #[cfg(feature = "netfilter")]
    Ipset {
        /// What went wrong.
        text: String,
        /// The kernel's error (its code, classified in `kind`).
        error: nl_sock::Error,
    },
    /// A call on a named object failed: `context` says which call and
    /// object (`link add "br0"`), `error` what went wrong.
    Context {
        /// The call and its object.
        context: Box<str>,
        /// The error itself (never another `Context`).
        error: Box<Error>,
    },
}

impl Error {
    /// The class of the error.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::Context { error, .. } => error.kind(),
            Error::Parse(_) => ErrorKind::Invalid,
            Error::Wire(_) => ErrorKind::Malformed,
            #[cfg(feature = "genl")]
            Error::Genl(nl_genl::Error::Invalid { .. } | nl_genl::Error::Build(_)) => {
                ErrorKind::Invalid
            }
            #[cfg(feature = "genl")]
            Error::Genl(_) => ErrorKind::Malformed,
            #[cfg(feature = "netfilter")]
            Error::Netfilter(
                nl_netfilter::Error::Invalid { .. } | nl_netfilter::Error::Build(_),
            ) => ErrorKind::Invalid,
            #[cfg(feature = "netfilter")]
            Error::Netfilter(_) => ErrorKind::Malformed,
            #[cfg(feature = "netfilter")]
            Error::Ipset { error, .. } => error.kind(),
            #[cfg(feature = "connector")]
            Error::Connector(nl_connector::Error::Build(_)) => ErrorKind::Invalid,
            #[cfg(feature = "connector")]
            Error::Connector(_) => ErrorKind::Malformed,
            #[cfg(feature = "rdma")]
            Error::Rdma(nl_rdma::Error::Invalid { .. } | nl_rdma::Error::Build(_)) => {
                ErrorKind::Invalid
            }
            #[cfg(feature = "rdma")]
            Error::Rdma(_) => ErrorKind::Malformed,
            #[cfg(feature = "diag")]
            Error::Diag(nl_diag::Error::Invalid { .. } | nl_diag::Error::Build(_)) => {
                ErrorKind::Invalid
            }
            #[cfg(feature = "diag")]
            Error::Diag(_) => ErrorKind::Malformed,
            Error::Netlink(e) => e.kind(),
            Error::Route(nl_route::Error::Invalid { .. }) => ErrorKind::Invalid,
            Error::Route(_) => ErrorKind::Malformed,
            Error::Xfrm(nl_xfrm::Error::Wire { .. }) => ErrorKind::Malformed,
            Error::Xfrm(_) => ErrorKind::Invalid,
            Error::Capture(_) => ErrorKind::Other,
            Error::NotFound { .. } => ErrorKind::NotFound,
        }
    }

    /// Whether the object did not exist.
    pub fn is_not_found(&self) -> bool {
        self.kind() == ErrorKind::NotFound
    }

    /// Whether the object already existed.
    pub fn is_exists(&self) -> bool {
        self.kind() == ErrorKind::Exists
    }

    /// The errno, if the kernel or a syscall gave one.
    pub fn errno(&self) -> Option<nl_sock::Errno> {
        match self {
            Error::Context { error, .. } => error.errno(),
            Error::Netlink(e) => e.errno(),
            #[cfg(feature = "netfilter")]
            Error::Ipset { error, .. } => error.errno(),
            Error::NotFound {
                source: Some(e), ..
            } => e.errno(),
            _ => None,
        }
    }

    /// The kernel's ext-ack text (what `ip` prints after "Error:").
    pub fn message(&self) -> Option<&str> {
        match self {
            Error::Context { error, .. } => error.message(),
            Error::Netlink(e) => e.message(),
            #[cfg(feature = "netfilter")]
            Error::Ipset { text, .. } => Some(text),
            Error::NotFound {
                source: Some(e), ..
            } => e.message(),
            _ => None,
        }
    }

    /// The nl-sock error underneath, if any.
    pub fn netlink(&self) -> Option<&nl_sock::Error> {
        match self {
            Error::Context { error, .. } => error.netlink(),
            Error::Netlink(e) => Some(e),
            #[cfg(feature = "netfilter")]
            Error::Ipset { error, .. } => Some(error),
            Error::NotFound { source, .. } => source.as_ref(),
            _ => None,
        }
    }

    /// The error without its context: the layer's own error.
    pub fn inner(&self) -> &Error {
        match self {
            Error::Context { error, .. } => error,
            other => other,
        }
    }

    /// The call and object the error is about, if the call named one.
    pub fn context(&self) -> Option<&str> {
        match self {
            Error::Context { context, .. } => Some(context),
            _ => None,
        }
    }

    /// The same error, saying which call and object it is about
    /// (`link add "br0"`). An error that already has a context keeps it:
    /// context is attached once, where the call is made.
    #[must_use]
    pub fn about(self, context: impl fmt::Display) -> Self {
        match self {
            e @ Error::Context { .. } => e,
            e => Error::Context {
                context: context.to_string().into(),
                error: Box::new(e),
            },
        }
    }

    pub(crate) fn not_found(what: String, source: Option<nl_sock::Error>) -> Self {
        Error::NotFound { what, source }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Netlink(e) => write!(f, "{e}"),
            Error::Route(e) => write!(f, "{e}"),
            Error::Xfrm(e) => write!(f, "{e}"),
            Error::Parse(e) => write!(f, "{e}"),
            Error::Wire(e) => write!(f, "malformed message: {e}"),
            #[cfg(feature = "genl")]
            Error::Genl(e) => write!(f, "{e}"),
            #[cfg(feature = "netfilter")]
            Error::Netfilter(e) => write!(f, "{e}"),
            #[cfg(feature = "netfilter")]
            Error::Ipset { text, .. } => f.write_str(text),
            #[cfg(feature = "connector")]
            Error::Connector(e) => write!(f, "{e}"),
            #[cfg(feature = "rdma")]
            Error::Rdma(e) => write!(f, "{e}"),
            #[cfg(feature = "diag")]
            Error::Diag(e) => write!(f, "{e}"),
            Error::Capture(e) => write!(f, "recording: {e}"),
            // The kernel's ENODEV/ENOENT adds nothing to "not found"; it
            // stays reachable through `netlink()`.
            Error::NotFound { what, .. } => write!(f, "{what} not found"),
            Error::Context { context, error } => write!(f, "{context}: {error}"),
        }
    }
}

/// Every variant prints what it wraps (see the module docs), so there is
/// no `source()`: the message appears once in any chain.
impl std::error::Error for Error {}

impl From<nl_sock::Error> for Error {
    fn from(e: nl_sock::Error) -> Self {
        Error::Netlink(e)
    }
}

impl From<nl_xfrm::Error> for Error {
    fn from(e: nl_xfrm::Error) -> Self {
        Error::Xfrm(e)
    }
}

impl From<nl_route::Error> for Error {
    fn from(e: nl_route::Error) -> Self {
        match e {
            nl_route::Error::Parse(p) => Error::Parse(p),
            e => Error::Route(e),
        }
    }
}

#[cfg(feature = "genl")]
impl From<nl_genl::Error> for Error {
    fn from(e: nl_genl::Error) -> Self {
        Error::Genl(e)
    }
}

#[cfg(feature = "netfilter")]
impl From<nl_netfilter::Error> for Error {
    fn from(e: nl_netfilter::Error) -> Self {
        Error::Netfilter(e)
    }
}

#[cfg(feature = "connector")]
impl From<nl_connector::Error> for Error {
    fn from(e: nl_connector::Error) -> Self {
        Error::Connector(e)
    }
}

#[cfg(feature = "rdma")]
impl From<nl_rdma::Error> for Error {
    fn from(e: nl_rdma::Error) -> Self {
        Error::Rdma(e)
    }
}

#[cfg(feature = "diag")]
impl From<nl_diag::Error> for Error {
    fn from(e: nl_diag::Error) -> Self {
        Error::Diag(e)
    }
}

impl From<nl_wire::Error> for Error {
    fn from(e: nl_wire::Error) -> Self {
        Error::Wire(e)
    }
}

impl From<nl_route::ParseError> for Error {
    fn from(e: nl_route::ParseError) -> Self {
        Error::Parse(e)
    }
}

/// `"192.0.2.1".parse::<IpAddr>()?` in a function returning this
/// [`Result`]; std's error does not keep the input (parse with
/// [`nl_route::parse_addr`] for an error that quotes it).
impl From<std::net::AddrParseError> for Error {
    fn from(e: std::net::AddrParseError) -> Self {
        Error::Parse(nl_route::ParseError::new("address", "", e.to_string()))
    }
}

/// `"192.0.2.0/24".parse::<IpNet>()?`; [`nl_route::parse_prefix`] keeps
/// the input and says which part is wrong.
impl From<ipnet::AddrParseError> for Error {
    fn from(e: ipnet::AddrParseError) -> Self {
        Error::Parse(nl_route::ParseError::new("prefix", "", e.to_string()))
    }
}

/// `"02:00:00:00:00:01".parse::<HwAddr>()?`.
impl From<nl_wire::HwAddrParseError> for Error {
    fn from(e: nl_wire::HwAddrParseError) -> Self {
        Error::Parse(nl_route::ParseError::new(
            "hardware address",
            "",
            e.to_string(),
        ))
    }
}

impl From<Error> for std::io::Error {
    fn from(e: Error) -> Self {
        match e {
            Error::Netlink(e) => e.into(),
            other => {
                let kind = match other.kind() {
                    ErrorKind::NotFound => std::io::ErrorKind::NotFound,
                    ErrorKind::Invalid => std::io::ErrorKind::InvalidInput,
                    _ => std::io::ErrorKind::InvalidData,
                };
                std::io::Error::new(kind, other)
            }
        }
    }
}

/// Result with the facade's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
