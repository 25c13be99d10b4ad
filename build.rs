//! Embeds `kb/*.yaml` into the binary so the installed tool needs no files beside it.
//!
//! Each file is embedded twice: its YAML text (to point at `file:line:col` should a
//! problem ever need locating) and, when it parses, the same content as JSON, which loads
//! ten times faster than YAML and keeps start-up instant. Both come from the one schema
//! module the library uses, so they cannot disagree; a file that does not parse is
//! embedded as YAML only and reported by the loader as usual.

#[path = "src/kb/schema.rs"]
#[allow(dead_code)]
mod schema;

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("kb");
    let out_dir = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    println!("cargo:rerun-if-changed=kb");
    println!("cargo:rerun-if-changed=src/kb/schema.rs");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("kb/ directory is missing")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| matches!(p.extension().and_then(|e| e.to_str()), Some("yaml")))
        .collect();
    files.sort();
    let mut out = String::from(
        "/// The knowledge base compiled into the binary: (path, YAML text, JSON twin).\n",
    );
    out.push_str("pub(super) static EMBEDDED_KB: &[(&str, &str, Option<&str>)] = &[\n");
    for path in &files {
        println!("cargo:rerun-if-changed={}", path.display());
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let text = std::fs::read_to_string(path).unwrap_or_default();
        let json = serde_yaml::from_str::<schema::KbFile>(&text)
            .ok()
            .and_then(|content| serde_json::to_string(&content).ok())
            .map(|json| {
                let target = Path::new(&out_dir).join(format!("{name}.json"));
                std::fs::write(&target, json).expect("cannot write the JSON twin");
                format!("Some(include_str!({:?}))", target.display().to_string())
            })
            .unwrap_or_else(|| "None".to_string());
        writeln!(
            out,
            "    ({:?}, include_str!({:?}), {json}),",
            format!("kb/{name}"),
            path.display().to_string()
        )
        .unwrap();
    }
    out.push_str("];\n");
    let target = Path::new(&out_dir).join("embedded_kb.rs");
    std::fs::write(target, out).expect("cannot write embedded_kb.rs");
}
