//! can: CAN controllers (`IFLA_CAN_*`, `<linux/can/netlink.h>`). Their
//! bit timing, control modes and termination are set on hardware
//! devices (`ip link set can0 type can bitrate 500000`); the kernel
//! reports them with the controller's limits and error counters.
//! Virtual CAN devices (`vcan`, and `vxcan` pairs) carry none of this.

use bitflags::bitflags;
use nl_wire::{Attr, Attrs, MsgBuilder};
use zerocopy::IntoBytes;
use zerocopy::byteorder::native_endian::{U16, U32};

use crate::attrs::attr_struct;
use crate::error::Result;
use crate::kind::LinkData;
use crate::link::Link;
use crate::uapi::can_netlink::*;

nl_wire::kernel_enum! {
    /// `CAN_STATE_*`: the controller's error state.
    pub enum CanState: u32, "state", crate::Error {
        /// Error counters below 96.
        ErrorActive = CAN_STATE_ERROR_ACTIVE => "ERROR-ACTIVE",
        /// Below 128.
        ErrorWarning = CAN_STATE_ERROR_WARNING => "ERROR-WARNING",
        /// Below 256.
        ErrorPassive = CAN_STATE_ERROR_PASSIVE => "ERROR-PASSIVE",
        /// 256 and up: off the bus.
        BusOff = CAN_STATE_BUS_OFF => "BUS-OFF",
        /// Stopped.
        Stopped = CAN_STATE_STOPPED => "STOPPED",
        /// Sleeping.
        Sleeping = CAN_STATE_SLEEPING => "SLEEPING",
    }
}

bitflags! {
    /// `CAN_CTRLMODE_*`.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
    pub struct CanCtrlModeFlags: u32 {
        /// Loopback (`loopback on`).
        const LOOPBACK = CAN_CTRLMODE_LOOPBACK;
        /// Listen only (`listen-only on`).
        const LISTENONLY = CAN_CTRLMODE_LISTENONLY;
        /// Triple sampling (`triple-sampling on`).
        const TRIPLE_SAMPLING = CAN_CTRLMODE_3_SAMPLES;
        /// One shot (`one-shot on`).
        const ONE_SHOT = CAN_CTRLMODE_ONE_SHOT;
        /// Bus-error reporting (`berr-reporting on`).
        const BERR_REPORTING = CAN_CTRLMODE_BERR_REPORTING;
        /// CAN FD (`fd on`).
        const FD = CAN_CTRLMODE_FD;
        /// Ignore missing acks (`presume-ack on`).
        const PRESUME_ACK = CAN_CTRLMODE_PRESUME_ACK;
        /// CAN FD in non-ISO mode (`fd-non-iso on`).
        const FD_NON_ISO = CAN_CTRLMODE_FD_NON_ISO;
        /// Classic CAN DLC option (`cc-len8-dlc on`).
        const CC_LEN8_DLC = CAN_CTRLMODE_CC_LEN8_DLC;
        /// Transmitter delay compensation computed by the driver.
        const TDC_AUTO = CAN_CTRLMODE_TDC_AUTO;
        /// Transmitter delay compensation set by the user.
        const TDC_MANUAL = CAN_CTRLMODE_TDC_MANUAL;
        // Keep bits the library does not name.
        const _ = !0;
    }
}

nl_wire::wire_struct! {
    /// `struct can_bittiming`.
    struct RawBittiming(32) {
        v: [U32; 8],
    }
}

nl_wire::wire_struct! {
    /// `struct can_bittiming_const`.
    struct RawBittimingConst(48) {
        name: [u8; 16],
        v: [U32; 8],
    }
}

/// `struct can_bittiming` (`IFLA_CAN_BITTIMING`, `_DATA_BITTIMING`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CanBittiming {
    /// Bit rate in bits per second.
    pub bitrate: u32,
    /// Sample point in tenths of a percent.
    pub sample_point: u32,
    /// Time quantum in nanoseconds.
    pub tq: u32,
    /// Propagation segment in time quanta.
    pub prop_seg: u32,
    /// Phase buffer segment 1 in time quanta.
    pub phase_seg1: u32,
    /// Phase buffer segment 2 in time quanta.
    pub phase_seg2: u32,
    /// Synchronisation jump width in time quanta.
    pub sjw: u32,
    /// Bit-rate prescaler.
    pub brp: u32,
}

impl CanBittiming {
    fn read(a: &Attr<'_>) -> nl_wire::Result<Self> {
        let [
            bitrate,
            sample_point,
            tq,
            prop_seg,
            phase_seg1,
            phase_seg2,
            sjw,
            brp,
        ] = a.get::<RawBittiming>()?.v.map(U32::get);
        Ok(CanBittiming {
            bitrate,
            sample_point,
            tq,
            prop_seg,
            phase_seg1,
            phase_seg2,
            sjw,
            brp,
        })
    }

    fn write(&self, m: &mut MsgBuilder<'_>, ty: u16) {
        let v = [
            self.bitrate,
            self.sample_point,
            self.tq,
            self.prop_seg,
            self.phase_seg1,
            self.phase_seg2,
            self.sjw,
            self.brp,
        ];
        m.put_bytes(ty, RawBittiming { v: v.map(U32::new) }.as_bytes());
    }
}

/// `struct can_bittiming_const`: the controller's timing limits
/// (`IFLA_CAN_BITTIMING_CONST`, `_DATA_BITTIMING_CONST`); read only.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CanBittimingConst {
    /// The controller's name.
    pub name: String,
    /// Time segment 1 (propagation plus phase 1), least.
    pub tseg1_min: u32,
    /// Time segment 1, most.
    pub tseg1_max: u32,
    /// Time segment 2 (phase 2), least.
    pub tseg2_min: u32,
    /// Time segment 2, most.
    pub tseg2_max: u32,
    /// Synchronisation jump width, most.
    pub sjw_max: u32,
    /// Bit-rate prescaler, least.
    pub brp_min: u32,
    /// Bit-rate prescaler, most.
    pub brp_max: u32,
    /// Bit-rate prescaler step.
    pub brp_inc: u32,
}

impl CanBittimingConst {
    fn read(a: &Attr<'_>) -> nl_wire::Result<Self> {
        let raw = a.get::<RawBittimingConst>()?;
        let [
            tseg1_min,
            tseg1_max,
            tseg2_min,
            tseg2_max,
            sjw_max,
            brp_min,
            brp_max,
            brp_inc,
        ] = raw.v.map(U32::get);
        // A C string in a fixed array: up to the first NUL.
        let end = raw.name.iter().position(|b| *b == 0).unwrap_or(16);
        let name = String::from_utf8_lossy(raw.name.get(..end).unwrap_or_default()).into_owned();
        Ok(CanBittimingConst {
            name,
            tseg1_min,
            tseg1_max,
            tseg2_min,
            tseg2_max,
            sjw_max,
            brp_min,
            brp_max,
            brp_inc,
        })
    }

    fn write(&self, m: &mut MsgBuilder<'_>, ty: u16) {
        let mut name = [0u8; 16];
        for (d, s) in name.iter_mut().zip(self.name.bytes().take(15)) {
            *d = s;
        }
        let v = [
            self.tseg1_min,
            self.tseg1_max,
            self.tseg2_min,
            self.tseg2_max,
            self.sjw_max,
            self.brp_min,
            self.brp_max,
            self.brp_inc,
        ];
        let raw = RawBittimingConst {
            name,
            v: v.map(U32::new),
        };
        m.put_bytes(ty, raw.as_bytes());
    }
}

/// `struct can_ctrlmode`: the modes to set among those in `mask`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CanCtrlMode {
    /// Which modes `flags` sets.
    pub mask: CanCtrlModeFlags,
    /// The modes.
    pub flags: CanCtrlModeFlags,
}

/// `struct can_berr_counter`: the error counters; read only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CanBerrCounter {
    /// Transmit errors.
    pub txerr: u16,
    /// Receive errors.
    pub rxerr: u16,
}

attr_struct! {
    /// `IFLA_CAN_TDC`: transmitter delay compensation, in time quanta
    /// (the limits read only; `tdcv`, `tdco`, `tdcf` settable).
    pub struct CanTdc {
        /// Least delay compensation value.
        tdcv_min: u32 = IFLA_CAN_TDC_TDCV_MIN,
        /// Most delay compensation value.
        tdcv_max: u32 = IFLA_CAN_TDC_TDCV_MAX,
        /// Least delay compensation offset.
        tdco_min: u32 = IFLA_CAN_TDC_TDCO_MIN,
        /// Most delay compensation offset.
        tdco_max: u32 = IFLA_CAN_TDC_TDCO_MAX,
        /// Least delay compensation filter window.
        tdcf_min: u32 = IFLA_CAN_TDC_TDCF_MIN,
        /// Most delay compensation filter window.
        tdcf_max: u32 = IFLA_CAN_TDC_TDCF_MAX,
        /// Delay compensation value (`tdcv`).
        tdcv: u32 = IFLA_CAN_TDC_TDCV,
        /// Delay compensation offset (`tdco`).
        tdco: u32 = IFLA_CAN_TDC_TDCO,
        /// Delay compensation filter window (`tdcf`).
        tdcf: u32 = IFLA_CAN_TDC_TDCF,
    }
}

/// CAN controller settings and state. Writing sends every field that is
/// set; the kernel acts on `bittiming`, `data_bittiming`, `ctrlmode`,
/// `restart_ms`, `restart`, `termination` and `tdc`'s values, and reports
/// the rest.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Can {
    /// Arbitration-phase bit timing (`bitrate`, `sample-point`, `tq` ...).
    pub bittiming: Option<CanBittiming>,
    /// The controller's arbitration-phase limits.
    pub bittiming_const: Option<CanBittimingConst>,
    /// The controller's clock in Hz (`struct can_clock`).
    pub clock: Option<u32>,
    /// Error state.
    pub state: Option<CanState>,
    /// Control modes.
    pub ctrlmode: Option<CanCtrlMode>,
    /// Automatic restart delay after bus-off in ms, 0 for none (`restart-ms`).
    pub restart_ms: Option<u32>,
    /// Restart now (`restart`; any value); write only.
    pub restart: Option<u32>,
    /// Error counters.
    pub berr_counter: Option<CanBerrCounter>,
    /// CAN FD data-phase bit timing (`dbitrate`, `dsample-point` ...).
    pub data_bittiming: Option<CanBittiming>,
    /// The controller's data-phase limits.
    pub data_bittiming_const: Option<CanBittimingConst>,
    /// Bus termination in ohms (`termination`).
    pub termination: Option<u16>,
    /// The terminations the controller offers.
    pub termination_const: Option<Vec<u16>>,
    /// The bit rates a controller with fixed rates offers.
    pub bitrate_const: Option<Vec<u32>>,
    /// The data bit rates a controller with fixed rates offers.
    pub data_bitrate_const: Option<Vec<u32>>,
    /// The transceiver's highest bit rate.
    pub bitrate_max: Option<u32>,
    /// Transmitter delay compensation.
    pub tdc: Option<CanTdc>,
    /// The control modes the controller supports (`IFLA_CAN_CTRLMODE_EXT`).
    pub ctrlmode_supported: Option<CanCtrlModeFlags>,
}

/// The `N`-byte native-order numbers of a list attribute.
fn list<const N: usize>(a: &Attr<'_>) -> nl_wire::Result<Vec<[u8; N]>> {
    let p = a.payload();
    if p.len() % N != 0 {
        return Err(nl_wire::Error::PayloadLen {
            ty: a.ty(),
            need: p.len() - p.len() % N,
            have: p.len(),
            offset: a.offset(),
        });
    }
    Ok(p.chunks_exact(N)
        .map(|c| {
            let mut b = [0u8; N];
            b.copy_from_slice(c);
            b
        })
        .collect())
}

impl LinkData for Can {
    fn parse(data: Attrs<'_>) -> nl_wire::Result<Self> {
        let mut c = Can::default();
        for a in data {
            let a = a?;
            match a.ty() {
                IFLA_CAN_BITTIMING => c.bittiming = Some(CanBittiming::read(&a)?),
                IFLA_CAN_BITTIMING_CONST => c.bittiming_const = Some(CanBittimingConst::read(&a)?),
                IFLA_CAN_CLOCK => c.clock = Some(a.u32()?),
                IFLA_CAN_STATE => c.state = Some(CanState::from(a.u32()?)),
                IFLA_CAN_CTRLMODE => {
                    let [mask, flags] = a.get::<[U32; 2]>()?.map(U32::get);
                    c.ctrlmode = Some(CanCtrlMode {
                        mask: CanCtrlModeFlags::from_bits_retain(mask),
                        flags: CanCtrlModeFlags::from_bits_retain(flags),
                    });
                }
                IFLA_CAN_RESTART_MS => c.restart_ms = Some(a.u32()?),
                IFLA_CAN_RESTART => c.restart = Some(a.u32()?),
                IFLA_CAN_BERR_COUNTER => {
                    let [txerr, rxerr] = a.get::<[U16; 2]>()?.map(U16::get);
                    c.berr_counter = Some(CanBerrCounter { txerr, rxerr });
                }
                IFLA_CAN_DATA_BITTIMING => c.data_bittiming = Some(CanBittiming::read(&a)?),
                IFLA_CAN_DATA_BITTIMING_CONST => {
                    c.data_bittiming_const = Some(CanBittimingConst::read(&a)?)
                }
                IFLA_CAN_TERMINATION => c.termination = Some(a.u16()?),
                IFLA_CAN_TERMINATION_CONST => {
                    c.termination_const =
                        Some(list::<2>(&a)?.into_iter().map(u16::from_ne_bytes).collect())
                }
                IFLA_CAN_BITRATE_CONST => {
                    c.bitrate_const =
                        Some(list::<4>(&a)?.into_iter().map(u32::from_ne_bytes).collect())
                }
                IFLA_CAN_DATA_BITRATE_CONST => {
                    c.data_bitrate_const =
                        Some(list::<4>(&a)?.into_iter().map(u32::from_ne_bytes).collect())
                }
                IFLA_CAN_BITRATE_MAX => c.bitrate_max = Some(a.u32()?),
                IFLA_CAN_TDC => c.tdc = Some(CanTdc::from_attrs(a.nested())?),
                IFLA_CAN_CTRLMODE_EXT => {
                    for e in a.nested() {
                        let e = e?;
                        if e.ty() == IFLA_CAN_CTRLMODE_SUPPORTED {
                            c.ctrlmode_supported =
                                Some(CanCtrlModeFlags::from_bits_retain(e.u32()?));
                        }
                    }
                }
                _ => {}
            }
        }
        Ok(c)
    }

    fn write(&self, m: &mut MsgBuilder<'_>, _kind: &str, _link: &Link) -> Result<()> {
        if let Some(b) = &self.bittiming {
            b.write(m, IFLA_CAN_BITTIMING);
        }
        if let Some(b) = &self.bittiming_const {
            b.write(m, IFLA_CAN_BITTIMING_CONST);
        }
        if let Some(v) = self.clock {
            m.put_u32(IFLA_CAN_CLOCK, v);
        }
        if let Some(s) = self.state {
            m.put_u32(IFLA_CAN_STATE, s.into());
        }
        if let Some(c) = self.ctrlmode {
            let raw = [c.mask.bits(), c.flags.bits()].map(U32::new);
            m.put_bytes(IFLA_CAN_CTRLMODE, raw.as_bytes());
        }
        if let Some(v) = self.restart_ms {
            m.put_u32(IFLA_CAN_RESTART_MS, v);
        }
        if let Some(v) = self.restart {
            m.put_u32(IFLA_CAN_RESTART, v);
        }
        if let Some(b) = self.berr_counter {
            let raw = [b.txerr, b.rxerr].map(U16::new);
            m.put_bytes(IFLA_CAN_BERR_COUNTER, raw.as_bytes());
        }
        if let Some(b) = &self.data_bittiming {
            b.write(m, IFLA_CAN_DATA_BITTIMING);
        }
        if let Some(b) = &self.data_bittiming_const {
            b.write(m, IFLA_CAN_DATA_BITTIMING_CONST);
        }
        if let Some(v) = self.termination {
            m.put_u16(IFLA_CAN_TERMINATION, v);
        }
        if let Some(l) = &self.termination_const {
            let raw: Vec<U16> = l.iter().copied().map(U16::new).collect();
            m.put_bytes(IFLA_CAN_TERMINATION_CONST, raw.as_bytes());
        }
        for (ty, l) in [
            (IFLA_CAN_BITRATE_CONST, &self.bitrate_const),
            (IFLA_CAN_DATA_BITRATE_CONST, &self.data_bitrate_const),
        ] {
            if let Some(l) = l {
                let raw: Vec<U32> = l.iter().copied().map(U32::new).collect();
                m.put_bytes(ty, raw.as_bytes());
            }
        }
        if let Some(v) = self.bitrate_max {
            m.put_u32(IFLA_CAN_BITRATE_MAX, v);
        }
        if let Some(t) = &self.tdc {
            let nest = m.nest_start(IFLA_CAN_TDC);
            t.write_attrs(m);
            m.nest_end(nest);
        }
        if let Some(s) = self.ctrlmode_supported {
            let nest = m.nest_start(IFLA_CAN_CTRLMODE_EXT);
            m.put_u32(IFLA_CAN_CTRLMODE_SUPPORTED, s.bits());
            m.nest_end(nest);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::LinkKind;
    use crate::kind::tests::round_trip;

    /// A reply's `IFLA_INFO_DATA` as a CAN FD controller's driver fills it
    /// (`can_fill_info`), built by hand: bit timing at 500 kbit/s with its
    /// limits, clock, state, control modes, counters, data-phase timing,
    /// termination, TDC and the supported modes.
    fn reply() -> Vec<u8> {
        fn attr(out: &mut Vec<u8>, ty: u16, payload: &[u8]) {
            let len = 4 + payload.len();
            out.extend((len as u16).to_ne_bytes());
            out.extend(ty.to_ne_bytes());
            out.extend(payload);
            out.resize(out.len().next_multiple_of(4), 0);
        }
        let u32s = |v: &[u32]| v.iter().flat_map(|x| x.to_ne_bytes()).collect::<Vec<u8>>();
        let mut d = Vec::new();
        attr(
            &mut d,
            IFLA_CAN_BITTIMING,
            &u32s(&[500_000, 875, 25, 34, 35, 10, 1, 2]),
        );
        let mut bc = b"mcp251xfd\0\0\0\0\0\0\0".to_vec();
        bc.extend(u32s(&[2, 256, 1, 128, 128, 1, 256, 1]));
        attr(&mut d, IFLA_CAN_BITTIMING_CONST, &bc);
        attr(&mut d, IFLA_CAN_CLOCK, &u32s(&[40_000_000]));
        attr(&mut d, IFLA_CAN_STATE, &u32s(&[CAN_STATE_ERROR_WARNING]));
        attr(&mut d, IFLA_CAN_CTRLMODE, &u32s(&[0x7ff, 0x20]));
        attr(&mut d, IFLA_CAN_RESTART_MS, &u32s(&[100]));
        let berr: Vec<u8> = [97u16, 3].iter().flat_map(|x| x.to_ne_bytes()).collect();
        attr(&mut d, IFLA_CAN_BERR_COUNTER, &berr);
        attr(
            &mut d,
            IFLA_CAN_DATA_BITTIMING,
            &u32s(&[2_000_000, 750, 25, 7, 7, 5, 1, 1]),
        );
        attr(&mut d, IFLA_CAN_TERMINATION, &120u16.to_ne_bytes());
        let terms: Vec<u8> = [0u16, 120].iter().flat_map(|x| x.to_ne_bytes()).collect();
        attr(&mut d, IFLA_CAN_TERMINATION_CONST, &terms);
        attr(&mut d, IFLA_CAN_BITRATE_MAX, &u32s(&[8_000_000]));
        let mut tdc = Vec::new();
        attr(&mut tdc, IFLA_CAN_TDC_TDCV_MAX, &u32s(&[127]));
        attr(&mut tdc, IFLA_CAN_TDC_TDCO, &u32s(&[14]));
        attr(&mut d, IFLA_CAN_TDC, &tdc);
        let mut ext = Vec::new();
        attr(&mut ext, IFLA_CAN_CTRLMODE_SUPPORTED, &u32s(&[0x7ff]));
        attr(&mut d, IFLA_CAN_CTRLMODE_EXT, &ext);
        // An attribute from a newer kernel: skipped.
        attr(&mut d, 99, &[1, 2, 3, 4]);
        d
    }

    #[test]
    fn a_controllers_reply_parses() {
        let c = Can::parse(Attrs::new(&reply())).unwrap();
        let bt = c.bittiming.unwrap();
        assert_eq!((bt.bitrate, bt.sample_point, bt.brp), (500_000, 875, 2));
        let bc = c.bittiming_const.clone().unwrap();
        assert_eq!(bc.name, "mcp251xfd");
        assert_eq!((bc.tseg1_max, bc.brp_inc), (256, 1));
        assert_eq!(c.clock, Some(40_000_000));
        assert_eq!(c.state, Some(CanState::ErrorWarning));
        assert_eq!(c.state.unwrap().to_string(), "ERROR-WARNING");
        let cm = c.ctrlmode.unwrap();
        assert_eq!(cm.flags, CanCtrlModeFlags::FD);
        assert!(cm.mask.contains(CanCtrlModeFlags::TDC_MANUAL));
        assert_eq!(c.restart_ms, Some(100));
        assert_eq!(
            c.berr_counter,
            Some(CanBerrCounter {
                txerr: 97,
                rxerr: 3
            })
        );
        assert_eq!(c.data_bittiming.unwrap().bitrate, 2_000_000);
        assert_eq!(c.termination, Some(120));
        assert_eq!(c.termination_const, Some(vec![0, 120]));
        assert_eq!(c.bitrate_max, Some(8_000_000));
        let tdc = c.tdc.clone().unwrap();
        assert_eq!(
            (tdc.tdcv_max, tdc.tdco, tdc.tdcv),
            (Some(127), Some(14), None)
        );
        assert_eq!(c.ctrlmode_supported.map(|s| s.bits()), Some(0x7ff));
        // And back: every field comes through a write and a parse.
        let c = Can {
            restart: Some(1),
            bitrate_const: Some(vec![125_000, 250_000]),
            data_bitrate_const: Some(vec![1_000_000]),
            data_bittiming_const: Some(bc),
            ..c
        };
        let link = Link::new("can0").kind(LinkKind::Can(c));
        assert_eq!(round_trip(&link), link);
    }

    #[test]
    fn short_or_odd_payloads_are_errors() {
        let mut d = Vec::new();
        d.extend(12u16.to_ne_bytes());
        d.extend(IFLA_CAN_BITTIMING.to_ne_bytes());
        d.extend([0u8; 8]);
        assert!(Can::parse(Attrs::new(&d)).is_err(), "bit timing of 8 bytes");
        let mut d = Vec::new();
        d.extend(7u16.to_ne_bytes());
        d.extend(IFLA_CAN_TERMINATION_CONST.to_ne_bytes());
        d.extend([0u8; 4]);
        assert!(Can::parse(Attrs::new(&d)).is_err(), "3 bytes of u16s");
    }
}
