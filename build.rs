//! Release builds for Linux place the functions a console runs first in the binary, side by
//! side (`link/hot.ld`, made by `benches/hot_code.py`). The kernel maps code in 64 KiB runs
//! around each page a program touches: scattered over the whole binary, those functions keep
//! most of its code resident; together, little more than their own size. The script only
//! names what goes first in `.text`, for the toolchain's own lld (the default linker on
//! x86_64 Linux; with another linker or target nothing changes); a function it names that a
//! build no longer has is skipped, so a stale script costs memory, never correctness.
//!
//! With the toolchain's own lld and a C library that reads them (glibc 2.36 and later, on
//! the machine that builds), relative relocations are also packed (`DT_RELR`): the loader
//! then reads a few KiB at start instead of the 330 KiB table of a position-independent binary
//! this size, which stayed resident. `GAMELAN_HOT_CODE=0` links without either.

use std::path::Path;

const SCRIPT: &str = "link/hot.ld";

fn main() {
    println!("cargo::rerun-if-changed={SCRIPT}");
    println!("cargo::rerun-if-changed=Cargo.lock");
    println!("cargo::rerun-if-env-changed=GAMELAN_HOT_CODE");
    let var = |k: &str| std::env::var(k).unwrap_or_default();
    // The script relies on lld adding the sections it does not name to its `.text` (GNU ld
    // would make a second one), so it goes only to the toolchain's own lld, the default for
    // this target.
    let own_lld = var("TARGET") == "x86_64-unknown-linux-gnu"
        && !var("CARGO_ENCODED_RUSTFLAGS").contains("link")
        && std::env::var_os("CARGO_TARGET_X86_64_UNKNOWN_LINUX_GNU_LINKER").is_none();
    if var("PROFILE") != "release" || !own_lld || var("GAMELAN_HOT_CODE") == "0" {
        return;
    }
    let script = Path::new(&var("CARGO_MANIFEST_DIR")).join(SCRIPT);
    if let Ok(text) = std::fs::read_to_string(&script) {
        println!("cargo::rustc-link-arg-bins=-Wl,-T,{}", script.display());
        // A generic function's instances differ only in a hash that changes with the compiler
        // and the dependencies: after either changes, the script places fewer of them.
        let made = made_with(&var("RUSTC"));
        if !text
            .lines()
            .take(5)
            .any(|l| l.ends_with(&format!("made with: {made} */")))
        {
            println!(
                "cargo::warning={SCRIPT} was made for another compiler or other dependencies \
                 than {made}: regenerate it (python3 benches/hot_code.py), or the release \
                 binary keeps more of its code resident"
            );
        }
    }
    if var("HOST") == var("TARGET") && glibc_reads_relr() {
        println!("cargo::rustc-link-arg-bins=-Wl,-z,pack-relative-relocs");
    }
}

/// The compiler and an FNV-1a hash of Cargo.lock, as `benches/hot_code.py` writes them into
/// the script's header.
fn made_with(rustc: &str) -> String {
    let version = std::process::Command::new(rustc)
        .arg("-V")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default();
    let lock = std::fs::read("Cargo.lock").unwrap_or_default();
    let hash = lock.iter().fold(0xcbf2_9ce4_8422_2325_u64, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    });
    format!("{version}; Cargo.lock {hash:016x}")
}

/// Whether this machine's glibc is 2.36 or later (`getconf GNU_LIBC_VERSION`: "glibc 2.36").
fn glibc_reads_relr() -> bool {
    let Ok(out) = std::process::Command::new("getconf")
        .arg("GNU_LIBC_VERSION")
        .output()
    else {
        return false;
    };
    let text = String::from_utf8_lossy(&out.stdout);
    let mut parts = text.trim().trim_start_matches("glibc ").split('.');
    let mut next = || parts.next().and_then(|p| p.parse::<u32>().ok());
    matches!((next(), next()), (Some(major), Some(minor)) if (major, minor) >= (2, 36))
}
