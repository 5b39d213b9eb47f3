//! `RT_SCOPE_*`: how far an address or route reaches.

use std::fmt;
use std::str::FromStr;

use crate::error::Error;

/// Scope of an address or route (`rtm_scope`, `ifa_scope`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Scope {
    /// Everywhere (`global` in `ip`).
    #[default]
    Universe,
    /// Within the site (IPv6).
    Site,
    /// On the link.
    Link,
    /// On this host.
    Host,
    /// Nowhere.
    Nowhere,
    /// Another value (user-defined scopes live between 1 and 199).
    Other(u8),
}

impl From<u8> for Scope {
    fn from(v: u8) -> Self {
        match v {
            0 => Scope::Universe,
            200 => Scope::Site,
            253 => Scope::Link,
            254 => Scope::Host,
            255 => Scope::Nowhere,
            o => Scope::Other(o),
        }
    }
}

impl From<Scope> for u8 {
    fn from(s: Scope) -> u8 {
        match s {
            Scope::Universe => 0,
            Scope::Site => 200,
            Scope::Link => 253,
            Scope::Host => 254,
            Scope::Nowhere => 255,
            Scope::Other(o) => o,
        }
    }
}

impl fmt::Display for Scope {
    /// The words `ip` prints (`global`, `link`, `host` ...).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Scope::Universe => f.write_str("global"),
            Scope::Site => f.write_str("site"),
            Scope::Link => f.write_str("link"),
            Scope::Host => f.write_str("host"),
            Scope::Nowhere => f.write_str("nowhere"),
            Scope::Other(o) => write!(f, "{o}"),
        }
    }
}

impl FromStr for Scope {
    type Err = Error;

    /// Names as `ip` accepts them, or a number.
    fn from_str(s: &str) -> Result<Self, Error> {
        Ok(match s {
            "global" | "universe" => Scope::Universe,
            "site" => Scope::Site,
            "link" => Scope::Link,
            "host" => Scope::Host,
            "nowhere" => Scope::Nowhere,
            n => Scope::from(
                n.parse::<u8>()
                    .map_err(|_| Error::invalid("scope", "not a scope name or 0..255"))?,
            ),
        })
    }
}
