//! NETLINK_XFRM constants and structs from `<linux/xfrm.h>` (6.1), the
//! structs as zerocopy types pinned to the sizes gcc gives them on x86-64
//! (explicit padding fields stand where C inserts alignment padding, so
//! the layouts hold on unaligned buffers too).
#![allow(missing_docs)]

use zerocopy::byteorder::native_endian::{I32, U16, U32, U64};
use zerocopy::byteorder::network_endian;

// Message types.
pub const XFRM_MSG_NEWSA: u16 = 0x10;
pub const XFRM_MSG_DELSA: u16 = 0x11;
pub const XFRM_MSG_GETSA: u16 = 0x12;
pub const XFRM_MSG_NEWPOLICY: u16 = 0x13;
pub const XFRM_MSG_DELPOLICY: u16 = 0x14;
pub const XFRM_MSG_GETPOLICY: u16 = 0x15;
pub const XFRM_MSG_ALLOCSPI: u16 = 0x16;
pub const XFRM_MSG_ACQUIRE: u16 = 0x17;
pub const XFRM_MSG_EXPIRE: u16 = 0x18;
pub const XFRM_MSG_UPDPOLICY: u16 = 0x19;
pub const XFRM_MSG_UPDSA: u16 = 0x1a;
pub const XFRM_MSG_POLEXPIRE: u16 = 0x1b;
pub const XFRM_MSG_FLUSHSA: u16 = 0x1c;
pub const XFRM_MSG_FLUSHPOLICY: u16 = 0x1d;
pub const XFRM_MSG_NEWAE: u16 = 0x1e;
pub const XFRM_MSG_GETAE: u16 = 0x1f;
pub const XFRM_MSG_REPORT: u16 = 0x20;
pub const XFRM_MSG_MIGRATE: u16 = 0x21;
pub const XFRM_MSG_NEWSADINFO: u16 = 0x22;
pub const XFRM_MSG_GETSADINFO: u16 = 0x23;
pub const XFRM_MSG_NEWSPDINFO: u16 = 0x24;
pub const XFRM_MSG_GETSPDINFO: u16 = 0x25;
pub const XFRM_MSG_MAPPING: u16 = 0x26;

// Attributes.
pub const XFRMA_ALG_AUTH: u16 = 1;
pub const XFRMA_ALG_CRYPT: u16 = 2;
pub const XFRMA_ALG_COMP: u16 = 3;
pub const XFRMA_ENCAP: u16 = 4;
pub const XFRMA_TMPL: u16 = 5;
pub const XFRMA_SA: u16 = 6;
pub const XFRMA_POLICY: u16 = 7;
pub const XFRMA_SEC_CTX: u16 = 8;
pub const XFRMA_LTIME_VAL: u16 = 9;
pub const XFRMA_REPLAY_VAL: u16 = 10;
pub const XFRMA_REPLAY_THRESH: u16 = 11;
pub const XFRMA_ETIMER_THRESH: u16 = 12;
pub const XFRMA_SRCADDR: u16 = 13;
pub const XFRMA_COADDR: u16 = 14;
pub const XFRMA_LASTUSED: u16 = 15;
pub const XFRMA_POLICY_TYPE: u16 = 16;
pub const XFRMA_MIGRATE: u16 = 17;
pub const XFRMA_ALG_AEAD: u16 = 18;
pub const XFRMA_KMADDRESS: u16 = 19;
pub const XFRMA_ALG_AUTH_TRUNC: u16 = 20;
pub const XFRMA_MARK: u16 = 21;
pub const XFRMA_TFCPAD: u16 = 22;
pub const XFRMA_REPLAY_ESN_VAL: u16 = 23;
pub const XFRMA_SA_EXTRA_FLAGS: u16 = 24;
pub const XFRMA_PROTO: u16 = 25;
pub const XFRMA_ADDRESS_FILTER: u16 = 26;
pub const XFRMA_PAD: u16 = 27;
pub const XFRMA_OFFLOAD_DEV: u16 = 28;
pub const XFRMA_SET_MARK: u16 = 29;
pub const XFRMA_SET_MARK_MASK: u16 = 30;
pub const XFRMA_IF_ID: u16 = 31;
pub const XFRMA_MTIMER_THRESH: u16 = 32;
// Newer than the 6.1 headers.
/// `XFRMA_SA_DIR` (6.10): `u8`, 1 = in, 2 = out.
pub const XFRMA_SA_DIR: u16 = 33;
/// `XFRMA_NAT_KEEPALIVE_INTERVAL` (6.10).
pub const XFRMA_NAT_KEEPALIVE_INTERVAL: u16 = 34;

// SAD / SPD info attributes.
pub const XFRMA_SAD_CNT: u16 = 1;
pub const XFRMA_SAD_HINFO: u16 = 2;
pub const XFRMA_SPD_INFO: u16 = 1;
pub const XFRMA_SPD_HINFO: u16 = 2;
pub const XFRMA_SPD_IPV4_HTHRESH: u16 = 3;
pub const XFRMA_SPD_IPV6_HTHRESH: u16 = 4;

// Multicast groups.
pub const XFRMNLGRP_ACQUIRE: u32 = 1;
pub const XFRMNLGRP_EXPIRE: u32 = 2;
pub const XFRMNLGRP_SA: u32 = 3;
pub const XFRMNLGRP_POLICY: u32 = 4;
pub const XFRMNLGRP_AEVENTS: u32 = 5;
pub const XFRMNLGRP_REPORT: u32 = 6;
pub const XFRMNLGRP_MIGRATE: u32 = 7;
pub const XFRMNLGRP_MAPPING: u32 = 8;

pub const XFRM_POLICY_IN: u8 = 0;
pub const XFRM_POLICY_OUT: u8 = 1;
pub const XFRM_POLICY_FWD: u8 = 2;
pub const XFRM_POLICY_ALLOW: u8 = 0;
pub const XFRM_POLICY_BLOCK: u8 = 1;
pub const XFRM_MODE_TRANSPORT: u8 = 0;
pub const XFRM_MODE_TUNNEL: u8 = 1;
pub const XFRM_MODE_ROUTEOPTIMIZATION: u8 = 2;
pub const XFRM_MODE_IN_TRIGGER: u8 = 3;
pub const XFRM_MODE_BEET: u8 = 4;
/// `XFRM_SA_DIR_IN` (6.10).
pub const XFRM_SA_DIR_IN: u8 = 1;
/// `XFRM_SA_DIR_OUT` (6.10).
pub const XFRM_SA_DIR_OUT: u8 = 2;
pub const XFRM_POLICY_TYPE_MAIN: u8 = 0;
pub const XFRM_POLICY_TYPE_SUB: u8 = 1;
pub const XFRM_INF: u64 = u64::MAX;

// Protocols (IPPROTO_*).
pub const IPPROTO_IPIP: u8 = 4;
pub const IPPROTO_IPV6: u8 = 41;
pub const IPPROTO_ROUTING: u8 = 43;
pub const IPPROTO_ESP: u8 = 50;
pub const IPPROTO_AH: u8 = 51;
pub const IPPROTO_DSTOPTS: u8 = 60;
pub const IPPROTO_COMP: u8 = 108;

/// `UDP_ENCAP_ESPINUDP_NON_IKE`.
pub const UDP_ENCAP_ESPINUDP_NON_IKE: u16 = 1;
/// `UDP_ENCAP_ESPINUDP`.
pub const UDP_ENCAP_ESPINUDP: u16 = 2;
/// `TCP_ENCAP_ESPINTCP`.
pub const TCP_ENCAP_ESPINTCP: u16 = 7;

nl_wire::wire_struct! {
    /// `struct xfrm_selector`.
    pub struct XfrmSelector(56) {
        pub daddr: [u8; 16],
        pub saddr: [u8; 16],
        pub dport: network_endian::U16,
        pub dport_mask: network_endian::U16,
        pub sport: network_endian::U16,
        pub sport_mask: network_endian::U16,
        pub family: U16,
        pub prefixlen_d: u8,
        pub prefixlen_s: u8,
        pub proto: u8,
        pub _pad: [u8; 3],
        pub ifindex: I32,
        pub user: U32,
    }
}

nl_wire::wire_struct! {
    /// `struct xfrm_id`.
    pub struct XfrmId(24) {
        pub daddr: [u8; 16],
        pub spi: network_endian::U32,
        pub proto: u8,
        pub _pad: [u8; 3],
    }
}

nl_wire::wire_struct! {
    /// `struct xfrm_lifetime_cfg`.
    pub struct XfrmLifetimeCfg(64) {
        pub soft_byte_limit: U64,
        pub hard_byte_limit: U64,
        pub soft_packet_limit: U64,
        pub hard_packet_limit: U64,
        pub soft_add_expires_seconds: U64,
        pub hard_add_expires_seconds: U64,
        pub soft_use_expires_seconds: U64,
        pub hard_use_expires_seconds: U64,
    }
}

nl_wire::wire_struct! {
    /// `struct xfrm_lifetime_cur`.
    pub struct XfrmLifetimeCur(32) {
        pub bytes: U64,
        pub packets: U64,
        pub add_time: U64,
        pub use_time: U64,
    }
}

nl_wire::wire_struct! {
    /// `struct xfrm_stats`.
    pub struct XfrmStats(12) {
        pub replay_window: U32,
        pub replay: U32,
        pub integrity_failed: U32,
    }
}

nl_wire::wire_struct! {
    /// `struct xfrm_usersa_info`: family header of NEWSA / UPDSA.
    pub struct XfrmUsersaInfo(224) {
        pub sel: XfrmSelector,
        pub id: XfrmId,
        pub saddr: [u8; 16],
        pub lft: XfrmLifetimeCfg,
        pub curlft: XfrmLifetimeCur,
        pub stats: XfrmStats,
        pub seq: U32,
        pub reqid: U32,
        pub family: U16,
        pub mode: u8,
        pub replay_window: u8,
        pub flags: u8,
        pub _pad: [u8; 7],
    }
}

nl_wire::wire_struct! {
    /// `struct xfrm_usersa_id`: family header of DELSA / GETSA.
    pub struct XfrmUsersaId(24) {
        pub daddr: [u8; 16],
        pub spi: network_endian::U32,
        pub family: U16,
        pub proto: u8,
        pub _pad: u8,
    }
}

nl_wire::wire_struct! {
    /// `struct xfrm_userspi_info`: family header of ALLOCSPI.
    pub struct XfrmUserspiInfo(232) {
        pub info: XfrmUsersaInfo,
        pub min: U32,
        pub max: U32,
    }
}

nl_wire::wire_struct! {
    /// `struct xfrm_userpolicy_info`: family header of NEWPOLICY / UPDPOLICY.
    pub struct XfrmUserpolicyInfo(168) {
        pub sel: XfrmSelector,
        pub lft: XfrmLifetimeCfg,
        pub curlft: XfrmLifetimeCur,
        pub priority: U32,
        pub index: U32,
        pub dir: u8,
        pub action: u8,
        pub flags: u8,
        pub share: u8,
        pub _pad: [u8; 4],
    }
}

nl_wire::wire_struct! {
    /// `struct xfrm_userpolicy_id`: family header of DELPOLICY / GETPOLICY.
    pub struct XfrmUserpolicyId(64) {
        pub sel: XfrmSelector,
        pub index: U32,
        pub dir: u8,
        pub _pad: [u8; 3],
    }
}

nl_wire::wire_struct! {
    /// `struct xfrm_user_tmpl`: one element of XFRMA_TMPL.
    pub struct XfrmUserTmpl(64) {
        pub id: XfrmId,
        pub family: U16,
        pub _pad1: [u8; 2],
        pub saddr: [u8; 16],
        pub reqid: U32,
        pub mode: u8,
        pub share: u8,
        pub optional: u8,
        pub _pad2: u8,
        pub aalgos: U32,
        pub ealgos: U32,
        pub calgos: U32,
    }
}

nl_wire::wire_struct! {
    /// `struct xfrm_encap_tmpl`: XFRMA_ENCAP.
    pub struct XfrmEncapTmpl(24) {
        pub encap_type: U16,
        pub encap_sport: network_endian::U16,
        pub encap_dport: network_endian::U16,
        pub _pad: [u8; 2],
        pub encap_oa: [u8; 16],
    }
}

nl_wire::wire_struct! {
    /// `struct xfrm_mark`: XFRMA_MARK.
    pub struct XfrmMark(8) {
        pub v: U32,
        pub m: U32,
    }
}

nl_wire::wire_struct! {
    /// `struct xfrm_replay_state`: XFRMA_REPLAY_VAL.
    pub struct XfrmReplayState(12) {
        pub oseq: U32,
        pub seq: U32,
        pub bitmap: U32,
    }
}

nl_wire::wire_struct! {
    /// `struct xfrm_replay_state_esn` without its bitmap (XFRMA_REPLAY_ESN_VAL).
    pub struct XfrmReplayStateEsn(24) {
        pub bmp_len: U32,
        pub oseq: U32,
        pub seq: U32,
        pub oseq_hi: U32,
        pub seq_hi: U32,
        pub replay_window: U32,
    }
}

nl_wire::wire_struct! {
    /// `struct xfrm_userpolicy_type`: XFRMA_POLICY_TYPE.
    pub struct XfrmUserpolicyType(6) {
        pub ty: u8,
        pub _pad: u8,
        pub reserved1: U16,
        pub reserved2: u8,
        pub _pad2: u8,
    }
}

nl_wire::wire_struct! {
    /// `struct xfrm_user_offload`: XFRMA_OFFLOAD_DEV.
    pub struct XfrmUserOffload(8) {
        pub ifindex: I32,
        pub flags: u8,
        pub _pad: [u8; 3],
    }
}

nl_wire::wire_struct! {
    /// `struct xfrm_user_sec_ctx` (followed by the context string).
    pub struct XfrmUserSecCtx(8) {
        pub len: U16,
        pub exttype: U16,
        pub ctx_alg: u8,
        pub ctx_doi: u8,
        pub ctx_len: U16,
    }
}

nl_wire::wire_struct! {
    /// `struct xfrm_user_expire`: EXPIRE notifications.
    pub struct XfrmUserExpire(232) {
        pub state: XfrmUsersaInfo,
        pub hard: u8,
        pub _pad: [u8; 7],
    }
}

nl_wire::wire_struct! {
    /// `struct xfrm_user_polexpire`: POLEXPIRE notifications.
    pub struct XfrmUserPolexpire(176) {
        pub pol: XfrmUserpolicyInfo,
        pub hard: u8,
        pub _pad: [u8; 7],
    }
}

nl_wire::wire_struct! {
    /// `struct xfrm_user_acquire`: ACQUIRE notifications.
    pub struct XfrmUserAcquire(280) {
        pub id: XfrmId,
        pub saddr: [u8; 16],
        pub sel: XfrmSelector,
        pub policy: XfrmUserpolicyInfo,
        pub aalgos: U32,
        pub ealgos: U32,
        pub calgos: U32,
        pub seq: U32,
    }
}

nl_wire::wire_struct! {
    /// `struct xfrm_aevent_id`: NEWAE / GETAE.
    pub struct XfrmAeventId(48) {
        pub sa_id: XfrmUsersaId,
        pub saddr: [u8; 16],
        pub flags: U32,
        pub reqid: U32,
    }
}

nl_wire::wire_struct! {
    /// `struct xfrm_user_mapping`: MAPPING notifications.
    pub struct XfrmUserMapping(64) {
        pub id: XfrmUsersaId,
        pub reqid: U32,
        pub old_saddr: [u8; 16],
        pub new_saddr: [u8; 16],
        pub old_sport: network_endian::U16,
        pub new_sport: network_endian::U16,
    }
}

nl_wire::wire_struct! {
    /// `struct xfrm_user_report`: REPORT notifications.
    pub struct XfrmUserReport(60) {
        pub proto: u8,
        pub _pad: [u8; 3],
        pub sel: XfrmSelector,
    }
}

nl_wire::wire_struct! {
    /// `struct xfrmu_spdinfo`: XFRMA_SPD_INFO.
    pub struct XfrmuSpdinfo(24) {
        pub incnt: U32,
        pub outcnt: U32,
        pub fwdcnt: U32,
        pub inscnt: U32,
        pub outscnt: U32,
        pub fwdscnt: U32,
    }
}

nl_wire::wire_struct! {
    /// `struct xfrmu_spdhinfo` / `struct xfrmu_sadhinfo`: hash table sizes.
    pub struct XfrmuHinfo(8) {
        pub cnt: U32,
        pub max: U32,
    }
}

nl_wire::wire_struct! {
    /// `struct xfrmu_spdhthresh`: prefix-length thresholds of the SPD hash.
    pub struct XfrmuSpdhthresh(2) {
        pub lbits: u8,
        pub rbits: u8,
    }
}
