//! Hardware (link-layer) addresses of any length up to `MAX_ADDR_LEN`.

use core::fmt;
use core::str::FromStr;

/// A link-layer address: 6 bytes for Ethernet, 20 for InfiniBand, 0 for
/// tunnels without one, 4 or 16 for IP tunnels; at most 32 (`MAX_ADDR_LEN`).
///
/// `Display` and `FromStr` use the colon-separated hex form `ip` prints.
///
/// ```
/// use nl_wire::HwAddr;
/// let mac: HwAddr = "02:00:5e:10:00:01".parse()?;
/// assert_eq!(mac.as_bytes(), &[2, 0, 0x5e, 0x10, 0, 1]);
/// assert_eq!(mac.to_string(), "02:00:5e:10:00:01");
/// # Ok::<(), nl_wire::HwAddrParseError>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct HwAddr {
    len: u8,
    bytes: [u8; HwAddr::MAX_LEN],
}

impl HwAddr {
    /// `MAX_ADDR_LEN` from `<linux/netdevice.h>`.
    pub const MAX_LEN: usize = 32;

    /// Copies `bytes`; `None` if longer than [`HwAddr::MAX_LEN`].
    pub fn new(bytes: &[u8]) -> Option<Self> {
        let len = u8::try_from(bytes.len())
            .ok()
            .filter(|&l| usize::from(l) <= Self::MAX_LEN)?;
        let mut out = [0u8; Self::MAX_LEN];
        out.get_mut(..bytes.len())?.copy_from_slice(bytes);
        Some(HwAddr { len, bytes: out })
    }

    /// A 6-byte Ethernet MAC address.
    pub const fn mac(b: [u8; 6]) -> Self {
        let mut bytes = [0u8; Self::MAX_LEN];
        bytes[0] = b[0];
        bytes[1] = b[1];
        bytes[2] = b[2];
        bytes[3] = b[3];
        bytes[4] = b[4];
        bytes[5] = b[5];
        HwAddr { len: 6, bytes }
    }

    /// The address bytes.
    pub fn as_bytes(&self) -> &[u8] {
        self.bytes.get(..usize::from(self.len)).unwrap_or_default()
    }

    /// Number of bytes.
    pub fn len(&self) -> usize {
        usize::from(self.len)
    }

    /// Whether the address has no bytes.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The address as an Ethernet MAC, if it is 6 bytes long.
    pub fn to_mac(&self) -> Option<[u8; 6]> {
        <[u8; 6]>::try_from(self.as_bytes()).ok()
    }
}

impl From<[u8; 6]> for HwAddr {
    fn from(b: [u8; 6]) -> Self {
        HwAddr::mac(b)
    }
}

impl AsRef<[u8]> for HwAddr {
    fn as_ref(&self) -> &[u8] {
        self.as_bytes()
    }
}

impl fmt::Display for HwAddr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, b) in self.as_bytes().iter().enumerate() {
            if i > 0 {
                f.write_str(":")?;
            }
            write!(f, "{b:02x}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for HwAddr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "HwAddr({self})")
    }
}

/// A string that is not a colon-separated hex address of at most 32 bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HwAddrParseError;

impl fmt::Display for HwAddrParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("invalid hardware address (expected hex bytes separated by ':')")
    }
}

impl core::error::Error for HwAddrParseError {}

impl FromStr for HwAddr {
    type Err = HwAddrParseError;

    /// Parses `aa:bb:cc:...` (one or two hex digits per byte, like `ip`).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let mut bytes = [0u8; Self::MAX_LEN];
        let mut len = 0usize;
        if s.is_empty() {
            return Err(HwAddrParseError);
        }
        for part in s.split(':') {
            if part.is_empty() || part.len() > 2 {
                return Err(HwAddrParseError);
            }
            let b = u8::from_str_radix(part, 16).map_err(|_| HwAddrParseError)?;
            *bytes.get_mut(len).ok_or(HwAddrParseError)? = b;
            len += 1;
        }
        let len = u8::try_from(len).map_err(|_| HwAddrParseError)?;
        Ok(HwAddr { len, bytes })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_and_print() {
        let a: HwAddr = "0:1:2:a:bb:ff".parse().unwrap();
        assert_eq!(a.to_string(), "00:01:02:0a:bb:ff");
        assert_eq!(a.to_mac(), Some([0, 1, 2, 0xa, 0xbb, 0xff]));
        let ib = HwAddr::new(&[0xaa; 20]).unwrap();
        assert_eq!(ib.len(), 20);
        assert_eq!(ib.to_mac(), None);
        assert!(HwAddr::new(&[0; 33]).is_none());
        assert!(HwAddr::new(&[]).unwrap().is_empty());
        assert_eq!(HwAddr::new(&[]).unwrap().to_string(), "");
    }

    #[test]
    fn rejects_bad_strings() {
        for s in ["", ":", "1::2", "123", "zz", "00:11:", &"00:".repeat(33)] {
            assert!(s.parse::<HwAddr>().is_err(), "{s:?}");
        }
    }
}
