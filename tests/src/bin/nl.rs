//! The `nl` binary, built with the tests so they can run it as a child
//! process (`ip monitor`, `ip netns exec`): `env!("CARGO_BIN_EXE_nl")`.

fn main() -> std::process::ExitCode {
    nl_tools::main(std::env::args_os().collect())
}
