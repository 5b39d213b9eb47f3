//! Values the running kernels know but the installed 6.1 headers do not,
//! and the family names the generator skips (strings), written by hand
//! with the kernel's names. Each number is from the upstream UAPI header
//! of the release that added it.
#![allow(missing_docs)]

// <linux/fou.h>
pub const FOU_GENL_NAME: &str = "fou";

// <linux/gtp.h>: the family is registered as "gtp" (drivers/net/gtp.c),
// its multicast group too.
pub const GTP_GENL_NAME: &str = "gtp";
pub const GTP_GENL_MCGRP_NAME: &str = "gtp";
/// The family's version (`gtp_genl_family.version`).
pub const GTP_GENL_VERSION: u8 = 0;
// Appended after GTPA_PAD (10) in 6.11, in this order.
pub const GTPA_PEER_ADDR6: u16 = 11;
pub const GTPA_MS_ADDR6: u16 = 12;
pub const GTPA_FAMILY: u16 = 13;

// <linux/if_macsec.h>
pub const MACSEC_GENL_NAME: &str = "macsec";

// <linux/vdpa.h>
pub const VDPA_GENL_NAME: &str = "vdpa";
// Appended after VDPA_CMD_DEV_VSTATS_GET (7) in 6.12.
pub const VDPA_CMD_DEV_ATTR_SET: u8 = 8;
