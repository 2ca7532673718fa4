/* Test-only: Rust's standard library (1.78 and later) takes random bytes from
 * ProcessPrng in bcryptprimitives.dll, which Windows 10 and later have and
 * Wine 8 (Debian 12) lacks, so no Rust program starts under it. This DLL
 * supplies it for the Wine prefix of packaging/check-windows.sh, from
 * RtlGenRandom (SystemFunction036). It is never shipped.
 *   x86_64-w64-mingw32-gcc -shared -O2 -o bcryptprimitives.dll bcp.c -ladvapi32 */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buf, ULONG len);

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len) {
    while (len > 0) {
        ULONG n = len > 0x7fffffff ? 0x7fffffff : (ULONG)len;
        if (!SystemFunction036(data, n)) return FALSE;
        data += n;
        len -= n;
    }
    return TRUE;
}
