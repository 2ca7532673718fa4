//! Embeds the application icon into the Windows executable (a resource
//! script, compiled only when the target is Windows).

fn main() {
    println!("cargo:rerun-if-changed=packaging/windows/taizhang.rc");
    println!("cargo:rerun-if-changed=packaging/icons/taizhang.ico");
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("windows") {
        embed_resource::compile("packaging/windows/taizhang.rc", embed_resource::NONE)
            .manifest_optional()
            .expect("compiling packaging/windows/taizhang.rc");
    }
}
