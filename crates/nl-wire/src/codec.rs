//! Declarative mapping between struct fields and attributes, for the many
//! objects whose attributes are plain scalars (link kinds, bridge ports,
//! ethtool settings, qdisc options ...), shared by every family crate.
//!
//! [`attr_struct!`](crate::attr_struct) declares a struct of `Option`
//! fields, each tied to an attribute type and a [`Codec`] (host-order
//! integer by default; [`Be16`], [`Flag`], [`Bool8`] ... when the kernel
//! encodes it otherwise), and generates the one-loop parser and the writer
//! for it. A family crate adds a codec for its own types by implementing
//! [`Codec`] for one of the markers here.

use alloc::string::String;
use alloc::vec::Vec;
use core::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use crate::{Attr, HwAddr, KernelEnum, MsgBuilder};

/// How one field is read from and written to an attribute.
pub trait Codec<T> {
    /// Reads the attribute's payload.
    fn read(a: &Attr<'_>) -> crate::Result<T>;
    /// Writes `v` as attribute `ty`.
    fn write(v: &T, m: &mut MsgBuilder<'_>, ty: u16);
}

/// The natural encoding of a type (host-order integers, NUL strings,
/// addresses by length).
pub struct Native;
/// `__be16` payload.
pub struct Be16;
/// `__be32` payload.
pub struct Be32;
/// `__be64` payload (a MACsec SCI).
pub struct Be64;
/// Presence means true (`NLA_FLAG`).
pub struct Flag;
/// A `u8` that is 0 or 1.
pub struct Bool8;
/// Written as a flag, reported as a `u8` 0 or 1 (the kernel accepts
/// `IFLA_VXLAN_TTL_INHERIT` as `NLA_FLAG` but fills it in with `nla_put_u8`).
pub struct FlagU8;
/// A kernel enum ([`kernel_enum!`](crate::kernel_enum)) in its natural integer
/// encoding; values it does not name read as `Other(..)`.
pub struct Enum;
/// A `u32` that is 0 or 1.
pub struct Bool32;

macro_rules! native_int {
    ($($t:ty => $get:ident, $put:ident;)*) => {$(
        impl Codec<$t> for Native {
            fn read(a: &Attr<'_>) -> crate::Result<$t> { a.$get() }
            fn write(v: &$t, m: &mut MsgBuilder<'_>, ty: u16) { m.$put(ty, *v); }
        }
    )*};
}

native_int! {
    u8 => u8, put_u8;
    u16 => u16, put_u16;
    u32 => u32, put_u32;
    u64 => u64, put_u64;
    i32 => i32, put_i32;
}

impl Codec<String> for Native {
    fn read(a: &Attr<'_>) -> crate::Result<String> {
        a.str().map(String::from)
    }
    fn write(v: &String, m: &mut MsgBuilder<'_>, ty: u16) {
        m.put_str(ty, v);
    }
}

impl Codec<HwAddr> for Native {
    fn read(a: &Attr<'_>) -> crate::Result<HwAddr> {
        a.hwaddr()
    }
    fn write(v: &HwAddr, m: &mut MsgBuilder<'_>, ty: u16) {
        m.put_hwaddr(ty, v);
    }
}

impl Codec<Ipv4Addr> for Native {
    fn read(a: &Attr<'_>) -> crate::Result<Ipv4Addr> {
        a.ipv4()
    }
    fn write(v: &Ipv4Addr, m: &mut MsgBuilder<'_>, ty: u16) {
        m.put_ipv4(ty, *v);
    }
}

impl Codec<Ipv6Addr> for Native {
    fn read(a: &Attr<'_>) -> crate::Result<Ipv6Addr> {
        a.ipv6()
    }
    fn write(v: &Ipv6Addr, m: &mut MsgBuilder<'_>, ty: u16) {
        m.put_ipv6(ty, *v);
    }
}

impl Codec<IpAddr> for Native {
    fn read(a: &Attr<'_>) -> crate::Result<IpAddr> {
        a.ip()
    }
    fn write(v: &IpAddr, m: &mut MsgBuilder<'_>, ty: u16) {
        m.put_ip(ty, *v);
    }
}

impl Codec<Vec<u8>> for Native {
    fn read(a: &Attr<'_>) -> crate::Result<Vec<u8>> {
        Ok(a.payload().to_vec())
    }
    fn write(v: &Vec<u8>, m: &mut MsgBuilder<'_>, ty: u16) {
        m.put_bytes(ty, v);
    }
}

impl<T> Codec<T> for Enum
where
    T: KernelEnum,
    Native: Codec<T::Repr>,
{
    fn read(a: &Attr<'_>) -> crate::Result<T> {
        <Native as Codec<T::Repr>>::read(a).map(T::from_raw)
    }
    fn write(v: &T, m: &mut MsgBuilder<'_>, ty: u16) {
        <Native as Codec<T::Repr>>::write(&v.to_raw(), m, ty);
    }
}

impl Codec<u16> for Be16 {
    fn read(a: &Attr<'_>) -> crate::Result<u16> {
        a.be16()
    }
    fn write(v: &u16, m: &mut MsgBuilder<'_>, ty: u16) {
        m.put_be16(ty, *v);
    }
}

impl Codec<u32> for Be32 {
    fn read(a: &Attr<'_>) -> crate::Result<u32> {
        a.be32()
    }
    fn write(v: &u32, m: &mut MsgBuilder<'_>, ty: u16) {
        m.put_be32(ty, *v);
    }
}

impl Codec<u64> for Be64 {
    fn read(a: &Attr<'_>) -> crate::Result<u64> {
        a.be64()
    }
    fn write(v: &u64, m: &mut MsgBuilder<'_>, ty: u16) {
        m.put_be64(ty, *v);
    }
}

impl Codec<bool> for Flag {
    fn read(_: &Attr<'_>) -> crate::Result<bool> {
        Ok(true)
    }
    fn write(v: &bool, m: &mut MsgBuilder<'_>, ty: u16) {
        if *v {
            m.put_flag(ty);
        }
    }
}

impl Codec<bool> for FlagU8 {
    fn read(a: &Attr<'_>) -> crate::Result<bool> {
        if a.is_empty() {
            Ok(true)
        } else {
            a.u8().map(|v| v != 0)
        }
    }
    fn write(v: &bool, m: &mut MsgBuilder<'_>, ty: u16) {
        if *v {
            m.put_flag(ty);
        }
    }
}

impl Codec<bool> for Bool8 {
    fn read(a: &Attr<'_>) -> crate::Result<bool> {
        a.u8().map(|v| v != 0)
    }
    fn write(v: &bool, m: &mut MsgBuilder<'_>, ty: u16) {
        m.put_u8(ty, u8::from(*v));
    }
}

impl Codec<bool> for Bool32 {
    fn read(a: &Attr<'_>) -> crate::Result<bool> {
        a.u32().map(|v| v != 0)
    }
    fn write(v: &bool, m: &mut MsgBuilder<'_>, ty: u16) {
        m.put_u32(ty, u32::from(*v));
    }
}

/// Declares a struct of optional fields mapped to attributes.
///
/// ```ignore
/// nl_wire::attr_struct! {
///     /// docs
///     pub struct Vxlan {
///         /// VNI.
///         id: u32 = IFLA_VXLAN_ID,
///         /// UDP port.
///         port: u16 = IFLA_VXLAN_PORT => Be16,
///     }
/// }
/// ```
/// generates `parse_attr(&mut self, &Attr) -> $crate::Result<bool>`
/// (false: not one of these fields), `from_attrs(Attrs)` for a struct
/// that has nothing else, and `write_attrs(&self, &mut MsgBuilder)`.
#[macro_export]
macro_rules! attr_struct {
    (
        $(#[$meta:meta])*
        pub struct $name:ident {
            $(
                $(#[$fmeta:meta])*
                $field:ident : $ty:ty = $attr:path $(=> $codec:ident)?
            ),* $(,)?
        }
        $(extra { $($(#[$xmeta:meta])* pub $xfield:ident : $xty:ty,)* })?
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Default, PartialEq)]
        pub struct $name {
            $( $(#[$fmeta])* pub $field: Option<$ty>, )*
            $($( $(#[$xmeta])* pub $xfield: $xty, )*)?
        }

        impl $name {
            /// Reads `a` into its field; `Ok(false)` when `a` is not one
            /// of the plain fields.
            #[allow(unreachable_patterns)]
            pub(crate) fn parse_attr(&mut self, a: &$crate::Attr<'_>) -> $crate::Result<bool> {
                match a.ty() {
                    $( $attr => {
                        self.$field = Some(<$crate::attr_struct!(@codec $($codec)?) as $crate::codec::Codec<$ty>>::read(a)?);
                        Ok(true)
                    } )*
                    _ => Ok(false),
                }
            }

            /// Reads a whole stream of these attributes (others are skipped).
            #[allow(dead_code)] // structs with extra fields read them in their own loop
            pub(crate) fn from_attrs(attrs: $crate::Attrs<'_>) -> $crate::Result<Self> {
                let mut v = Self::default();
                for a in attrs {
                    v.parse_attr(&a?)?;
                }
                Ok(v)
            }

            /// Writes every plain field that is set.
            #[allow(dead_code)] // read-only structs are never written
            pub(crate) fn write_attrs(&self, m: &mut $crate::MsgBuilder<'_>) {
                $( if let Some(v) = &self.$field {
                    <$crate::attr_struct!(@codec $($codec)?) as $crate::codec::Codec<$ty>>::write(v, m, $attr);
                } )*
            }
        }
    };
    (@codec) => { $crate::codec::Native };
    (@codec $codec:ident) => { $crate::codec::$codec };
}
