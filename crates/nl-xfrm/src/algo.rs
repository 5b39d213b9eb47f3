//! Algorithms of a state, their keys (which never show in `Debug`), and the
//! key lengths of the algorithms the kernel ships, checked before sending.

use core::fmt;

use crate::error::{Error, Result};

/// Key bytes. `Debug` prints only the length; [`Key::reveal`] hands out
/// the bytes when a caller means it.
#[derive(Clone, PartialEq, Eq, Hash, Default)]
pub struct Key(Vec<u8>);

impl Key {
    /// A key from its bytes.
    pub fn new(bytes: impl Into<Vec<u8>>) -> Self {
        Key(bytes.into())
    }

    /// A key from hex (`0x0123...` or `0123...`), as `ip xfrm` takes it.
    pub fn from_hex(s: &str) -> Result<Self> {
        let digits = s.strip_prefix("0x").unwrap_or(s);
        if digits.len() % 2 != 0 {
            return Err(Error::invalid("key", "odd number of hex digits"));
        }
        let mut out = Vec::with_capacity(digits.len() / 2);
        let bytes = digits.as_bytes();
        for pair in bytes.chunks(2) {
            let s = core::str::from_utf8(pair).map_err(|_| Error::invalid("key", "not hex"))?;
            out.push(u8::from_str_radix(s, 16).map_err(|_| Error::invalid("key", "not hex"))?);
        }
        Ok(Key(out))
    }

    /// The key's bytes: handle with care.
    pub fn reveal(&self) -> &[u8] {
        &self.0
    }

    /// The key as `0x...` hex, as `ip xfrm state` prints it: handle with care.
    pub fn reveal_hex(&self) -> String {
        let mut s = String::from("0x");
        for b in &self.0 {
            s.push_str(&format!("{b:02x}"));
        }
        s
    }

    /// Length in bytes.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether the key is empty (null algorithms, compression).
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Length in bits, as the kernel's `alg_key_len` counts.
    pub fn bits(&self) -> Result<u32> {
        u32::try_from(self.0.len())
            .ok()
            .and_then(|n| n.checked_mul(8))
            .ok_or_else(|| Error::invalid("key", "too long"))
    }
}

impl fmt::Debug for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Key(<{} bytes>)", self.0.len())
    }
}

/// An encryption or compression algorithm (`XFRMA_ALG_CRYPT`,
/// `XFRMA_ALG_COMP`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Algo {
    /// The kernel crypto API's name (`cbc(aes)`, `deflate` ...).
    pub name: String,
    /// The key (empty for compression).
    pub key: Key,
}

/// An authentication algorithm (`XFRMA_ALG_AUTH_TRUNC`, or
/// `XFRMA_ALG_AUTH` when `trunc_len` is `None`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct AuthAlgo {
    /// The kernel crypto API's name (`hmac(sha256)` ...).
    pub name: String,
    /// The key.
    pub key: Key,
    /// ICV truncation length in bits; `None` lets the kernel pick the
    /// algorithm's default (96 for `hmac(sha1)`, 128 for `hmac(sha256)` ...).
    pub trunc_len: Option<u32>,
}

/// An AEAD algorithm (`XFRMA_ALG_AEAD`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct AeadAlgo {
    /// The kernel crypto API's name (`rfc4106(gcm(aes))` ...).
    pub name: String,
    /// The key, salt included (4 bytes for rfc4106).
    pub key: Key,
    /// ICV length in bits (64, 96 or 128 for GCM).
    pub icv_len: u32,
}

impl Algo {
    /// An encryption or compression algorithm by its crypto API name.
    pub fn new(name: impl Into<String>, key: Key) -> Self {
        Algo {
            name: name.into(),
            key,
        }
    }
}

impl AuthAlgo {
    /// An authentication algorithm whose ICV is truncated to `trunc_len`
    /// bits (`ip xfrm ... auth-trunc NAME KEY LEN`).
    pub fn new(name: impl Into<String>, key: Key, trunc_len: u32) -> Self {
        AuthAlgo {
            name: name.into(),
            key,
            trunc_len: Some(trunc_len),
        }
    }
}

impl AeadAlgo {
    /// An AEAD algorithm with an ICV of `icv_len` bits.
    pub fn new(name: impl Into<String>, key: Key, icv_len: u32) -> Self {
        AeadAlgo {
            name: name.into(),
            key,
            icv_len,
        }
    }
}

/// Which type of algorithm a name is checked as (`ip xfrm`'s `ALGO-TYPE`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AlgoType {
    /// Authentication.
    Auth,
    /// Encryption.
    Crypt,
    /// AEAD.
    Aead,
    /// Compression.
    Comp,
}

/// The former name of [`AlgoType`].
#[deprecated(
    since = "0.1.0",
    note = "renamed to `AlgoType`: \"kind\" names drivers"
)]
pub type AlgoKind = AlgoType;

/// Key lengths in bits the kernel accepts for the algorithms it ships
/// (`net/xfrm/xfrm_algo.c` and the crypto templates); `None` for a name
/// not in the list.
pub fn key_bits(ty: AlgoType, name: &str) -> Option<&'static [u32]> {
    Some(match (ty, name) {
        (AlgoType::Auth, "digest_null") => &[0],
        (AlgoType::Auth, "hmac(md5)") => &[128],
        (AlgoType::Auth, "hmac(sha1)") => &[160],
        (AlgoType::Auth, "hmac(sha256)") => &[256],
        (AlgoType::Auth, "hmac(sha384)") => &[384],
        (AlgoType::Auth, "hmac(sha512)") => &[512],
        (AlgoType::Auth, "hmac(rmd160)") => &[160],
        (AlgoType::Auth, "xcbc(aes)" | "cmac(aes)") => &[128],
        (AlgoType::Auth, "hmac(sm3)") => &[256],
        (AlgoType::Crypt, "ecb(cipher_null)") => &[0],
        (AlgoType::Crypt, "cbc(des)") => &[64],
        (AlgoType::Crypt, "cbc(des3_ede)") => &[192],
        (AlgoType::Crypt, "cbc(cast5)") => &[40, 48, 56, 64, 72, 80, 88, 96, 104, 112, 120, 128],
        (AlgoType::Crypt, "cbc(blowfish)") => &[40, 64, 128, 192, 256, 320, 384, 448],
        (AlgoType::Crypt, "cbc(aes)" | "cbc(serpent)" | "cbc(camellia)" | "cbc(twofish)") => {
            &[128, 192, 256]
        }
        // RFC 3686: the key is followed by a 32-bit nonce.
        (AlgoType::Crypt, "rfc3686(ctr(aes))") => &[160, 224, 288],
        (AlgoType::Crypt, "cbc(sm4)") => &[128],
        // RFC 4106 / 4543: key + 32-bit salt; RFC 4309: key + 24-bit salt.
        (AlgoType::Aead, "rfc4106(gcm(aes))" | "rfc4543(gcm(aes))") => &[160, 224, 288],
        (AlgoType::Aead, "rfc4309(ccm(aes))") => &[152, 216, 280],
        (AlgoType::Aead, "rfc7539esp(chacha20,poly1305)") => &[288],
        (AlgoType::Comp, "deflate" | "lzs" | "lzjh") => &[0],
        _ => return None,
    })
}

/// ICV lengths in bits an AEAD algorithm accepts.
fn icv_bits(name: &str) -> Option<&'static [u32]> {
    Some(match name {
        "rfc4106(gcm(aes))" => &[64, 96, 128],
        "rfc4309(ccm(aes))" => &[64, 96, 128],
        "rfc4543(gcm(aes))" | "rfc7539esp(chacha20,poly1305)" => &[128],
        _ => return None,
    })
}

/// Checks a key against the algorithm's accepted lengths. With `strict`,
/// a name missing from the list is an error too (the kernel would answer
/// ENOSYS for a name its crypto API lacks; templates this list does not
/// know may still work, so the library alone is not strict).
pub fn check(ty: AlgoType, name: &str, key: &Key, strict: bool) -> Result<()> {
    let field = match ty {
        AlgoType::Auth => "auth algorithm",
        AlgoType::Crypt => "encryption algorithm",
        AlgoType::Aead => "aead algorithm",
        AlgoType::Comp => "compression algorithm",
    };
    if name.is_empty() || name.len() > 63 {
        return Err(Error::invalid(field, "the name must be 1 to 63 bytes"));
    }
    match key_bits(ty, name) {
        Some(bits) => {
            let have = key.bits()?;
            if bits.contains(&have) {
                Ok(())
            } else {
                Err(Error::invalid(
                    field,
                    format!("{name} takes a key of {bits:?} bits, not {have}"),
                ))
            }
        }
        None if strict => Err(Error::invalid(field, format!("unknown algorithm {name:?}"))),
        None => Ok(()),
    }
}

/// Checks an AEAD ICV length.
pub(crate) fn check_icv(name: &str, icv: u32) -> Result<()> {
    match icv_bits(name) {
        Some(ok) if !ok.contains(&icv) => Err(Error::invalid(
            "aead algorithm",
            format!("{name} takes an ICV of {ok:?} bits, not {icv}"),
        )),
        _ => Ok(()),
    }
}

/// Writes an `xfrm_algo` (`trunc_or_icv` = `None`) or an `xfrm_algo_auth`
/// / `xfrm_algo_aead` (`Some`).
pub(crate) fn to_bytes(name: &str, key: &Key, trunc_or_icv: Option<u32>) -> Result<Vec<u8>> {
    let mut out = vec![0u8; 64];
    if let Some(d) = out.get_mut(..name.len().min(63)) {
        d.copy_from_slice(name.as_bytes().get(..d.len()).unwrap_or_default());
    }
    out.extend_from_slice(&key.bits()?.to_ne_bytes());
    if let Some(n) = trunc_or_icv {
        out.extend_from_slice(&n.to_ne_bytes());
    }
    out.extend_from_slice(key.reveal());
    Ok(out)
}

/// Reads an algorithm struct: name, key, and the extra `u32` when
/// `extra` is set. A key length past the payload is cut to what is there.
pub(crate) fn from_bytes(p: &[u8], extra: bool) -> (String, Key, u32) {
    let name_raw = p.get(..64).unwrap_or(p);
    let end = name_raw
        .iter()
        .position(|&b| b == 0)
        .unwrap_or(name_raw.len());
    let name = String::from_utf8_lossy(name_raw.get(..end).unwrap_or_default()).into_owned();
    let word = |at: usize| {
        p.get(at..at + 4)
            .and_then(|b| <[u8; 4]>::try_from(b).ok())
            .map_or(0, u32::from_ne_bytes)
    };
    let bits = word(64);
    let (x, key_at) = if extra { (word(68), 72) } else { (0, 68) };
    let key_len = usize::try_from(bits.div_ceil(8)).unwrap_or(usize::MAX);
    let rest = p.get(key_at..).unwrap_or_default();
    let key = rest.get(..key_len.min(rest.len())).unwrap_or_default();
    (name, Key::new(key), x)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_hides_keys() {
        let a = AuthAlgo {
            name: "hmac(sha256)".into(),
            key: Key::new(vec![0xAB; 32]),
            trunc_len: Some(128),
        };
        let d = format!("{a:?}");
        assert!(d.contains("<32 bytes>"), "{d}");
        assert!(
            !d.to_lowercase().contains("ab, ") && !d.contains("171"),
            "{d}"
        );
        assert_eq!(a.key.reveal_hex().len(), 2 + 64);
    }

    #[test]
    fn key_lengths() {
        let k16 = Key::new(vec![1; 16]);
        assert!(check(AlgoType::Crypt, "cbc(aes)", &k16, true).is_ok());
        let e = check(AlgoType::Auth, "hmac(sha256)", &k16, true).unwrap_err();
        assert!(e.to_string().contains("[256] bits, not 128"), "{e}");
        assert!(
            check(
                AlgoType::Aead,
                "rfc4106(gcm(aes))",
                &Key::new(vec![1; 20]),
                true
            )
            .is_ok()
        );
        assert!(check(AlgoType::Aead, "rfc4106(gcm(aes))", &k16, true).is_err());
        assert!(check(AlgoType::Crypt, "cbc(nosuch)", &k16, true).is_err());
        assert!(check(AlgoType::Crypt, "cbc(nosuch)", &k16, false).is_ok());
        assert!(check_icv("rfc4106(gcm(aes))", 100).is_err());
    }

    #[test]
    fn hex_keys() {
        assert_eq!(Key::from_hex("0x0aff").unwrap().reveal(), &[0x0a, 0xff]);
        assert!(Key::from_hex("0xabc").is_err());
        assert!(Key::from_hex("zz").is_err());
    }

    #[test]
    fn bytes_round_trip() {
        let key = Key::new(vec![7; 20]);
        let b = to_bytes("rfc4106(gcm(aes))", &key, Some(128)).unwrap();
        assert_eq!(b.len(), 72 + 20);
        assert_eq!(from_bytes(&b, true), ("rfc4106(gcm(aes))".into(), key, 128));
        // A key length past the payload is cut, not trusted.
        let mut bad = b.clone();
        bad[64..68].copy_from_slice(&4000u32.to_ne_bytes());
        assert_eq!(from_bytes(&bad, true).1.len(), 20);
    }
}
