//! Constants of `<linux/if_macsec.h>` with the kernel's names.
//!
//! Generated from linux-libc-dev 6.1.187-1 by `scripts/gen-uapi.py`; do not edit.
//! Values newer than those headers live in `uapi::newer`.
#![allow(missing_docs, non_upper_case_globals, dead_code)]

pub const MACSEC_CIPHER_ID_GCM_AES_128: u64 = 36242102291529729;
pub const MACSEC_CIPHER_ID_GCM_AES_256: u64 = 36242102291529730;
pub const MACSEC_CIPHER_ID_GCM_AES_XPN_128: u64 = 36242102291529731;
pub const MACSEC_CIPHER_ID_GCM_AES_XPN_256: u64 = 36242102291529732;
pub const MACSEC_DEFAULT_CIPHER_ID: u64 = 36030996058996737;
pub const MACSEC_DEFAULT_CIPHER_ALT: u64 = 36242102291529729;
