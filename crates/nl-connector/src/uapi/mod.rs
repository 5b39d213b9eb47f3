//! Kernel constants and structs, in modules named after their UAPI header
//! (`linux/connector.h`, `linux/cn_proc.h`).

pub mod cn_proc;
pub mod connector;
