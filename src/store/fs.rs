//! Is the database on a network share? SQLite's write-ahead log needs shared
//! memory that network file systems do not provide, so a ledger there is
//! opened with a rollback journal instead (see [`super::Journal`]).

use std::path::Path;

/// The nearest existing ancestor of `path` (the file may not exist yet).
#[cfg(not(windows))]
fn existing_ancestor(path: &Path) -> Option<&Path> {
    let mut p = Some(path);
    while let Some(cur) = p {
        if cur.as_os_str().is_empty() {
            return Some(Path::new("."));
        }
        if cur.exists() {
            return Some(cur);
        }
        p = cur.parent();
    }
    None
}

/// Whether `path` lies on a network file system (NFS, SMB/CIFS, AFS, a FUSE
/// mount of a remote disk …). Unknown counts as local.
pub fn is_network_path(path: &Path) -> bool {
    if std::env::var_os("TAIZHANG_ASSUME_NETWORK_SHARE").is_some_and(|v| v == "1") {
        return true;
    }
    // On Windows the path's own prefix says it (a UNC path, or a drive
    // letter GetDriveTypeW calls remote), whether or not the share can be
    // reached yet; elsewhere the file system of what exists of it.
    #[cfg(windows)]
    return imp::is_network(path);
    #[cfg(not(windows))]
    {
        let Some(at) = existing_ancestor(path) else {
            return false;
        };
        imp::is_network(at)
    }
}

#[cfg(target_os = "linux")]
mod imp {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    use std::path::Path;

    // Magic numbers from statfs(2) of file systems that live on another machine.
    const NETWORK_MAGIC: &[i64] = &[
        0x6969,                 // NFS
        0x517B,                 // SMB
        0xFF53_4D42_u32 as i64, // CIFS
        0xFE53_4D42_u32 as i64, // SMB2
        0x5346_414F,            // AFS
        0x0102_1997,            // 9P (v9fs)
        0x0BD0_0BD0,            // Lustre
        0x6B41_4653,            // kAFS
        0x7461_636F,            // OCFS2
        0x00C3_6400,            // Ceph
    ];

    pub fn is_network(path: &Path) -> bool {
        let Ok(c) = CString::new(path.as_os_str().as_bytes()) else {
            return false;
        };
        // SAFETY: `c` is a valid NUL-terminated path and `buf` is a properly
        // sized, zeroed statfs that the call fills in.
        let mut buf: libc::statfs = unsafe { std::mem::zeroed() };
        if unsafe { libc::statfs(c.as_ptr(), &mut buf) } != 0 {
            return false;
        }
        #[allow(clippy::unnecessary_cast)]
        let magic = buf.f_type as i64 & 0xFFFF_FFFF;
        NETWORK_MAGIC.contains(&magic)
    }
}

#[cfg(all(unix, not(target_os = "linux")))]
mod imp {
    use std::ffi::{CStr, CString};
    use std::os::unix::ffi::OsStrExt;
    use std::path::Path;

    pub fn is_network(path: &Path) -> bool {
        let Ok(c) = CString::new(path.as_os_str().as_bytes()) else {
            return false;
        };
        // SAFETY: as on Linux; BSD-style statfs names the file system type.
        let mut buf: libc::statfs = unsafe { std::mem::zeroed() };
        if unsafe { libc::statfs(c.as_ptr(), &mut buf) } != 0 {
            return false;
        }
        let name = unsafe { CStr::from_ptr(buf.f_fstypename.as_ptr()) };
        matches!(
            name.to_str().unwrap_or(""),
            "nfs" | "smbfs" | "afpfs" | "webdav" | "cifs" | "afs"
        )
    }
}

#[cfg(windows)]
mod imp {
    use std::os::windows::ffi::OsStrExt;
    use std::path::{Component, Path, Prefix};

    const DRIVE_REMOTE: u32 = 4;

    #[link(name = "kernel32")]
    unsafe extern "system" {
        fn GetDriveTypeW(root: *const u16) -> u32;
    }

    pub fn is_network(path: &Path) -> bool {
        let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
        match abs.components().next() {
            Some(Component::Prefix(p)) => match p.kind() {
                Prefix::UNC(..) | Prefix::VerbatimUNC(..) => true,
                Prefix::Disk(letter) | Prefix::VerbatimDisk(letter) => {
                    let root: Vec<u16> = std::ffi::OsString::from(format!("{}:\\", letter as char))
                        .encode_wide()
                        .chain(Some(0))
                        .collect();
                    // SAFETY: `root` is a NUL-terminated wide string naming a drive root.
                    unsafe { GetDriveTypeW(root.as_ptr()) == DRIVE_REMOTE }
                }
                _ => false,
            },
            _ => false,
        }
    }
}

#[cfg(not(any(unix, windows)))]
mod imp {
    pub fn is_network(_: &std::path::Path) -> bool {
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_local_folder_is_local() {
        let dir = std::env::temp_dir();
        assert!(!is_network_path(&dir.join("ledger.sqlite3")));
        assert!(!is_network_path(Path::new("not-yet/ledger.sqlite3")));
    }

    /// Windows only (run under Wine by packaging/check-windows.sh): a UNC
    /// path is a network share whatever the server, a drive letter asks
    /// GetDriveTypeW.
    #[cfg(windows)]
    #[test]
    fn unc_paths_are_network_shares_and_drive_letters_are_asked() {
        assert!(is_network_path(Path::new(
            r"\\fileserver\shared\taizhang.sqlite3"
        )));
        assert!(is_network_path(Path::new(
            r"\\?\UNC\fileserver\shared\t.sqlite3"
        )));
        assert!(!is_network_path(Path::new(r"C:\Users\a\taizhang.sqlite3")));
    }
}
