//! Constants of `<linux/ethtool_netlink_generated.h>` (kernel 6.14 and
//! later; the kernel's `Documentation/netlink/specs/ethtool.yaml`) that the
//! installed linux-libc-dev 6.1 headers lack, written by hand with the
//! kernel's names. Everything 6.1 has is in [`super::ethtool_netlink`].
#![allow(missing_docs)]

use super::ethtool_netlink::*;

/// `ETHTOOL_A_HEADER_PHY_INDEX` (6.11): the PHY a request is about.
pub const ETHTOOL_A_HEADER_PHY_INDEX: u16 = ETHTOOL_A_HEADER_FLAGS + 1;

pub const ETHTOOL_A_LINKSTATE_EXT_DOWN_CNT: u16 = ETHTOOL_A_LINKSTATE_EXT_SUBSTATE + 1;

pub const ETHTOOL_A_RINGS_RX_PUSH: u16 = ETHTOOL_A_RINGS_TX_PUSH + 1;
pub const ETHTOOL_A_RINGS_TX_PUSH_BUF_LEN: u16 = ETHTOOL_A_RINGS_TX_PUSH + 2;
pub const ETHTOOL_A_RINGS_TX_PUSH_BUF_LEN_MAX: u16 = ETHTOOL_A_RINGS_TX_PUSH + 3;
pub const ETHTOOL_A_RINGS_HDS_THRESH: u16 = ETHTOOL_A_RINGS_TX_PUSH + 4;
pub const ETHTOOL_A_RINGS_HDS_THRESH_MAX: u16 = ETHTOOL_A_RINGS_TX_PUSH + 5;

pub const ETHTOOL_A_COALESCE_TX_AGGR_MAX_BYTES: u16 = ETHTOOL_A_COALESCE_USE_CQE_MODE_RX + 1;
pub const ETHTOOL_A_COALESCE_TX_AGGR_MAX_FRAMES: u16 = ETHTOOL_A_COALESCE_USE_CQE_MODE_RX + 2;
pub const ETHTOOL_A_COALESCE_TX_AGGR_TIME_USECS: u16 = ETHTOOL_A_COALESCE_USE_CQE_MODE_RX + 3;
pub const ETHTOOL_A_COALESCE_RX_PROFILE: u16 = ETHTOOL_A_COALESCE_USE_CQE_MODE_RX + 4;
pub const ETHTOOL_A_COALESCE_TX_PROFILE: u16 = ETHTOOL_A_COALESCE_USE_CQE_MODE_RX + 5;

pub const ETHTOOL_A_PAUSE_STATS_SRC: u16 = ETHTOOL_A_PAUSE_STATS + 1;
pub const ETHTOOL_A_STATS_SRC: u16 = ETHTOOL_A_STATS_GRP + 1;

/// `ETH_SS_STATS_PHY` (6.13): names of the `phydev` statistics group.
pub const ETH_SS_STATS_PHY: u32 = super::ethtool::ETH_SS_STATS_RMON + 1;

/// `enum ethtool_tcp_data_split` (`ETHTOOL_A_RINGS_TCP_DATA_SPLIT`).
pub const ETHTOOL_TCP_DATA_SPLIT_UNKNOWN: u8 = 0;
pub const ETHTOOL_TCP_DATA_SPLIT_DISABLED: u8 = 1;
pub const ETHTOOL_TCP_DATA_SPLIT_ENABLED: u8 = 2;

// Message types after 6.1's last (`ETHTOOL_MSG_PSE_SET`, `_PSE_GET_REPLY`).
pub const ETHTOOL_MSG_RSS_GET: u8 = ETHTOOL_MSG_PSE_SET + 1;
pub const ETHTOOL_MSG_PLCA_GET_CFG: u8 = ETHTOOL_MSG_PSE_SET + 2;
pub const ETHTOOL_MSG_PLCA_SET_CFG: u8 = ETHTOOL_MSG_PSE_SET + 3;
pub const ETHTOOL_MSG_PLCA_GET_STATUS: u8 = ETHTOOL_MSG_PSE_SET + 4;
pub const ETHTOOL_MSG_MM_GET: u8 = ETHTOOL_MSG_PSE_SET + 5;
pub const ETHTOOL_MSG_MM_SET: u8 = ETHTOOL_MSG_PSE_SET + 6;
pub const ETHTOOL_MSG_MODULE_FW_FLASH_ACT: u8 = ETHTOOL_MSG_PSE_SET + 7;
pub const ETHTOOL_MSG_PHY_GET: u8 = ETHTOOL_MSG_PSE_SET + 8;

pub const ETHTOOL_MSG_RSS_GET_REPLY: u8 = ETHTOOL_MSG_PSE_GET_REPLY + 1;
pub const ETHTOOL_MSG_PLCA_GET_CFG_REPLY: u8 = ETHTOOL_MSG_PSE_GET_REPLY + 2;
pub const ETHTOOL_MSG_PLCA_GET_STATUS_REPLY: u8 = ETHTOOL_MSG_PSE_GET_REPLY + 3;
pub const ETHTOOL_MSG_PLCA_NTF: u8 = ETHTOOL_MSG_PSE_GET_REPLY + 4;
pub const ETHTOOL_MSG_MM_GET_REPLY: u8 = ETHTOOL_MSG_PSE_GET_REPLY + 5;
pub const ETHTOOL_MSG_MM_NTF: u8 = ETHTOOL_MSG_PSE_GET_REPLY + 6;
pub const ETHTOOL_MSG_MODULE_FW_FLASH_NTF: u8 = ETHTOOL_MSG_PSE_GET_REPLY + 7;
pub const ETHTOOL_MSG_PHY_GET_REPLY: u8 = ETHTOOL_MSG_PSE_GET_REPLY + 8;
pub const ETHTOOL_MSG_PHY_NTF: u8 = ETHTOOL_MSG_PSE_GET_REPLY + 9;

#[cfg(test)]
mod tests {
    use super::*;

    /// The numbers the 6.14+ header spells out.
    #[test]
    fn values_match_the_newer_header() {
        assert_eq!(ETHTOOL_A_HEADER_PHY_INDEX, 4);
        assert_eq!(ETHTOOL_A_LINKSTATE_EXT_DOWN_CNT, 7);
        assert_eq!(
            (ETHTOOL_A_RINGS_RX_PUSH, ETHTOOL_A_RINGS_HDS_THRESH_MAX),
            (14, 18)
        );
        assert_eq!(ETHTOOL_A_COALESCE_TX_PROFILE, 30);
        assert_eq!((ETHTOOL_A_PAUSE_STATS_SRC, ETHTOOL_A_STATS_SRC), (6, 5));
        assert_eq!((ETHTOOL_MSG_RSS_GET, ETHTOOL_MSG_PHY_GET), (38, 45));
        assert_eq!((ETHTOOL_MSG_RSS_GET_REPLY, ETHTOOL_MSG_PHY_NTF), (38, 46));
        assert_eq!(ETH_SS_STATS_PHY, 21);
    }
}
