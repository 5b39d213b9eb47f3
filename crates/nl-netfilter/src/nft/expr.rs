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

nft_attrs! {
    /// `dynset`: adds or updates the key in `sreg_key` in set `set_name`
    /// from the packet path (`meter`, `add @set { ... }`).
    pub struct Dynset {
        /// `NFTA_DYNSET_SET_NAME`.
        set_name: String = NFTA_DYNSET_SET_NAME,
        /// `NFTA_DYNSET_SET_ID`.
        set_id: u32 = NFTA_DYNSET_SET_ID,
        /// `NFTA_DYNSET_OP` (`NFT_DYNSET_OP_ADD`, `_UPDATE`, `_DELETE`).
        op: u32 = NFTA_DYNSET_OP,
        /// `NFTA_DYNSET_SREG_KEY`.
        sreg_key: u32 = NFTA_DYNSET_SREG_KEY,
        /// `NFTA_DYNSET_SREG_DATA`.
        sreg_data: u32 = NFTA_DYNSET_SREG_DATA,
        /// `NFTA_DYNSET_TIMEOUT`: milliseconds.
        timeout: u64 = NFTA_DYNSET_TIMEOUT,
        /// `NFTA_DYNSET_EXPR`: one element expression, raw.
        expr: Vec<u8> = NFTA_DYNSET_EXPR,
        /// `NFTA_DYNSET_FLAGS` (`NFT_DYNSET_F_INV`, `NFT_DYNSET_F_EXPR`).
        flags: u32 = NFTA_DYNSET_FLAGS,
        /// `NFTA_DYNSET_EXPRESSIONS`: element expressions, raw.
        exprs: Vec<u8> = NFTA_DYNSET_EXPRESSIONS,
    }
}

nft_attrs! {
    /// `range`: whether `sreg` is (or with `NFT_RANGE_NEQ` is not) within
    /// `from..=to`.
    pub struct Range {
        /// `NFTA_RANGE_SREG`.
        sreg: u32 = NFTA_RANGE_SREG,
        /// `NFTA_RANGE_OP` (`NFT_RANGE_EQ`, `NFT_RANGE_NEQ`).
        op: u32 = NFTA_RANGE_OP,
        /// `NFTA_RANGE_FROM_DATA`.
        from: Data = NFTA_RANGE_FROM_DATA,
        /// `NFTA_RANGE_TO_DATA`.
        to: Data = NFTA_RANGE_TO_DATA,
    }
}

nft_attrs! {
    /// `fib`: a routing lookup (`fib saddr . iif oif missing drop`).
    pub struct Fib {
        /// `NFTA_FIB_DREG`.
        dreg: u32 = NFTA_FIB_DREG,
        /// `NFTA_FIB_RESULT` (`NFT_FIB_RESULT_OIF`, `_OIFNAME`, `_ADDRTYPE`).
        result: u32 = NFTA_FIB_RESULT,
        /// `NFTA_FIB_FLAGS` (`NFTA_FIB_F_SADDR` ...).
        flags: u32 = NFTA_FIB_FLAGS,
    }
}

nft_attrs! {
    /// `quota`: matches until `bytes` passed (or, inverted, after).
    pub struct Quota {
        /// `NFTA_QUOTA_BYTES`.
        bytes: u64 = NFTA_QUOTA_BYTES,
        /// `NFTA_QUOTA_FLAGS` (`NFT_QUOTA_F_INV`, `NFT_QUOTA_F_DEPLETED`).
        flags: u32 = NFTA_QUOTA_FLAGS,
        /// `NFTA_QUOTA_CONSUMED`.
        consumed: u64 = NFTA_QUOTA_CONSUMED,
    }
}

nft_attrs! {
    /// `queue`: hands the packet to user space (nfqueue).
    pub struct Queue {
        /// `NFTA_QUEUE_NUM`.
        num: u16 = NFTA_QUEUE_NUM,
        /// `NFTA_QUEUE_TOTAL`: queues to spread over.
        total: u16 = NFTA_QUEUE_TOTAL,
        /// `NFTA_QUEUE_FLAGS` (`NFT_QUEUE_FLAG_BYPASS`, `_CPU_FANOUT`).
        flags: u16 = NFTA_QUEUE_FLAGS,
        /// `NFTA_QUEUE_SREG_QNUM`.
        sreg_qnum: u32 = NFTA_QUEUE_SREG_QNUM,
    }
}

nft_attrs! {
    /// `flow_offload` (`flow add @ft`): hands the connection to a
    /// flowtable of the table.
    pub struct FlowOffload {
        /// `NFTA_FLOW_TABLE_NAME`: the flowtable.
        table_name: String = NFTA_FLOW_TABLE_NAME,
    }
}

nft_attrs! {
    /// `objref`: applies a stateful object (counter, quota, limit ...) by
    /// name, or through a map.
    pub struct Objref {
        /// `NFTA_OBJREF_IMM_TYPE` (`NFT_OBJECT_COUNTER` ...).
        imm_type: u32 = NFTA_OBJREF_IMM_TYPE,
        /// `NFTA_OBJREF_IMM_NAME`.
        imm_name: String = NFTA_OBJREF_IMM_NAME,
        /// `NFTA_OBJREF_SET_SREG`.
        set_sreg: u32 = NFTA_OBJREF_SET_SREG,
        /// `NFTA_OBJREF_SET_NAME`.
        set_name: String = NFTA_OBJREF_SET_NAME,
        /// `NFTA_OBJREF_SET_ID`.
        set_id: u32 = NFTA_OBJREF_SET_ID,
    }
}

nft_attrs! {
    /// `connlimit`: matches while the connections of the flow's key are
    /// at most `count` (inverted: above).
    pub struct Connlimit {
        /// `NFTA_CONNLIMIT_COUNT`.
        count: u32 = NFTA_CONNLIMIT_COUNT,
        /// `NFTA_CONNLIMIT_FLAGS` (`NFT_CONNLIMIT_F_INV`).
        flags: u32 = NFTA_CONNLIMIT_FLAGS,
    }
}

nft_attrs! {
    /// `hash`: jhash of `len` bytes of `sreg` (or the symmetric skb hash)
    /// modulo `modulus` plus `offset`, into `dreg`.
    pub struct Hash {
        /// `NFTA_HASH_SREG`.
        sreg: u32 = NFTA_HASH_SREG,
        /// `NFTA_HASH_DREG`.
        dreg: u32 = NFTA_HASH_DREG,
        /// `NFTA_HASH_LEN`.
        len: u32 = NFTA_HASH_LEN,
        /// `NFTA_HASH_MODULUS`.
        modulus: u32 = NFTA_HASH_MODULUS,
        /// `NFTA_HASH_SEED`.
        seed: u32 = NFTA_HASH_SEED,
        /// `NFTA_HASH_OFFSET`.
        offset: u32 = NFTA_HASH_OFFSET,
        /// `NFTA_HASH_TYPE` (`NFT_HASH_JENKINS`, `NFT_HASH_SYM`).
        hash_type: u32 = NFTA_HASH_TYPE,
    }
}

nft_attrs! {
    /// `numgen`: a counter or random number modulo `modulus` plus
    /// `offset`, into `dreg`.
    pub struct Numgen {
        /// `NFTA_NG_DREG`.
        dreg: u32 = NFTA_NG_DREG,
        /// `NFTA_NG_MODULUS`.
        modulus: u32 = NFTA_NG_MODULUS,
        /// `NFTA_NG_TYPE` (`NFT_NG_INCREMENTAL`, `NFT_NG_RANDOM`).
        ng_type: u32 = NFTA_NG_TYPE,
        /// `NFTA_NG_OFFSET`.
        offset: u32 = NFTA_NG_OFFSET,
    }
}

nft_attrs! {
    /// `socket`: a property of the packet's socket (`NFT_SOCKET_TRANSPARENT` ...).
    pub struct Socket {
        /// `NFTA_SOCKET_KEY`.
        key: u32 = NFTA_SOCKET_KEY,
        /// `NFTA_SOCKET_DREG`.
        dreg: u32 = NFTA_SOCKET_DREG,
        /// `NFTA_SOCKET_LEVEL`: cgroup v2 ancestor level.
        level: u32 = NFTA_SOCKET_LEVEL,
    }
}

nft_attrs! {
    /// `tproxy`: delivers to a local socket at the address and port in
    /// registers.
    pub struct Tproxy {
        /// `NFTA_TPROXY_FAMILY`.
        family: u32 = NFTA_TPROXY_FAMILY,
        /// `NFTA_TPROXY_REG_ADDR`.
        reg_addr: u32 = NFTA_TPROXY_REG_ADDR,
        /// `NFTA_TPROXY_REG_PORT`.
        reg_port: u32 = NFTA_TPROXY_REG_PORT,
    }
}

nft_attrs! {
    /// `xfrm`: an IPsec state property of the packet's path.
    pub struct Xfrm {
        /// `NFTA_XFRM_DREG`.
        dreg: u32 = NFTA_XFRM_DREG,
        /// `NFTA_XFRM_KEY` (`NFT_XFRM_KEY_DADDR_IP4` ...).
        key: u32 = NFTA_XFRM_KEY,
        /// `NFTA_XFRM_DIR`: in (0) or out (1).
        dir: u8 = NFTA_XFRM_DIR,
        /// `NFTA_XFRM_SPNUM`: the state's index in the path.
        spnum: u32 = NFTA_XFRM_SPNUM,
    }
}

nft_attrs! {
    /// `redir`: dnat to the local address of the incoming interface.
    pub struct Redir {
        /// `NFTA_REDIR_REG_PROTO_MIN`.
        reg_proto_min: u32 = NFTA_REDIR_REG_PROTO_MIN,
        /// `NFTA_REDIR_REG_PROTO_MAX`.
        reg_proto_max: u32 = NFTA_REDIR_REG_PROTO_MAX,
        /// `NFTA_REDIR_FLAGS` (`NF_NAT_RANGE_*`).
        flags: u32 = NFTA_REDIR_FLAGS,
    }
}

nft_attrs! {
    /// `dup`: a copy of the packet to an address (and device).
    pub struct Dup {
        /// `NFTA_DUP_SREG_ADDR`.
        sreg_addr: u32 = NFTA_DUP_SREG_ADDR,
        /// `NFTA_DUP_SREG_DEV`.
        sreg_dev: u32 = NFTA_DUP_SREG_DEV,
    }
}

nft_attrs! {
    /// `fwd`: forwards the packet out of a device (netdev family).
    pub struct Fwd {
        /// `NFTA_FWD_SREG_DEV`.
        sreg_dev: u32 = NFTA_FWD_SREG_DEV,
        /// `NFTA_FWD_SREG_ADDR`.
        sreg_addr: u32 = NFTA_FWD_SREG_ADDR,
        /// `NFTA_FWD_NFPROTO`.
        nfproto: u32 = NFTA_FWD_NFPROTO,
    }
}

nft_attrs! {
    /// `exthdr`: an IPv6 extension header, TCP or IP option, or SCTP
    /// chunk field.
    pub struct Exthdr {
        /// `NFTA_EXTHDR_DREG`.
        dreg: u32 = NFTA_EXTHDR_DREG,
        /// `NFTA_EXTHDR_TYPE`.
        exthdr_type: u8 = NFTA_EXTHDR_TYPE,
        /// `NFTA_EXTHDR_OFFSET`.
        offset: u32 = NFTA_EXTHDR_OFFSET,
        /// `NFTA_EXTHDR_LEN`.
        len: u32 = NFTA_EXTHDR_LEN,
        /// `NFTA_EXTHDR_FLAGS` (`NFT_EXTHDR_F_PRESENT`).
        flags: u32 = NFTA_EXTHDR_FLAGS,
        /// `NFTA_EXTHDR_OP` (`NFT_EXTHDR_OP_IPV6`, `_TCPOPT` ...).
        op: u32 = NFTA_EXTHDR_OP,
        /// `NFTA_EXTHDR_SREG`.
        sreg: u32 = NFTA_EXTHDR_SREG,
    }
}

nft_attrs! {
    /// `rt`: a property of the packet's route (`NFT_RT_NEXTHOP4`, `_TCPMSS` ...).
    pub struct Rt {
        /// `NFTA_RT_DREG`.
        dreg: u32 = NFTA_RT_DREG,
        /// `NFTA_RT_KEY`.
        key: u32 = NFTA_RT_KEY,
    }
}

/// Declares [`Expr`]: one line per typed expression (variant, struct,
/// the kernel's name), with its name, parse and write.
macro_rules! exprs {
    ($( $(#[$m:meta])* $variant:ident($ty:ident) = $name:literal, )*) => {
        /// One expression of a rule.
        #[derive(Debug, Clone, PartialEq, Eq)]
        #[non_exhaustive]
        pub enum Expr {
            $( $(#[$m])* $variant($ty), )*
            /// An expression this library does not type (or whose
            /// attributes did not parse): its name and the bytes of
            /// `NFTA_EXPR_DATA`, written back unchanged.
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
                    $( Expr::$variant(_) => $name, )*
                    Expr::Raw { name, .. } => name,
                }
            }

            /// The typed expression `name` read from `data`, if typed.
            fn parse_typed(name: &str, data: &Attr<'_>) -> Option<nl_wire::Result<Self>> {
                match name {
                    $( $name => Some($ty::read(data).map(Expr::$variant)), )*
                    _ => None,
                }
            }

            /// Writes `NFTA_EXPR_DATA`.
            fn write_data(&self, m: &mut MsgBuilder<'_>) {
                match self {
                    $( Expr::$variant(e) => e.write(NFTA_EXPR_DATA, m), )*
                    Expr::Raw { data, .. } => {
                        m.put_raw(NFTA_EXPR_DATA | NLA_F_NESTED, data);
                    }
                }
            }
        }
    };
}

exprs! {
    /// `payload`.
    Payload(Payload) = "payload",
    /// `meta`.
    Meta(Meta) = "meta",
    /// `cmp`.
    Cmp(Cmp) = "cmp",
    /// `bitwise`.
    Bitwise(Bitwise) = "bitwise",
    /// `immediate` (verdicts included).
    Immediate(Immediate) = "immediate",
    /// `counter`.
    Counter(Counter) = "counter",
    /// `lookup`.
    Lookup(Lookup) = "lookup",
    /// `ct`.
    Ct(Ct) = "ct",
    /// `nat`.
    Nat(Nat) = "nat",
    /// `masq`.
    Masq(Masq) = "masq",
    /// `reject`.
    Reject(Reject) = "reject",
    /// `log`.
    Log(Log) = "log",
    /// `limit`.
    Limit(Limit) = "limit",
    /// `dynset`.
    Dynset(Dynset) = "dynset",
    /// `range`.
    Range(Range) = "range",
    /// `fib`.
    Fib(Fib) = "fib",
    /// `quota`.
    Quota(Quota) = "quota",
    /// `queue`.
    Queue(Queue) = "queue",
    /// `objref`.
    Objref(Objref) = "objref",
    /// `connlimit`.
    Connlimit(Connlimit) = "connlimit",
    /// `hash`.
    Hash(Hash) = "hash",
    /// `numgen`.
    Numgen(Numgen) = "numgen",
    /// `socket`.
    Socket(Socket) = "socket",
    /// `tproxy`.
    Tproxy(Tproxy) = "tproxy",
    /// `xfrm`.
    Xfrm(Xfrm) = "xfrm",
    /// `redir`.
    Redir(Redir) = "redir",
    /// `dup`.
    Dup(Dup) = "dup",
    /// `fwd`.
    Fwd(Fwd) = "fwd",
    /// `exthdr`.
    Exthdr(Exthdr) = "exthdr",
    /// `rt`.
    Rt(Rt) = "rt",
    /// `flow_offload`.
    FlowOffload(FlowOffload) = "flow_offload",
}

impl Expr {
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

    /// `immediate DREG = VALUE` (an address or port for `nat` ...).
    pub fn immediate(dreg: u32, value: &[u8]) -> Self {
        Expr::Immediate(Immediate {
            dreg: Some(dreg),
            data: Some(Data::Value(value.to_vec())),
        })
    }

    /// `nat` of `nat_type` (`NFT_NAT_SNAT`, `NFT_NAT_DNAT`) for `family`
    /// (`NFPROTO_IPV4` ...) to the address in `reg_addr` and, if given,
    /// the port in `reg_proto` (both loaded before, by [`Expr::immediate`]).
    /// The kernel takes it only in a `nat` type chain, dnat at prerouting
    /// or output, snat at postrouting or input.
    pub fn nat(nat_type: u32, family: u8, reg_addr: u32, reg_proto: Option<u32>) -> Self {
        Expr::Nat(Nat {
            nat_type: Some(nat_type),
            family: Some(u32::from(family)),
            reg_addr_min: Some(reg_addr),
            reg_proto_min: reg_proto,
            // As nft: a port is flagged (the kernel would add it too).
            flags: reg_proto.map(|_| crate::uapi::nf_nat::NF_NAT_RANGE_PROTO_SPECIFIED),
            ..Default::default()
        })
    }

    /// `masq`: snat to the outgoing device's address (a `nat` chain at
    /// postrouting).
    pub fn masquerade() -> Self {
        Expr::Masq(Masq::default())
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
        let Some(typed) = Self::parse_typed(name, &data) else {
            return Ok(Expr::Raw {
                name: name.to_string(),
                data: data.payload().to_vec(),
            });
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
            self.write_data(m);
        });
    }
}
