//! How kinds register: one table per family (link kinds, slave kinds,
//! qdiscs, classes, filters, actions), one line per kind.
//!
//! [`kind_table!`] declares the family's enum from its table and writes
//! the three `match`es every family needs (the kind's name, parsing its
//! settings by name, handing out its settings as a trait object for
//! writing and checking). A kind itself lives in a file of its own: its
//! settings struct and its implementation of the family's trait
//! ([`crate::kind::LinkData`], [`crate::tc::qdisc::QdiscOptions`] ...).
//! A kind without settings is a line without a type.
//!
//! Kinds this library does not know never go through the table: each
//! family keeps them raw in its `Other` variant and writes them back
//! unchanged.

/// Declares a kind enum from its table.
///
/// ```ignore
/// kind_table! {
///     /// docs
///     pub enum QdiscKind: QdiscOptions(options: Option<&Attr<'_>>) {
///         /// `htb`.
///         Htb(Htb) = "htb",
///         /// `ingress`: no options.
///         Ingress = "ingress",
///     }
///     other {
///         /// A kind this library does not know.
///         Other { kind: String, options: Option<Vec<u8>> },
///     }
/// }
/// ```
///
/// generates the enum (table variants, then the `other` ones) and, for
/// the family's own methods to build on:
/// * `table_name(&self) -> &'static str`: the kind's name (`""` for an
///   `other` variant);
/// * `parse_table(kind, arg) -> nl_wire::Result<Option<Self>>`: the kind
///   named `kind` with its settings read by `Trait::parse(arg)`, `None` for
///   a name not in the table;
/// * `table_settings(&self) -> Option<&dyn Trait>`: the settings, for
///   writing and checking (`None` for kinds without settings and `other`).
macro_rules! kind_table {
    (
        $(#[$meta:meta])*
        pub enum $enum:ident: $trait:ident($arg:ident: $argty:ty) {
            $( $(#[$vmeta:meta])* $variant:ident $(($ty:ty))? = $name:literal, )*
        }
        other {
            $($other:tt)*
        }
    ) => {
        $(#[$meta])*
        pub enum $enum {
            $( $(#[$vmeta])* $variant $(($ty))?, )*
            $($other)*
        }

        #[allow(dead_code, unreachable_patterns)]
        impl $enum {
            /// The name of a kind of the table (`""` for another one).
            fn table_name(&self) -> &'static str {
                match self {
                    $( $enum::$variant { .. } => $name, )*
                    _ => "",
                }
            }

            /// The kind named `kind`, with its settings; `None` when the
            /// table has no such kind.
            fn parse_table(kind: &str, $arg: $argty) -> nl_wire::Result<Option<Self>> {
                Ok(Some(match kind {
                    $( $name => $enum::$variant $( (<$ty as $trait>::parse($arg)?) )?, )*
                    _ => return Ok(None),
                }))
            }

            /// The settings of a kind of the table, if it has any.
            fn table_settings(&self) -> Option<&dyn $trait> {
                match self {
                    $( $enum::$variant $( ($crate::registry::kind_table!(@bind s, $ty)) )?
                        => $crate::registry::kind_table!(@some s $(, $ty)?), )*
                    _ => None,
                }
            }
        }
    };
    (@bind $s:ident, $ty:ty) => { $s };
    (@some $s:ident) => { None };
    (@some $s:ident, $ty:ty) => { Some($s) };
}

pub(crate) use kind_table;
