//! Names the `ipset` tool prints and reads: IP protocols, ICMP and ICMPv6
//! types, and its words for the kernel's error codes.

use crate::uapi::ip_set::*;
use crate::uapi::{ip_set_bitmap::*, ip_set_hash::*, ip_set_list::*};

/// IP protocol keywords of the IANA registry (netbase's `/etc/protocols`,
/// which the `ipset` tool reads through `getprotobynumber`).
const PROTOCOLS: &[(u8, &str)] = &[
    (0, "ip"),
    (1, "icmp"),
    (2, "igmp"),
    (3, "ggp"),
    (4, "ipencap"),
    (5, "st"),
    (6, "tcp"),
    (8, "egp"),
    (9, "igp"),
    (12, "pup"),
    (17, "udp"),
    (20, "hmp"),
    (22, "xns-idp"),
    (27, "rdp"),
    (29, "iso-tp4"),
    (33, "dccp"),
    (36, "xtp"),
    (37, "ddp"),
    (38, "idpr-cmtp"),
    (41, "ipv6"),
    (43, "ipv6-route"),
    (44, "ipv6-frag"),
    (45, "idrp"),
    (46, "rsvp"),
    (47, "gre"),
    (50, "esp"),
    (51, "ah"),
    (57, "skip"),
    (58, "ipv6-icmp"),
    (59, "ipv6-nonxt"),
    (60, "ipv6-opts"),
    (73, "rspf"),
    (81, "vmtp"),
    (88, "eigrp"),
    (89, "ospf"),
    (93, "ax.25"),
    (94, "ipip"),
    (97, "etherip"),
    (98, "encap"),
    (103, "pim"),
    (108, "ipcomp"),
    (112, "vrrp"),
    (115, "l2tp"),
    (124, "isis"),
    (132, "sctp"),
    (133, "fc"),
    (135, "mobility-header"),
    (136, "udplite"),
    (137, "mpls-in-ip"),
    (138, "manet"),
    (139, "hip"),
    (140, "shim6"),
    (141, "wesp"),
    (142, "rohc"),
    (143, "ethernet"),
];

/// The keyword of IP protocol `proto` (`tcp`, `gre` ...), if it has one.
pub fn proto_name(proto: u8) -> Option<&'static str> {
    PROTOCOLS.iter().find(|(p, _)| *p == proto).map(|(_, n)| *n)
}

/// The number of a protocol keyword or number (`icmpv6` as the `ipset`
/// tool spells it, too).
pub(crate) fn proto_number(name: &str) -> Option<u8> {
    if let Ok(n) = name.parse() {
        return Some(n);
    }
    if name == "icmpv6" {
        return Some(58);
    }
    PROTOCOLS.iter().find(|(_, n)| *n == name).map(|(p, _)| *p)
}

/// ICMP type/code names the `ipset` tool prints (first name of a pair wins).
const ICMP: &[(&str, u8, u8)] = &[
    ("echo-reply", 0, 0),
    ("pong", 0, 0),
    ("network-unreachable", 3, 0),
    ("host-unreachable", 3, 1),
    ("protocol-unreachable", 3, 2),
    ("port-unreachable", 3, 3),
    ("fragmentation-needed", 3, 4),
    ("source-route-failed", 3, 5),
    ("network-unknown", 3, 6),
    ("host-unknown", 3, 7),
    ("network-prohibited", 3, 9),
    ("host-prohibited", 3, 10),
    ("TOS-network-unreachable", 3, 11),
    ("TOS-host-unreachable", 3, 12),
    ("communication-prohibited", 3, 13),
    ("host-precedence-violation", 3, 14),
    ("precedence-cutoff", 3, 15),
    ("source-quench", 4, 0),
    ("network-redirect", 5, 0),
    ("host-redirect", 5, 1),
    ("TOS-network-redirect", 5, 2),
    ("TOS-host-redirect", 5, 3),
    ("echo-request", 8, 0),
    ("ping", 8, 0),
    ("router-advertisement", 9, 0),
    ("router-solicitation", 10, 0),
    ("ttl-zero-during-transit", 11, 0),
    ("ttl-zero-during-reassembly", 11, 1),
    ("ip-header-bad", 12, 0),
    ("required-option-missing", 12, 1),
    ("timestamp-request", 13, 0),
    ("timestamp-reply", 14, 0),
    ("address-mask-request", 17, 0),
    ("address-mask-reply", 18, 0),
];

/// ICMPv6 type/code names the `ipset` tool prints.
const ICMPV6: &[(&str, u8, u8)] = &[
    ("no-route", 1, 0),
    ("communication-prohibited", 1, 1),
    ("address-unreachable", 1, 3),
    ("port-unreachable", 1, 4),
    ("packet-too-big", 2, 0),
    ("ttl-zero-during-transit", 3, 0),
    ("ttl-zero-during-reassembly", 3, 1),
    ("bad-header", 4, 0),
    ("unknown-header-type", 4, 1),
    ("unknown-option", 4, 2),
    ("echo-request", 128, 0),
    ("ping", 128, 0),
    ("echo-reply", 129, 0),
    ("pong", 129, 0),
    ("router-solicitation", 133, 0),
    ("router-advertisement", 134, 0),
    ("neighbour-solicitation", 135, 0),
    ("neighbour-advertisement", 136, 0),
    ("redirect", 137, 0),
];

fn name_of(table: &'static [(&'static str, u8, u8)], port: u16) -> Option<&'static str> {
    let (t, c) = ((port >> 8) as u8, (port & 0xff) as u8);
    table
        .iter()
        .find(|(_, ty, co)| (*ty, *co) == (t, c))
        .map(|(n, _, _)| *n)
}

fn code_of(table: &[(&str, u8, u8)], name: &str) -> Option<u16> {
    table
        .iter()
        .find(|(n, _, _)| *n == name)
        .map(|(_, t, c)| (u16::from(*t) << 8) | u16::from(*c))
}

/// The name of an ICMP type << 8 | code.
pub(crate) fn icmp_name(port: u16) -> Option<&'static str> {
    name_of(ICMP, port)
}

/// The name of an ICMPv6 type << 8 | code.
pub(crate) fn icmpv6_name(port: u16) -> Option<&'static str> {
    name_of(ICMPV6, port)
}

/// The type << 8 | code of an ICMP name.
pub(crate) fn icmp_type_code(name: &str) -> Option<u16> {
    code_of(ICMP, name)
}

/// The type << 8 | code of an ICMPv6 name.
pub(crate) fn icmpv6_type_code(name: &str) -> Option<u16> {
    code_of(ICMPV6, name)
}

const ENOENT: i32 = 2;
const EEXIST: i32 = 17;
const EMSGSIZE: i32 = 90;

/// The `ipset` tool's words for error `errno` (positive; the kernel's
/// ipset codes are 4097 and up) of `command` on a set of type
/// `type_name` (the type-specific codes mean different things for
/// `bitmap:`, `hash:` and `list:` sets). `None` for a plain errno the
/// tool prints with `strerror`, or a type-specific code of an unknown
/// type.
///
/// ```
/// use nl_netfilter::ipset::error_text;
/// use nl_netfilter::uapi::ip_set::{IPSET_CMD_ADD, IPSET_ERR_EXIST};
/// assert_eq!(
///     error_text(IPSET_ERR_EXIST, IPSET_CMD_ADD, Some("hash:ip")),
///     Some("Element cannot be added to the set: it's already added")
/// );
/// ```
pub fn error_text(errno: i32, command: u8, type_name: Option<&str>) -> Option<&'static str> {
    if errno >= IPSET_ERR_TYPE_SPECIFIC {
        let ty = type_name?;
        return if ty.starts_with("bitmap:") {
            match errno {
                IPSET_ERR_BITMAP_RANGE => Some("Element is out of the range of the set"),
                IPSET_ERR_BITMAP_RANGE_SIZE => {
                    Some("The range you specified exceeds the size limit of the set type")
                }
                _ => None,
            }
        } else if ty.starts_with("hash:") {
            match errno {
                IPSET_ERR_HASH_FULL => Some("Hash is full, cannot add more elements"),
                IPSET_ERR_HASH_ELEM => {
                    Some("Null-valued element, cannot be stored in a hash type of set")
                }
                IPSET_ERR_INVALID_PROTO => Some("Invalid protocol specified"),
                IPSET_ERR_MISSING_PROTO => Some("Protocol missing, but must be specified"),
                IPSET_ERR_HASH_RANGE_UNSUPPORTED => {
                    Some("Range is not supported in the \"net\" component of the element")
                }
                IPSET_ERR_HASH_RANGE => Some("Invalid range, covers the whole address space"),
                _ => None,
            }
        } else if ty.starts_with("list:") {
            match errno {
                IPSET_ERR_NAME => Some("Set to be added/deleted/tested as element does not exist."),
                IPSET_ERR_LOOP => Some("Sets with list:set type cannot be added to the set."),
                IPSET_ERR_BEFORE => Some("No reference set specified."),
                IPSET_ERR_NAMEREF => {
                    Some("The set to which you referred with 'before' or 'after' does not exist.")
                }
                IPSET_ERR_LIST_FULL => Some("The set is full, more elements cannot be added."),
                IPSET_ERR_REF_EXIST => Some(
                    "The set to which you referred with 'before' or 'after' is not added to the set.",
                ),
                _ => None,
            }
        } else {
            None
        };
    }
    Some(match (errno, command) {
        (ENOENT, _) => "The set with the given name does not exist",
        (EMSGSIZE, _) => "Kernel error received: message could not be created",
        (EEXIST, IPSET_CMD_CREATE) => {
            "Set cannot be created: set with the same name already exists"
        }
        (EEXIST, IPSET_CMD_TYPE) => "Kernel error received: set type does not supported",
        (IPSET_ERR_PROTOCOL, _) => "Kernel error received: ipset protocol error",
        (IPSET_ERR_FIND_TYPE, _) => "Kernel error received: set type not supported",
        (IPSET_ERR_MAX_SETS, _) => {
            "Kernel error received: maximal number of sets reached, cannot create more."
        }
        (IPSET_ERR_INVALID_NETMASK, _) => "The value of the netmask parameter is invalid",
        (IPSET_ERR_INVALID_MARKMASK, _) => "The value of the markmask parameter is invalid",
        (IPSET_ERR_INVALID_FAMILY, _) => "Protocol family not supported by the set type",
        (IPSET_ERR_BUSY, IPSET_CMD_DESTROY) => {
            "Set cannot be destroyed: it is in use by a kernel component"
        }
        (IPSET_ERR_EXIST_SETNAME2, IPSET_CMD_RENAME) => {
            "Set cannot be renamed: a set with the new name already exists"
        }
        (IPSET_ERR_REFERENCED, IPSET_CMD_RENAME) => {
            "Set cannot be renamed: it is in use by another system"
        }
        (IPSET_ERR_EXIST_SETNAME2, IPSET_CMD_SWAP) => {
            "Sets cannot be swapped: the second set does not exist"
        }
        (IPSET_ERR_TYPE_MISMATCH, IPSET_CMD_SWAP) => {
            "The sets cannot be swapped: their type does not match"
        }
        (IPSET_ERR_INVALID_CIDR, _) => {
            "The value of the CIDR parameter of the IP address is invalid"
        }
        (IPSET_ERR_TIMEOUT, _) => "Timeout cannot be used: set was created without timeout support",
        (IPSET_ERR_IPADDR_IPV4, _) => "An IPv4 address is expected, but not received",
        (IPSET_ERR_IPADDR_IPV6, _) => "An IPv6 address is expected, but not received",
        (IPSET_ERR_COUNTER, _) => {
            "Packet/byte counters cannot be used: set was created without counter support"
        }
        (IPSET_ERR_COMMENT, _) => "Comment cannot be used: set was created without comment support",
        (IPSET_ERR_SKBINFO, _) => {
            "Skbinfo mapping cannot be used: set was created without skbinfo support"
        }
        (IPSET_ERR_BITMASK_NETMASK_EXCL, _) => {
            "The bitmask and netmask parameters are mutually exclusive"
        }
        (IPSET_ERR_EXIST, IPSET_CMD_ADD) => {
            "Element cannot be added to the set: it's already added"
        }
        (IPSET_ERR_EXIST, IPSET_CMD_DEL) => {
            "Element cannot be deleted from the set: it's not added"
        }
        (IPSET_ERR_EXIST, IPSET_CMD_TEST) => "Element is not in the set",
        _ => return None,
    })
}
