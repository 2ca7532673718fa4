//! Embeds the application icon and version information into the Windows
//! executable: a resource script is written from the package's version and
//! compiled only when the target is Windows.

fn main() {
    println!("cargo:rerun-if-changed=packaging/windows/taizhang.rc");
    println!("cargo:rerun-if-changed=packaging/icons/taizhang.ico");
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() != Ok("windows") {
        return;
    }
    let dir = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets it");
    let out = std::env::var("OUT_DIR").expect("cargo sets it");
    let version = std::env::var("CARGO_PKG_VERSION").expect("cargo sets it");
    // 0.1.0 → 0,1,0,0 for the binary version fields.
    let mut parts: Vec<u32> = version
        .split(['.', '-', '+'])
        .take(3)
        .map(|p| p.parse().unwrap_or(0))
        .collect();
    parts.resize(4, 0);
    let numeric = parts
        .iter()
        .map(u32::to_string)
        .collect::<Vec<_>>()
        .join(",");
    let template = std::fs::read_to_string(format!("{dir}/packaging/windows/taizhang.rc"))
        .expect("reading packaging/windows/taizhang.rc");
    let icon = format!("{dir}/packaging/icons/taizhang.ico").replace('\\', "/");
    let rc = template
        .replace("@ICON@", &icon)
        .replace("@VERSION_NUMBERS@", &numeric)
        .replace("@VERSION@", &version);
    let path = format!("{out}/taizhang.rc");
    std::fs::write(&path, rc).expect("writing the resource script");
    embed_resource::compile(&path, embed_resource::NONE)
        .manifest_optional()
        .expect("compiling the resource script");
}
