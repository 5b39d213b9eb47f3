//! `nl`: `nl ip ...`, `nl tc ...`, `nl bridge ...`, `nl decode FILE`, or
//! `ip ...` / `tc ...` / `bridge ...` when run through a link of that name.

fn main() -> std::process::ExitCode {
    nl_tools::main(std::env::args_os().collect())
}
