//! nl80211, the wireless configuration family (genl family `"nl80211"`,
//! `cfg80211`): wiphys (radios: bands, channels, bitrates, cipher suites,
//! interface types and combinations), wireless interfaces (list, get,
//! add, delete, change type), stations, and the notifications of the
//! `"config"`, `"scan"`, `"regulatory"` and `"mlme"` groups — what `iw
//! list`, `iw dev`, `iw dev DEV station dump` and `iw event` show.
//!
//! A wiphy is too large for one message, so it is dumped *split*
//! (`NL80211_ATTR_SPLIT_WIPHY_DUMP` in the request, as iw sends it): the
//! kernel sends one wiphy as many messages, each carrying the wiphy's
//! index, name and generation plus one part — general limits, cipher
//! suites, interface types, then each band's bitrates and each channel in
//! a message of its own, then commands, combinations and features:
//!
//! ```text
//! NEW_WIPHY { WIPHY 0 | WIPHY_NAME "phy0" | GENERATION | RETRY_SHORT ... }
//! NEW_WIPHY { WIPHY 0 | WIPHY_NAME "phy0" | GENERATION | CIPHER_SUITES ... }
//! NEW_WIPHY { WIPHY 0 | ... | WIPHY_BANDS { 0 { HT_CAPA ... RATES { 0 { RATE 10 } ... } } } }
//! NEW_WIPHY { WIPHY 0 | ... | WIPHY_BANDS { 0 { FREQS { 0 { FREQ 2412 | MAX_TX_POWER 2000 } } } } }
//! NEW_WIPHY { WIPHY 0 | ... | WIPHY_BANDS { 0 { FREQS { 1 { FREQ 2417 ... } } } } }
//! ...
//! ```
//!
//! [`Phy::merge_into`] folds such parts into one [`Phy`] per wiphy (bands
//! by band number, channels by frequency), as iw does while printing.
//!
//! Wiphys and interfaces belong to a network namespace: a dump lists those
//! of the requesting socket's namespace only.
//!
//! Like the rest of the crate this module does no I/O: writers put a
//! request in a buffer, `parse` reads a reply or notification.

use core::fmt;

use bitflags::bitflags;
use nl_wire::netlink::{NLM_F_ACK, NLM_F_DUMP};
use nl_wire::{Attr, Attrs, HwAddr, MsgBuilder};

use crate::enums::kernel_enum;
use crate::error::{Error, Result};
use crate::uapi::nl80211::*;
use crate::{GenlMsg, request};

/// The family's name (`NL80211_GENL_NAME`).
pub const FAMILY: &str = "nl80211";
/// Wiphys and interfaces that come, go and change (`NL80211_MULTICAST_GROUP_CONFIG`).
pub const CONFIG_GROUP: &str = "config";
/// Scans started, finished and aborted (`NL80211_MULTICAST_GROUP_SCAN`).
pub const SCAN_GROUP: &str = "scan";
/// Regulatory domain changes (`NL80211_MULTICAST_GROUP_REG`).
pub const REGULATORY_GROUP: &str = "regulatory";
/// Stations, connections, authentication and association (`NL80211_MULTICAST_GROUP_MLME`).
pub const MLME_GROUP: &str = "mlme";
/// Vendor events (`NL80211_MULTICAST_GROUP_VENDOR`).
pub const VENDOR_GROUP: &str = "vendor";
/// NAN events (`NL80211_MULTICAST_GROUP_NAN`).
pub const NAN_GROUP: &str = "nan";

/// The genl version requests carry: iw sends 0 (nl80211 ignores it).
const VERSION: u8 = 0;
/// `__NL80211_FREQUENCY_ATTR_NO_IBSS`: sent beside `NO_IR` for old tools
/// (the generator skips `__` names).
const FREQUENCY_ATTR_NO_IBSS: u16 = NL80211_FREQUENCY_ATTR_NO_IR + 1;

kernel_enum! {
    /// An interface type (`enum nl80211_iftype`), with `iw`'s names
    /// (`iw dev`'s `type managed`).
    #[derive(Default)]
    pub enum InterfaceType: u32 {
        /// `NL80211_IFTYPE_UNSPECIFIED`.
        #[default]
        Unspecified = NL80211_IFTYPE_UNSPECIFIED => "unspecified",
        /// An ad-hoc (IBSS) member.
        Adhoc = NL80211_IFTYPE_ADHOC => "IBSS",
        /// A managed station (client).
        Station = NL80211_IFTYPE_STATION => "managed",
        /// An access point.
        Ap = NL80211_IFTYPE_AP => "AP",
        /// A VLAN of an access point.
        ApVlan = NL80211_IFTYPE_AP_VLAN => "AP/VLAN",
        /// A wireless distribution system link.
        Wds = NL80211_IFTYPE_WDS => "WDS",
        /// A monitor (capture) interface.
        Monitor = NL80211_IFTYPE_MONITOR => "monitor",
        /// A mesh point.
        MeshPoint = NL80211_IFTYPE_MESH_POINT => "mesh point",
        /// A P2P client.
        P2pClient = NL80211_IFTYPE_P2P_CLIENT => "P2P-client",
        /// A P2P group owner.
        P2pGo = NL80211_IFTYPE_P2P_GO => "P2P-GO",
        /// A P2P device (no netdev).
        P2pDevice = NL80211_IFTYPE_P2P_DEVICE => "P2P-device",
        /// Outside the context of a BSS (802.11p).
        Ocb = NL80211_IFTYPE_OCB => "outside context of a BSS",
        /// A NAN device (no netdev).
        Nan = NL80211_IFTYPE_NAN => "NAN",
    }
}

impl InterfaceType {
    /// The type named by a word of `iw ... type TYPE` (`managed`, `ibss`,
    /// `mesh`, `mp`, `ap`, `monitor`, `ocb`, `__p2pgo` ...) or by `iw`'s
    /// printed name.
    pub fn from_iw(word: &str) -> Option<InterfaceType> {
        Some(match word {
            "adhoc" | "ibss" => InterfaceType::Adhoc,
            "managed" | "mgd" | "station" => InterfaceType::Station,
            "ap" | "master" | "__ap" => InterfaceType::Ap,
            "__ap_vlan" => InterfaceType::ApVlan,
            "wds" => InterfaceType::Wds,
            "monitor" => InterfaceType::Monitor,
            "mesh" | "mp" => InterfaceType::MeshPoint,
            "__p2pcl" => InterfaceType::P2pClient,
            "__p2pgo" => InterfaceType::P2pGo,
            "__p2pdev" => InterfaceType::P2pDevice,
            "ocb" => InterfaceType::Ocb,
            "__nan" => InterfaceType::Nan,
            other => return InterfaceType::from_word(other),
        })
    }

    /// `iw event`'s word for the type (`station`, `access point` ...).
    pub fn event_word(self) -> String {
        match self {
            InterfaceType::Station => "station".into(),
            InterfaceType::Ap => "access point".into(),
            InterfaceType::MeshPoint => "mesh point".into(),
            InterfaceType::Adhoc => "IBSS".into(),
            InterfaceType::Monitor => "monitor".into(),
            InterfaceType::ApVlan => "AP-VLAN".into(),
            InterfaceType::Wds => "WDS".into(),
            InterfaceType::P2pClient => "P2P-client".into(),
            InterfaceType::P2pGo => "P2P-GO".into(),
            InterfaceType::P2pDevice => "P2P-Device".into(),
            InterfaceType::Ocb => "OCB".into(),
            InterfaceType::Nan => "NAN".into(),
            other => format!("unknown ({})", u32::from(other)),
        }
    }
}

impl fmt::Display for InterfaceType {
    /// As `iw` prints it (`managed`, `IBSS`, `mesh point`, `Unknown mode (N)`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.word() {
            Some(w) => f.write_str(w),
            None => write!(f, "Unknown mode ({})", u32::from(*self)),
        }
    }
}

kernel_enum! {
    /// A frequency band (`enum nl80211_band`): the number of a band's nest
    /// in `NL80211_ATTR_WIPHY_BANDS`.
    pub enum BandId: u16 {
        /// 2.4 GHz.
        Band2Ghz = NL80211_BAND_2GHZ => "2.4 GHz",
        /// 5 GHz.
        Band5Ghz = NL80211_BAND_5GHZ => "5 GHz",
        /// 60 GHz (DMG).
        Band60Ghz = NL80211_BAND_60GHZ => "60 GHz",
        /// 6 GHz.
        Band6Ghz = NL80211_BAND_6GHZ => "6 GHz",
        /// Sub-1 GHz (S1G).
        BandS1Ghz = NL80211_BAND_S1GHZ => "S1G",
        /// Light communication.
        BandLc = NL80211_BAND_LC => "LC",
    }
}

kernel_enum! {
    /// A channel width (`enum nl80211_chan_width`), with `iw`'s names.
    pub enum ChannelWidth: u32 {
        /// 20 MHz, no HT.
        Mhz20NoHt = NL80211_CHAN_WIDTH_20_NOHT => "20 MHz (no HT)",
        /// 20 MHz HT.
        Mhz20 = NL80211_CHAN_WIDTH_20 => "20 MHz",
        /// 40 MHz.
        Mhz40 = NL80211_CHAN_WIDTH_40 => "40 MHz",
        /// 80 MHz.
        Mhz80 = NL80211_CHAN_WIDTH_80 => "80 MHz",
        /// 80+80 MHz.
        Mhz80P80 = NL80211_CHAN_WIDTH_80P80 => "80+80 MHz",
        /// 160 MHz.
        Mhz160 = NL80211_CHAN_WIDTH_160 => "160 MHz",
        /// 5 MHz OFDM.
        Mhz5 = NL80211_CHAN_WIDTH_5 => "5 MHz",
        /// 10 MHz OFDM.
        Mhz10 = NL80211_CHAN_WIDTH_10 => "10 MHz",
        /// 1 MHz (S1G).
        Mhz1 = NL80211_CHAN_WIDTH_1 => "1 MHz",
        /// 2 MHz (S1G).
        Mhz2 = NL80211_CHAN_WIDTH_2 => "2 MHz",
        /// 4 MHz (S1G).
        Mhz4 = NL80211_CHAN_WIDTH_4 => "4 MHz",
        /// 8 MHz (S1G).
        Mhz8 = NL80211_CHAN_WIDTH_8 => "8 MHz",
        /// 16 MHz (S1G).
        Mhz16 = NL80211_CHAN_WIDTH_16 => "16 MHz",
        /// 320 MHz.
        Mhz320 = NL80211_CHAN_WIDTH_320 => "320 MHz",
    }
}

impl fmt::Display for ChannelWidth {
    /// As `iw` prints it (`unknown` for others).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.word().unwrap_or("unknown"))
    }
}

kernel_enum! {
    /// The legacy channel type (`enum nl80211_channel_type`).
    pub enum ChannelType: u32 {
        /// 20 MHz, no HT.
        NoHt = NL80211_CHAN_NO_HT => "no HT",
        /// HT20.
        Ht20 = NL80211_CHAN_HT20 => "HT20",
        /// HT40 with the secondary channel below.
        Ht40Minus = NL80211_CHAN_HT40MINUS => "HT40-",
        /// HT40 with the secondary channel above.
        Ht40Plus = NL80211_CHAN_HT40PLUS => "HT40+",
    }
}

kernel_enum! {
    /// A mesh peer link's state (`enum nl80211_plink_state`), with `iw`'s names.
    pub enum PlinkState: u8 {
        /// Waiting for a peer.
        Listen = NL80211_PLINK_LISTEN => "LISTEN",
        /// Open sent.
        OpnSnt = NL80211_PLINK_OPN_SNT => "OPN_SNT",
        /// Open received.
        OpnRcvd = NL80211_PLINK_OPN_RCVD => "OPN_RCVD",
        /// Confirm received.
        CnfRcvd = NL80211_PLINK_CNF_RCVD => "CNF_RCVD",
        /// Established.
        Estab = NL80211_PLINK_ESTAB => "ESTAB",
        /// Closing.
        Holding = NL80211_PLINK_HOLDING => "HOLDING",
        /// Blocked.
        Blocked = NL80211_PLINK_BLOCKED => "BLOCKED",
    }
}

impl fmt::Display for PlinkState {
    /// As `iw` prints it (`UNKNOWN` for others).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.word().unwrap_or("UNKNOWN"))
    }
}

kernel_enum! {
    /// A channel's radar (DFS) state (`enum nl80211_dfs_state`).
    pub enum DfsState: u32 {
        /// Usable after a channel availability check.
        Usable = NL80211_DFS_USABLE => "usable",
        /// Radar was detected.
        Unavailable = NL80211_DFS_UNAVAILABLE => "unavailable",
        /// Checked and free.
        Available = NL80211_DFS_AVAILABLE => "available",
    }
}

bitflags! {
    /// What a wiphy supports, from its flag attributes.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
    pub struct PhyFlags: u32 {
        /// `NL80211_ATTR_SUPPORT_IBSS_RSN`: RSN in IBSS.
        const IBSS_RSN = 1 << 0;
        /// `NL80211_ATTR_SUPPORT_MESH_AUTH`: mesh authentication in user space.
        const MESH_AUTH = 1 << 1;
        /// `NL80211_ATTR_SUPPORT_AP_UAPSD`: U-APSD on AP interfaces.
        const AP_UAPSD = 1 << 2;
        /// `NL80211_ATTR_ROAM_SUPPORT`: firmware roaming.
        const ROAM = 1 << 3;
        /// `NL80211_ATTR_TDLS_SUPPORT`: TDLS.
        const TDLS = 1 << 4;
        /// `NL80211_ATTR_TDLS_EXTERNAL_SETUP`: TDLS set up by user space.
        const TDLS_EXTERNAL_SETUP = 1 << 5;
        /// `NL80211_ATTR_CONTROL_PORT_ETHERTYPE`: any control port ethertype.
        const CONTROL_PORT_ETHERTYPE = 1 << 6;
        /// `NL80211_ATTR_OFFCHANNEL_TX_OK`: frames may be sent off-channel.
        const OFFCHANNEL_TX_OK = 1 << 7;
        /// `NL80211_ATTR_SUPPORT_5_MHZ`.
        const SUPPORT_5_MHZ = 1 << 8;
        /// `NL80211_ATTR_SUPPORT_10_MHZ`.
        const SUPPORT_10_MHZ = 1 << 9;
        /// `NL80211_ATTR_WIPHY_SELF_MANAGED_REG`: the driver manages regulatory.
        const SELF_MANAGED_REG = 1 << 10;
    }
}

/// The flag attributes of a wiphy and the flags they set.
const PHY_FLAG_ATTRS: [(u16, PhyFlags); 11] = [
    (NL80211_ATTR_SUPPORT_IBSS_RSN, PhyFlags::IBSS_RSN),
    (NL80211_ATTR_SUPPORT_MESH_AUTH, PhyFlags::MESH_AUTH),
    (NL80211_ATTR_SUPPORT_AP_UAPSD, PhyFlags::AP_UAPSD),
    (NL80211_ATTR_ROAM_SUPPORT, PhyFlags::ROAM),
    (NL80211_ATTR_TDLS_SUPPORT, PhyFlags::TDLS),
    (
        NL80211_ATTR_TDLS_EXTERNAL_SETUP,
        PhyFlags::TDLS_EXTERNAL_SETUP,
    ),
    (
        NL80211_ATTR_CONTROL_PORT_ETHERTYPE,
        PhyFlags::CONTROL_PORT_ETHERTYPE,
    ),
    (NL80211_ATTR_OFFCHANNEL_TX_OK, PhyFlags::OFFCHANNEL_TX_OK),
    (NL80211_ATTR_SUPPORT_5_MHZ, PhyFlags::SUPPORT_5_MHZ),
    (NL80211_ATTR_SUPPORT_10_MHZ, PhyFlags::SUPPORT_10_MHZ),
    (
        NL80211_ATTR_WIPHY_SELF_MANAGED_REG,
        PhyFlags::SELF_MANAGED_REG,
    ),
];

bitflags! {
    /// A channel's flags: bit N is the flag attribute
    /// `NL80211_FREQUENCY_ATTR_*` numbered N, so flags newer than this
    /// library are kept too (`from_bits_retain`).
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
    pub struct ChannelFlags: u64 {
        /// The channel is disabled.
        const DISABLED = 1 << NL80211_FREQUENCY_ATTR_DISABLED;
        /// No initiating radiation (beaconing, probing) on it.
        const NO_IR = 1 << NL80211_FREQUENCY_ATTR_NO_IR;
        /// The old "no IBSS" flag, sent beside `NO_IR` for old tools.
        const NO_IBSS = 1 << FREQUENCY_ATTR_NO_IBSS;
        /// Radar detection is required.
        const RADAR = 1 << NL80211_FREQUENCY_ATTR_RADAR;
        /// No HT40- with this channel as primary.
        const NO_HT40_MINUS = 1 << NL80211_FREQUENCY_ATTR_NO_HT40_MINUS;
        /// No HT40+ with this channel as primary.
        const NO_HT40_PLUS = 1 << NL80211_FREQUENCY_ATTR_NO_HT40_PLUS;
        /// No 80 MHz channel over it.
        const NO_80MHZ = 1 << NL80211_FREQUENCY_ATTR_NO_80MHZ;
        /// No 160 MHz channel over it.
        const NO_160MHZ = 1 << NL80211_FREQUENCY_ATTR_NO_160MHZ;
        /// Indoor use only.
        const INDOOR_ONLY = 1 << NL80211_FREQUENCY_ATTR_INDOOR_ONLY;
        /// Initiating radiation allowed beside a concurrent connection.
        const IR_CONCURRENT = 1 << NL80211_FREQUENCY_ATTR_IR_CONCURRENT;
        /// No 20 MHz channel on it.
        const NO_20MHZ = 1 << NL80211_FREQUENCY_ATTR_NO_20MHZ;
        /// No 10 MHz channel on it.
        const NO_10MHZ = 1 << NL80211_FREQUENCY_ATTR_NO_10MHZ;
        /// No HE operation.
        const NO_HE = 1 << NL80211_FREQUENCY_ATTR_NO_HE;
        /// 1 MHz operation allowed (S1G).
        const MHZ_1 = 1 << NL80211_FREQUENCY_ATTR_1MHZ;
        /// 2 MHz operation allowed (S1G).
        const MHZ_2 = 1 << NL80211_FREQUENCY_ATTR_2MHZ;
        /// 4 MHz operation allowed (S1G).
        const MHZ_4 = 1 << NL80211_FREQUENCY_ATTR_4MHZ;
        /// 8 MHz operation allowed (S1G).
        const MHZ_8 = 1 << NL80211_FREQUENCY_ATTR_8MHZ;
        /// 16 MHz operation allowed (S1G).
        const MHZ_16 = 1 << NL80211_FREQUENCY_ATTR_16MHZ;
        /// No 320 MHz channel over it.
        const NO_320MHZ = 1 << NL80211_FREQUENCY_ATTR_NO_320MHZ;
        /// No EHT operation.
        const NO_EHT = 1 << NL80211_FREQUENCY_ATTR_NO_EHT;
    }
}

/// The channel number of a frequency in MHz, as `iw` computes it
/// (`ieee80211_frequency_to_channel`; 0 when it has none).
pub fn frequency_to_channel(freq: u32) -> i32 {
    let f = i64::from(freq);
    let ch = if f == 2484 {
        14
    } else if f == 5935 {
        2
    } else if f < 2484 {
        (f - 2407) / 5
    } else if (4910..=4980).contains(&f) {
        (f - 4000) / 5
    } else if f < 5950 {
        (f - 5000) / 5
    } else if f <= 45000 {
        (f - 5950) / 5
    } else if (58320..=70200).contains(&f) {
        (f - 56160) / 2160
    } else {
        0
    };
    i32::try_from(ch).unwrap_or(0)
}

/// A cipher suite as `iw list` names it (`CCMP-128 (00-0f-ac:4)`), or its
/// OUI and type for one it does not know.
pub fn cipher_name(suite: u32) -> String {
    let name = match suite {
        0x000f_ac01 => "WEP40 (00-0f-ac:1)",
        0x000f_ac05 => "WEP104 (00-0f-ac:5)",
        0x000f_ac02 => "TKIP (00-0f-ac:2)",
        0x000f_ac04 => "CCMP-128 (00-0f-ac:4)",
        0x000f_ac06 => "CMAC (00-0f-ac:6)",
        0x000f_ac08 => "GCMP-128 (00-0f-ac:8)",
        0x000f_ac09 => "GCMP-256 (00-0f-ac:9)",
        0x000f_ac0a => "CCMP-256 (00-0f-ac:10)",
        0x000f_ac0b => "GMAC-128 (00-0f-ac:11)",
        0x000f_ac0c => "GMAC-256 (00-0f-ac:12)",
        0x000f_ac0d => "CMAC-256 (00-0f-ac:13)",
        0x0014_7201 => "WPI-SMS4 (00-14-72:1)",
        _ => {
            let [a, b, c, d] = suite.to_be_bytes();
            return format!("{a:02x}-{b:02x}-{c:02x}:{d}");
        }
    };
    name.to_string()
}

/// A radio (`struct wiphy`) as a split dump describes it: `iw list` /
/// `iw phy PHY info`. Fields the kernel did not send stay `None` or empty.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Phy {
    /// The wiphy's index (`phy#N`).
    pub index: u32,
    /// Its name (`phy0`).
    pub name: String,
    /// The wiphy list's generation when this was read.
    pub generation: u32,
    /// The permanent MAC address.
    pub perm_addr: Option<HwAddr>,
    /// Short retry limit.
    pub retry_short: Option<u8>,
    /// Long retry limit.
    pub retry_long: Option<u8>,
    /// Fragmentation threshold (`u32::MAX`: off).
    pub frag_threshold: Option<u32>,
    /// RTS threshold (`u32::MAX`: off).
    pub rts_threshold: Option<u32>,
    /// Coverage class.
    pub coverage_class: Option<u8>,
    /// Most SSIDs one scan may probe for.
    pub max_scan_ssids: Option<u8>,
    /// Most SSIDs one scheduled scan may probe for.
    pub max_sched_scan_ssids: Option<u8>,
    /// Longest information elements a scan may add.
    pub max_scan_ie_len: Option<u16>,
    /// Longest information elements a scheduled scan may add.
    pub max_sched_scan_ie_len: Option<u16>,
    /// Most match sets of a scheduled scan.
    pub max_match_sets: Option<u8>,
    /// Supported cipher suites (OUI << 8 | type: `0x000fac04` is CCMP-128).
    pub cipher_suites: Vec<u32>,
    /// Most PMKIDs cached.
    pub max_num_pmkids: Option<u8>,
    /// Antennas available for transmit (bitmap).
    pub antenna_avail_tx: Option<u32>,
    /// Antennas available for receive (bitmap).
    pub antenna_avail_rx: Option<u32>,
    /// Antennas configured for transmit.
    pub antenna_tx: Option<u32>,
    /// Antennas configured for receive.
    pub antenna_rx: Option<u32>,
    /// Interface types it supports (`Supported interface modes`).
    pub interface_types: Vec<InterfaceType>,
    /// Interface types that need no driver support (monitor, AP/VLAN).
    pub software_interface_types: Vec<InterfaceType>,
    /// Its bands, channels and bitrates.
    pub bands: Vec<Band>,
    /// nl80211 commands it supports.
    pub commands: Vec<u32>,
    /// Valid interface combinations.
    pub combinations: Vec<IfaceCombination>,
    /// `NL80211_FEATURE_*` bits.
    pub features: u32,
    /// `NL80211_EXT_FEATURE_*` as a bitmap, byte N bit M being feature 8N+M.
    pub ext_features: Vec<u8>,
    /// Longest remain-on-channel, in ms.
    pub max_remain_on_channel_ms: Option<u32>,
    /// What it supports, from flag attributes.
    pub flags: PhyFlags,
    /// Attributes this library does not read, in arrival order (type, payload).
    pub unknown: Vec<(u16, Vec<u8>)>,
}

impl Phy {
    /// Writes a split dump of every wiphy, or of wiphy `index` only (`iw
    /// list`; `iw phy#N info` sends the same with the index).
    pub fn write_dump(family: u16, index: Option<u32>, buf: &mut Vec<u8>) -> Result<()> {
        let mut m = request(buf, family, NL80211_CMD_GET_WIPHY, VERSION, NLM_F_DUMP);
        if let Some(i) = index {
            m.put_u32(NL80211_ATTR_WIPHY, i);
        }
        m.put_flag(NL80211_ATTR_SPLIT_WIPHY_DUMP);
        finish(m)
    }

    /// Parses one message about a wiphy (a reply, one part of a split
    /// dump, or a `NEW_WIPHY` / `DEL_WIPHY` notification).
    pub fn parse(msg: &GenlMsg<'_>) -> Result<Phy> {
        let mut phy = Phy::default();
        phy.merge(msg)?;
        Ok(phy)
    }

    /// Adds one part of a split dump to this wiphy.
    pub fn merge(&mut self, msg: &GenlMsg<'_>) -> Result<()> {
        self.read(msg.attrs())
            .map_err(|e| msg.wire_error(FAMILY, e))
    }

    /// Folds one message of a split dump into `phys`: into the wiphy with
    /// the same index (the last one, as the kernel sends a wiphy's parts
    /// one after the other), or as a new wiphy.
    pub fn merge_into(phys: &mut Vec<Phy>, msg: &GenlMsg<'_>) -> Result<()> {
        let index = msg
            .attrs()
            .get(NL80211_ATTR_WIPHY)
            .and_then(|a| a.map(|a| a.u32()).transpose())
            .map_err(|e| msg.wire_error(FAMILY, e))?
            .ok_or(Error::Unexpected {
                what: "a wiphy (no NL80211_ATTR_WIPHY)",
                msg_type: msg.family_id(),
            })?;
        match phys.iter_mut().rev().find(|p| p.index == index) {
            Some(p) => p.merge(msg),
            None => {
                phys.push(Phy::parse(msg)?);
                Ok(())
            }
        }
    }

    fn read(&mut self, attrs: Attrs<'_>) -> nl_wire::Result<()> {
        for a in attrs {
            let a = a?;
            match a.ty() {
                NL80211_ATTR_WIPHY => self.index = a.u32()?,
                NL80211_ATTR_WIPHY_NAME => self.name = a.str()?.to_string(),
                NL80211_ATTR_GENERATION => self.generation = a.u32()?,
                NL80211_ATTR_MAC => self.perm_addr = Some(a.hwaddr()?),
                NL80211_ATTR_WIPHY_RETRY_SHORT => self.retry_short = Some(a.u8()?),
                NL80211_ATTR_WIPHY_RETRY_LONG => self.retry_long = Some(a.u8()?),
                NL80211_ATTR_WIPHY_FRAG_THRESHOLD => self.frag_threshold = Some(a.u32()?),
                NL80211_ATTR_WIPHY_RTS_THRESHOLD => self.rts_threshold = Some(a.u32()?),
                NL80211_ATTR_WIPHY_COVERAGE_CLASS => self.coverage_class = Some(a.u8()?),
                NL80211_ATTR_MAX_NUM_SCAN_SSIDS => self.max_scan_ssids = Some(a.u8()?),
                NL80211_ATTR_MAX_NUM_SCHED_SCAN_SSIDS => self.max_sched_scan_ssids = Some(a.u8()?),
                NL80211_ATTR_MAX_SCAN_IE_LEN => self.max_scan_ie_len = Some(a.u16()?),
                NL80211_ATTR_MAX_SCHED_SCAN_IE_LEN => self.max_sched_scan_ie_len = Some(a.u16()?),
                NL80211_ATTR_MAX_MATCH_SETS => self.max_match_sets = Some(a.u8()?),
                NL80211_ATTR_CIPHER_SUITES => self.cipher_suites = u32_array(&a)?,
                NL80211_ATTR_MAX_NUM_PMKIDS => self.max_num_pmkids = Some(a.u8()?),
                NL80211_ATTR_WIPHY_ANTENNA_AVAIL_TX => self.antenna_avail_tx = Some(a.u32()?),
                NL80211_ATTR_WIPHY_ANTENNA_AVAIL_RX => self.antenna_avail_rx = Some(a.u32()?),
                NL80211_ATTR_WIPHY_ANTENNA_TX => self.antenna_tx = Some(a.u32()?),
                NL80211_ATTR_WIPHY_ANTENNA_RX => self.antenna_rx = Some(a.u32()?),
                NL80211_ATTR_SUPPORTED_IFTYPES => self.interface_types = iftypes(a.nested())?,
                NL80211_ATTR_SOFTWARE_IFTYPES => {
                    self.software_interface_types = iftypes(a.nested())?
                }
                NL80211_ATTR_WIPHY_BANDS => {
                    for b in a.nested() {
                        let b = b?;
                        self.read_band(BandId::from(b.ty()), b.nested())?;
                    }
                }
                NL80211_ATTR_SUPPORTED_COMMANDS => {
                    let mut cmds = Vec::new();
                    for c in a.nested() {
                        cmds.push(c?.u32()?);
                    }
                    self.commands = cmds;
                }
                NL80211_ATTR_INTERFACE_COMBINATIONS => {
                    let mut combos = Vec::new();
                    for c in a.nested() {
                        combos.push(IfaceCombination::read(c?.nested())?);
                    }
                    self.combinations = combos;
                }
                NL80211_ATTR_FEATURE_FLAGS => self.features = a.u32()?,
                NL80211_ATTR_EXT_FEATURES => self.ext_features = a.payload().to_vec(),
                NL80211_ATTR_MAX_REMAIN_ON_CHANNEL_DURATION => {
                    self.max_remain_on_channel_ms = Some(a.u32()?)
                }
                kind => match PHY_FLAG_ATTRS.iter().find(|(k, _)| *k == kind) {
                    Some((_, flag)) => self.flags |= *flag,
                    None => self.unknown.push((kind, a.payload().to_vec())),
                },
            }
        }
        Ok(())
    }

    /// Reads a band nest into band `id`, added if not seen yet.
    fn read_band(&mut self, id: BandId, attrs: Attrs<'_>) -> nl_wire::Result<()> {
        let band = match self.bands.iter().position(|b| b.id == id) {
            Some(i) => self.bands.get_mut(i),
            None => {
                self.bands.push(Band::new(id));
                self.bands.last_mut()
            }
        };
        match band {
            Some(b) => b.read(attrs),
            None => Ok(()),
        }
    }

    /// The band `id`, if the wiphy has it.
    pub fn band(&self, id: BandId) -> Option<&Band> {
        self.bands.iter().find(|b| b.id == id)
    }

    /// Whether extended feature `feature` (`NL80211_EXT_FEATURE_*`) is set.
    pub fn has_ext_feature(&self, feature: u32) -> bool {
        let byte = usize::try_from(feature / 8).unwrap_or(usize::MAX);
        self.ext_features
            .get(byte)
            .is_some_and(|b| b & (1 << (feature % 8)) != 0)
    }

    /// Whether the wiphy supports nl80211 command `cmd`.
    pub fn supports_command(&self, cmd: u8) -> bool {
        self.commands.contains(&u32::from(cmd))
    }
}

impl fmt::Display for Phy {
    /// The beginning of `iw phy PHY info`: the name and index, cipher
    /// suites, interface types, then each band's frequencies and bitrates.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "Wiphy {}", self.name)?;
        writeln!(f, "\twiphy index: {}", self.index)?;
        for band in &self.bands {
            writeln!(f, "\tBand {}:", u16::from(band.id).saturating_add(1))?;
            if !band.channels.is_empty() {
                writeln!(f, "\t\tFrequencies:")?;
                for c in &band.channels {
                    writeln!(f, "\t\t\t* {c}")?;
                }
            }
            if !band.rates.is_empty() {
                writeln!(f, "\t\tBitrates (non-HT):")?;
                for r in &band.rates {
                    writeln!(f, "\t\t\t* {r}")?;
                }
            }
        }
        if !self.cipher_suites.is_empty() {
            writeln!(f, "\tSupported Ciphers:")?;
            for c in &self.cipher_suites {
                writeln!(f, "\t\t* {}", cipher_name(*c))?;
            }
        }
        if !self.interface_types.is_empty() {
            writeln!(f, "\tSupported interface modes:")?;
            for t in &self.interface_types {
                writeln!(f, "\t\t * {t}")?;
            }
        }
        Ok(())
    }
}

/// The `u32`s of an array attribute (cipher suites).
fn u32_array(a: &Attr<'_>) -> nl_wire::Result<Vec<u32>> {
    let p = a.payload();
    if p.len() % 4 != 0 {
        return Err(nl_wire::Error::PayloadLen {
            ty: a.ty(),
            need: p.len().next_multiple_of(4),
            have: p.len(),
            offset: a.offset(),
        });
    }
    Ok(p.chunks_exact(4)
        .map(|c| u32::from_ne_bytes(<[u8; 4]>::try_from(c).unwrap_or_default()))
        .collect())
}

/// A nest of flag attributes, each named by an interface type.
fn iftypes(nest: Attrs<'_>) -> nl_wire::Result<Vec<InterfaceType>> {
    let mut out = Vec::new();
    for a in nest {
        out.push(InterfaceType::from(u32::from(a?.ty())));
    }
    Ok(out)
}

/// A band of a wiphy: HT/VHT/HE capabilities, bitrates and channels.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Band {
    /// Which band.
    pub id: BandId,
    /// HT MCS set (16 bytes, `struct ieee80211_mcs_info`).
    pub ht_mcs_set: Option<Vec<u8>>,
    /// HT capabilities field.
    pub ht_capa: Option<u16>,
    /// A-MPDU length exponent.
    pub ht_ampdu_factor: Option<u8>,
    /// A-MPDU minimum spacing.
    pub ht_ampdu_density: Option<u8>,
    /// VHT MCS set (8 bytes).
    pub vht_mcs_set: Option<Vec<u8>>,
    /// VHT capabilities field.
    pub vht_capa: Option<u32>,
    /// HE / EHT capabilities per interface type.
    pub iftype_data: Vec<IftypeData>,
    /// EDMG channels (60 GHz).
    pub edmg_channels: Option<u8>,
    /// EDMG bandwidth configuration.
    pub edmg_bw_config: Option<u8>,
    /// Legacy bitrates.
    pub rates: Vec<Bitrate>,
    /// Channels.
    pub channels: Vec<Channel>,
}

impl Band {
    fn new(id: BandId) -> Band {
        Band {
            id,
            ht_mcs_set: None,
            ht_capa: None,
            ht_ampdu_factor: None,
            ht_ampdu_density: None,
            vht_mcs_set: None,
            vht_capa: None,
            iftype_data: Vec::new(),
            edmg_channels: None,
            edmg_bw_config: None,
            rates: Vec::new(),
            channels: Vec::new(),
        }
    }

    /// Reads one band nest: rate information, or channels, or both.
    fn read(&mut self, attrs: Attrs<'_>) -> nl_wire::Result<()> {
        for a in attrs {
            let a = a?;
            match a.ty() {
                NL80211_BAND_ATTR_HT_MCS_SET => self.ht_mcs_set = Some(a.payload().to_vec()),
                NL80211_BAND_ATTR_HT_CAPA => self.ht_capa = Some(a.u16()?),
                NL80211_BAND_ATTR_HT_AMPDU_FACTOR => self.ht_ampdu_factor = Some(a.u8()?),
                NL80211_BAND_ATTR_HT_AMPDU_DENSITY => self.ht_ampdu_density = Some(a.u8()?),
                NL80211_BAND_ATTR_VHT_MCS_SET => self.vht_mcs_set = Some(a.payload().to_vec()),
                NL80211_BAND_ATTR_VHT_CAPA => self.vht_capa = Some(a.u32()?),
                NL80211_BAND_ATTR_IFTYPE_DATA => {
                    let mut data = Vec::new();
                    for d in a.nested() {
                        data.push(IftypeData::read(d?.nested())?);
                    }
                    self.iftype_data = data;
                }
                NL80211_BAND_ATTR_EDMG_CHANNELS => self.edmg_channels = Some(a.u8()?),
                NL80211_BAND_ATTR_EDMG_BW_CONFIG => self.edmg_bw_config = Some(a.u8()?),
                NL80211_BAND_ATTR_RATES => {
                    let mut rates = Vec::new();
                    for r in a.nested() {
                        rates.push(Bitrate::read(r?.nested())?);
                    }
                    self.rates = rates;
                }
                NL80211_BAND_ATTR_FREQS => {
                    for c in a.nested() {
                        let c = Channel::read(c?.nested())?;
                        // A split dump sends each channel once; a repeat replaces.
                        match self
                            .channels
                            .iter_mut()
                            .find(|x| (x.freq, x.offset_khz) == (c.freq, c.offset_khz))
                        {
                            Some(old) => *old = c,
                            None => self.channels.push(c),
                        }
                    }
                }
                _ => {}
            }
        }
        Ok(())
    }
}

/// HE and EHT capabilities of a band for some interface types (raw
/// capability fields, as the 802.11 elements carry them).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IftypeData {
    /// The interface types these apply to.
    pub types: Vec<InterfaceType>,
    /// HE MAC capabilities.
    pub he_cap_mac: Vec<u8>,
    /// HE PHY capabilities.
    pub he_cap_phy: Vec<u8>,
    /// HE supported MCS and NSS set.
    pub he_cap_mcs_set: Vec<u8>,
    /// HE PPE thresholds.
    pub he_cap_ppe: Vec<u8>,
    /// HE 6 GHz band capabilities.
    pub he_6ghz_capa: Vec<u8>,
    /// EHT MAC capabilities.
    pub eht_cap_mac: Vec<u8>,
    /// EHT PHY capabilities.
    pub eht_cap_phy: Vec<u8>,
    /// EHT supported MCS and NSS set.
    pub eht_cap_mcs_set: Vec<u8>,
    /// EHT PPE thresholds.
    pub eht_cap_ppe: Vec<u8>,
}

impl IftypeData {
    fn read(attrs: Attrs<'_>) -> nl_wire::Result<IftypeData> {
        let mut d = IftypeData::default();
        for a in attrs {
            let a = a?;
            let bytes = a.payload().to_vec();
            match a.ty() {
                NL80211_BAND_IFTYPE_ATTR_IFTYPES => d.types = iftypes(a.nested())?,
                NL80211_BAND_IFTYPE_ATTR_HE_CAP_MAC => d.he_cap_mac = bytes,
                NL80211_BAND_IFTYPE_ATTR_HE_CAP_PHY => d.he_cap_phy = bytes,
                NL80211_BAND_IFTYPE_ATTR_HE_CAP_MCS_SET => d.he_cap_mcs_set = bytes,
                NL80211_BAND_IFTYPE_ATTR_HE_CAP_PPE => d.he_cap_ppe = bytes,
                NL80211_BAND_IFTYPE_ATTR_HE_6GHZ_CAPA => d.he_6ghz_capa = bytes,
                NL80211_BAND_IFTYPE_ATTR_EHT_CAP_MAC => d.eht_cap_mac = bytes,
                NL80211_BAND_IFTYPE_ATTR_EHT_CAP_PHY => d.eht_cap_phy = bytes,
                NL80211_BAND_IFTYPE_ATTR_EHT_CAP_MCS_SET => d.eht_cap_mcs_set = bytes,
                NL80211_BAND_IFTYPE_ATTR_EHT_CAP_PPE => d.eht_cap_ppe = bytes,
                _ => {}
            }
        }
        Ok(d)
    }
}

/// A legacy bitrate of a band.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Bitrate {
    /// The rate, in units of 100 kbit/s.
    pub rate: u32,
    /// Short preamble supported (2.4 GHz).
    pub short_preamble: bool,
}

impl Bitrate {
    fn read(attrs: Attrs<'_>) -> nl_wire::Result<Bitrate> {
        let mut r = Bitrate::default();
        for a in attrs {
            let a = a?;
            match a.ty() {
                NL80211_BITRATE_ATTR_RATE => r.rate = a.u32()?,
                NL80211_BITRATE_ATTR_2GHZ_SHORTPREAMBLE => r.short_preamble = true,
                _ => {}
            }
        }
        Ok(r)
    }
}

impl fmt::Display for Bitrate {
    /// As `iw list` prints it (`5.5 Mbps (short preamble supported)`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:.1} Mbps", 0.1 * f64::from(self.rate))?;
        if self.short_preamble {
            f.write_str(" (short preamble supported)")?;
        }
        Ok(())
    }
}

/// A channel of a band.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Channel {
    /// Center frequency, MHz.
    pub freq: u32,
    /// Offset of the center frequency, kHz (S1G channels).
    pub offset_khz: u32,
    /// Flags (disabled, no IR, radar ...).
    pub flags: ChannelFlags,
    /// Maximum transmit power, mBm (100 × dBm).
    pub max_tx_power_mbm: Option<u32>,
    /// Radar (DFS) state.
    pub dfs_state: Option<DfsState>,
    /// How long it has been in that state, ms.
    pub dfs_time_ms: Option<u32>,
    /// Channel availability check time, ms.
    pub dfs_cac_time_ms: Option<u32>,
    /// WMM rules of the regulatory domain, per access category.
    pub wmm: Vec<WmmRule>,
}

impl Channel {
    fn read(attrs: Attrs<'_>) -> nl_wire::Result<Channel> {
        let mut c = Channel::default();
        for a in attrs {
            let a = a?;
            match a.ty() {
                NL80211_FREQUENCY_ATTR_FREQ => c.freq = a.u32()?,
                NL80211_FREQUENCY_ATTR_OFFSET => c.offset_khz = a.u32()?,
                NL80211_FREQUENCY_ATTR_MAX_TX_POWER => c.max_tx_power_mbm = Some(a.u32()?),
                NL80211_FREQUENCY_ATTR_DFS_STATE => c.dfs_state = Some(a.u32()?.into()),
                NL80211_FREQUENCY_ATTR_DFS_TIME => c.dfs_time_ms = Some(a.u32()?),
                NL80211_FREQUENCY_ATTR_DFS_CAC_TIME => c.dfs_cac_time_ms = Some(a.u32()?),
                NL80211_FREQUENCY_ATTR_WMM => {
                    let mut rules = Vec::new();
                    for r in a.nested() {
                        rules.push(WmmRule::read(r?.nested())?);
                    }
                    c.wmm = rules;
                }
                // Flags: empty attributes, kept by number.
                kind if a.payload().is_empty() && kind < 64 => {
                    c.flags |= ChannelFlags::from_bits_retain(1 << kind)
                }
                _ => {}
            }
        }
        Ok(c)
    }

    /// The channel number (`iw`'s `[N]`).
    pub fn number(&self) -> i32 {
        frequency_to_channel(self.freq)
    }

    /// Whether the channel is disabled.
    pub fn is_disabled(&self) -> bool {
        self.flags.contains(ChannelFlags::DISABLED)
    }
}

impl fmt::Display for Channel {
    /// As `iw list` prints it: `2412 MHz [1] (20.0 dBm)`, then flags in
    /// parentheses (`disabled`, `no IR`, `radar detection`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.offset_khz == 0 {
            write!(f, "{} MHz [{}]", self.freq, self.number())?;
        } else {
            write!(f, "{}.{} MHz", self.freq, self.offset_khz)?;
        }
        let disabled = self.is_disabled();
        if let (Some(p), false) = (self.max_tx_power_mbm, disabled) {
            // iw's "%.1f" of 0.01 × mBm, rounding included.
            write!(f, " ({:.1} dBm)", 0.01 * f64::from(p))?;
        }
        let mut words = Vec::new();
        if disabled {
            words.push("disabled");
        } else {
            let no_ir = self.flags.contains(ChannelFlags::NO_IR);
            let no_ibss = self.flags.contains(ChannelFlags::NO_IBSS);
            if no_ir && no_ibss {
                words.push("no IR");
            } else if no_ir {
                words.push("passive scan");
            } else if no_ibss {
                words.push("no ibss");
            }
            if self.flags.contains(ChannelFlags::RADAR) {
                words.push("radar detection");
            }
        }
        if !words.is_empty() {
            write!(f, " ({})", words.join(", "))?;
        }
        Ok(())
    }
}

/// A WMM rule of the regulatory domain for one access category.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct WmmRule {
    /// Minimum contention window.
    pub cw_min: u16,
    /// Maximum contention window.
    pub cw_max: u16,
    /// Arbitration inter-frame space number.
    pub aifsn: u8,
    /// Transmit opportunity limit, in units of 32 µs.
    pub txop: u16,
}

impl WmmRule {
    fn read(attrs: Attrs<'_>) -> nl_wire::Result<WmmRule> {
        let mut w = WmmRule::default();
        for a in attrs {
            let a = a?;
            match a.ty() {
                NL80211_WMMR_CW_MIN => w.cw_min = a.u16()?,
                NL80211_WMMR_CW_MAX => w.cw_max = a.u16()?,
                NL80211_WMMR_AIFSN => w.aifsn = a.u8()?,
                NL80211_WMMR_TXOP => w.txop = a.u16()?,
                _ => {}
            }
        }
        Ok(w)
    }
}

/// A valid combination of interfaces a wiphy can run at once.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IfaceCombination {
    /// How many interfaces of which types.
    pub limits: Vec<IfaceLimit>,
    /// Most interfaces in total.
    pub max_interfaces: u32,
    /// Most distinct channels.
    pub num_channels: u32,
    /// Station and AP beacon intervals must match.
    pub sta_ap_bi_match: bool,
    /// Channel widths radar detection is supported on (bitmap).
    pub radar_detect_widths: u32,
    /// Regulatory regions radar detection is supported in (bitmap).
    pub radar_detect_regions: u32,
    /// Greatest common divisor beacon intervals must have.
    pub beacon_int_min_gcd: Option<u32>,
}

/// How many interfaces of some types a combination allows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IfaceLimit {
    /// At most this many.
    pub max: u32,
    /// Of these types.
    pub types: Vec<InterfaceType>,
}

impl IfaceCombination {
    fn read(attrs: Attrs<'_>) -> nl_wire::Result<IfaceCombination> {
        let mut c = IfaceCombination::default();
        for a in attrs {
            let a = a?;
            match a.ty() {
                NL80211_IFACE_COMB_LIMITS => {
                    for l in a.nested() {
                        let mut limit = IfaceLimit::default();
                        for x in l?.nested() {
                            let x = x?;
                            match x.ty() {
                                NL80211_IFACE_LIMIT_MAX => limit.max = x.u32()?,
                                NL80211_IFACE_LIMIT_TYPES => limit.types = iftypes(x.nested())?,
                                _ => {}
                            }
                        }
                        c.limits.push(limit);
                    }
                }
                NL80211_IFACE_COMB_MAXNUM => c.max_interfaces = a.u32()?,
                NL80211_IFACE_COMB_NUM_CHANNELS => c.num_channels = a.u32()?,
                NL80211_IFACE_COMB_STA_AP_BI_MATCH => c.sta_ap_bi_match = true,
                NL80211_IFACE_COMB_RADAR_DETECT_WIDTHS => c.radar_detect_widths = a.u32()?,
                NL80211_IFACE_COMB_RADAR_DETECT_REGIONS => c.radar_detect_regions = a.u32()?,
                NL80211_IFACE_COMB_BI_MIN_GCD => c.beacon_int_min_gcd = Some(a.u32()?),
                _ => {}
            }
        }
        Ok(c)
    }
}

/// The channel an interface is on.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct ChannelDef {
    /// Control channel frequency, MHz.
    pub freq: u32,
    /// Its offset, kHz.
    pub freq_offset: u32,
    /// Channel width.
    pub width: Option<ChannelWidth>,
    /// Center frequency of the whole channel, MHz.
    pub center_freq1: Option<u32>,
    /// Center frequency of the second segment (80+80), MHz.
    pub center_freq2: Option<u32>,
    /// The legacy channel type (20/40 MHz channels).
    pub channel_type: Option<ChannelType>,
}

impl fmt::Display for ChannelDef {
    /// As `iw dev` prints it: `1 (2412 MHz), width: 20 MHz (no HT), center1: 2412 MHz`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({} MHz)", frequency_to_channel(self.freq), self.freq)?;
        if let Some(w) = self.width {
            write!(f, ", width: {w}")?;
            if let Some(c) = self.center_freq1 {
                write!(f, ", center1: {c} MHz")?;
            }
            if let Some(c) = self.center_freq2 {
                write!(f, ", center2: {c} MHz")?;
            }
        } else if let Some(t) = self.channel_type {
            match t {
                ChannelType::NoHt => f.write_str(", type: no HT")?,
                ChannelType::Ht20 => f.write_str(", type: HT20")?,
                ChannelType::Ht40Minus => f.write_str(", type: HT40-")?,
                ChannelType::Ht40Plus => f.write_str(", type: HT40+")?,
                ChannelType::Other(n) => write!(f, ", type: unknown ({n})")?,
            }
        }
        Ok(())
    }
}

/// A wireless interface (`struct wireless_dev`): `iw dev`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Interface {
    /// Its network device's index (`None` for a P2P or NAN device, which
    /// has no netdev).
    pub ifindex: Option<u32>,
    /// Its network device's name.
    pub name: Option<String>,
    /// The wiphy it belongs to.
    pub phy: u32,
    /// Its type.
    pub iftype: InterfaceType,
    /// Its wireless device id (wiphy index << 32 | number).
    pub wdev: u64,
    /// Its MAC address.
    pub mac: Option<HwAddr>,
    /// The interface list's generation when this was read.
    pub generation: u32,
    /// 4-address (WDS) frames in use.
    pub four_addr: bool,
    /// The channel it is on, if any.
    pub channel: Option<ChannelDef>,
    /// Transmit power, mBm.
    pub tx_power_mbm: Option<i32>,
    /// The SSID of the network it runs or joined.
    pub ssid: Option<Vec<u8>>,
    /// The mesh id (in events).
    pub mesh_id: Option<Vec<u8>>,
}

/// What a new interface is to be: `iw phy PHY interface add NAME type TYPE
/// [mesh_id ID] [4addr on|off] [addr MAC]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewInterface {
    /// The wiphy to add it to.
    pub phy: u32,
    /// Its name.
    pub name: String,
    /// Its type.
    pub iftype: InterfaceType,
    /// The mesh id of a mesh point.
    pub mesh_id: Option<Vec<u8>>,
    /// Whether it uses 4-address frames.
    pub four_addr: Option<bool>,
    /// Its MAC address (drivers that take one at creation).
    pub mac: Option<HwAddr>,
}

impl NewInterface {
    /// An interface `name` of type `iftype` on wiphy `phy`.
    pub fn new(phy: u32, name: &str, iftype: InterfaceType) -> NewInterface {
        NewInterface {
            phy,
            name: name.to_string(),
            iftype,
            mesh_id: None,
            four_addr: None,
            mac: None,
        }
    }
}

impl Interface {
    /// Writes `NL80211_CMD_GET_INTERFACE` for the interface with index
    /// `ifindex` (`iw dev DEV info`).
    pub fn write_get(family: u16, ifindex: u32, buf: &mut Vec<u8>) -> Result<()> {
        let mut m = request(buf, family, NL80211_CMD_GET_INTERFACE, VERSION, NLM_F_ACK);
        m.put_u32(NL80211_ATTR_IFINDEX, ifindex);
        finish(m)
    }

    /// Writes a dump of every interface, or of wiphy `phy`'s (`iw dev`).
    pub fn write_dump(family: u16, phy: Option<u32>, buf: &mut Vec<u8>) -> Result<()> {
        let mut m = request(buf, family, NL80211_CMD_GET_INTERFACE, VERSION, NLM_F_DUMP);
        if let Some(p) = phy {
            m.put_u32(NL80211_ATTR_WIPHY, p);
        }
        finish(m)
    }

    /// Writes `NL80211_CMD_NEW_INTERFACE` (`iw phy#N interface add NAME
    /// type TYPE`), in iw's order; the kernel answers with the interface.
    pub fn write_add(family: u16, new: &NewInterface, buf: &mut Vec<u8>) -> Result<()> {
        // IFNAMSIZ - 1: the kernel's policy (NLA_NUL_STRING, len 15).
        if new.name.is_empty() || new.name.len() > 15 || new.name.contains(['/', ' ', '\0']) {
            return Err(Error::invalid(
                "interface name",
                format!("{:?}: 1 to 15 bytes, no '/', space or NUL", new.name),
            ));
        }
        let mut m = request(buf, family, NL80211_CMD_NEW_INTERFACE, VERSION, NLM_F_ACK);
        m.put_u32(NL80211_ATTR_WIPHY, new.phy)
            .put_str(NL80211_ATTR_IFNAME, &new.name)
            .put_u32(NL80211_ATTR_IFTYPE, new.iftype.into());
        if let Some(id) = &new.mesh_id {
            m.put_bytes(NL80211_ATTR_MESH_ID, id);
        }
        if let Some(on) = new.four_addr {
            m.put_u8(NL80211_ATTR_4ADDR, u8::from(on));
        }
        if let Some(mac) = &new.mac {
            m.put_hwaddr(NL80211_ATTR_MAC, mac);
        }
        finish(m)
    }

    /// Writes `NL80211_CMD_DEL_INTERFACE` (`iw dev DEV del`).
    pub fn write_del(family: u16, ifindex: u32, buf: &mut Vec<u8>) -> Result<()> {
        let mut m = request(buf, family, NL80211_CMD_DEL_INTERFACE, VERSION, NLM_F_ACK);
        m.put_u32(NL80211_ATTR_IFINDEX, ifindex);
        finish(m)
    }

    /// Writes `NL80211_CMD_SET_INTERFACE` changing the type (`iw dev DEV
    /// set type TYPE`; most drivers want the interface down).
    pub fn write_set_type(
        family: u16,
        ifindex: u32,
        iftype: InterfaceType,
        buf: &mut Vec<u8>,
    ) -> Result<()> {
        let mut m = request(buf, family, NL80211_CMD_SET_INTERFACE, VERSION, NLM_F_ACK);
        m.put_u32(NL80211_ATTR_IFINDEX, ifindex)
            .put_u32(NL80211_ATTR_IFTYPE, iftype.into());
        finish(m)
    }

    /// Parses an interface (a reply, a dump entry, or a `NEW_`, `SET_` or
    /// `DEL_INTERFACE` notification).
    pub fn parse(msg: &GenlMsg<'_>) -> Result<Interface> {
        Interface::read(msg.attrs()).map_err(|e| msg.wire_error(FAMILY, e))
    }

    fn read(attrs: Attrs<'_>) -> nl_wire::Result<Interface> {
        let mut i = Interface::default();
        let mut chan = ChannelDef::default();
        let mut has_chan = false;
        for a in attrs {
            let a = a?;
            match a.ty() {
                NL80211_ATTR_IFINDEX => i.ifindex = Some(a.u32()?),
                NL80211_ATTR_IFNAME => i.name = Some(a.str()?.to_string()),
                NL80211_ATTR_WIPHY => i.phy = a.u32()?,
                NL80211_ATTR_IFTYPE => i.iftype = a.u32()?.into(),
                NL80211_ATTR_WDEV => i.wdev = a.u64()?,
                NL80211_ATTR_MAC => i.mac = Some(a.hwaddr()?),
                NL80211_ATTR_GENERATION => i.generation = a.u32()?,
                NL80211_ATTR_4ADDR => i.four_addr = a.u8()? != 0,
                NL80211_ATTR_WIPHY_TX_POWER_LEVEL => i.tx_power_mbm = Some(a.i32()?),
                NL80211_ATTR_SSID => i.ssid = Some(a.payload().to_vec()),
                NL80211_ATTR_MESH_ID => i.mesh_id = Some(a.payload().to_vec()),
                NL80211_ATTR_WIPHY_FREQ => {
                    chan.freq = a.u32()?;
                    has_chan = true;
                }
                NL80211_ATTR_WIPHY_FREQ_OFFSET => chan.freq_offset = a.u32()?,
                NL80211_ATTR_CHANNEL_WIDTH => chan.width = Some(a.u32()?.into()),
                NL80211_ATTR_CENTER_FREQ1 => chan.center_freq1 = Some(a.u32()?),
                NL80211_ATTR_CENTER_FREQ2 => chan.center_freq2 = Some(a.u32()?),
                NL80211_ATTR_WIPHY_CHANNEL_TYPE => chan.channel_type = Some(a.u32()?.into()),
                _ => {}
            }
        }
        if has_chan {
            i.channel = Some(chan);
        }
        Ok(i)
    }
}

impl fmt::Display for Interface {
    /// As `iw dev DEV info` prints it, up to the transmit power (iw then
    /// adds the multicast TXQ statistics, which this type does not read).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.name {
            Some(n) => writeln!(f, "Interface {n}")?,
            None => writeln!(f, "Unnamed/non-netdev interface")?,
        }
        if let Some(i) = self.ifindex {
            writeln!(f, "\tifindex {i}")?;
        }
        writeln!(f, "\twdev 0x{:x}", self.wdev)?;
        if let Some(m) = &self.mac {
            writeln!(f, "\taddr {m}")?;
        }
        if let Some(s) = &self.ssid {
            writeln!(f, "\tssid {}", SsidDisplay(s))?;
        }
        writeln!(f, "\ttype {}", self.iftype)?;
        writeln!(f, "\twiphy {}", self.phy)?;
        if let Some(c) = &self.channel {
            writeln!(f, "\tchannel {c}")?;
        }
        if let Some(t) = self.tx_power_mbm {
            writeln!(f, "\ttxpower {}.{:02} dBm", t / 100, t % 100)?;
        }
        if self.four_addr {
            writeln!(f, "\t4addr: on")?;
        }
        Ok(())
    }
}

/// An SSID as `iw` escapes it: printable ASCII but `\` and space as is,
/// a leading or trailing space and everything else as `\xNN`.
struct SsidDisplay<'a>(&'a [u8]);

impl fmt::Display for SsidDisplay<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let last = self.0.len().saturating_sub(1);
        for (i, &b) in self.0.iter().enumerate() {
            let edge_space = b == b' ' && (i == 0 || i == last);
            if b.is_ascii_graphic() && b != b'\\' || b == b' ' && !edge_space {
                write!(f, "{}", char::from(b))?;
            } else {
                write!(f, "\\x{b:02x}")?;
            }
        }
        Ok(())
    }
}

/// A bitrate a station was last sent or received at (`struct rate_info`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct RateInfo {
    /// The rate in units of 100 kbit/s (0: unknown).
    pub bitrate: u32,
    /// HT MCS index.
    pub mcs: Option<u8>,
    /// VHT MCS index.
    pub vht_mcs: Option<u8>,
    /// VHT spatial streams.
    pub vht_nss: Option<u8>,
    /// HE MCS index.
    pub he_mcs: Option<u8>,
    /// HE spatial streams.
    pub he_nss: Option<u8>,
    /// HE guard interval (`NL80211_RATE_INFO_HE_GI_*`).
    pub he_gi: Option<u8>,
    /// HE dual carrier modulation.
    pub he_dcm: Option<u8>,
    /// HE resource unit allocation.
    pub he_ru_alloc: Option<u8>,
    /// EHT MCS index.
    pub eht_mcs: Option<u8>,
    /// EHT spatial streams.
    pub eht_nss: Option<u8>,
    /// EHT guard interval.
    pub eht_gi: Option<u8>,
    /// Channel width the rate used (`None`: 20 MHz).
    pub width: Option<ChannelWidth>,
    /// Short guard interval.
    pub short_gi: bool,
}

impl RateInfo {
    fn read(attrs: Attrs<'_>) -> nl_wire::Result<RateInfo> {
        let mut r = RateInfo::default();
        let mut legacy = 0u32;
        for a in attrs {
            let a = a?;
            match a.ty() {
                NL80211_RATE_INFO_BITRATE32 => r.bitrate = a.u32()?,
                NL80211_RATE_INFO_BITRATE => legacy = u32::from(a.u16()?),
                NL80211_RATE_INFO_MCS => r.mcs = Some(a.u8()?),
                NL80211_RATE_INFO_VHT_MCS => r.vht_mcs = Some(a.u8()?),
                NL80211_RATE_INFO_VHT_NSS => r.vht_nss = Some(a.u8()?),
                NL80211_RATE_INFO_HE_MCS => r.he_mcs = Some(a.u8()?),
                NL80211_RATE_INFO_HE_NSS => r.he_nss = Some(a.u8()?),
                NL80211_RATE_INFO_HE_GI => r.he_gi = Some(a.u8()?),
                NL80211_RATE_INFO_HE_DCM => r.he_dcm = Some(a.u8()?),
                NL80211_RATE_INFO_HE_RU_ALLOC => r.he_ru_alloc = Some(a.u8()?),
                NL80211_RATE_INFO_EHT_MCS => r.eht_mcs = Some(a.u8()?),
                NL80211_RATE_INFO_EHT_NSS => r.eht_nss = Some(a.u8()?),
                NL80211_RATE_INFO_EHT_GI => r.eht_gi = Some(a.u8()?),
                NL80211_RATE_INFO_SHORT_GI => r.short_gi = true,
                NL80211_RATE_INFO_40_MHZ_WIDTH => r.width = Some(ChannelWidth::Mhz40),
                NL80211_RATE_INFO_80_MHZ_WIDTH => r.width = Some(ChannelWidth::Mhz80),
                NL80211_RATE_INFO_80P80_MHZ_WIDTH => r.width = Some(ChannelWidth::Mhz80P80),
                NL80211_RATE_INFO_160_MHZ_WIDTH => r.width = Some(ChannelWidth::Mhz160),
                NL80211_RATE_INFO_320_MHZ_WIDTH => r.width = Some(ChannelWidth::Mhz320),
                NL80211_RATE_INFO_5_MHZ_WIDTH => r.width = Some(ChannelWidth::Mhz5),
                NL80211_RATE_INFO_10_MHZ_WIDTH => r.width = Some(ChannelWidth::Mhz10),
                _ => {}
            }
        }
        // The 16-bit rate is sent only when the 32-bit one fits it.
        if r.bitrate == 0 {
            r.bitrate = legacy;
        }
        Ok(r)
    }
}

impl fmt::Display for RateInfo {
    /// As `iw ... station dump` prints it (`54.0 MBit/s`, `65.0 MBit/s MCS 7 short GI`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.bitrate > 0 {
            write!(f, "{}.{} MBit/s", self.bitrate / 10, self.bitrate % 10)?;
        } else {
            f.write_str("(unknown)")?;
        }
        if let Some(m) = self.mcs {
            write!(f, " MCS {m}")?;
        }
        if let Some(m) = self.vht_mcs {
            write!(f, " VHT-MCS {m}")?;
        }
        match self.width {
            Some(ChannelWidth::Mhz40) => f.write_str(" 40MHz")?,
            Some(ChannelWidth::Mhz80) => f.write_str(" 80MHz")?,
            Some(ChannelWidth::Mhz80P80) => f.write_str(" 80P80MHz")?,
            Some(ChannelWidth::Mhz160) => f.write_str(" 160MHz")?,
            Some(ChannelWidth::Mhz320) => f.write_str(" 320MHz")?,
            _ => {}
        }
        if self.short_gi {
            f.write_str(" short GI")?;
        }
        if let Some(n) = self.vht_nss {
            write!(f, " VHT-NSS {n}")?;
        }
        for (word, v) in [
            ("HE-MCS", self.he_mcs),
            ("HE-NSS", self.he_nss),
            ("HE-GI", self.he_gi),
            ("HE-DCM", self.he_dcm),
            ("HE-RU-ALLOC", self.he_ru_alloc),
            ("EHT-MCS", self.eht_mcs),
            ("EHT-NSS", self.eht_nss),
            ("EHT-GI", self.eht_gi),
        ] {
            if let Some(v) = v {
                write!(f, " {word} {v}")?;
            }
        }
        Ok(())
    }
}

/// A station's flags (`struct nl80211_sta_flag_update`): which flags the
/// kernel reports (`mask`) and which of those are set (`set`), bit N
/// being `NL80211_STA_FLAG_*` N.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct StationFlags {
    /// Flags reported.
    pub mask: u32,
    /// Flags set.
    pub set: u32,
}

impl StationFlags {
    /// Whether flag `flag` (`NL80211_STA_FLAG_*`) is reported and set.
    pub fn get(&self, flag: u32) -> Option<bool> {
        let bit = 1u32.checked_shl(flag)?;
        (self.mask & bit != 0).then_some(self.set & bit != 0)
    }
}

/// The BSS parameters a station reports.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct BssParam {
    /// CTS protection in use.
    pub cts_protection: bool,
    /// Short preamble in use.
    pub short_preamble: bool,
    /// Short slot time in use.
    pub short_slot_time: bool,
    /// DTIM period.
    pub dtim_period: Option<u8>,
    /// Beacon interval, TU.
    pub beacon_interval: Option<u16>,
}

/// A station (a peer: the AP of a managed interface, a client of an AP,
/// an IBSS or mesh peer) with its statistics: `iw dev DEV station dump`
/// (mdlayher/wifi's `StationInfo`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Station {
    /// The interface it is seen on.
    pub ifindex: u32,
    /// Its MAC address.
    pub mac: Option<HwAddr>,
    /// The station list's generation.
    pub generation: u32,
    /// Since it was last heard, ms.
    pub inactive_ms: Option<u32>,
    /// Connected for, seconds.
    pub connected_secs: Option<u32>,
    /// Bytes received from it (64-bit where the kernel sends it).
    pub rx_bytes: Option<u64>,
    /// Bytes sent to it.
    pub tx_bytes: Option<u64>,
    /// Packets received from it.
    pub rx_packets: Option<u32>,
    /// Packets sent to it.
    pub tx_packets: Option<u32>,
    /// Retransmissions to it.
    pub tx_retries: Option<u32>,
    /// Packets to it that failed.
    pub tx_failed: Option<u32>,
    /// Received packets dropped for other reasons.
    pub rx_drop_misc: Option<u64>,
    /// Beacons lost.
    pub beacon_loss: Option<u32>,
    /// Beacons received.
    pub beacon_rx: Option<u64>,
    /// Signal of the last packet, dBm.
    pub signal: Option<i8>,
    /// Average signal, dBm.
    pub signal_avg: Option<i8>,
    /// Average beacon signal, dBm.
    pub beacon_signal_avg: Option<i8>,
    /// Signal per antenna chain, dBm.
    pub chain_signal: Vec<i8>,
    /// Average signal per antenna chain, dBm.
    pub chain_signal_avg: Vec<i8>,
    /// Rate of the last packet sent.
    pub tx_bitrate: Option<RateInfo>,
    /// Rate of the last packet received.
    pub rx_bitrate: Option<RateInfo>,
    /// Expected throughput, kbit/s.
    pub expected_throughput_kbps: Option<u32>,
    /// Mesh local link id.
    pub llid: Option<u16>,
    /// Mesh peer link id.
    pub plid: Option<u16>,
    /// Mesh peer link state.
    pub plink_state: Option<PlinkState>,
    /// Flags (authorized, authenticated, associated, WME, MFP, TDLS ...).
    pub flags: Option<StationFlags>,
    /// BSS parameters.
    pub bss_param: Option<BssParam>,
    /// Timing offset to the peer (mesh), µs.
    pub t_offset: Option<i64>,
    /// Time spent receiving from it, µs.
    pub rx_duration: Option<u64>,
    /// Time spent sending to it, µs.
    pub tx_duration: Option<u64>,
    /// When it associated (CLOCK_BOOTTIME, ns).
    pub assoc_at_boottime_ns: Option<u64>,
}

impl Station {
    /// Writes a dump of the stations of interface `ifindex` (`iw dev DEV
    /// station dump`).
    pub fn write_dump(family: u16, ifindex: u32, buf: &mut Vec<u8>) -> Result<()> {
        let mut m = request(buf, family, NL80211_CMD_GET_STATION, VERSION, NLM_F_DUMP);
        m.put_u32(NL80211_ATTR_IFINDEX, ifindex);
        finish(m)
    }

    /// Writes `NL80211_CMD_GET_STATION` for station `mac` of interface
    /// `ifindex` (`iw dev DEV station get MAC`).
    pub fn write_get(family: u16, ifindex: u32, mac: &HwAddr, buf: &mut Vec<u8>) -> Result<()> {
        let mut m = request(buf, family, NL80211_CMD_GET_STATION, VERSION, NLM_F_ACK);
        m.put_u32(NL80211_ATTR_IFINDEX, ifindex)
            .put_hwaddr(NL80211_ATTR_MAC, mac);
        finish(m)
    }

    /// Parses a station (a reply, a dump entry, or a `NEW_STATION` /
    /// `DEL_STATION` notification).
    pub fn parse(msg: &GenlMsg<'_>) -> Result<Station> {
        Station::read(msg.attrs()).map_err(|e| msg.wire_error(FAMILY, e))
    }

    fn read(attrs: Attrs<'_>) -> nl_wire::Result<Station> {
        let mut s = Station::default();
        for a in attrs {
            let a = a?;
            match a.ty() {
                NL80211_ATTR_IFINDEX => s.ifindex = a.u32()?,
                NL80211_ATTR_MAC => s.mac = Some(a.hwaddr()?),
                NL80211_ATTR_GENERATION => s.generation = a.u32()?,
                NL80211_ATTR_STA_INFO => s.read_info(a.nested())?,
                _ => {}
            }
        }
        Ok(s)
    }

    fn read_info(&mut self, attrs: Attrs<'_>) -> nl_wire::Result<()> {
        let mut rx32 = None;
        let mut tx32 = None;
        for a in attrs {
            let a = a?;
            match a.ty() {
                NL80211_STA_INFO_INACTIVE_TIME => self.inactive_ms = Some(a.u32()?),
                NL80211_STA_INFO_CONNECTED_TIME => self.connected_secs = Some(a.u32()?),
                NL80211_STA_INFO_RX_BYTES => rx32 = Some(u64::from(a.u32()?)),
                NL80211_STA_INFO_TX_BYTES => tx32 = Some(u64::from(a.u32()?)),
                NL80211_STA_INFO_RX_BYTES64 => self.rx_bytes = Some(a.u64()?),
                NL80211_STA_INFO_TX_BYTES64 => self.tx_bytes = Some(a.u64()?),
                NL80211_STA_INFO_RX_PACKETS => self.rx_packets = Some(a.u32()?),
                NL80211_STA_INFO_TX_PACKETS => self.tx_packets = Some(a.u32()?),
                NL80211_STA_INFO_TX_RETRIES => self.tx_retries = Some(a.u32()?),
                NL80211_STA_INFO_TX_FAILED => self.tx_failed = Some(a.u32()?),
                NL80211_STA_INFO_RX_DROP_MISC => self.rx_drop_misc = Some(a.u64()?),
                NL80211_STA_INFO_BEACON_LOSS => self.beacon_loss = Some(a.u32()?),
                NL80211_STA_INFO_BEACON_RX => self.beacon_rx = Some(a.u64()?),
                NL80211_STA_INFO_SIGNAL => self.signal = Some(a.i8()?),
                NL80211_STA_INFO_SIGNAL_AVG => self.signal_avg = Some(a.i8()?),
                NL80211_STA_INFO_BEACON_SIGNAL_AVG => self.beacon_signal_avg = Some(a.i8()?),
                NL80211_STA_INFO_CHAIN_SIGNAL => self.chain_signal = signals(a.nested())?,
                NL80211_STA_INFO_CHAIN_SIGNAL_AVG => self.chain_signal_avg = signals(a.nested())?,
                NL80211_STA_INFO_TX_BITRATE => self.tx_bitrate = Some(RateInfo::read(a.nested())?),
                NL80211_STA_INFO_RX_BITRATE => self.rx_bitrate = Some(RateInfo::read(a.nested())?),
                NL80211_STA_INFO_EXPECTED_THROUGHPUT => {
                    self.expected_throughput_kbps = Some(a.u32()?)
                }
                NL80211_STA_INFO_LLID => self.llid = Some(a.u16()?),
                NL80211_STA_INFO_PLID => self.plid = Some(a.u16()?),
                NL80211_STA_INFO_PLINK_STATE => self.plink_state = Some(a.u8()?.into()),
                NL80211_STA_INFO_STA_FLAGS => {
                    let [m0, m1, m2, m3, s0, s1, s2, s3] = fixed::<8>(&a)?;
                    self.flags = Some(StationFlags {
                        mask: u32::from_ne_bytes([m0, m1, m2, m3]),
                        set: u32::from_ne_bytes([s0, s1, s2, s3]),
                    });
                }
                NL80211_STA_INFO_BSS_PARAM => {
                    let mut p = BssParam::default();
                    for x in a.nested() {
                        let x = x?;
                        match x.ty() {
                            NL80211_STA_BSS_PARAM_CTS_PROT => p.cts_protection = true,
                            NL80211_STA_BSS_PARAM_SHORT_PREAMBLE => p.short_preamble = true,
                            NL80211_STA_BSS_PARAM_SHORT_SLOT_TIME => p.short_slot_time = true,
                            NL80211_STA_BSS_PARAM_DTIM_PERIOD => p.dtim_period = Some(x.u8()?),
                            NL80211_STA_BSS_PARAM_BEACON_INTERVAL => {
                                p.beacon_interval = Some(x.u16()?)
                            }
                            _ => {}
                        }
                    }
                    self.bss_param = Some(p);
                }
                NL80211_STA_INFO_T_OFFSET => self.t_offset = Some(a.i64()?),
                NL80211_STA_INFO_RX_DURATION => self.rx_duration = Some(a.u64()?),
                NL80211_STA_INFO_TX_DURATION => self.tx_duration = Some(a.u64()?),
                NL80211_STA_INFO_ASSOC_AT_BOOTTIME => self.assoc_at_boottime_ns = Some(a.u64()?),
                _ => {}
            }
        }
        // The 32-bit counters only where the kernel sent no 64-bit ones.
        self.rx_bytes = self.rx_bytes.or(rx32);
        self.tx_bytes = self.tx_bytes.or(tx32);
        Ok(())
    }
}

/// Per-chain signals: a nest of `u8` (dBm as `s8`), numbered by chain.
fn signals(nest: Attrs<'_>) -> nl_wire::Result<Vec<i8>> {
    let mut out = Vec::new();
    for a in nest {
        out.push(a?.i8()?);
    }
    Ok(out)
}

/// A payload of exactly `N` bytes.
fn fixed<const N: usize>(a: &Attr<'_>) -> nl_wire::Result<[u8; N]> {
    <[u8; N]>::try_from(a.payload()).map_err(|_| nl_wire::Error::PayloadLen {
        ty: a.ty(),
        need: N,
        have: a.payload().len(),
        offset: a.offset(),
    })
}

/// A scan that started, finished or was aborted (`"scan"` group).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ScanEvent {
    /// The wiphy scanning.
    pub phy: Option<u32>,
    /// The interface scanning.
    pub ifindex: Option<u32>,
    /// The wireless device scanning (interfaces without a netdev).
    pub wdev: Option<u64>,
    /// The frequencies scanned, MHz.
    pub frequencies: Vec<u32>,
    /// The SSIDs probed for (an empty one: wildcard).
    pub ssids: Vec<Vec<u8>>,
    /// `NL80211_SCAN_FLAG_*`.
    pub flags: Option<u32>,
}

impl ScanEvent {
    fn read(attrs: Attrs<'_>) -> nl_wire::Result<ScanEvent> {
        let mut s = ScanEvent::default();
        for a in attrs {
            let a = a?;
            match a.ty() {
                NL80211_ATTR_WIPHY => s.phy = Some(a.u32()?),
                NL80211_ATTR_IFINDEX => s.ifindex = Some(a.u32()?),
                NL80211_ATTR_WDEV => s.wdev = Some(a.u64()?),
                NL80211_ATTR_SCAN_FREQUENCIES => {
                    for f in a.nested() {
                        s.frequencies.push(f?.u32()?);
                    }
                }
                NL80211_ATTR_SCAN_SSIDS => {
                    for x in a.nested() {
                        s.ssids.push(x?.payload().to_vec());
                    }
                }
                NL80211_ATTR_SCAN_FLAGS => s.flags = Some(a.u32()?),
                _ => {}
            }
        }
        Ok(s)
    }

    /// `iw event`'s text after "scan finished:" / "scan aborted:".
    fn fmt_results(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.frequencies.is_empty() {
            for freq in &self.frequencies {
                write!(f, " {freq}")?;
            }
            f.write_str(",")?;
        }
        for s in &self.ssids {
            write!(f, " \"{}\"", SsidDisplay(s))?;
        }
        Ok(())
    }
}

/// A connection, authentication or association event (`"mlme"` group).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MlmeEvent {
    /// The command (`NL80211_CMD_CONNECT`, `_DISCONNECT`, `_ROAM`,
    /// `_AUTHENTICATE`, `_ASSOCIATE`, `_DEAUTHENTICATE`, `_DISASSOCIATE`,
    /// `_JOIN_IBSS`, `_CH_SWITCH_NOTIFY` ...).
    pub cmd: u8,
    /// The wiphy.
    pub phy: Option<u32>,
    /// The interface.
    pub ifindex: Option<u32>,
    /// The peer or BSSID.
    pub mac: Option<HwAddr>,
    /// IEEE 802.11 status code (connect).
    pub status_code: Option<u16>,
    /// IEEE 802.11 reason code (disconnect).
    pub reason_code: Option<u16>,
    /// The operation timed out.
    pub timed_out: bool,
    /// The AP disconnected us (not a local request).
    pub by_ap: bool,
    /// The frequency (channel switch), MHz.
    pub freq: Option<u32>,
}

impl MlmeEvent {
    fn read(cmd: u8, attrs: Attrs<'_>) -> nl_wire::Result<MlmeEvent> {
        let mut e = MlmeEvent {
            cmd,
            ..MlmeEvent::default()
        };
        for a in attrs {
            let a = a?;
            match a.ty() {
                NL80211_ATTR_WIPHY => e.phy = Some(a.u32()?),
                NL80211_ATTR_IFINDEX => e.ifindex = Some(a.u32()?),
                NL80211_ATTR_MAC => e.mac = Some(a.hwaddr()?),
                NL80211_ATTR_STATUS_CODE => e.status_code = Some(a.u16()?),
                NL80211_ATTR_REASON_CODE => e.reason_code = Some(a.u16()?),
                NL80211_ATTR_TIMED_OUT => e.timed_out = true,
                NL80211_ATTR_DISCONNECTED_BY_AP => e.by_ap = true,
                NL80211_ATTR_WIPHY_FREQ => e.freq = Some(a.u32()?),
                _ => {}
            }
        }
        Ok(e)
    }
}

/// A regulatory domain change (`"regulatory"` group).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RegEvent {
    /// `NL80211_CMD_REG_CHANGE` or `NL80211_CMD_WIPHY_REG_CHANGE`.
    pub cmd: u8,
    /// The wiphy (a wiphy's own domain).
    pub phy: Option<u32>,
    /// Who asked (`NL80211_REGDOM_SET_BY_*`).
    pub initiator: Option<u8>,
    /// What kind of domain (`NL80211_REGDOM_TYPE_*`).
    pub reg_type: Option<u8>,
    /// The country (`"DE"`, `"00"` for world).
    pub alpha2: Option<String>,
}

/// A notification of nl80211's groups: `iw event`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum WifiEvent {
    /// A wiphy appeared or was renamed (`"config"`).
    NewPhy(Phy),
    /// A wiphy went (`"config"`).
    DelPhy(Phy),
    /// An interface was added (`"config"`).
    NewInterface(Interface),
    /// An interface changed type or mode (`"config"`).
    SetInterface(Interface),
    /// An interface was deleted (`"config"`).
    DelInterface(Interface),
    /// A scan started (`"scan"`).
    ScanStarted(ScanEvent),
    /// A scan finished; its results can be dumped (`"scan"`).
    ScanFinished(ScanEvent),
    /// A scan was aborted (`"scan"`).
    ScanAborted(ScanEvent),
    /// A station (peer) was added (`"mlme"`).
    NewStation(Station),
    /// A station was removed (`"mlme"`).
    DelStation(Station),
    /// A connection, authentication or association event (`"mlme"`).
    Mlme(MlmeEvent),
    /// A regulatory domain change (`"regulatory"`).
    Regulatory(RegEvent),
    /// Another command; its wiphy and interface if it named them.
    Other {
        /// The command.
        cmd: u8,
        /// The wiphy.
        phy: Option<u32>,
        /// The interface.
        ifindex: Option<u32>,
    },
}

/// The MLME commands [`WifiEvent::Mlme`] carries.
const MLME_CMDS: [u8; 12] = [
    NL80211_CMD_AUTHENTICATE,
    NL80211_CMD_ASSOCIATE,
    NL80211_CMD_DEAUTHENTICATE,
    NL80211_CMD_DISASSOCIATE,
    NL80211_CMD_UNPROT_DEAUTHENTICATE,
    NL80211_CMD_UNPROT_DISASSOCIATE,
    NL80211_CMD_CONNECT,
    NL80211_CMD_ROAM,
    NL80211_CMD_DISCONNECT,
    NL80211_CMD_JOIN_IBSS,
    NL80211_CMD_CH_SWITCH_NOTIFY,
    NL80211_CMD_CH_SWITCH_STARTED_NOTIFY,
];

impl WifiEvent {
    /// Parses a notification of nl80211's multicast groups.
    pub fn parse(msg: &GenlMsg<'_>) -> Result<WifiEvent> {
        let err = |e| msg.wire_error(FAMILY, e);
        let cmd = msg.cmd();
        Ok(match cmd {
            NL80211_CMD_NEW_WIPHY => WifiEvent::NewPhy(Phy::parse(msg)?),
            NL80211_CMD_DEL_WIPHY => WifiEvent::DelPhy(Phy::parse(msg)?),
            NL80211_CMD_NEW_INTERFACE => WifiEvent::NewInterface(Interface::parse(msg)?),
            NL80211_CMD_SET_INTERFACE => WifiEvent::SetInterface(Interface::parse(msg)?),
            NL80211_CMD_DEL_INTERFACE => WifiEvent::DelInterface(Interface::parse(msg)?),
            NL80211_CMD_TRIGGER_SCAN => {
                WifiEvent::ScanStarted(ScanEvent::read(msg.attrs()).map_err(err)?)
            }
            NL80211_CMD_NEW_SCAN_RESULTS => {
                WifiEvent::ScanFinished(ScanEvent::read(msg.attrs()).map_err(err)?)
            }
            NL80211_CMD_SCAN_ABORTED => {
                WifiEvent::ScanAborted(ScanEvent::read(msg.attrs()).map_err(err)?)
            }
            NL80211_CMD_NEW_STATION => WifiEvent::NewStation(Station::parse(msg)?),
            NL80211_CMD_DEL_STATION => WifiEvent::DelStation(Station::parse(msg)?),
            NL80211_CMD_REG_CHANGE | NL80211_CMD_WIPHY_REG_CHANGE => {
                let mut r = RegEvent {
                    cmd,
                    ..RegEvent::default()
                };
                for a in msg.attrs() {
                    let a = a.map_err(err)?;
                    match a.ty() {
                        NL80211_ATTR_WIPHY => r.phy = Some(a.u32().map_err(err)?),
                        NL80211_ATTR_REG_INITIATOR => r.initiator = Some(a.u8().map_err(err)?),
                        NL80211_ATTR_REG_TYPE => r.reg_type = Some(a.u8().map_err(err)?),
                        NL80211_ATTR_REG_ALPHA2 => {
                            r.alpha2 = Some(a.str().map_err(err)?.to_string())
                        }
                        _ => {}
                    }
                }
                WifiEvent::Regulatory(r)
            }
            c if MLME_CMDS.contains(&c) => {
                WifiEvent::Mlme(MlmeEvent::read(c, msg.attrs()).map_err(err)?)
            }
            other => {
                let mut phy = None;
                let mut ifindex = None;
                for a in msg.attrs() {
                    let a = a.map_err(err)?;
                    match a.ty() {
                        NL80211_ATTR_WIPHY => phy = Some(a.u32().map_err(err)?),
                        NL80211_ATTR_IFINDEX => ifindex = Some(a.u32().map_err(err)?),
                        _ => {}
                    }
                }
                WifiEvent::Other {
                    cmd: other,
                    phy,
                    ifindex,
                }
            }
        })
    }

    /// The interface the event is about, if it names one.
    pub fn ifindex(&self) -> Option<u32> {
        match self {
            WifiEvent::NewInterface(i)
            | WifiEvent::SetInterface(i)
            | WifiEvent::DelInterface(i) => i.ifindex,
            WifiEvent::ScanStarted(s) | WifiEvent::ScanFinished(s) | WifiEvent::ScanAborted(s) => {
                s.ifindex
            }
            WifiEvent::NewStation(s) | WifiEvent::DelStation(s) => Some(s.ifindex),
            WifiEvent::Mlme(m) => m.ifindex,
            WifiEvent::Other { ifindex, .. } => *ifindex,
            WifiEvent::NewPhy(_) | WifiEvent::DelPhy(_) | WifiEvent::Regulatory(_) => None,
        }
    }

    /// The wiphy the event is about, if it names one.
    pub fn phy(&self) -> Option<u32> {
        match self {
            WifiEvent::NewPhy(p) | WifiEvent::DelPhy(p) => Some(p.index),
            WifiEvent::NewInterface(i)
            | WifiEvent::SetInterface(i)
            | WifiEvent::DelInterface(i) => Some(i.phy),
            WifiEvent::ScanStarted(s) | WifiEvent::ScanFinished(s) | WifiEvent::ScanAborted(s) => {
                s.phy
            }
            WifiEvent::NewStation(_) | WifiEvent::DelStation(_) => None,
            WifiEvent::Mlme(m) => m.phy,
            WifiEvent::Regulatory(r) => r.phy,
            WifiEvent::Other { phy, .. } => *phy,
        }
    }
}

/// `iw`'s words for who set a regulatory domain.
fn initiator_words(initiator: Option<u8>) -> &'static str {
    match initiator {
        Some(NL80211_REGDOM_SET_BY_CORE) => "the wireless core upon initialization",
        Some(NL80211_REGDOM_SET_BY_USER) => "a user",
        Some(NL80211_REGDOM_SET_BY_DRIVER) => "a driver",
        Some(NL80211_REGDOM_SET_BY_COUNTRY_IE) => "a country IE",
        _ => "BUG",
    }
}

impl fmt::Display for WifiEvent {
    /// What `iw event` prints after the device (`"wlan0 (phy #0): "`):
    /// `new interface type station use 4addr 0`, `scan started`,
    /// `new station 02:00:00:00:01:00` ... (status and reason codes
    /// without iw's descriptions of them).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WifiEvent::NewPhy(p) => write!(f, "renamed to {}", p.name),
            WifiEvent::DelPhy(_) => f.write_str("delete wiphy"),
            WifiEvent::NewInterface(i)
            | WifiEvent::SetInterface(i)
            | WifiEvent::DelInterface(i) => {
                let verb = match self {
                    WifiEvent::NewInterface(_) => "new",
                    WifiEvent::SetInterface(_) => "set",
                    _ => "del",
                };
                write!(f, "{verb} interface type {}", i.iftype.event_word())?;
                if let Some(id) = &i.mesh_id {
                    write!(f, " meshid {}", SsidDisplay(id))?;
                }
                // The kernel always sends NL80211_ATTR_4ADDR with an interface.
                write!(f, " use 4addr {}", u8::from(i.four_addr))
            }
            WifiEvent::ScanStarted(_) => f.write_str("scan started"),
            WifiEvent::ScanFinished(s) => {
                f.write_str("scan finished:")?;
                s.fmt_results(f)
            }
            WifiEvent::ScanAborted(s) => {
                f.write_str("scan aborted:")?;
                s.fmt_results(f)
            }
            WifiEvent::NewStation(s) => write!(f, "new station {}", MacDisplay(s.mac)),
            WifiEvent::DelStation(s) => write!(f, "del station {}", MacDisplay(s.mac)),
            WifiEvent::Mlme(m) => fmt_mlme(m, f),
            WifiEvent::Regulatory(r) => {
                if r.cmd == NL80211_CMD_WIPHY_REG_CHANGE {
                    f.write_str("regulatory domain change (phy): ")?;
                } else {
                    f.write_str("regulatory domain change: ")?;
                }
                let by = initiator_words(r.initiator);
                match r.reg_type {
                    Some(NL80211_REGDOM_TYPE_COUNTRY) => {
                        write!(
                            f,
                            "set to {} by {by} request",
                            r.alpha2.as_deref().unwrap_or("")
                        )?;
                        if let Some(p) = r.phy {
                            write!(f, " on phy{p}")?;
                        }
                        Ok(())
                    }
                    Some(NL80211_REGDOM_TYPE_WORLD) => {
                        write!(f, "set to world roaming by {by} request")
                    }
                    Some(NL80211_REGDOM_TYPE_CUSTOM_WORLD) => write!(
                        f,
                        "custom world roaming rules in place on phy{} by {by} request",
                        r.phy.unwrap_or(0)
                    ),
                    Some(NL80211_REGDOM_TYPE_INTERSECTION) => {
                        write!(f, "intersection used due to a request made by {by}")?;
                        if let Some(p) = r.phy {
                            write!(f, " on phy{p}")?;
                        }
                        Ok(())
                    }
                    _ => f.write_str("unknown source (upgrade this utility)"),
                }
            }
            WifiEvent::Other { cmd, .. } => write!(f, "unknown event {cmd}"),
        }
    }
}

/// A MAC address, or `??` when absent.
struct MacDisplay(Option<HwAddr>);

impl fmt::Display for MacDisplay {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Some(m) => write!(f, "{m}"),
            None => f.write_str("??"),
        }
    }
}

/// `iw event`'s text for an MLME event.
fn fmt_mlme(m: &MlmeEvent, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    let timed_out_or_unknown = |f: &mut fmt::Formatter<'_>| {
        if m.timed_out {
            f.write_str(": timed out")
        } else {
            f.write_str(": unknown event")
        }
    };
    match m.cmd {
        NL80211_CMD_JOIN_IBSS => write!(f, "IBSS {} joined", MacDisplay(m.mac)),
        NL80211_CMD_AUTHENTICATE => {
            f.write_str("auth")?;
            timed_out_or_unknown(f)
        }
        NL80211_CMD_ASSOCIATE => {
            f.write_str("assoc")?;
            timed_out_or_unknown(f)
        }
        NL80211_CMD_DEAUTHENTICATE => f.write_str("deauth"),
        NL80211_CMD_DISASSOCIATE => f.write_str("disassoc"),
        NL80211_CMD_UNPROT_DEAUTHENTICATE => f.write_str("unprotected deauth"),
        NL80211_CMD_UNPROT_DISASSOCIATE => f.write_str("unprotected disassoc"),
        NL80211_CMD_CONNECT => {
            match (m.timed_out, m.status_code) {
                (true, _) => f.write_str("timed out")?,
                (false, None) => f.write_str("unknown connect status")?,
                (false, Some(0)) => f.write_str("connected")?,
                (false, Some(_)) => f.write_str("failed to connect")?,
            }
            if let Some(mac) = &m.mac {
                write!(f, " to {mac}")?;
            }
            match m.status_code {
                Some(s) if s != 0 && !m.timed_out => write!(f, ", status: {s}"),
                _ => Ok(()),
            }
        }
        NL80211_CMD_ROAM => {
            f.write_str("roamed")?;
            match &m.mac {
                Some(mac) => write!(f, " to {mac}"),
                None => Ok(()),
            }
        }
        NL80211_CMD_DISCONNECT => {
            f.write_str("disconnected")?;
            f.write_str(if m.by_ap {
                " (by AP)"
            } else {
                " (local request)"
            })?;
            match m.reason_code {
                Some(r) => write!(f, " reason: {r}"),
                None => Ok(()),
            }
        }
        NL80211_CMD_CH_SWITCH_STARTED_NOTIFY | NL80211_CMD_CH_SWITCH_NOTIFY => {
            if m.cmd == NL80211_CMD_CH_SWITCH_NOTIFY {
                f.write_str("channel switch")?;
            } else {
                f.write_str("channel switch started")?;
            }
            match m.freq {
                Some(freq) => write!(f, " freq={freq}"),
                None => Ok(()),
            }
        }
        other => write!(f, "unknown event {other}"),
    }
}

fn finish(m: MsgBuilder<'_>) -> Result<()> {
    m.finish().map_err(Error::Build)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use nl_wire::{Msg, Msgs};

    const FAM: u16 = 0x1f;

    fn genl(buf: &[u8]) -> GenlMsg<'_> {
        let (msg, _) = Msg::parse(buf).unwrap();
        GenlMsg::parse(&msg, 0).unwrap()
    }

    fn each(data: &[u8]) -> Vec<GenlMsg<'_>> {
        Msgs::new(data)
            .map(|m| GenlMsg::parse(&m.unwrap(), 0).unwrap())
            .collect()
    }

    /// A split wiphy dump as `nl80211_send_wiphy` lays it out (hwsim-like
    /// values): wiphy 0 in 15 parts (limits, ciphers, interface types, band
    /// 0 rate information then one channel per message, band 1, an S1G
    /// channel, commands, combinations, features, frame types and address,
    /// extended features), then wiphy 1's first part.
    #[rustfmt::skip]
    const WIPHY_DUMP: &[u8] = &[
        0x8c, 0x00, 0x00, 0x00, 0x1f, 0x00, 0x02, 0x00, 0x07, 0x00, 0x00, 0x00, 0x42, 0x42, 0x00, 0x00,
        0x03, 0x01, 0x00, 0x00, 0x08, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x09, 0x00, 0x02, 0x00,
        0x70, 0x68, 0x79, 0x30, 0x00, 0x00, 0x00, 0x00, 0x08, 0x00, 0x2e, 0x00, 0x05, 0x00, 0x00, 0x00,
        0x05, 0x00, 0x3d, 0x00, 0x07, 0x00, 0x00, 0x00, 0x05, 0x00, 0x3e, 0x00, 0x04, 0x00, 0x00, 0x00,
        0x08, 0x00, 0x3f, 0x00, 0xff, 0xff, 0xff, 0xff, 0x08, 0x00, 0x40, 0x00, 0xff, 0xff, 0xff, 0xff,
        0x05, 0x00, 0x59, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05, 0x00, 0x2b, 0x00, 0xff, 0x00, 0x00, 0x00,
        0x05, 0x00, 0x7b, 0x00, 0x00, 0x00, 0x00, 0x00, 0x06, 0x00, 0x38, 0x00, 0x00, 0x09, 0x00, 0x00,
        0x06, 0x00, 0x7c, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05, 0x00, 0x85, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x04, 0x00, 0x68, 0x00, 0x04, 0x00, 0x82, 0x00, 0x04, 0x00, 0x8b, 0x00, 0x68, 0x00, 0x00, 0x00,
        0x1f, 0x00, 0x02, 0x00, 0x07, 0x00, 0x00, 0x00, 0x42, 0x42, 0x00, 0x00, 0x03, 0x01, 0x00, 0x00,
        0x08, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x09, 0x00, 0x02, 0x00, 0x70, 0x68, 0x79, 0x30,
        0x00, 0x00, 0x00, 0x00, 0x08, 0x00, 0x2e, 0x00, 0x05, 0x00, 0x00, 0x00, 0x1c, 0x00, 0x39, 0x00,
        0x01, 0xac, 0x0f, 0x00, 0x05, 0xac, 0x0f, 0x00, 0x02, 0xac, 0x0f, 0x00, 0x04, 0xac, 0x0f, 0x00,
        0x06, 0xac, 0x0f, 0x00, 0x08, 0xac, 0x0f, 0x00, 0x05, 0x00, 0x56, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x04, 0x00, 0x66, 0x00, 0x08, 0x00, 0x71, 0x00, 0x00, 0x00, 0x00, 0x00, 0x08, 0x00, 0x72, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x54, 0x00, 0x00, 0x00, 0x1f, 0x00, 0x02, 0x00, 0x07, 0x00, 0x00, 0x00,
        0x42, 0x42, 0x00, 0x00, 0x03, 0x01, 0x00, 0x00, 0x08, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x09, 0x00, 0x02, 0x00, 0x70, 0x68, 0x79, 0x30, 0x00, 0x00, 0x00, 0x00, 0x08, 0x00, 0x2e, 0x00,
        0x05, 0x00, 0x00, 0x00, 0x24, 0x00, 0x20, 0x00, 0x04, 0x00, 0x01, 0x00, 0x04, 0x00, 0x02, 0x00,
        0x04, 0x00, 0x03, 0x00, 0x04, 0x00, 0x06, 0x00, 0x04, 0x00, 0x07, 0x00, 0x04, 0x00, 0x08, 0x00,
        0x04, 0x00, 0x09, 0x00, 0x04, 0x00, 0x0b, 0x00, 0xdc, 0x00, 0x00, 0x00, 0x1f, 0x00, 0x02, 0x00,
        0x07, 0x00, 0x00, 0x00, 0x42, 0x42, 0x00, 0x00, 0x03, 0x01, 0x00, 0x00, 0x08, 0x00, 0x01, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x09, 0x00, 0x02, 0x00, 0x70, 0x68, 0x79, 0x30, 0x00, 0x00, 0x00, 0x00,
        0x08, 0x00, 0x2e, 0x00, 0x05, 0x00, 0x00, 0x00, 0xac, 0x00, 0x16, 0x00, 0xa8, 0x00, 0x00, 0x00,
        0x14, 0x00, 0x03, 0x00, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x06, 0x00, 0x04, 0x00, 0x3e, 0x11, 0x00, 0x00, 0x05, 0x00, 0x05, 0x00,
        0x03, 0x00, 0x00, 0x00, 0x05, 0x00, 0x06, 0x00, 0x06, 0x00, 0x00, 0x00, 0x2c, 0x00, 0x09, 0x00,
        0x28, 0x00, 0x01, 0x00, 0x08, 0x00, 0x01, 0x00, 0x04, 0x00, 0x02, 0x00, 0x0a, 0x00, 0x02, 0x00,
        0x01, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0f, 0x00, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x4c, 0x00, 0x02, 0x00, 0x0c, 0x00, 0x00, 0x00,
        0x08, 0x00, 0x01, 0x00, 0x0a, 0x00, 0x00, 0x00, 0x10, 0x00, 0x01, 0x00, 0x08, 0x00, 0x01, 0x00,
        0x14, 0x00, 0x00, 0x00, 0x04, 0x00, 0x02, 0x00, 0x10, 0x00, 0x02, 0x00, 0x08, 0x00, 0x01, 0x00,
        0x37, 0x00, 0x00, 0x00, 0x04, 0x00, 0x02, 0x00, 0x10, 0x00, 0x03, 0x00, 0x08, 0x00, 0x01, 0x00,
        0x6e, 0x00, 0x00, 0x00, 0x04, 0x00, 0x02, 0x00, 0x0c, 0x00, 0x04, 0x00, 0x08, 0x00, 0x01, 0x00,
        0x3c, 0x00, 0x00, 0x00, 0x58, 0x00, 0x00, 0x00, 0x1f, 0x00, 0x02, 0x00, 0x07, 0x00, 0x00, 0x00,
        0x42, 0x42, 0x00, 0x00, 0x03, 0x01, 0x00, 0x00, 0x08, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x09, 0x00, 0x02, 0x00, 0x70, 0x68, 0x79, 0x30, 0x00, 0x00, 0x00, 0x00, 0x08, 0x00, 0x2e, 0x00,
        0x05, 0x00, 0x00, 0x00, 0x28, 0x00, 0x16, 0x00, 0x24, 0x00, 0x00, 0x00, 0x20, 0x00, 0x01, 0x00,
        0x1c, 0x00, 0x00, 0x00, 0x08, 0x00, 0x01, 0x00, 0x6c, 0x09, 0x00, 0x00, 0x08, 0x00, 0x14, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x08, 0x00, 0x06, 0x00, 0xd0, 0x07, 0x00, 0x00, 0x58, 0x00, 0x00, 0x00,
        0x1f, 0x00, 0x02, 0x00, 0x07, 0x00, 0x00, 0x00, 0x42, 0x42, 0x00, 0x00, 0x03, 0x01, 0x00, 0x00,
        0x08, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x09, 0x00, 0x02, 0x00, 0x70, 0x68, 0x79, 0x30,
        0x00, 0x00, 0x00, 0x00, 0x08, 0x00, 0x2e, 0x00, 0x05, 0x00, 0x00, 0x00, 0x28, 0x00, 0x16, 0x00,
        0x24, 0x00, 0x00, 0x00, 0x20, 0x00, 0x01, 0x00, 0x1c, 0x00, 0x01, 0x00, 0x08, 0x00, 0x01, 0x00,
        0x71, 0x09, 0x00, 0x00, 0x08, 0x00, 0x14, 0x00, 0x00, 0x00, 0x00, 0x00, 0x08, 0x00, 0x06, 0x00,
        0xd0, 0x07, 0x00, 0x00, 0x64, 0x00, 0x00, 0x00, 0x1f, 0x00, 0x02, 0x00, 0x07, 0x00, 0x00, 0x00,
        0x42, 0x42, 0x00, 0x00, 0x03, 0x01, 0x00, 0x00, 0x08, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x09, 0x00, 0x02, 0x00, 0x70, 0x68, 0x79, 0x30, 0x00, 0x00, 0x00, 0x00, 0x08, 0x00, 0x2e, 0x00,
        0x05, 0x00, 0x00, 0x00, 0x34, 0x00, 0x16, 0x00, 0x30, 0x00, 0x00, 0x00, 0x2c, 0x00, 0x01, 0x00,
        0x28, 0x00, 0x02, 0x00, 0x08, 0x00, 0x01, 0x00, 0xb4, 0x09, 0x00, 0x00, 0x08, 0x00, 0x14, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x04, 0x00, 0x02, 0x00, 0x04, 0x00, 0x03, 0x00, 0x04, 0x00, 0x04, 0x00,
        0x08, 0x00, 0x06, 0x00, 0xd0, 0x07, 0x00, 0x00, 0x5c, 0x00, 0x00, 0x00, 0x1f, 0x00, 0x02, 0x00,
        0x07, 0x00, 0x00, 0x00, 0x42, 0x42, 0x00, 0x00, 0x03, 0x01, 0x00, 0x00, 0x08, 0x00, 0x01, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x09, 0x00, 0x02, 0x00, 0x70, 0x68, 0x79, 0x30, 0x00, 0x00, 0x00, 0x00,
        0x08, 0x00, 0x2e, 0x00, 0x05, 0x00, 0x00, 0x00, 0x2c, 0x00, 0x16, 0x00, 0x28, 0x00, 0x01, 0x00,
        0x0c, 0x00, 0x07, 0x00, 0xfa, 0xff, 0x00, 0x00, 0xfa, 0xff, 0x00, 0x00, 0x08, 0x00, 0x08, 0x00,
        0xb1, 0x01, 0x80, 0x0f, 0x10, 0x00, 0x02, 0x00, 0x0c, 0x00, 0x00, 0x00, 0x08, 0x00, 0x01, 0x00,
        0x3c, 0x00, 0x00, 0x00, 0xac, 0x00, 0x00, 0x00, 0x1f, 0x00, 0x02, 0x00, 0x07, 0x00, 0x00, 0x00,
        0x42, 0x42, 0x00, 0x00, 0x03, 0x01, 0x00, 0x00, 0x08, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x09, 0x00, 0x02, 0x00, 0x70, 0x68, 0x79, 0x30, 0x00, 0x00, 0x00, 0x00, 0x08, 0x00, 0x2e, 0x00,
        0x05, 0x00, 0x00, 0x00, 0x7c, 0x00, 0x16, 0x00, 0x78, 0x00, 0x01, 0x00, 0x74, 0x00, 0x01, 0x00,
        0x70, 0x00, 0x00, 0x00, 0x08, 0x00, 0x01, 0x00, 0x8c, 0x14, 0x00, 0x00, 0x08, 0x00, 0x14, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x04, 0x00, 0x03, 0x00, 0x04, 0x00, 0x04, 0x00, 0x04, 0x00, 0x05, 0x00,
        0x08, 0x00, 0x07, 0x00, 0x00, 0x00, 0x00, 0x00, 0x08, 0x00, 0x08, 0x00, 0x39, 0x30, 0x00, 0x00,
        0x08, 0x00, 0x0d, 0x00, 0x60, 0xea, 0x00, 0x00, 0x04, 0x00, 0x09, 0x00, 0x04, 0x00, 0x1a, 0x00,
        0x28, 0x00, 0x12, 0x00, 0x24, 0x00, 0x00, 0x00, 0x06, 0x00, 0x01, 0x00, 0x03, 0x00, 0x00, 0x00,
        0x06, 0x00, 0x02, 0x00, 0x07, 0x00, 0x00, 0x00, 0x05, 0x00, 0x03, 0x00, 0x02, 0x00, 0x00, 0x00,
        0x06, 0x00, 0x04, 0x00, 0x2f, 0x00, 0x00, 0x00, 0x08, 0x00, 0x06, 0x00, 0xd0, 0x07, 0x00, 0x00,
        0x58, 0x00, 0x00, 0x00, 0x1f, 0x00, 0x02, 0x00, 0x07, 0x00, 0x00, 0x00, 0x42, 0x42, 0x00, 0x00,
        0x03, 0x01, 0x00, 0x00, 0x08, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x09, 0x00, 0x02, 0x00,
        0x70, 0x68, 0x79, 0x30, 0x00, 0x00, 0x00, 0x00, 0x08, 0x00, 0x2e, 0x00, 0x05, 0x00, 0x00, 0x00,
        0x28, 0x00, 0x16, 0x00, 0x24, 0x00, 0x04, 0x00, 0x20, 0x00, 0x01, 0x00, 0x1c, 0x00, 0x00, 0x00,
        0x08, 0x00, 0x01, 0x00, 0x86, 0x03, 0x00, 0x00, 0x08, 0x00, 0x14, 0x00, 0xf4, 0x01, 0x00, 0x00,
        0x08, 0x00, 0x06, 0x00, 0xb8, 0x0b, 0x00, 0x00, 0x54, 0x00, 0x00, 0x00, 0x1f, 0x00, 0x02, 0x00,
        0x07, 0x00, 0x00, 0x00, 0x42, 0x42, 0x00, 0x00, 0x03, 0x01, 0x00, 0x00, 0x08, 0x00, 0x01, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x09, 0x00, 0x02, 0x00, 0x70, 0x68, 0x79, 0x30, 0x00, 0x00, 0x00, 0x00,
        0x08, 0x00, 0x2e, 0x00, 0x05, 0x00, 0x00, 0x00, 0x24, 0x00, 0x32, 0x00, 0x08, 0x00, 0x01, 0x00,
        0x07, 0x00, 0x00, 0x00, 0x08, 0x00, 0x02, 0x00, 0x06, 0x00, 0x00, 0x00, 0x08, 0x00, 0x03, 0x00,
        0x0b, 0x00, 0x00, 0x00, 0x08, 0x00, 0x04, 0x00, 0x0f, 0x00, 0x00, 0x00, 0x90, 0x00, 0x00, 0x00,
        0x1f, 0x00, 0x02, 0x00, 0x07, 0x00, 0x00, 0x00, 0x42, 0x42, 0x00, 0x00, 0x03, 0x01, 0x00, 0x00,
        0x08, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x09, 0x00, 0x02, 0x00, 0x70, 0x68, 0x79, 0x30,
        0x00, 0x00, 0x00, 0x00, 0x08, 0x00, 0x2e, 0x00, 0x05, 0x00, 0x00, 0x00, 0x08, 0x00, 0x79, 0x00,
        0x04, 0x00, 0x06, 0x00, 0x58, 0x00, 0x78, 0x00, 0x54, 0x00, 0x01, 0x00, 0x30, 0x00, 0x01, 0x00,
        0x14, 0x00, 0x01, 0x00, 0x08, 0x00, 0x01, 0x00, 0x00, 0x08, 0x00, 0x00, 0x08, 0x00, 0x02, 0x00,
        0x04, 0x00, 0x02, 0x00, 0x18, 0x00, 0x02, 0x00, 0x08, 0x00, 0x01, 0x00, 0x08, 0x00, 0x00, 0x00,
        0x0c, 0x00, 0x02, 0x00, 0x04, 0x00, 0x03, 0x00, 0x04, 0x00, 0x07, 0x00, 0x08, 0x00, 0x04, 0x00,
        0x01, 0x00, 0x00, 0x00, 0x08, 0x00, 0x02, 0x00, 0x00, 0x08, 0x00, 0x00, 0x08, 0x00, 0x05, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x08, 0x00, 0x06, 0x00, 0x00, 0x00, 0x00, 0x00, 0x38, 0x00, 0x00, 0x00,
        0x1f, 0x00, 0x02, 0x00, 0x07, 0x00, 0x00, 0x00, 0x42, 0x42, 0x00, 0x00, 0x03, 0x01, 0x00, 0x00,
        0x08, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x09, 0x00, 0x02, 0x00, 0x70, 0x68, 0x79, 0x30,
        0x00, 0x00, 0x00, 0x00, 0x08, 0x00, 0x2e, 0x00, 0x05, 0x00, 0x00, 0x00, 0x08, 0x00, 0x8f, 0x00,
        0x08, 0xc4, 0x00, 0x08, 0x4c, 0x00, 0x00, 0x00, 0x1f, 0x00, 0x02, 0x00, 0x07, 0x00, 0x00, 0x00,
        0x42, 0x42, 0x00, 0x00, 0x03, 0x01, 0x00, 0x00, 0x08, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x09, 0x00, 0x02, 0x00, 0x70, 0x68, 0x79, 0x30, 0x00, 0x00, 0x00, 0x00, 0x08, 0x00, 0x2e, 0x00,
        0x05, 0x00, 0x00, 0x00, 0x10, 0x00, 0x63, 0x00, 0x0c, 0x00, 0x02, 0x00, 0x06, 0x00, 0x65, 0x00,
        0xd0, 0x00, 0x00, 0x00, 0x0a, 0x00, 0x06, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x38, 0x00, 0x00, 0x00, 0x1f, 0x00, 0x02, 0x00, 0x07, 0x00, 0x00, 0x00, 0x42, 0x42, 0x00, 0x00,
        0x03, 0x01, 0x00, 0x00, 0x08, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x09, 0x00, 0x02, 0x00,
        0x70, 0x68, 0x79, 0x30, 0x00, 0x00, 0x00, 0x00, 0x08, 0x00, 0x2e, 0x00, 0x05, 0x00, 0x00, 0x00,
        0x08, 0x00, 0xd9, 0x00, 0x04, 0x02, 0x00, 0x00, 0x38, 0x00, 0x00, 0x00, 0x1f, 0x00, 0x02, 0x00,
        0x07, 0x00, 0x00, 0x00, 0x42, 0x42, 0x00, 0x00, 0x03, 0x01, 0x00, 0x00, 0x08, 0x00, 0x01, 0x00,
        0x01, 0x00, 0x00, 0x00, 0x09, 0x00, 0x02, 0x00, 0x70, 0x68, 0x79, 0x31, 0x00, 0x00, 0x00, 0x00,
        0x08, 0x00, 0x2e, 0x00, 0x05, 0x00, 0x00, 0x00, 0x05, 0x00, 0x3d, 0x00, 0x07, 0x00, 0x00, 0x00,
    ];

    /// `NL80211_CMD_NEW_INTERFACE` as `nl80211_send_iface` lays it out: a
    /// managed interface on channel 1 (a pad attribute before the 64-bit
    /// wdev id, TXQ statistics at the end).
    #[rustfmt::skip]
    const INTERFACE: &[u8] = &[
        0xa8, 0x00, 0x00, 0x00, 0x1f, 0x00, 0x00, 0x00, 0x09, 0x00, 0x00, 0x00, 0x42, 0x42, 0x00, 0x00,
        0x07, 0x01, 0x00, 0x00, 0x08, 0x00, 0x03, 0x00, 0x03, 0x00, 0x00, 0x00, 0x0a, 0x00, 0x04, 0x00,
        0x77, 0x6c, 0x61, 0x6e, 0x30, 0x00, 0x00, 0x00, 0x08, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x08, 0x00, 0x05, 0x00, 0x02, 0x00, 0x00, 0x00, 0x04, 0x00, 0xe5, 0x00, 0x0c, 0x00, 0x99, 0x00,
        0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0a, 0x00, 0x06, 0x00, 0x02, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x08, 0x00, 0x2e, 0x00, 0x09, 0x00, 0x00, 0x00, 0x05, 0x00, 0x53, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x08, 0x00, 0x26, 0x00, 0x6c, 0x09, 0x00, 0x00, 0x08, 0x00, 0x22, 0x01,
        0x00, 0x00, 0x00, 0x00, 0x08, 0x00, 0x27, 0x00, 0x00, 0x00, 0x00, 0x00, 0x08, 0x00, 0x9f, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x08, 0x00, 0xa0, 0x00, 0x6c, 0x09, 0x00, 0x00, 0x08, 0x00, 0x62, 0x00,
        0xd0, 0x07, 0x00, 0x00, 0x14, 0x00, 0x09, 0x01, 0x08, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x08, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00,
    ];

    /// A station dump entry as `nl80211_send_station` lays it out: a mesh
    /// peer with 32- and 64-bit byte counters (pad attributes before the
    /// 64-bit ones), signals, bitrates, BSS parameters and flags.
    #[rustfmt::skip]
    const STATION: &[u8] = &[
        0x78, 0x01, 0x00, 0x00, 0x1f, 0x00, 0x02, 0x00, 0x0b, 0x00, 0x00, 0x00, 0x42, 0x42, 0x00, 0x00,
        0x13, 0x01, 0x00, 0x00, 0x08, 0x00, 0x03, 0x00, 0x03, 0x00, 0x00, 0x00, 0x0a, 0x00, 0x06, 0x00,
        0x02, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x08, 0x00, 0x2e, 0x00, 0x04, 0x00, 0x00, 0x00,
        0x48, 0x01, 0x15, 0x00, 0x08, 0x00, 0x10, 0x00, 0x0c, 0x00, 0x00, 0x00, 0x08, 0x00, 0x01, 0x00,
        0x28, 0x00, 0x00, 0x00, 0x0c, 0x00, 0x2a, 0x00, 0x15, 0xcd, 0x5b, 0x07, 0x00, 0x00, 0x00, 0x00,
        0x08, 0x00, 0x02, 0x00, 0xe8, 0x03, 0x00, 0x00, 0x08, 0x00, 0x03, 0x00, 0xd0, 0x07, 0x00, 0x00,
        0x04, 0x00, 0x21, 0x00, 0x0c, 0x00, 0x17, 0x00, 0xe8, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x04, 0x00, 0x21, 0x00, 0x0c, 0x00, 0x18, 0x00, 0xd0, 0x07, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00,
        0x06, 0x00, 0x04, 0x00, 0xd2, 0x04, 0x00, 0x00, 0x06, 0x00, 0x05, 0x00, 0xe1, 0x10, 0x00, 0x00,
        0x05, 0x00, 0x06, 0x00, 0x04, 0x00, 0x00, 0x00, 0x04, 0x00, 0x21, 0x00, 0x0c, 0x00, 0x20, 0x00,
        0x88, 0x13, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05, 0x00, 0x07, 0x00, 0xe2, 0x00, 0x00, 0x00,
        0x05, 0x00, 0x0d, 0x00, 0xe1, 0x00, 0x00, 0x00, 0x0c, 0x00, 0x19, 0x00, 0x05, 0x00, 0x00, 0x00,
        0xe2, 0x00, 0x00, 0x00, 0x14, 0x00, 0x08, 0x00, 0x08, 0x00, 0x05, 0x00, 0x1c, 0x02, 0x00, 0x00,
        0x06, 0x00, 0x01, 0x00, 0x1c, 0x02, 0x00, 0x00, 0x20, 0x00, 0x0e, 0x00, 0x08, 0x00, 0x05, 0x00,
        0xd2, 0x02, 0x00, 0x00, 0x06, 0x00, 0x01, 0x00, 0xd2, 0x02, 0x00, 0x00, 0x05, 0x00, 0x02, 0x00,
        0x07, 0x00, 0x00, 0x00, 0x04, 0x00, 0x04, 0x00, 0x08, 0x00, 0x09, 0x00, 0x0a, 0x00, 0x00, 0x00,
        0x08, 0x00, 0x0a, 0x00, 0x14, 0x00, 0x00, 0x00, 0x08, 0x00, 0x0b, 0x00, 0x01, 0x00, 0x00, 0x00,
        0x08, 0x00, 0x0c, 0x00, 0x00, 0x00, 0x00, 0x00, 0x08, 0x00, 0x12, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x18, 0x00, 0x0f, 0x00, 0x04, 0x00, 0x03, 0x00, 0x05, 0x00, 0x04, 0x00, 0x02, 0x00, 0x00, 0x00,
        0x06, 0x00, 0x05, 0x00, 0x64, 0x00, 0x00, 0x00, 0x0c, 0x00, 0x11, 0x00, 0x2a, 0x00, 0x00, 0x00,
        0x22, 0x00, 0x00, 0x00, 0x0c, 0x00, 0x13, 0x00, 0xd6, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
        0x04, 0x00, 0x21, 0x00, 0x0c, 0x00, 0x1c, 0x00, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x04, 0x00, 0x21, 0x00, 0x0c, 0x00, 0x1d, 0x00, 0x4d, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x05, 0x00, 0x1e, 0x00, 0xe3, 0x00, 0x00, 0x00,
    ];

    /// Notifications as nl80211 sends them: new interface (config), scan
    /// started and finished (scan), new station, connect and disconnect
    /// (mlme), a regulatory change, a wiphy deleted, and command 140.
    #[rustfmt::skip]
    const EVENTS: &[u8] = &[
        0x64, 0x00, 0x00, 0x00, 0x1f, 0x00, 0x00, 0x00, 0x09, 0x00, 0x00, 0x00, 0x42, 0x42, 0x00, 0x00,
        0x07, 0x01, 0x00, 0x00, 0x08, 0x00, 0x03, 0x00, 0x03, 0x00, 0x00, 0x00, 0x0a, 0x00, 0x04, 0x00,
        0x77, 0x6c, 0x61, 0x6e, 0x30, 0x00, 0x00, 0x00, 0x08, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x08, 0x00, 0x05, 0x00, 0x02, 0x00, 0x00, 0x00, 0x04, 0x00, 0xe5, 0x00, 0x0c, 0x00, 0x99, 0x00,
        0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0a, 0x00, 0x06, 0x00, 0x02, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x08, 0x00, 0x2e, 0x00, 0x09, 0x00, 0x00, 0x00, 0x05, 0x00, 0x53, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x48, 0x00, 0x00, 0x00, 0x1f, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x21, 0x01, 0x00, 0x00, 0x08, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x08, 0x00, 0x03, 0x00, 0x03, 0x00, 0x00, 0x00, 0x08, 0x00, 0x2d, 0x00, 0x04, 0x00, 0x00, 0x00,
        0x14, 0x00, 0x2c, 0x00, 0x08, 0x00, 0x00, 0x00, 0x6c, 0x09, 0x00, 0x00, 0x08, 0x00, 0x01, 0x00,
        0x71, 0x09, 0x00, 0x00, 0x08, 0x00, 0x9e, 0x00, 0x00, 0x00, 0x00, 0x00, 0x48, 0x00, 0x00, 0x00,
        0x1f, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x22, 0x01, 0x00, 0x00,
        0x08, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x08, 0x00, 0x03, 0x00, 0x03, 0x00, 0x00, 0x00,
        0x08, 0x00, 0x2d, 0x00, 0x04, 0x00, 0x00, 0x00, 0x14, 0x00, 0x2c, 0x00, 0x08, 0x00, 0x00, 0x00,
        0x6c, 0x09, 0x00, 0x00, 0x08, 0x00, 0x01, 0x00, 0x71, 0x09, 0x00, 0x00, 0x08, 0x00, 0x9e, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x3c, 0x00, 0x00, 0x00, 0x1f, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x13, 0x01, 0x00, 0x00, 0x08, 0x00, 0x03, 0x00, 0x03, 0x00, 0x00, 0x00,
        0x0a, 0x00, 0x06, 0x00, 0x02, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x08, 0x00, 0x2e, 0x00,
        0x05, 0x00, 0x00, 0x00, 0x0c, 0x00, 0x15, 0x00, 0x08, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x2c, 0x00, 0x00, 0x00, 0x1f, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x24, 0x01, 0x00, 0x00, 0x05, 0x00, 0x30, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05, 0x00, 0x31, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x07, 0x00, 0x21, 0x00, 0x44, 0x45, 0x00, 0x00, 0x38, 0x00, 0x00, 0x00,
        0x1f, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x2e, 0x01, 0x00, 0x00,
        0x08, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x08, 0x00, 0x03, 0x00, 0x03, 0x00, 0x00, 0x00,
        0x0a, 0x00, 0x06, 0x00, 0x02, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x06, 0x00, 0x48, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x30, 0x00, 0x00, 0x00, 0x1f, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x30, 0x01, 0x00, 0x00, 0x08, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x08, 0x00, 0x03, 0x00, 0x03, 0x00, 0x00, 0x00, 0x06, 0x00, 0x36, 0x00, 0x03, 0x00, 0x00, 0x00,
        0x04, 0x00, 0x47, 0x00, 0x30, 0x00, 0x00, 0x00, 0x1f, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x04, 0x01, 0x00, 0x00, 0x08, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x00,
        0x09, 0x00, 0x02, 0x00, 0x70, 0x68, 0x79, 0x31, 0x00, 0x00, 0x00, 0x00, 0x08, 0x00, 0x2e, 0x00,
        0x06, 0x00, 0x00, 0x00, 0x24, 0x00, 0x00, 0x00, 0x1f, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x8c, 0x01, 0x00, 0x00, 0x08, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x08, 0x00, 0x03, 0x00, 0x03, 0x00, 0x00, 0x00,
    ];

    #[test]
    fn a_split_dump_merges_into_one_phy_per_wiphy() {
        let mut phys = Vec::new();
        for m in each(WIPHY_DUMP) {
            Phy::merge_into(&mut phys, &m).unwrap();
        }
        assert_eq!(phys.len(), 2);
        let p = &phys[0];
        assert_eq!((p.index, p.name.as_str(), p.generation), (0, "phy0", 5));
        assert_eq!((p.retry_short, p.retry_long), (Some(7), Some(4)));
        assert_eq!(
            (p.frag_threshold, p.rts_threshold),
            (Some(u32::MAX), Some(u32::MAX))
        );
        assert_eq!(
            (p.max_scan_ssids, p.max_scan_ie_len),
            (Some(255), Some(2304))
        );
        assert_eq!(
            p.flags,
            PhyFlags::IBSS_RSN
                | PhyFlags::AP_UAPSD
                | PhyFlags::TDLS
                | PhyFlags::CONTROL_PORT_ETHERTYPE
        );
        assert_eq!(
            p.cipher_suites,
            [
                0x000fac01, 0x000fac05, 0x000fac02, 0x000fac04, 0x000fac06, 0x000fac08
            ]
        );
        assert_eq!(
            p.interface_types,
            [
                InterfaceType::Adhoc,
                InterfaceType::Station,
                InterfaceType::Ap,
                InterfaceType::Monitor,
                InterfaceType::MeshPoint,
                InterfaceType::P2pClient,
                InterfaceType::P2pGo,
                InterfaceType::Ocb
            ]
        );
        assert_eq!(p.software_interface_types, [InterfaceType::Monitor]);
        // Three bands, each channel merged from a message of its own.
        let ids: Vec<BandId> = p.bands.iter().map(|b| b.id).collect();
        assert_eq!(ids, [BandId::Band2Ghz, BandId::Band5Ghz, BandId::BandS1Ghz]);
        let b2 = p.band(BandId::Band2Ghz).unwrap();
        let freqs: Vec<u32> = b2.channels.iter().map(|c| c.freq).collect();
        assert_eq!(freqs, [2412, 2417, 2484]);
        assert_eq!(
            (b2.ht_capa, b2.ht_ampdu_factor, b2.ht_ampdu_density),
            (Some(0x113e), Some(3), Some(6))
        );
        assert_eq!(b2.ht_mcs_set.as_deref().map(<[u8]>::len), Some(16));
        assert_eq!(b2.iftype_data.len(), 1);
        assert_eq!(b2.iftype_data[0].types, [InterfaceType::Station]);
        assert_eq!(b2.iftype_data[0].he_cap_mac, [1, 8, 0, 0, 0, 0]);
        assert_eq!(b2.rates.len(), 5);
        assert!(b2.channels[2].is_disabled());
        let b5 = p.band(BandId::Band5Ghz).unwrap();
        let radar = &b5.channels[0];
        assert_eq!(radar.number(), 52);
        assert!(radar.flags.contains(
            ChannelFlags::NO_IR
                | ChannelFlags::NO_IBSS
                | ChannelFlags::RADAR
                | ChannelFlags::NO_HT40_MINUS
        ));
        assert!(radar.flags.contains(ChannelFlags::NO_320MHZ));
        assert_eq!(
            (radar.dfs_state, radar.dfs_time_ms, radar.dfs_cac_time_ms),
            (Some(DfsState::Usable), Some(12345), Some(60000))
        );
        assert_eq!(
            radar.wmm,
            [WmmRule {
                cw_min: 3,
                cw_max: 7,
                aifsn: 2,
                txop: 47
            }]
        );
        assert_eq!(b5.vht_capa, Some(0x0f8001b1));
        let s1g = &p.band(BandId::BandS1Ghz).unwrap().channels[0];
        assert_eq!((s1g.freq, s1g.offset_khz), (902, 500));
        assert!(p.supports_command(NL80211_CMD_NEW_INTERFACE));
        assert!(!p.supports_command(NL80211_CMD_DEL_INTERFACE));
        assert_eq!(p.combinations.len(), 1);
        let combo = &p.combinations[0];
        assert_eq!((combo.max_interfaces, combo.num_channels), (2048, 1));
        assert_eq!(
            combo.limits[1].types,
            [InterfaceType::Ap, InterfaceType::MeshPoint]
        );
        assert_eq!(p.features, 0x0800c408);
        assert_eq!(p.perm_addr, Some(HwAddr::mac([2, 0, 0, 0, 0, 0])));
        assert!(p.has_ext_feature(2) && p.has_ext_feature(9) && !p.has_ext_feature(3));
        assert!(!p.has_ext_feature(1000));
        // Frame types are not read: kept raw.
        assert_eq!(p.unknown.len(), 1);
        assert_eq!(p.unknown[0].0, NL80211_ATTR_TX_FRAME_TYPES);
        assert_eq!((phys[1].index, phys[1].name.as_str()), (1, "phy1"));
        assert_eq!(phys[1].retry_short, Some(7));
        assert!(phys[1].bands.is_empty());
    }

    #[test]
    fn a_phy_reads_like_iw() {
        let mut phys = Vec::new();
        for m in each(WIPHY_DUMP) {
            Phy::merge_into(&mut phys, &m).unwrap();
        }
        let text = phys[0].to_string();
        let want = "Wiphy phy0\n\twiphy index: 0\n\tBand 1:\n\t\tFrequencies:\n\
            \t\t\t* 2412 MHz [1] (20.0 dBm)\n\t\t\t* 2417 MHz [2] (20.0 dBm)\n\
            \t\t\t* 2484 MHz [14] (disabled)\n\t\tBitrates (non-HT):\n\t\t\t* 1.0 Mbps\n\
            \t\t\t* 2.0 Mbps (short preamble supported)\n\t\t\t* 5.5 Mbps (short preamble supported)\n\
            \t\t\t* 11.0 Mbps (short preamble supported)\n\t\t\t* 6.0 Mbps\n\tBand 2:\n\
            \t\tFrequencies:\n\t\t\t* 5260 MHz [52] (20.0 dBm) (no IR, radar detection)\n\
            \t\tBitrates (non-HT):\n\t\t\t* 6.0 Mbps\n\tBand 5:\n\t\tFrequencies:\n\
            \t\t\t* 902.500 MHz (30.0 dBm)\n\tSupported Ciphers:\n\t\t* WEP40 (00-0f-ac:1)\n\
            \t\t* WEP104 (00-0f-ac:5)\n\t\t* TKIP (00-0f-ac:2)\n\t\t* CCMP-128 (00-0f-ac:4)\n\
            \t\t* CMAC (00-0f-ac:6)\n\t\t* GCMP-128 (00-0f-ac:8)\n\tSupported interface modes:\n\
            \t\t * IBSS\n\t\t * managed\n\t\t * AP\n\t\t * monitor\n\t\t * mesh point\n\
            \t\t * P2P-client\n\t\t * P2P-GO\n\t\t * outside context of a BSS\n";
        assert_eq!(text, want);
        assert_eq!(cipher_name(0x00ac_1234), "00-ac-12:52");
        assert_eq!(
            [2412, 2484, 5180, 5935, 5955, 4920, 60480, 100].map(frequency_to_channel),
            [1, 14, 36, 2, 1, 184, 2, -461]
        );
    }

    #[test]
    fn requests_are_what_iw_sends() {
        let mut buf = Vec::new();
        // iw list: a dump of every wiphy, split.
        Phy::write_dump(FAM, None, &mut buf).unwrap();
        assert_eq!(u16::from_ne_bytes([buf[6], buf[7]]), 0x301);
        assert_eq!(&buf[16..], &[NL80211_CMD_GET_WIPHY, 0, 0, 0, 4, 0, 174, 0]);
        // iw phy#2 info: the same for one wiphy.
        buf.clear();
        Phy::write_dump(FAM, Some(2), &mut buf).unwrap();
        #[rustfmt::skip]
        let want: &[u8] = &[1, 0, 0, 0, 8, 0, 1, 0, 2, 0, 0, 0, 4, 0, 174, 0];
        assert_eq!(&buf[16..], want);
        // iw phy#0 interface add wlan9 type managed 4addr on
        buf.clear();
        let mut new = NewInterface::new(0, "wlan9", InterfaceType::Station);
        new.four_addr = Some(true);
        Interface::write_add(FAM, &new, &mut buf).unwrap();
        #[rustfmt::skip]
        let want: &[u8] = &[
            NL80211_CMD_NEW_INTERFACE, 0, 0, 0,
            8, 0, 1, 0, 0, 0, 0, 0,
            10, 0, 4, 0, b'w', b'l', b'a', b'n', b'9', 0, 0, 0,
            8, 0, 5, 0, 2, 0, 0, 0,
            5, 0, 83, 0, 1, 0, 0, 0,
        ];
        assert_eq!(&buf[16..], want);
        assert_eq!(u16::from_ne_bytes([buf[6], buf[7]]), 0x5);
        // iw dev (ifindex 3) del; set type ibss; station dump.
        buf.clear();
        Interface::write_del(FAM, 3, &mut buf).unwrap();
        assert_eq!(&buf[16..], &[8, 0, 0, 0, 8, 0, 3, 0, 3, 0, 0, 0]);
        buf.clear();
        Interface::write_set_type(FAM, 3, InterfaceType::from_iw("ibss").unwrap(), &mut buf)
            .unwrap();
        assert_eq!(
            &buf[16..],
            &[6, 0, 0, 0, 8, 0, 3, 0, 3, 0, 0, 0, 8, 0, 5, 0, 1, 0, 0, 0]
        );
        buf.clear();
        Station::write_dump(FAM, 3, &mut buf).unwrap();
        assert_eq!(&buf[16..], &[17, 0, 0, 0, 8, 0, 3, 0, 3, 0, 0, 0]);
        assert_eq!(u16::from_ne_bytes([buf[6], buf[7]]), 0x301);
        buf.clear();
        Station::write_get(FAM, 3, &HwAddr::mac([2, 0, 0, 0, 1, 0]), &mut buf).unwrap();
        assert_eq!(
            &buf[16..],
            &[
                17, 0, 0, 0, 8, 0, 3, 0, 3, 0, 0, 0, 10, 0, 6, 0, 2, 0, 0, 0, 1, 0, 0, 0
            ]
        );
        buf.clear();
        Interface::write_dump(FAM, None, &mut buf).unwrap();
        assert_eq!(&buf[16..], &[5, 0, 0, 0]);
        // Names the kernel would refuse are refused before sending.
        for bad in ["", "a-name-too-long-x", "a/b", "a b"] {
            let new = NewInterface::new(0, bad, InterfaceType::Station);
            assert!(
                Interface::write_add(FAM, &new, &mut Vec::new()).is_err(),
                "{bad}"
            );
        }
    }

    #[test]
    fn interfaces_read_like_iw_dev() {
        let i = Interface::parse(&genl(INTERFACE)).unwrap();
        assert_eq!(
            (i.ifindex, i.name.as_deref(), i.phy),
            (Some(3), Some("wlan0"), 0)
        );
        assert_eq!(
            (i.iftype, i.wdev, i.generation),
            (InterfaceType::Station, 1, 9)
        );
        assert_eq!(i.tx_power_mbm, Some(2000));
        let c = i.channel.unwrap();
        assert_eq!(c.width, Some(ChannelWidth::Mhz20NoHt));
        assert_eq!(c.channel_type, Some(ChannelType::NoHt));
        assert_eq!(
            i.to_string(),
            "Interface wlan0\n\tifindex 3\n\twdev 0x1\n\taddr 02:00:00:00:00:00\n\ttype managed\n\
             \twiphy 0\n\tchannel 1 (2412 MHz), width: 20 MHz (no HT), center1: 2412 MHz\n\
             \ttxpower 20.00 dBm\n"
        );
        // iw's type words and names both read back.
        for (word, t) in [
            ("managed", InterfaceType::Station),
            ("mesh", InterfaceType::MeshPoint),
            ("mp", InterfaceType::MeshPoint),
            ("__p2pgo", InterfaceType::P2pGo),
            ("IBSS", InterfaceType::Adhoc),
            ("P2P-device", InterfaceType::P2pDevice),
            ("13", InterfaceType::Other(13)),
        ] {
            assert_eq!(InterfaceType::from_iw(word), Some(t), "{word}");
        }
        assert_eq!(InterfaceType::Other(13).to_string(), "Unknown mode (13)");
        assert_eq!(InterfaceType::from_iw("bogus"), None);
    }

    #[test]
    fn stations_read_with_their_counters() {
        let s = Station::parse(&genl(STATION)).unwrap();
        assert_eq!(s.ifindex, 3);
        assert_eq!(s.mac, Some(HwAddr::mac([2, 0, 0, 0, 1, 0])));
        assert_eq!((s.connected_secs, s.inactive_ms), (Some(12), Some(40)));
        // The 64-bit counters win over the 32-bit ones.
        assert_eq!((s.rx_bytes, s.tx_bytes), (Some(1000), Some(0x1_0000_07d0)));
        assert_eq!(
            (s.rx_packets, s.tx_packets, s.tx_retries, s.tx_failed),
            (Some(10), Some(20), Some(1), Some(0))
        );
        assert_eq!(
            (s.signal, s.signal_avg, s.beacon_signal_avg),
            (Some(-30), Some(-31), Some(-29))
        );
        assert_eq!(s.chain_signal, [-30]);
        assert_eq!(s.tx_bitrate.unwrap().to_string(), "54.0 MBit/s");
        assert_eq!(
            s.rx_bitrate.unwrap().to_string(),
            "72.2 MBit/s MCS 7 short GI"
        );
        assert_eq!((s.llid, s.plid), (Some(1234), Some(4321)));
        assert_eq!(s.plink_state.unwrap().to_string(), "ESTAB");
        let flags = s.flags.unwrap();
        assert_eq!(
            (
                flags.get(NL80211_STA_FLAG_AUTHORIZED),
                flags.get(NL80211_STA_FLAG_WME)
            ),
            (Some(true), Some(false))
        );
        assert_eq!(flags.get(NL80211_STA_FLAG_MFP), None);
        assert_eq!(flags.get(40), None);
        let bss = s.bss_param.unwrap();
        assert!(bss.short_slot_time && !bss.cts_protection);
        assert_eq!((bss.dtim_period, bss.beacon_interval), (Some(2), Some(100)));
        assert_eq!(
            (s.t_offset, s.rx_drop_misc, s.beacon_rx),
            (Some(-42), Some(3), Some(77))
        );
        assert_eq!(
            (s.rx_duration, s.assoc_at_boottime_ns),
            (Some(5000), Some(123456789))
        );
    }

    #[test]
    fn events_read_like_iw_event() {
        let events: Vec<WifiEvent> = each(EVENTS)
            .iter()
            .map(|m| WifiEvent::parse(m).unwrap())
            .collect();
        let text: Vec<String> = events.iter().map(ToString::to_string).collect();
        assert_eq!(
            text,
            [
                "new interface type station use 4addr 0",
                "scan started",
                "scan finished: 2412 2417, \"\"",
                "new station 02:00:00:00:01:00",
                "regulatory domain change: set to DE by the wireless core upon initialization request",
                "connected to 02:00:00:00:01:00",
                "disconnected (by AP) reason: 3",
                "delete wiphy",
                "unknown event 140",
            ]
        );
        assert_eq!(events[0].ifindex(), Some(3));
        assert_eq!(events[1].phy(), Some(0));
        assert!(
            matches!(&events[2], WifiEvent::ScanFinished(s) if s.frequencies == [2412, 2417] && s.ssids == [Vec::<u8>::new()])
        );
        assert_eq!(events[3].ifindex(), Some(3));
        assert_eq!(events[7].phy(), Some(1));
        assert_eq!(
            events[8],
            WifiEvent::Other {
                cmd: 140,
                phy: Some(0),
                ifindex: Some(3)
            }
        );
    }

    #[test]
    fn damaged_replies_are_errors_never_panics() {
        for fixture in [WIPHY_DUMP, INTERFACE, STATION, EVENTS] {
            // Every truncation (the length fixed up) parses or fails cleanly.
            for cut in 0..fixture.len().min(700) {
                let mut b = fixture[..cut].to_vec();
                if b.len() >= 4 {
                    let len = u32::try_from(b.len()).unwrap();
                    b[..4].copy_from_slice(&len.to_ne_bytes());
                }
                let mut phys = Vec::new();
                for m in Msgs::new(&b) {
                    let Ok(m) = m else { break };
                    let Ok(g) = GenlMsg::parse(&m, 0) else {
                        continue;
                    };
                    let _ = Phy::merge_into(&mut phys, &g);
                    let _ = Interface::parse(&g).map(|i| i.to_string());
                    let _ = Station::parse(&g);
                    let _ = WifiEvent::parse(&g).map(|e| e.to_string());
                }
            }
        }
        // A cipher array that is not whole u32s is an error naming the attribute.
        let mut buf = Vec::new();
        let mut m = MsgBuilder::new(&mut buf, FAM, 0);
        m.header(&crate::GenlMsgHdr {
            cmd: NL80211_CMD_NEW_WIPHY,
            version: 1,
            reserved: [0; 2],
        });
        m.put_u32(NL80211_ATTR_WIPHY, 0)
            .put_bytes(NL80211_ATTR_CIPHER_SUITES, &[1, 2, 3]);
        m.finish().unwrap();
        let e = Phy::parse(&genl(&buf)).unwrap_err();
        assert!(e.to_string().contains("nl80211"), "{e}");
        // A part without the wiphy index cannot be placed.
        let mut buf = Vec::new();
        let mut m = MsgBuilder::new(&mut buf, FAM, 0);
        m.header(&crate::GenlMsgHdr::default());
        m.finish().unwrap();
        assert!(Phy::merge_into(&mut Vec::new(), &genl(&buf)).is_err());
    }
}
