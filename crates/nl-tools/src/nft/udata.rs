//! nft's `typeof` of a set's key, kept in the set's userdata
//! (`NFTNL_UDATA_SET_KEY_TYPEOF`): the expression the key was declared
//! from, so that nft prints `typeof ip saddr` rather than `type
//! ipv4_addr`. The kernel never reads it; the format is nft's own
//! (libnftnl TLVs: one type byte, one length byte, the value):
//!
//! ```text
//! KEY_TYPEOF (3) ─┬─ TYPEOF_EXPR (0): u32 nft expression type (7 payload, 9 meta, 13 concat)
//!                 └─ TYPEOF_DATA (1) ─┬─ payload: DESC (0) u32 protocol, TYPE (1) u32 field
//!                                     ├─ meta: KEY (0) u32 NFT_META_*
//!                                     └─ concat: one nest per field (0, 1 ...), each EXPR + DATA
//! ```
//!
//! Only the fields this tool matches on are known; the numbers are those
//! nft 1.0.6 writes (its protocol and field template indexes).

/// `NFTNL_UDATA_SET_KEY_TYPEOF`.
pub const SET_UDATA_KEY_TYPEOF: u8 = 3;

/// nft's expression types in a typeof.
const EXPR_PAYLOAD: u32 = 7;
const EXPR_META: u32 = 9;
const EXPR_CONCAT: u32 = 13;

/// A field a typeof names: its text, and nft's expression type with its
/// two numbers (payload: protocol and field; meta: the key, 0).
const FIELDS: [(&str, u32, u32, u32); 13] = [
    ("ip saddr", EXPR_PAYLOAD, 12, 11),
    ("ip daddr", EXPR_PAYLOAD, 12, 12),
    ("ip protocol", EXPR_PAYLOAD, 12, 9),
    ("ip6 saddr", EXPR_PAYLOAD, 13, 8),
    ("ip6 daddr", EXPR_PAYLOAD, 13, 9),
    ("ip6 nexthdr", EXPR_PAYLOAD, 13, 6),
    ("tcp sport", EXPR_PAYLOAD, 8, 1),
    ("tcp dport", EXPR_PAYLOAD, 8, 2),
    ("udp sport", EXPR_PAYLOAD, 6, 1),
    ("udp dport", EXPR_PAYLOAD, 6, 2),
    ("meta mark", EXPR_META, 3, 0),
    ("meta l4proto", EXPR_META, 16, 0),
    ("meta nfproto", EXPR_META, 15, 0),
];

/// Appends one TLV.
fn put(out: &mut Vec<u8>, ty: u8, value: &[u8]) -> Option<()> {
    out.push(ty);
    out.push(u8::try_from(value.len()).ok()?);
    out.extend_from_slice(value);
    Some(())
}

fn put_u32(out: &mut Vec<u8>, ty: u8, v: u32) {
    // Four bytes always fit a TLV.
    let _ = put(out, ty, &v.to_ne_bytes());
}

/// One field's `EXPR` and `DATA` TLVs.
fn field_tlvs(text: &str) -> Option<Vec<u8>> {
    let (_, expr, a, b) = FIELDS.iter().find(|f| f.0 == text)?;
    let mut data = Vec::new();
    put_u32(&mut data, 0, *a);
    if *expr == EXPR_PAYLOAD {
        put_u32(&mut data, 1, *b);
    }
    let mut out = Vec::new();
    put_u32(&mut out, 0, *expr);
    put(&mut out, 1, &data)?;
    Some(out)
}

/// The `KEY_TYPEOF` TLV of a key declared from `fields` (one, or a
/// concatenation); `None` for a field this does not know.
pub fn encode(fields: &[&str]) -> Option<Vec<u8>> {
    let inner = match fields {
        [one] => field_tlvs(one)?,
        many => {
            let mut subs = Vec::new();
            for (i, f) in many.iter().enumerate() {
                put(&mut subs, u8::try_from(i).ok()?, &field_tlvs(f)?)?;
            }
            let mut out = Vec::new();
            put_u32(&mut out, 0, EXPR_CONCAT);
            put(&mut out, 1, &subs)?;
            out
        }
    };
    let mut out = Vec::new();
    put(&mut out, SET_UDATA_KEY_TYPEOF, &inner)?;
    Some(out)
}

/// The TLVs of `bytes`: (type, value); stops at the first that does not fit.
fn tlvs(mut bytes: &[u8]) -> Vec<(u8, &[u8])> {
    let mut out = Vec::new();
    while let [ty, len, rest @ ..] = bytes {
        let Some(value) = rest.get(..usize::from(*len)) else {
            break;
        };
        out.push((*ty, value));
        bytes = rest.get(usize::from(*len)..).unwrap_or_default();
    }
    out
}

fn u32_of(v: &[u8]) -> Option<u32> {
    <[u8; 4]>::try_from(v).ok().map(u32::from_ne_bytes)
}

/// One field's text from its `EXPR` and `DATA` TLVs.
fn field_text(tlv: &[u8]) -> Option<&'static str> {
    let t = tlvs(tlv);
    let expr = u32_of(t.iter().find(|(ty, _)| *ty == 0)?.1)?;
    let data = tlvs(t.iter().find(|(ty, _)| *ty == 1)?.1);
    let num = |ty: u8| {
        data.iter()
            .find(|(t, _)| *t == ty)
            .and_then(|(_, v)| u32_of(v))
    };
    let (a, b) = match expr {
        EXPR_PAYLOAD => (num(0)?, num(1)?),
        EXPR_META => (num(0)?, 0),
        _ => return None,
    };
    FIELDS
        .iter()
        .find(|f| f.1 == expr && f.2 == a && f.3 == b)
        .map(|f| f.0)
}

/// What a `KEY_TYPEOF` value (inside its TLV) says: `Some(fields)` for
/// a typeof this knows, `Some(empty)` for nft's plain concatenation
/// marker (a concat with no fields: the key was declared with `type`),
/// `None` for one it does not know.
pub fn decode(value: &[u8]) -> Option<Vec<&'static str>> {
    let t = tlvs(value);
    let expr = u32_of(t.iter().find(|(ty, _)| *ty == 0)?.1)?;
    if expr != EXPR_CONCAT {
        return field_text(value).map(|f| vec![f]);
    }
    let data = t.iter().find(|(ty, _)| *ty == 1)?.1;
    tlvs(data).iter().map(|(_, sub)| field_text(sub)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typeof_as_nft_writes_it() {
        // nft 1.0.6's bytes for `typeof ip saddr` and `typeof meta mark`.
        let ip = [
            3, 20, 0, 4, 7, 0, 0, 0, 1, 12, 0, 4, 12, 0, 0, 0, 1, 4, 11, 0, 0, 0,
        ];
        assert_eq!(encode(&["ip saddr"]).unwrap(), ip);
        let mark = [3, 14, 0, 4, 9, 0, 0, 0, 1, 6, 0, 4, 3, 0, 0, 0];
        assert_eq!(encode(&["meta mark"]).unwrap(), mark);
        assert_eq!(decode(&ip[2..]).unwrap(), ["ip saddr"]);
        let both = encode(&["ip saddr", "tcp dport"]).unwrap();
        assert_eq!(both.len(), 2 + 52);
        assert_eq!(decode(&both[2..]).unwrap(), ["ip saddr", "tcp dport"]);
        // The marker of a concatenation declared with `type`.
        assert_eq!(
            decode(&[0, 4, 13, 0, 0, 0, 1, 0]).unwrap(),
            Vec::<&str>::new()
        );
        assert!(encode(&["ip ttl"]).is_none());
        assert!(decode(&[0, 4, 8, 0, 0, 0]).is_none());
    }
}
