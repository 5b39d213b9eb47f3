//! macsec: an 802.1AE SecY on a lower device (`IFLA_MACSEC_*`). The link
//! carries the settings; its secure channels and associations (and their
//! keys) are managed over generic netlink (the `"macsec"` family).

use crate::attrs::attr_struct;
use crate::uapi::if_link::{
    IFLA_MACSEC_CIPHER_SUITE, IFLA_MACSEC_ENCODING_SA, IFLA_MACSEC_ENCRYPT, IFLA_MACSEC_ES,
    IFLA_MACSEC_ICV_LEN, IFLA_MACSEC_INC_SCI, IFLA_MACSEC_OFFLOAD, IFLA_MACSEC_PORT,
    IFLA_MACSEC_PROTECT, IFLA_MACSEC_REPLAY_PROTECT, IFLA_MACSEC_SCB, IFLA_MACSEC_SCI,
    IFLA_MACSEC_VALIDATION, IFLA_MACSEC_WINDOW, MACSEC_OFFLOAD_MAC, MACSEC_OFFLOAD_OFF,
    MACSEC_OFFLOAD_PHY, MACSEC_VALIDATE_CHECK, MACSEC_VALIDATE_DISABLED, MACSEC_VALIDATE_STRICT,
};
use crate::uapi::if_macsec::{
    MACSEC_CIPHER_ID_GCM_AES_128, MACSEC_CIPHER_ID_GCM_AES_256, MACSEC_CIPHER_ID_GCM_AES_XPN_128,
    MACSEC_CIPHER_ID_GCM_AES_XPN_256, MACSEC_DEFAULT_CIPHER_ID,
};

nl_wire::kernel_enum! {
    /// `MACSEC_CIPHER_ID_*`: the cipher suite (its key length follows).
    pub enum MacsecCipher: u64, "cipher", crate::Error {
        /// GCM-AES-128, 16-byte keys (the kernel's default).
        GcmAes128 = MACSEC_CIPHER_ID_GCM_AES_128 => "GCM-AES-128",
        /// GCM-AES-256, 32-byte keys.
        GcmAes256 = MACSEC_CIPHER_ID_GCM_AES_256 => "GCM-AES-256",
        /// GCM-AES-XPN-128: 64-bit packet numbers, 16-byte keys and a salt.
        GcmAesXpn128 = MACSEC_CIPHER_ID_GCM_AES_XPN_128 => "GCM-AES-XPN-128",
        /// GCM-AES-XPN-256: 64-bit packet numbers, 32-byte keys and a salt.
        GcmAesXpn256 = MACSEC_CIPHER_ID_GCM_AES_XPN_256 => "GCM-AES-XPN-256",
        /// The older id of GCM-AES-128: kernels report GCM-AES-128 links
        /// with it, and it prints as GCM-AES-128 as `ip` prints it (the
        /// word parses as [`MacsecCipher::GcmAes128`]).
        Default = MACSEC_DEFAULT_CIPHER_ID => "GCM-AES-128",
    }
}

nl_wire::kernel_enum! {
    /// `MACSEC_VALIDATE_*`: how received frames are validated.
    pub enum MacsecValidation: u8, "validate", crate::Error {
        /// Not at all.
        Disabled = MACSEC_VALIDATE_DISABLED => "disabled",
        /// Checked, invalid ones delivered anyway.
        Check = MACSEC_VALIDATE_CHECK => "check",
        /// Invalid ones dropped (the kernel's default).
        Strict = MACSEC_VALIDATE_STRICT => "strict",
    }
}

nl_wire::kernel_enum! {
    /// `MACSEC_OFFLOAD_*`: where MACsec is done.
    pub enum MacsecOffload: u8, "offload", crate::Error {
        /// In software.
        Off = MACSEC_OFFLOAD_OFF => "off",
        /// By the PHY.
        Phy = MACSEC_OFFLOAD_PHY => "phy",
        /// By the MAC.
        Mac = MACSEC_OFFLOAD_MAC => "mac",
    }
}

attr_struct! {
    /// macsec settings (the lower device goes in
    /// [`Link::parent`](crate::Link::parent)). The kernel reports every
    /// one; on creation unset ones take its defaults.
    pub struct Macsec {
        /// The transmit channel's SCI, as `ip` prints it (MAC address in
        /// the high 48 bits, port in the low 16; `be64` on the wire).
        sci: u64 = IFLA_MACSEC_SCI => Be64,
        /// The port of the SCI, with the link's own MAC (`port`; `be16`).
        port: u16 = IFLA_MACSEC_PORT => Be16,
        /// ICV length in bytes (`icvlen`).
        icv_len: u8 = IFLA_MACSEC_ICV_LEN,
        /// Cipher suite (`cipher`).
        cipher_suite: MacsecCipher = IFLA_MACSEC_CIPHER_SUITE => Enum,
        /// Replay window (`window`).
        window: u32 = IFLA_MACSEC_WINDOW,
        /// The transmit association in use (`encodingsa`, 0..3).
        encoding_sa: u8 = IFLA_MACSEC_ENCODING_SA,
        /// Encrypt frames (`encrypt`).
        encrypt: bool = IFLA_MACSEC_ENCRYPT => Bool8,
        /// Protect frames (`protect`).
        protect: bool = IFLA_MACSEC_PROTECT => Bool8,
        /// Include the SCI in frames (`send_sci`).
        inc_sci: bool = IFLA_MACSEC_INC_SCI => Bool8,
        /// End station (`end_station`).
        es: bool = IFLA_MACSEC_ES => Bool8,
        /// Single copy broadcast (`scb`).
        scb: bool = IFLA_MACSEC_SCB => Bool8,
        /// Replay protection (`replay`; needs `window`).
        replay_protect: bool = IFLA_MACSEC_REPLAY_PROTECT => Bool8,
        /// Validation of received frames (`validate`).
        validation: MacsecValidation = IFLA_MACSEC_VALIDATION => Enum,
        /// Offload (`offload`, 5.7+).
        offload: MacsecOffload = IFLA_MACSEC_OFFLOAD => Enum,
    }
}

crate::kind::plain_link_data!(Macsec);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kind::tests::{data_of, round_trip};
    use crate::{Link, LinkKind};

    #[test]
    fn every_field_round_trips() {
        let m = Macsec {
            sci: Some(0x5254_0012_3456_0001),
            port: None,
            icv_len: Some(16),
            cipher_suite: Some(MacsecCipher::GcmAes256),
            window: Some(32),
            encoding_sa: Some(2),
            encrypt: Some(true),
            protect: Some(true),
            inc_sci: Some(false),
            es: Some(true),
            scb: Some(false),
            replay_protect: Some(true),
            validation: Some(MacsecValidation::Check),
            offload: Some(MacsecOffload::Off),
        };
        let link = Link::new("macsec0").link(2).kind(LinkKind::Macsec(m));
        assert_eq!(round_trip(&link), link);
    }

    /// `ip link add link eth0 macsec0 type macsec port 11 encrypt on`: the
    /// port is big-endian, flags are u8.
    #[test]
    fn port_and_sci_are_big_endian() {
        let link = Link::new("macsec0").kind(LinkKind::Macsec(Macsec {
            port: Some(11),
            encrypt: Some(true),
            ..Macsec::default()
        }));
        let data = data_of(&link);
        assert_eq!(&data[..8], &[6, 0, 2, 0, 0, 11, 0, 0]);
        assert_eq!(&data[8..], &[5, 0, 7, 0, 1, 0, 0, 0]);
        let sci = Link::new("macsec0").kind(LinkKind::Macsec(Macsec {
            sci: Some(0x5254_0012_3456_0001),
            ..Macsec::default()
        }));
        assert_eq!(
            &data_of(&sci)[4..],
            &[0x52, 0x54, 0, 0x12, 0x34, 0x56, 0, 1]
        );
    }

    #[test]
    fn words_are_ips() {
        assert_eq!(MacsecCipher::GcmAes128.to_string(), "GCM-AES-128");
        assert_eq!(
            "gcm-aes-256".parse::<MacsecCipher>().ok(),
            Some(MacsecCipher::GcmAes256)
        );
        assert_eq!(
            MacsecCipher::from(MACSEC_DEFAULT_CIPHER_ID),
            MacsecCipher::Default
        );
        assert_eq!(MacsecCipher::Default.to_string(), "GCM-AES-128");
        assert_eq!(
            "GCM-AES-128".parse::<MacsecCipher>().ok(),
            Some(MacsecCipher::GcmAes128)
        );
        assert_eq!(
            "strict".parse::<MacsecValidation>().ok(),
            Some(MacsecValidation::Strict)
        );
        assert_eq!(MacsecOffload::from(7), MacsecOffload::Other(7));
    }
}
