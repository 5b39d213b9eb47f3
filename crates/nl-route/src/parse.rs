//! Parsing the words users type (`192.0.2.1/24`, `2001:db8::/64`) with
//! errors that quote the input and say what is wrong with it, as `ip` does.

use std::fmt;
use std::net::IpAddr;
use std::str::FromStr;

use ipnet::{IpNet, Ipv4Net, Ipv6Net};

/// Text that does not parse: what was expected, the input, and why.
///
/// ```
/// let e = nl_route::parse_prefix("192.0.2.3/33").unwrap_err();
/// assert_eq!(
///     e.to_string(),
///     r#"invalid prefix "192.0.2.3/33": length 33 is out of range for IPv4 (0 to 32)"#
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    what: &'static str,
    input: Box<str>,
    reason: Box<str>,
}

impl ParseError {
    /// `input` is not a valid `what` (`"prefix"`, `"address"` ...) because
    /// of `reason`.
    pub fn new(what: &'static str, input: &str, reason: impl Into<Box<str>>) -> Self {
        ParseError {
            what,
            input: input.into(),
            reason: reason.into(),
        }
    }

    /// What was expected (`"prefix"`).
    pub fn what(&self) -> &'static str {
        self.what
    }

    /// The text that did not parse.
    pub fn input(&self) -> &str {
        &self.input
    }

    /// Why it did not parse.
    pub fn reason(&self) -> &str {
        &self.reason
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.input.is_empty() {
            write!(f, "invalid {}: {}", self.what, self.reason)
        } else {
            write!(
                f,
                "invalid {} {:?}: {}",
                self.what, &*self.input, self.reason
            )
        }
    }
}

impl std::error::Error for ParseError {}

/// Parses `ADDR/LEN` or a bare `ADDR` (a /32 or /128), keeping the host
/// bits (`192.0.2.1/24` is the address 192.0.2.1 on a /24, as `ip addr`
/// reads it). Errors say which part is wrong.
pub fn parse_prefix(s: &str) -> Result<IpNet, ParseError> {
    let err = |reason: String| ParseError::new("prefix", s, reason);
    let (addr, len) = match s.split_once('/') {
        Some((a, l)) => (a, Some(l)),
        None => (s, None),
    };
    let ip = IpAddr::from_str(addr).map_err(|_| {
        err(if addr.is_empty() {
            "the address is missing".into()
        } else {
            format!("{addr:?} is not an IPv4 or IPv6 address")
        })
    })?;
    let max: u8 = if ip.is_ipv4() { 32 } else { 128 };
    let len = match len {
        None => max,
        Some(l) => match l.parse::<u8>() {
            Ok(n) if n <= max => n,
            Ok(n) => {
                let fam = if ip.is_ipv4() { "IPv4" } else { "IPv6" };
                return Err(err(format!(
                    "length {n} is out of range for {fam} (0 to {max})"
                )));
            }
            Err(_) if l.chars().all(|c| c.is_ascii_digit()) && !l.is_empty() => {
                let fam = if ip.is_ipv4() { "IPv4" } else { "IPv6" };
                return Err(err(format!(
                    "length {l} is out of range for {fam} (0 to {max})"
                )));
            }
            Err(_) => return Err(err(format!("{l:?} is not a prefix length"))),
        },
    };
    // Lengths are checked above, so these constructors cannot fail.
    Ok(match ip {
        IpAddr::V4(a) => IpNet::V4(Ipv4Net::new(a, len).map_err(|_| err("bad length".into()))?),
        IpAddr::V6(a) => IpNet::V6(Ipv6Net::new(a, len).map_err(|_| err("bad length".into()))?),
    })
}

/// Parses an address (`192.0.2.1`, `2001:db8::1`) with an error that
/// quotes the input.
pub fn parse_addr(s: &str) -> Result<IpAddr, ParseError> {
    IpAddr::from_str(s).map_err(|_| ParseError::new("address", s, "not an IPv4 or IPv6 address"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_parse_like_ip() {
        assert_eq!(
            parse_prefix("192.0.2.1/24").unwrap().to_string(),
            "192.0.2.1/24"
        );
        assert_eq!(
            parse_prefix("192.0.2.1").unwrap().to_string(),
            "192.0.2.1/32"
        );
        assert_eq!(
            parse_prefix("2001:db8::1").unwrap().to_string(),
            "2001:db8::1/128"
        );
        assert_eq!(parse_prefix("2001:db8::/0").unwrap().prefix_len(), 0);
    }

    #[test]
    fn errors_quote_the_input_and_say_why() {
        let cases = [
            (
                "192.0.2.3/33",
                "length 33 is out of range for IPv4 (0 to 32)",
            ),
            (
                "2001:db8::/129",
                "length 129 is out of range for IPv6 (0 to 128)",
            ),
            (
                "192.0.2.3/999",
                "length 999 is out of range for IPv4 (0 to 32)",
            ),
            ("192.0.2.3/x", r#""x" is not a prefix length"#),
            (
                "192.0.2.300/24",
                r#""192.0.2.300" is not an IPv4 or IPv6 address"#,
            ),
            ("/24", "the address is missing"),
        ];
        for (input, reason) in cases {
            let e = parse_prefix(input).unwrap_err();
            assert_eq!(e.input(), input);
            assert_eq!(e.reason(), reason, "{input}");
            assert!(e.to_string().contains(input));
        }
        assert_eq!(
            parse_addr("nope").unwrap_err().to_string(),
            r#"invalid address "nope": not an IPv4 or IPv6 address"#
        );
    }
}
