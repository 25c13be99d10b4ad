//! Embeds `kb/*.yaml` into the binary so the installed tool needs no files beside it.

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("kb");
    println!("cargo:rerun-if-changed=kb");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("kb/ directory is missing")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| matches!(p.extension().and_then(|e| e.to_str()), Some("yaml" | "yml")))
        .collect();
    files.sort();
    let mut out = String::from("/// The knowledge base compiled into the binary: (path, text).\n");
    out.push_str("pub(super) static EMBEDDED_KB: &[(&str, &str)] = &[\n");
    for path in &files {
        println!("cargo:rerun-if-changed={}", path.display());
        let name = path.file_name().unwrap().to_string_lossy();
        writeln!(
            out,
            "    ({:?}, include_str!({:?})),",
            format!("kb/{name}"),
            path.display().to_string()
        )
        .unwrap();
    }
    out.push_str("];\n");
    let target = Path::new(&std::env::var("OUT_DIR").unwrap()).join("embedded_kb.rs");
    std::fs::write(target, out).expect("cannot write embedded_kb.rs");
}
