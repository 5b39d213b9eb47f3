//! The two declarations every family crate needs: fixed-size kernel
//! structs ([`wire_struct!`](crate::wire_struct)) and kernel enums that keep
//! values they do not know ([`kernel_enum!`](crate::kernel_enum)).
//!
//! They live here, once, so that a new family crate copies nothing: it
//! depends on `nl-wire` and `zerocopy` and writes one declaration per
//! struct or enum.

use core::fmt;

/// A kernel enum declared with [`kernel_enum!`](crate::kernel_enum): a
/// closed set of named values plus `Other(raw)` for the rest.
///
/// Family crates use it to read and write any such enum with one codec
/// (nl-route's attribute structs do).
pub trait KernelEnum: Copy + Eq + 'static {
    /// The integer the kernel sends (`u8`, `u16`, `u32`, `i32` ...).
    type Repr: Copy + Eq;

    /// The value for `raw`: a named variant, or `Other(raw)`.
    fn from_raw(raw: Self::Repr) -> Self;

    /// The integer to send.
    fn to_raw(self) -> Self::Repr;

    /// The word the reference tool prints for it; `None` for `Other`.
    fn word(self) -> Option<&'static str>;

    /// Whether the library names this value (it is not `Other`).
    fn is_known(self) -> bool {
        self.word().is_some()
    }
}

/// A word that names no value of a kernel enum (the `FromStr` error
/// [`kernel_enum!`](crate::kernel_enum) hands to the crate's own error
/// type through `From`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct UnknownWord {
    /// What was being parsed (`"mode"`, `"scope"` ...).
    pub what: &'static str,
    /// What would have been accepted.
    pub expected: &'static str,
}

impl fmt::Display for UnknownWord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid {}: {}", self.what, self.expected)
    }
}

impl core::error::Error for UnknownWord {}

/// Declares a fixed-size kernel struct as a zerocopy type pinned to its
/// UAPI size.
///
/// The struct derives zerocopy's `FromBytes`, `IntoBytes`, `KnownLayout`,
/// `Immutable` and `Unaligned` (so views can point into any receive
/// buffer), plus `Clone`, `Copy`, `Debug`, `Default`, `PartialEq`, `Eq`;
/// a const assertion fails the build if its size is not the one given.
/// Fields are host byte order unless their type says otherwise
/// (`zerocopy::byteorder::network_endian::U16` ...); kernel padding is an
/// explicit field. The calling crate depends on `zerocopy` itself (the
/// derives name it).
///
/// ```
/// use zerocopy::byteorder::native_endian::U32;
/// nl_wire::wire_struct! {
///     /// `struct ifaddrmsg`.
///     pub struct IfAddrMsg(8) {
///         pub ifa_family: u8,
///         pub ifa_prefixlen: u8,
///         pub ifa_flags: u8,
///         pub ifa_scope: u8,
///         pub ifa_index: U32,
///     }
/// }
/// let hdr = IfAddrMsg { ifa_family: 2, ifa_index: 3.into(), ..IfAddrMsg::default() };
/// assert_eq!(zerocopy::IntoBytes::as_bytes(&hdr), &[2, 0, 0, 0, 3, 0, 0, 0]);
/// ```
#[macro_export]
macro_rules! wire_struct {
    ($(
        $(#[$meta:meta])*
        $vis:vis struct $name:ident($size:expr) {
            $( $(#[$fmeta:meta])* $fvis:vis $field:ident : $ty:ty ),* $(,)?
        }
    )*) => {$(
        $(#[$meta])*
        #[derive(
            ::zerocopy::FromBytes,
            ::zerocopy::IntoBytes,
            ::zerocopy::KnownLayout,
            ::zerocopy::Immutable,
            ::zerocopy::Unaligned,
            Clone,
            Copy,
            Debug,
            Default,
            PartialEq,
            Eq,
        )]
        #[repr(C)]
        $vis struct $name {
            $( $(#[$fmeta])* $fvis $field: $ty, )*
        }
        const _: () = assert!(::core::mem::size_of::<$name>() == $size);
    )*};
}

/// Declares a kernel enum that keeps the values it does not name.
///
/// Each variant has its kernel value and the word the reference tool
/// prints for it (then, after `|`, other words it also accepts); values
/// without a name arrive as `Other(raw)` and are written back unchanged,
/// so a newer kernel never fails a parse. The enum gets:
///
/// * `From<Repr>` and `Into<Repr>`, and [`KernelEnum`](crate::KernelEnum);
/// * `Display`: the word, or the number for `Other`;
/// * `FromStr`: any of the words (ASCII case ignored) or a number; a
///   failure is an [`UnknownWord`](crate::UnknownWord) naming `what`, turned
///   into the error type given (which implements `From<UnknownWord>`);
/// * `KNOWN`: every named value, in order.
///
/// ```
/// #[derive(Debug)]
/// pub struct MyError(nl_wire::UnknownWord);
/// impl From<nl_wire::UnknownWord> for MyError {
///     fn from(e: nl_wire::UnknownWord) -> Self { MyError(e) }
/// }
/// nl_wire::kernel_enum! {
///     /// `RT_SCOPE_*`.
///     #[derive(Default)]
///     pub enum Scope: u8, "scope", MyError {
///         /// Everywhere.
///         #[default]
///         Universe = 0 => "global" | "universe",
///         /// On this host.
///         Host = 254 => "host",
///     }
/// }
/// assert_eq!(Scope::from(254), Scope::Host);
/// assert_eq!(Scope::from(7), Scope::Other(7));
/// assert_eq!(u8::from(Scope::Other(7)), 7);
/// assert_eq!(Scope::Universe.to_string(), "global");
/// assert_eq!("Universe".parse::<Scope>().unwrap(), Scope::Universe);
/// assert_eq!("9".parse::<Scope>().unwrap(), Scope::Other(9));
/// assert_eq!("far".parse::<Scope>().unwrap_err().0.what, "scope");
/// ```
#[macro_export]
macro_rules! kernel_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident: $repr:ty, $what:literal, $err:ty {
            $(
                $(#[$vmeta:meta])*
                $variant:ident = $value:expr => $word:literal $(| $alias:literal)*
            ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        $vis enum $name {
            $( $(#[$vmeta])* $variant, )*
            /// A value this library has no name for, kept as the kernel sent it.
            Other($repr),
        }

        impl $name {
            /// Every value this library names, in declaration order.
            pub const KNOWN: &'static [$name] = &[$($name::$variant),*];
        }

        impl ::core::convert::From<$repr> for $name {
            fn from(raw: $repr) -> Self {
                $( if raw == $value { return $name::$variant; } )*
                $name::Other(raw)
            }
        }

        impl ::core::convert::From<$name> for $repr {
            fn from(v: $name) -> $repr {
                match v {
                    $( $name::$variant => $value, )*
                    $name::Other(raw) => raw,
                }
            }
        }

        impl $crate::KernelEnum for $name {
            type Repr = $repr;
            fn from_raw(raw: $repr) -> Self {
                Self::from(raw)
            }
            fn to_raw(self) -> $repr {
                self.into()
            }
            fn word(self) -> ::core::option::Option<&'static str> {
                match self {
                    $( $name::$variant => ::core::option::Option::Some($word), )*
                    $name::Other(_) => ::core::option::Option::None,
                }
            }
        }

        impl ::core::fmt::Display for $name {
            /// The reference tool's word, or the number.
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                match self {
                    $( $name::$variant => f.write_str($word), )*
                    $name::Other(raw) => ::core::write!(f, "{raw}"),
                }
            }
        }

        impl ::core::str::FromStr for $name {
            type Err = $err;
            /// A word (any ASCII case) or a number.
            fn from_str(s: &str) -> ::core::result::Result<Self, $err> {
                $(
                    if s.eq_ignore_ascii_case($word) $(|| s.eq_ignore_ascii_case($alias))* {
                        return ::core::result::Result::Ok($name::$variant);
                    }
                )*
                s.parse::<$repr>().map($name::from).map_err(|_| {
                    <$err as ::core::convert::From<$crate::UnknownWord>>::from($crate::UnknownWord {
                        what: $what,
                        expected: ::core::concat!("a number or one of:", $(" ", $word,)*),
                    })
                })
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use super::{KernelEnum, UnknownWord};

    crate::kernel_enum! {
        /// A test enum.
        enum Color: i32, "color", UnknownWord {
            /// Red.
            Red = -1 => "red" | "r",
            /// Green.
            Green = 1 << 2 => "green",
        }
    }

    crate::wire_struct! {
        /// A test struct.
        struct Pair(4) {
            a: zerocopy::byteorder::native_endian::U16,
            b: u8,
            _pad: u8,
        }
    }

    #[test]
    fn enums_keep_unknown_values_both_ways() {
        assert_eq!(Color::from(-1), Color::Red);
        assert_eq!(Color::from(4), Color::Green);
        assert_eq!(Color::from(5), Color::Other(5));
        assert_eq!(i32::from(Color::Other(5)), 5);
        assert_eq!(Color::from_raw(4).to_raw(), 4);
        assert_eq!(Color::KNOWN, &[Color::Red, Color::Green]);
        assert!(Color::Red.is_known() && !Color::Other(0).is_known());
    }

    #[test]
    fn enums_read_and_print_words() {
        assert_eq!("R".parse::<Color>(), Ok(Color::Red));
        assert_eq!("-1".parse::<Color>(), Ok(Color::Red));
        assert_eq!("17".parse::<Color>(), Ok(Color::Other(17)));
        let e = "blue".parse::<Color>().unwrap_err();
        assert_eq!(e.what, "color");
        assert_eq!(e.expected, "a number or one of: red green");
        assert_eq!(format!("{} {}", Color::Green, Color::Other(9)), "green 9");
    }

    #[test]
    fn structs_have_their_uapi_size() {
        let p = Pair {
            a: 0x0102.into(),
            b: 3,
            _pad: 0,
        };
        assert_eq!(zerocopy::IntoBytes::as_bytes(&p).len(), 4);
        assert_eq!(Pair::default().b, 0);
    }
}
