//! Kernel constants and structs, in modules named after their UAPI
//! header, with the kernel's names (values from the headers in
//! `/usr/include/linux`).

pub mod inet_diag;
pub mod sock_diag;
pub mod tcp;
pub mod unix_diag;
pub mod xdp_diag;
