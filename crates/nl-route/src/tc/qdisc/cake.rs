//! `cake`: common applications kept enhanced (shaper, AQM, fairness).

use nl_wire::{Attr, MsgBuilder};

use crate::attrs::attr_struct;
use crate::tc::TcOptions;
use crate::uapi::pkt_sched::*;
use crate::uapi::rtnetlink::TCA_OPTIONS;

nl_wire::kernel_enum! {
    /// `CAKE_DIFFSERV_*`: how packets are sorted into tins.
    pub enum CakeDiffserv: u32, "diffserv mode", crate::Error {
        /// Three tins (`diffserv3`).
        Diffserv3 = 0 => "diffserv3",
        /// Four tins (`diffserv4`).
        Diffserv4 = 1 => "diffserv4" | "diffserv",
        /// Eight tins (`diffserv8`).
        Diffserv8 = 2 => "diffserv8",
        /// One tin (`besteffort`).
        Besteffort = 3 => "besteffort",
        /// By IP precedence (`precedence`).
        Precedence = 4 => "precedence",
    }
}

nl_wire::kernel_enum! {
    /// `CAKE_FLOW_*`: what a flow is for fairness.
    pub enum CakeFlowMode: u32, "flow mode", crate::Error {
        /// No flow isolation (`flowblind`).
        None = 0 => "flowblind",
        /// By source address (`srchost`).
        SrcIp = 1 => "srchost",
        /// By destination address (`dsthost`).
        DstIp = 2 => "dsthost",
        /// By address pair (`hosts`).
        Hosts = 3 => "hosts",
        /// By 5-tuple (`flows`).
        Flows = 4 => "flows",
        /// Sources, then their flows (`dual-srchost`).
        DualSrc = 5 => "dual-srchost",
        /// Destinations, then their flows (`dual-dsthost`).
        DualDst = 6 => "dual-dsthost",
        /// Both, then flows (`triple-isolate`).
        Triple = 7 => "triple-isolate",
    }
}

nl_wire::kernel_enum! {
    /// `CAKE_ATM_*`: link layer cell framing for the overhead.
    pub enum CakeAtm: u32, "atm mode", crate::Error {
        /// None (`noatm`).
        None = 0 => "noatm",
        /// ATM cells (`atm`).
        Atm = 1 => "atm",
        /// PTM 64b/65b (`ptm`).
        Ptm = 2 => "ptm",
    }
}

nl_wire::kernel_enum! {
    /// `CAKE_ACK_*`: dropping of redundant TCP ACKs.
    pub enum CakeAckFilter: u32, "ack filter", crate::Error {
        /// Off (`no-ack-filter`).
        None = 0 => "no-ack-filter",
        /// Conservative (`ack-filter`).
        Filter = 1 => "ack-filter",
        /// Aggressive (`ack-filter-aggressive`).
        Aggressive = 2 => "ack-filter-aggressive",
    }
}

attr_struct! {
    /// `cake` options, in the order `tc` writes them (times in
    /// microseconds, the rate in bytes per second).
    pub struct Cake {
        /// Shaper rate, bytes/s (`bandwidth`; 0: `unlimited`).
        base_rate: u64 = TCA_CAKE_BASE_RATE64,
        /// Tins (`besteffort`, `diffserv3` ...).
        diffserv_mode: CakeDiffserv = TCA_CAKE_DIFFSERV_MODE => Enum,
        /// Cell framing (`atm`, `ptm`, `noatm`).
        atm: CakeAtm = TCA_CAKE_ATM => Enum,
        /// Flow isolation (`flows`, `triple-isolate` ...).
        flow_mode: CakeFlowMode = TCA_CAKE_FLOW_MODE => Enum,
        /// Per-packet overhead in bytes, -64..=256 (`overhead`).
        overhead: i32 = TCA_CAKE_OVERHEAD,
        /// Minimum packet size in bytes (`mpu`).
        mpu: u32 = TCA_CAKE_MPU,
        /// Round trip time, µs (`rtt`, or a preset such as `internet`).
        rtt: u32 = TCA_CAKE_RTT,
        /// Target delay, µs (set with `rtt`: a twentieth of it).
        target: u32 = TCA_CAKE_TARGET,
        /// Follow the ingress rate (`autorate-ingress`).
        autorate: bool = TCA_CAKE_AUTORATE => Bool32,
        /// Memory limit in bytes (`memlimit`).
        memory: u32 = TCA_CAKE_MEMORY,
        /// Mask of the firewall mark that picks the tin (`fwmark`).
        fwmark: u32 = TCA_CAKE_FWMARK,
        /// Look up NAT for the real addresses (`nat` / `nonat`).
        nat: bool = TCA_CAKE_NAT => Bool32,
        /// Clear DSCP bits (`wash` / `nowash`).
        wash: bool = TCA_CAKE_WASH => Bool32,
        /// Split GSO super-packets (`split-gso` / `no-split-gso`).
        split_gso: bool = TCA_CAKE_SPLIT_GSO => Bool32,
        /// Shape incoming traffic (`ingress` / `egress`).
        ingress: bool = TCA_CAKE_INGRESS => Bool32,
        /// ACK filtering (`ack-filter` ...).
        ack_filter: CakeAckFilter = TCA_CAKE_ACK_FILTER => Enum,
    }
    extra {
        /// `raw`: no overhead compensation (written as tc does, reported
        /// as a flag).
        pub raw: bool,
    }
}

impl TcOptions for Cake {
    fn parse(options: Option<&Attr<'_>>) -> nl_wire::Result<Self> {
        let mut c = Cake::default();
        for a in options.map(Attr::nested).into_iter().flatten() {
            let a = a?;
            if !c.parse_attr(&a)? && a.ty() == TCA_CAKE_RAW {
                c.raw = true;
            }
        }
        Ok(c)
    }

    fn write(&self, m: &mut MsgBuilder<'_>) {
        m.nest(TCA_OPTIONS, |m| {
            self.write_attrs(m);
            if self.raw {
                m.put_u32(TCA_CAKE_RAW, 0);
            }
        });
    }
}

/// cake's round trip presets (`lan`, `internet` ...): rtt and target, µs.
pub const CAKE_PRESETS: [(&str, u32, u32); 8] = [
    ("datacentre", 100, 5),
    ("lan", 1000, 50),
    ("metro", 10_000, 500),
    ("regional", 30_000, 1500),
    ("internet", 100_000, 5000),
    ("oceanic", 300_000, 15_000),
    ("satellite", 1_000_000, 50_000),
    ("interplanetary", 1_000_000_000, 50_000_000),
];
