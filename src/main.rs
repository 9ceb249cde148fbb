//! The `davsuite` binary: everything lives in the library; see `davsuite --help`.

fn main() {
    std::process::exit(davsuite::cli::main());
}
