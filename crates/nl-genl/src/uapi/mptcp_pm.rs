//! Constants of `<linux/mptcp_pm.h>` / `<linux/mptcp.h>` newer than the
//! installed linux-libc-dev 6.1 headers (the kernel's
//! `Documentation/netlink/specs/mptcp_pm.yaml`), written by hand with the
//! kernel's names. Everything 6.1 has is in [`super::mptcp`].
#![allow(missing_docs)]

/// The family's name (`MPTCP_PM_NAME`).
pub const MPTCP_PM_NAME: &str = "mptcp_pm";
/// The group of path-manager events (`MPTCP_PM_EV_GRP_NAME`).
pub const MPTCP_PM_EV_GRP_NAME: &str = "mptcp_pm_events";
/// The group of command notifications (`MPTCP_PM_CMD_GRP_NAME`).
pub const MPTCP_PM_CMD_GRP_NAME: &str = "mptcp_pm_cmds";

/// A listener was created (6.2).
pub const MPTCP_EVENT_LISTENER_CREATED: u8 = 15;
/// A listener was closed (6.2).
pub const MPTCP_EVENT_LISTENER_CLOSED: u8 = 16;

/// `MPTCP_PM_EV_FLAG_DENY_JOIN_ID0` (`_BITUL(0)`, which the generator cannot read).
pub const MPTCP_PM_EV_FLAG_DENY_JOIN_ID0: u16 = 1 << 0;
/// `MPTCP_PM_EV_FLAG_SERVER_SIDE` (6.18).
pub const MPTCP_PM_EV_FLAG_SERVER_SIDE: u16 = 1 << 1;

/// A "laminar" endpoint (6.18): used for extra subflows to announced addresses.
pub const MPTCP_PM_ADDR_FLAG_LAMINAR: u32 = 1 << 5;
