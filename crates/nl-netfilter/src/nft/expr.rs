//! Rule expressions (`NFTA_LIST_ELEM` { `NFTA_EXPR_NAME`, `NFTA_EXPR_DATA` }),
//! typed; expressions this library does not know stay raw and are
//! written back unchanged.

use nl_wire::netlink::NLA_F_NESTED;
use nl_wire::{Attr, MsgBuilder};

use super::{Data, NftAttr, nft_attrs};
use crate::uapi::nf_tables::*;

nft_attrs! {
    /// `payload`: loads `len` bytes at `offset` of header `base` into `dreg`
    /// (or, with `sreg`, writes them).
    pub struct Payload {
        /// `NFTA_PAYLOAD_DREG`.
        dreg: u32 = NFTA_PAYLOAD_DREG,
        /// `NFTA_PAYLOAD_BASE` (`NFT_PAYLOAD_NETWORK_HEADER` ...).
        base: u32 = NFTA_PAYLOAD_BASE,
        /// `NFTA_PAYLOAD_OFFSET`.
        offset: u32 = NFTA_PAYLOAD_OFFSET,
        /// `NFTA_PAYLOAD_LEN`.
        len: u32 = NFTA_PAYLOAD_LEN,
        /// `NFTA_PAYLOAD_SREG` (payload writes).
        sreg: u32 = NFTA_PAYLOAD_SREG,
        /// `NFTA_PAYLOAD_CSUM_TYPE` (payload writes).
        csum_type: u32 = NFTA_PAYLOAD_CSUM_TYPE,
        /// `NFTA_PAYLOAD_CSUM_OFFSET` (payload writes).
        csum_offset: u32 = NFTA_PAYLOAD_CSUM_OFFSET,
        /// `NFTA_PAYLOAD_CSUM_FLAGS` (payload writes).
        csum_flags: u32 = NFTA_PAYLOAD_CSUM_FLAGS,
    }
}

nft_attrs! {
    /// `meta`: loads packet metadata `key` (`NFT_META_L4PROTO`,
    /// `NFT_META_IIFNAME` ...) into `dreg`, or sets it from `sreg`.
    pub struct Meta {
        /// `NFTA_META_DREG`.
        dreg: u32 = NFTA_META_DREG,
        /// `NFTA_META_KEY`.
        key: u32 = NFTA_META_KEY,
        /// `NFTA_META_SREG`.
        sreg: u32 = NFTA_META_SREG,
    }
}

nft_attrs! {
    /// `cmp`: compares register `sreg` with `data` (`op`: `NFT_CMP_EQ` ...);
    /// the rule stops here when it does not hold.
    pub struct Cmp {
        /// `NFTA_CMP_SREG`.
        sreg: u32 = NFTA_CMP_SREG,
        /// `NFTA_CMP_OP`.
        op: u32 = NFTA_CMP_OP,
        /// `NFTA_CMP_DATA`.
        data: Data = NFTA_CMP_DATA,
    }
}

nft_attrs! {
    /// `bitwise`: `dreg = (sreg & mask) ^ xor` over `len` bytes (or a shift).
    pub struct Bitwise {
        /// `NFTA_BITWISE_SREG`.
        sreg: u32 = NFTA_BITWISE_SREG,
        /// `NFTA_BITWISE_DREG`.
        dreg: u32 = NFTA_BITWISE_DREG,
        /// `NFTA_BITWISE_LEN`.
        len: u32 = NFTA_BITWISE_LEN,
        /// `NFTA_BITWISE_MASK`.
        mask: Data = NFTA_BITWISE_MASK,
        /// `NFTA_BITWISE_XOR`.
        xor: Data = NFTA_BITWISE_XOR,
        /// `NFTA_BITWISE_OP` (`NFT_BITWISE_BOOL`, shifts).
        op: u32 = NFTA_BITWISE_OP,
        /// `NFTA_BITWISE_DATA`: the shift amount.
        data: Data = NFTA_BITWISE_DATA,
    }
}

nft_attrs! {
    /// `immediate`: loads `data` into `dreg`; into `NFT_REG_VERDICT`, a
    /// verdict (`accept`, `drop`, `jump CHAIN` ...).
    pub struct Immediate {
        /// `NFTA_IMMEDIATE_DREG`.
        dreg: u32 = NFTA_IMMEDIATE_DREG,
        /// `NFTA_IMMEDIATE_DATA`.
        data: Data = NFTA_IMMEDIATE_DATA,
    }
}

nft_attrs! {
    /// `counter`: packets and bytes that reached it.
    pub struct Counter {
        /// `NFTA_COUNTER_BYTES`.
        bytes: u64 = NFTA_COUNTER_BYTES,
        /// `NFTA_COUNTER_PACKETS`.
        packets: u64 = NFTA_COUNTER_PACKETS,
    }
}

nft_attrs! {
    /// `lookup`: whether `sreg` is in set `set` (a map loads into `dreg`).
    pub struct Lookup {
        /// `NFTA_LOOKUP_SET`: the set's name.
        set: String = NFTA_LOOKUP_SET,
        /// `NFTA_LOOKUP_SREG`.
        sreg: u32 = NFTA_LOOKUP_SREG,
        /// `NFTA_LOOKUP_DREG` (maps).
        dreg: u32 = NFTA_LOOKUP_DREG,
        /// `NFTA_LOOKUP_SET_ID`: a set created in the same transaction.
        set_id: u32 = NFTA_LOOKUP_SET_ID,
        /// `NFTA_LOOKUP_FLAGS` (`NFT_LOOKUP_F_INV`).
        flags: u32 = NFTA_LOOKUP_FLAGS,
    }
}

nft_attrs! {
    /// `ct`: loads conntrack `key` (`NFT_CT_STATE` ...) into `dreg`, or sets
    /// it from `sreg`.
    pub struct Ct {
        /// `NFTA_CT_DREG`.
        dreg: u32 = NFTA_CT_DREG,
        /// `NFTA_CT_KEY`.
        key: u32 = NFTA_CT_KEY,
        /// `NFTA_CT_DIRECTION`: original (0) or reply (1), for tuple keys.
        direction: u8 = NFTA_CT_DIRECTION,
        /// `NFTA_CT_SREG`.
        sreg: u32 = NFTA_CT_SREG,
    }
}

nft_attrs! {
    /// `nat`: snat or dnat to the addresses and ports in registers.
    pub struct Nat {
        /// `NFTA_NAT_TYPE` (`NFT_NAT_SNAT`, `NFT_NAT_DNAT`).
        nat_type: u32 = NFTA_NAT_TYPE,
        /// `NFTA_NAT_FAMILY` (`NFPROTO_IPV4` ...).
        family: u32 = NFTA_NAT_FAMILY,
        /// `NFTA_NAT_REG_ADDR_MIN`.
        reg_addr_min: u32 = NFTA_NAT_REG_ADDR_MIN,
        /// `NFTA_NAT_REG_ADDR_MAX`.
        reg_addr_max: u32 = NFTA_NAT_REG_ADDR_MAX,
        /// `NFTA_NAT_REG_PROTO_MIN`.
        reg_proto_min: u32 = NFTA_NAT_REG_PROTO_MIN,
        /// `NFTA_NAT_REG_PROTO_MAX`.
        reg_proto_max: u32 = NFTA_NAT_REG_PROTO_MAX,
        /// `NFTA_NAT_FLAGS` (`NF_NAT_RANGE_*`).
        flags: u32 = NFTA_NAT_FLAGS,
    }
}

nft_attrs! {
    /// `masq`: snat to the outgoing interface's address.
    pub struct Masq {
        /// `NFTA_MASQ_FLAGS` (`NF_NAT_RANGE_*`).
        flags: u32 = NFTA_MASQ_FLAGS,
        /// `NFTA_MASQ_REG_PROTO_MIN`.
        reg_proto_min: u32 = NFTA_MASQ_REG_PROTO_MIN,
        /// `NFTA_MASQ_REG_PROTO_MAX`.
        reg_proto_max: u32 = NFTA_MASQ_REG_PROTO_MAX,
    }
}

nft_attrs! {
    /// `reject`: drops and answers with an ICMP error or a TCP reset.
    pub struct Reject {
        /// `NFTA_REJECT_TYPE` (`NFT_REJECT_ICMP_UNREACH`, `NFT_REJECT_TCP_RST` ...).
        reject_type: u32 = NFTA_REJECT_TYPE,
        /// `NFTA_REJECT_ICMP_CODE`.
        icmp_code: u8 = NFTA_REJECT_ICMP_CODE,
    }
}

nft_attrs! {
    /// `log`: to the kernel log (`level`) or to nflog `group`.
    pub struct Log {
        /// `NFTA_LOG_GROUP` (nflog).
        group: u16 = NFTA_LOG_GROUP,
        /// `NFTA_LOG_PREFIX`.
        prefix: String = NFTA_LOG_PREFIX,
        /// `NFTA_LOG_SNAPLEN`.
        snaplen: u32 = NFTA_LOG_SNAPLEN,
        /// `NFTA_LOG_QTHRESHOLD`.
        qthreshold: u16 = NFTA_LOG_QTHRESHOLD,
        /// `NFTA_LOG_LEVEL` (syslog level).
        level: u32 = NFTA_LOG_LEVEL,
        /// `NFTA_LOG_FLAGS` (`NF_LOG_*`).
        flags: u32 = NFTA_LOG_FLAGS,
    }
}

nft_attrs! {
    /// `limit`: matches up to `rate` per `unit` seconds (packets or bytes).
    pub struct Limit {
        /// `NFTA_LIMIT_RATE`.
        rate: u64 = NFTA_LIMIT_RATE,
        /// `NFTA_LIMIT_UNIT`: seconds.
        unit: u64 = NFTA_LIMIT_UNIT,
        /// `NFTA_LIMIT_BURST`.
        burst: u32 = NFTA_LIMIT_BURST,
        /// `NFTA_LIMIT_TYPE` (`NFT_LIMIT_PKTS`, `NFT_LIMIT_PKT_BYTES`).
        limit_type: u32 = NFTA_LIMIT_TYPE,
        /// `NFTA_LIMIT_FLAGS` (`NFT_LIMIT_F_INV`).
        flags: u32 = NFTA_LIMIT_FLAGS,
    }
}

/// One expression of a rule.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Expr {
    /// `payload`.
    Payload(Payload),
    /// `meta`.
    Meta(Meta),
    /// `cmp`.
    Cmp(Cmp),
    /// `bitwise`.
    Bitwise(Bitwise),
    /// `immediate` (verdicts included).
    Immediate(Immediate),
    /// `counter`.
    Counter(Counter),
    /// `lookup`.
    Lookup(Lookup),
    /// `ct`.
    Ct(Ct),
    /// `nat`.
    Nat(Nat),
    /// `masq`.
    Masq(Masq),
    /// `reject`.
    Reject(Reject),
    /// `log`.
    Log(Log),
    /// `limit`.
    Limit(Limit),
    /// An expression this library does not type (or whose attributes did
    /// not parse): its name and the bytes of `NFTA_EXPR_DATA`, written
    /// back unchanged.
    Raw {
        /// `NFTA_EXPR_NAME`.
        name: String,
        /// The payload of `NFTA_EXPR_DATA` (attributes).
        data: Vec<u8>,
    },
}

impl Expr {
    /// The kernel's name of the expression (`payload`, `cmp` ...).
    pub fn name(&self) -> &str {
        match self {
            Expr::Payload(_) => "payload",
            Expr::Meta(_) => "meta",
            Expr::Cmp(_) => "cmp",
            Expr::Bitwise(_) => "bitwise",
            Expr::Immediate(_) => "immediate",
            Expr::Counter(_) => "counter",
            Expr::Lookup(_) => "lookup",
            Expr::Ct(_) => "ct",
            Expr::Nat(_) => "nat",
            Expr::Masq(_) => "masq",
            Expr::Reject(_) => "reject",
            Expr::Log(_) => "log",
            Expr::Limit(_) => "limit",
            Expr::Raw { name, .. } => name,
        }
    }

    /// `payload load LEN bytes at OFFSET of BASE into DREG`.
    pub fn payload(base: u32, offset: u32, len: u32, dreg: u32) -> Self {
        Expr::Payload(Payload {
            dreg: Some(dreg),
            base: Some(base),
            offset: Some(offset),
            len: Some(len),
            ..Default::default()
        })
    }

    /// `meta load KEY into DREG`.
    pub fn meta(key: u32, dreg: u32) -> Self {
        Expr::Meta(Meta {
            key: Some(key),
            dreg: Some(dreg),
            sreg: None,
        })
    }

    /// `ct load KEY into DREG`.
    pub fn ct(key: u32, dreg: u32) -> Self {
        Expr::Ct(Ct {
            key: Some(key),
            dreg: Some(dreg),
            ..Default::default()
        })
    }

    /// `cmp OP SREG VALUE`.
    pub fn cmp(op: u32, sreg: u32, value: &[u8]) -> Self {
        Expr::Cmp(Cmp {
            sreg: Some(sreg),
            op: Some(op),
            data: Some(Data::Value(value.to_vec())),
        })
    }

    /// `bitwise DREG = (SREG & MASK) ^ XOR`.
    pub fn bitwise(sreg: u32, dreg: u32, mask: &[u8], xor: &[u8]) -> Self {
        Expr::Bitwise(Bitwise {
            sreg: Some(sreg),
            dreg: Some(dreg),
            len: u32::try_from(mask.len()).ok(),
            mask: Some(Data::Value(mask.to_vec())),
            xor: Some(Data::Value(xor.to_vec())),
            ..Default::default()
        })
    }

    /// A verdict (`immediate` into the verdict register).
    pub fn verdict(v: super::Verdict) -> Self {
        Expr::Immediate(Immediate {
            dreg: Some(NFT_REG_VERDICT),
            data: Some(Data::Verdict(v)),
        })
    }

    /// A `counter` starting at zero.
    pub fn counter() -> Self {
        Expr::Counter(Counter {
            bytes: Some(0),
            packets: Some(0),
        })
    }

    /// `lookup SREG in set SET`.
    pub fn lookup(set: &str, sreg: u32) -> Self {
        Expr::Lookup(Lookup {
            set: Some(set.to_string()),
            sreg: Some(sreg),
            ..Default::default()
        })
    }

    /// Reads one `NFTA_LIST_ELEM` nest; never fails on a well-framed
    /// element (an unknown or unparsable expression stays raw).
    pub fn parse(elem: &Attr<'_>) -> nl_wire::Result<Self> {
        let mut name = None;
        let mut data = None;
        for a in elem.nested() {
            let a = a?;
            match a.ty() {
                NFTA_EXPR_NAME => name = Some(a.cstr()?),
                NFTA_EXPR_DATA => data = Some(a),
                _ => {}
            }
        }
        let name = name.unwrap_or_default();
        let Some(data) = data else {
            return Ok(Expr::Raw {
                name: name.to_string(),
                data: Vec::new(),
            });
        };
        let typed = match name {
            "payload" => Payload::read(&data).map(Expr::Payload),
            "meta" => Meta::read(&data).map(Expr::Meta),
            "cmp" => Cmp::read(&data).map(Expr::Cmp),
            "bitwise" => Bitwise::read(&data).map(Expr::Bitwise),
            "immediate" => Immediate::read(&data).map(Expr::Immediate),
            "counter" => Counter::read(&data).map(Expr::Counter),
            "lookup" => Lookup::read(&data).map(Expr::Lookup),
            "ct" => Ct::read(&data).map(Expr::Ct),
            "nat" => Nat::read(&data).map(Expr::Nat),
            "masq" => Masq::read(&data).map(Expr::Masq),
            "reject" => Reject::read(&data).map(Expr::Reject),
            "log" => Log::read(&data).map(Expr::Log),
            "limit" => Limit::read(&data).map(Expr::Limit),
            _ => {
                return Ok(Expr::Raw {
                    name: name.to_string(),
                    data: data.payload().to_vec(),
                });
            }
        };
        // Listing never fails on what a newer kernel sends: keep it raw.
        Ok(typed.unwrap_or_else(|_| Expr::Raw {
            name: name.to_string(),
            data: data.payload().to_vec(),
        }))
    }

    /// Writes one `NFTA_LIST_ELEM` nest.
    pub fn write(&self, m: &mut MsgBuilder<'_>) {
        m.nest(NFTA_LIST_ELEM, |m| {
            m.put_str(NFTA_EXPR_NAME, self.name());
            match self {
                Expr::Payload(e) => e.write(NFTA_EXPR_DATA, m),
                Expr::Meta(e) => e.write(NFTA_EXPR_DATA, m),
                Expr::Cmp(e) => e.write(NFTA_EXPR_DATA, m),
                Expr::Bitwise(e) => e.write(NFTA_EXPR_DATA, m),
                Expr::Immediate(e) => e.write(NFTA_EXPR_DATA, m),
                Expr::Counter(e) => e.write(NFTA_EXPR_DATA, m),
                Expr::Lookup(e) => e.write(NFTA_EXPR_DATA, m),
                Expr::Ct(e) => e.write(NFTA_EXPR_DATA, m),
                Expr::Nat(e) => e.write(NFTA_EXPR_DATA, m),
                Expr::Masq(e) => e.write(NFTA_EXPR_DATA, m),
                Expr::Reject(e) => e.write(NFTA_EXPR_DATA, m),
                Expr::Log(e) => e.write(NFTA_EXPR_DATA, m),
                Expr::Limit(e) => e.write(NFTA_EXPR_DATA, m),
                Expr::Raw { data, .. } => {
                    m.put_raw(NFTA_EXPR_DATA | NLA_F_NESTED, data);
                }
            }
        });
    }
}
